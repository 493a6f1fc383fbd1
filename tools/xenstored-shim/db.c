/*
 * Durable store (--db FILE).  Two files, both JSON lines written with yajl,
 * each line prefixed by the CRC-32 of its JSON text:
 *   FILE          snapshot: a header {"format","version","seq"}, one line
 *                 per node {"p","v"|"x","perms"}, a trailer {"end":count}
 *   FILE.journal  one line per committed change set since the snapshot:
 *                 {"seq":n,"ops":[{"op":"set",...node...},{"op":"del","p"}]}
 * Lines are checked one by one, so a torn or corrupt file loses only what
 * follows the damage; the damage is reported and the bad file kept aside.
 * Change sets are buffered and written with one fdatasync before the event
 * loop sends any reply (group commit), so an acknowledged change survives
 * a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "xsd_buf.h"
#include "xsd_db.h"
#include "xsd_log.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_tree.h"

#define JOURNAL_SNAPSHOT_BYTES (1024 * 1024)

static char *db_path, *jr_path;
static int jr_fd = -1;
static size_t jr_size;
static struct buf pending;
static yajl_gen rec; /* change set being built, NULL when none */

bool
db_enabled(void)
{
	return db_path != NULL;
}

static uint32_t
crc32_of(const void *p, size_t n)
{
	static uint32_t table[256];
	const uint8_t *b = p;
	uint32_t c = 0xffffffffu;
	size_t i;

	if (table[1] == 0) {
		for (i = 0; i < 256; i++) {
			uint32_t v = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				v = (v & 1) ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	}
	for (i = 0; i < n; i++)
		c = table[(c ^ b[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void
gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void
gen_node(yajl_gen g, const struct node *n)
{
	static const char hex[] = "0123456789abcdef";
	char one[16];
	uint32_t i;
	bool text = true;
	const uint8_t *val = node_value(n);

	gen_str(g, "p");
	gen_str(g, node_path(n));
	for (i = 0; i < n->vlen; i++)
		if (val[i] < 0x20 || val[i] > 0x7e)
			text = false;
	if (text) {
		gen_str(g, "v");
		yajl_gen_string(g, val, n->vlen);
	} else {
		char *h = malloc((size_t)n->vlen * 2 + 1);

		gen_str(g, "x");
		for (i = 0; h != NULL && i < n->vlen; i++) {
			h[2 * i] = hex[val[i] >> 4];
			h[2 * i + 1] = hex[val[i] & 15];
		}
		yajl_gen_string(g, (const unsigned char *)(h ? h : ""),
		    h ? (size_t)n->vlen * 2 : 0);
		free(h);
	}
	gen_str(g, "perms");
	yajl_gen_array_open(g);
	for (i = 0; i < n->nperms; i++)
		if (perms_format(&n->perms[i], one, sizeof(one)) == 0)
			gen_str(g, one);
	yajl_gen_array_close(g);
}

/* Appends "crc json\n" for the generator's content to b. */
static int
emit_line(struct buf *b, yajl_gen g)
{
	const unsigned char *j;
	size_t jl;

	if (yajl_gen_get_buf(g, &j, &jl) != yajl_gen_status_ok)
		return ENOMEM;
	if (buf_printf(b, "%08x ", crc32_of(j, jl)) != 0 ||
	    buf_add(b, j, jl) != 0 || buf_add(b, "\n", 1) != 0)
		return ENOMEM;
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL);
	return 0;
}

static int
rec_begin(void)
{
	if (db_path == NULL)
		return 0;
	if (rec != NULL)
		return 0;
	rec = yajl_gen_alloc(NULL);
	if (rec == NULL)
		return ENOMEM;
	yajl_gen_map_open(rec);
	gen_str(rec, "seq");
	yajl_gen_integer(rec, (long long)(xsd_store.seq + 1));
	gen_str(rec, "ops");
	yajl_gen_array_open(rec);
	return 0;
}

int
db_log_set(const struct node *n)
{
	if (db_path == NULL)
		return 0;
	if (rec_begin() != 0)
		return ENOMEM;
	yajl_gen_map_open(rec);
	gen_str(rec, "op");
	gen_str(rec, "set");
	gen_node(rec, n);
	yajl_gen_map_close(rec);
	return 0;
}

int
db_log_del(const char *path)
{
	if (db_path == NULL)
		return 0;
	if (rec_begin() != 0)
		return ENOMEM;
	yajl_gen_map_open(rec);
	gen_str(rec, "op");
	gen_str(rec, "del");
	gen_str(rec, "p");
	gen_str(rec, path);
	yajl_gen_map_close(rec);
	return 0;
}

int
db_log_end(void)
{
	int err;

	if (rec == NULL)
		return 0;
	yajl_gen_array_close(rec);
	yajl_gen_map_close(rec);
	err = emit_line(&pending, rec);
	yajl_gen_free(rec);
	rec = NULL;
	if (err != 0)
		xsd_log("db: out of memory, change set not journaled");
	return err;
}

static int
write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t r;

	while (n > 0) {
		r = write(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return errno != 0 ? errno : EIO;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static void
sync_dir(const char *path)
{
	char *dir = strdup(path), *s;
	int fd;

	if (dir == NULL)
		return;
	s = strrchr(dir, '/');
	if (s == NULL) {
		free(dir);
		dir = strdup(".");
		if (dir == NULL)
			return;
	} else if (s == dir) {
		s[1] = '\0';
	} else {
		*s = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int
db_flush(void)
{
	int err;

	if (db_path == NULL || pending.len == 0)
		return 0;
	err = write_all(jr_fd, pending.p, pending.len);
	if (err == 0 && fdatasync(jr_fd) != 0)
		err = errno;
	if (err != 0) {
		/* The change is live but not durable: say so loudly. */
		xsd_log("db: journal write to %s failed: %s", jr_path,
		    strerror(err));
		return err;
	}
	jr_size += pending.len;
	pending.len = 0;
	if (jr_size > JOURNAL_SNAPSHOT_BYTES)
		db_snapshot();
	return 0;
}

int
db_snapshot(void)
{
	struct buf out = { 0 };
	yajl_gen g;
	char *tmp;
	size_t i, count = 0, tl;
	struct node *n;
	int fd, err = 0;

	if (db_path == NULL)
		return 0;
	g = yajl_gen_alloc(NULL);
	tl = strlen(db_path) + 5;
	tmp = malloc(tl);
	if (g == NULL || tmp == NULL) {
		err = ENOMEM;
		goto out;
	}
	snprintf(tmp, tl, "%s.tmp", db_path);
	yajl_gen_map_open(g);
	gen_str(g, "format");
	gen_str(g, "xenstored-shim");
	gen_str(g, "version");
	yajl_gen_integer(g, 1);
	gen_str(g, "seq");
	yajl_gen_integer(g, (long long)xsd_store.seq);
	yajl_gen_map_close(g);
	if ((err = emit_line(&out, g)) != 0)
		goto out;
	for (i = 0; i < xsd_store.tab.nb; i++) {
		for (n = xsd_store.tab.b[i]; n != NULL; n = n->hnext) {
			yajl_gen_map_open(g);
			gen_node(g, n);
			yajl_gen_map_close(g);
			if ((err = emit_line(&out, g)) != 0)
				goto out;
			count++;
		}
	}
	yajl_gen_map_open(g);
	gen_str(g, "end");
	yajl_gen_integer(g, (long long)count);
	yajl_gen_map_close(g);
	if ((err = emit_line(&out, g)) != 0)
		goto out;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	err = write_all(fd, out.p, out.len);
	if (err == 0 && fsync(fd) != 0)
		err = errno;
	close(fd);
	if (err == 0 && rename(tmp, db_path) != 0)
		err = errno;
	if (err != 0) {
		unlink(tmp);
		goto out;
	}
	sync_dir(db_path);
	/* Journal lines up to seq are now in the snapshot. */
	if (jr_fd >= 0 && ftruncate(jr_fd, 0) == 0) {
		fdatasync(jr_fd);
		jr_size = 0;
	}
out:
	if (err != 0)
		xsd_log("db: snapshot of %s failed: %s", db_path,
		    strerror(err));
	if (g != NULL)
		yajl_gen_free(g);
	free(tmp);
	buf_free(&out);
	return err;
}

/* ---- loading ---- */

static const char *
jstr(yajl_val v)
{
	const char *s = YAJL_IS_STRING(v) ? v->u.string : NULL;

	return s != NULL ? s : "";
}

static struct node *
load_ensure(const char *path)
{
	char *cur;
	struct node *n, *parent;
	size_t pl;

	/* Iterative: find the nearest existing ancestor, then go down. */
	n = store_get(path);
	if (n != NULL)
		return n;
	cur = strdup(path);
	if (cur == NULL)
		return NULL;
	for (;;) {
		pl = path_parent_len(cur);
		cur[pl] = '\0';
		if (store_get(cur) != NULL)
			break;
	}
	while (strcmp(cur, path) != 0) {
		const char *slash;
		size_t end;

		parent = store_get(cur);
		slash = strchr(path + (strcmp(cur, "/") == 0 ? 0 : strlen(cur)) + 1,
		    '/');
		end = slash != NULL ? (size_t)(slash - path) : strlen(path);
		memcpy(cur, path, end);
		cur[end] = '\0';
		n = parent != NULL ? node_make(cur, parent->perms,
					   parent->nperms, NULL, 0) :
				     NULL;
		/* cur did not exist, so neither does its name in the
		 * parent's list: no search of it (loading stays linear). */
		if (n == NULL ||
		    node_append_kid(parent, path_basename(cur)) != 0) {
			node_free(n);
			free(cur);
			return NULL;
		}
		n->gen = ++xsd_store.gen;
		store_put(n);
	}
	free(cur);
	return store_get(path);
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static const char *
load_set(yajl_val o)
{
	static const char *kp[] = { "p", NULL }, *kv[] = { "v", NULL },
			  *kx[] = { "x", NULL }, *kperm[] = { "perms", NULL };
	yajl_val p = yajl_tree_get(o, kp, yajl_t_string);
	yajl_val v = yajl_tree_get(o, kv, yajl_t_string);
	yajl_val x = yajl_tree_get(o, kx, yajl_t_string);
	yajl_val pa = yajl_tree_get(o, kperm, yajl_t_array);
	struct xsd_perm perms[64];
	uint8_t *val = NULL;
	size_t vlen = 0, i, np;
	struct node *n, *old;
	const char *s;

	if (p == NULL || pa == NULL || (v == NULL && x == NULL))
		return "node record lacks p, v/x or perms";
	if (path_check(jstr(p)) != 0)
		return "invalid node path";
	np = YAJL_GET_ARRAY(pa)->len;
	if (np == 0 || np > 64)
		return "bad permission count";
	for (i = 0; i < np; i++) {
		yajl_val e = YAJL_GET_ARRAY(pa)->values[i];

		if (!YAJL_IS_STRING(e) ||
		    perms_parse(jstr(e), &perms[i]) != 0)
			return "bad permission";
	}
	if (v != NULL) {
		s = jstr(v);
		vlen = strlen(s);
		val = (uint8_t *)strdup(s);
	} else {
		s = jstr(x);
		vlen = strlen(s) / 2;
		if (strlen(s) % 2 != 0)
			return "odd hex value";
		val = malloc(vlen + 1);
		for (i = 0; val != NULL && i < vlen; i++) {
			int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				free(val);
				return "bad hex value";
			}
			val[i] = (uint8_t)(hi << 4 | lo);
		}
	}
	if (val == NULL)
		return "out of memory";
	if (vlen > XENSTORE_PAYLOAD_MAX) {
		free(val);
		return "value too long";
	}
	old = load_ensure(jstr(p));
	if (old == NULL) {
		free(val);
		return "out of memory";
	}
	/* Replace through store_put so that accounting follows the owner. */
	n = node_make(jstr(p), perms, (uint32_t)np, val, vlen);
	if (n == NULL || node_copy_kids(n, old) != 0) {
		node_free(n);
		free(val);
		return "out of memory";
	}
	free(val);
	n->gen = ++xsd_store.gen;
	store_put(n);
	return NULL;
}

static const char *
load_del(const char *path)
{
	struct buf work = { 0 };
	size_t pos = 0;
	struct node *n, *parent;
	char *pp;

	if (path_check(path) != 0 || strcmp(path, "/") == 0)
		return "invalid path to delete";
	if (store_get(path) == NULL)
		return NULL;
	if (buf_addstr0(&work, path) != 0)
		return "out of memory";
	while (pos < work.len) {
		char *cur = strdup((char *)work.p + pos);
		const char *k;

		if (cur == NULL)
			break;
		pos += strlen(cur) + 1;
		n = store_get(cur);
		for (k = n != NULL ? n->kids : NULL;
		     k != NULL && k < n->kids + n->kidslen; k += strlen(k) + 1) {
			if (buf_printf(&work, "%s/%s", cur, k) != 0 ||
			    buf_add(&work, "", 1) != 0)
				break;
		}
		store_del(cur);
		free(cur);
	}
	buf_free(&work);
	pp = strdup(path);
	if (pp == NULL)
		return "out of memory";
	pp[path_parent_len(pp)] = '\0';
	parent = store_get(pp);
	if (parent != NULL)
		node_del_kid(parent, path_basename(path));
	free(pp);
	return NULL;
}

/* Checks a line's CRC and parses it; returns NULL with *why on failure. */
static yajl_val
parse_line(char *line, size_t len, const char **why)
{
	char ebuf[128];
	unsigned long want;
	char *end;
	yajl_val v;

	if (len < 10 || line[8] != ' ') {
		*why = "malformed line";
		return NULL;
	}
	line[8] = '\0';
	want = strtoul(line, &end, 16);
	if (*end != '\0') {
		*why = "malformed checksum";
		return NULL;
	}
	if (crc32_of(line + 9, len - 9) != (uint32_t)want) {
		*why = "checksum mismatch";
		return NULL;
	}
	line[len] = '\0';
	v = yajl_tree_parse(line + 9, ebuf, sizeof(ebuf));
	if (v == NULL || !YAJL_IS_OBJECT(v)) {
		yajl_tree_free(v);
		*why = "invalid JSON";
		return NULL;
	}
	return v;
}

static char *
slurp(const char *path, size_t *len, int *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *p;
	ssize_t r;
	size_t got = 0;

	*err = 0;
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	if (fstat(fd, &st) != 0 || st.st_size < 0 ||
	    (unsigned long long)st.st_size > SIZE_MAX - 1) {
		*err = EIO;
		close(fd);
		return NULL;
	}
	p = malloc((size_t)st.st_size + 1);
	if (p == NULL) {
		*err = ENOMEM;
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, p + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	p[got] = '\0';
	*len = got;
	return p;
}

/*
 * Runs fn over each line; stops at the first bad one.  Returns the number
 * of good lines, and sets *bad to the 1-based number of the bad line.
 */
typedef const char *(*line_fn)(yajl_val v, size_t lineno, bool *stop);

static size_t
load_lines(const char *path, char *data, size_t len, line_fn fn, size_t *bad)
{
	size_t pos = 0, lineno = 0;
	const char *why = NULL;
	bool stop = false;

	*bad = 0;
	while (pos < len && !stop) {
		char *nl = memchr(data + pos, '\n', len - pos);
		yajl_val v;

		lineno++;
		if (nl == NULL) {
			why = "truncated last line";
			break;
		}
		v = parse_line(data + pos, (size_t)(nl - (data + pos)), &why);
		if (v == NULL)
			break;
		why = fn(v, lineno, &stop);
		yajl_tree_free(v);
		if (why != NULL)
			break;
		pos = (size_t)(nl - data) + 1;
	}
	if (why != NULL) {
		*bad = lineno;
		xsd_log("db: %s: line %zu: %s; keeping the %zu valid lines "
			"before it",
		    path, lineno, why, lineno - 1);
		return lineno - 1;
	}
	return lineno;
}

static uint64_t snap_seq;
static bool snap_ended;

static const char *
snap_line(yajl_val v, size_t lineno, bool *stop)
{
	static const char *kf[] = { "format", NULL }, *ks[] = { "seq", NULL },
			  *ke[] = { "end", NULL };
	yajl_val f, s;

	if (lineno == 1) {
		f = yajl_tree_get(v, kf, yajl_t_string);
		s = yajl_tree_get(v, ks, yajl_t_number);
		if (f == NULL || strcmp(jstr(f), "xenstored-shim") ||
		    s == NULL || !YAJL_IS_INTEGER(s) || YAJL_GET_INTEGER(s) < 0)
			return "not a xenstored-shim snapshot header";
		snap_seq = (uint64_t)YAJL_GET_INTEGER(s);
		return NULL;
	}
	if (yajl_tree_get(v, ke, yajl_t_number) != NULL) {
		snap_ended = true;
		*stop = true;
		return NULL;
	}
	return load_set(v);
}

static const char *
journal_line(yajl_val v, size_t lineno, bool *stop)
{
	static const char *ks[] = { "seq", NULL }, *ko[] = { "ops", NULL },
			  *kop[] = { "op", NULL }, *kp[] = { "p", NULL };
	yajl_val s = yajl_tree_get(v, ks, yajl_t_number);
	yajl_val ops = yajl_tree_get(v, ko, yajl_t_array);
	size_t i;
	const char *why;

	(void)lineno;
	(void)stop;
	if (s == NULL || !YAJL_IS_INTEGER(s) || ops == NULL)
		return "journal record lacks seq or ops";
	if ((uint64_t)YAJL_GET_INTEGER(s) <= xsd_store.seq)
		return NULL; /* already in the snapshot */
	for (i = 0; i < YAJL_GET_ARRAY(ops)->len; i++) {
		yajl_val o = YAJL_GET_ARRAY(ops)->values[i];
		yajl_val op = yajl_tree_get(o, kop, yajl_t_string);

		if (op == NULL)
			return "journal op without a type";
		if (strcmp(jstr(op), "set") == 0) {
			why = load_set(o);
		} else if (strcmp(jstr(op), "del") == 0) {
			yajl_val p = yajl_tree_get(o, kp, yajl_t_string);

			why = p == NULL ? "del without a path" :
					  load_del(jstr(p));
		} else {
			why = "unknown journal op";
		}
		if (why != NULL)
			return why;
	}
	xsd_store.seq = (uint64_t)YAJL_GET_INTEGER(s);
	return NULL;
}

static void
keep_bad_copy(const char *path)
{
	size_t l = strlen(path) + 16;
	char *bad = malloc(l);
	int fd_in, fd_out;
	char chunk[8192];
	ssize_t r;

	if (bad == NULL)
		return;
	snprintf(bad, l, "%s.corrupt", path);
	fd_in = open(path, O_RDONLY | O_CLOEXEC);
	fd_out = open(bad, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	while (fd_in >= 0 && fd_out >= 0 &&
	    (r = read(fd_in, chunk, sizeof(chunk))) > 0)
		if (write_all(fd_out, chunk, (size_t)r) != 0)
			break;
	if (fd_in >= 0)
		close(fd_in);
	if (fd_out >= 0) {
		fsync(fd_out);
		close(fd_out);
		xsd_log("db: damaged file saved as %s", bad);
	}
	free(bad);
}

int
db_open(const char *path)
{
	char *data;
	size_t len, bad, l;
	int err;

	db_path = strdup(path);
	l = strlen(path) + 9;
	jr_path = malloc(l);
	if (db_path == NULL || jr_path == NULL)
		return ENOMEM;
	snprintf(jr_path, l, "%s.journal", path);

	data = slurp(db_path, &len, &err);
	if (data != NULL) {
		snap_ended = false;
		load_lines(db_path, data, len, snap_line, &bad);
		if (bad == 0 && !snap_ended && len > 0) {
			xsd_log("db: %s: snapshot has no end record (truncated)",
			    db_path);
			bad = 1;
		}
		xsd_store.seq = snap_seq;
		if (bad != 0)
			keep_bad_copy(db_path);
		free(data);
	} else if (err != ENOENT) {
		xsd_log("db: cannot read %s: %s", db_path, strerror(err));
		return err;
	}
	data = slurp(jr_path, &len, &err);
	if (data != NULL) {
		load_lines(jr_path, data, len, journal_line, &bad);
		if (bad != 0)
			keep_bad_copy(jr_path);
		free(data);
	} else if (err != ENOENT) {
		xsd_log("db: cannot read %s: %s", jr_path, strerror(err));
		return err;
	}
	jr_fd = open(jr_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (jr_fd < 0) {
		err = errno;
		xsd_log("db: cannot open %s: %s", jr_path, strerror(err));
		return err;
	}
	/* Start from a clean snapshot so the journal only holds new work. */
	return db_snapshot();
}

void
db_close(void)
{
	if (db_path == NULL)
		return;
	db_flush();
	db_snapshot();
	if (jr_fd >= 0)
		close(jr_fd);
	jr_fd = -1;
	free(db_path);
	free(jr_path);
	db_path = jr_path = NULL;
	buf_free(&pending);
}
