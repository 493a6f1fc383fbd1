/*
 * xsdiff: differential test of two xenstore daemons.
 *
 * A seeded generator makes a script of requests of every type over several
 * connections (privileged sockets and guest rings) and transactions; the
 * same script is sent to each daemon, one request at a time, and every
 * byte that comes back (replies, errors, watch events, and their order on
 * each connection) is written to a transcript.  The transcripts must be
 * identical.  The script depends on the seed only, never on a reply, so a
 * divergence is replayed with the same seed.
 *
 * Each daemon runs under xenstub (LD_PRELOAD) in its own directory: guest
 * rings are files both sides map, events a FIFO (see xenstub.c).  After
 * each step every connection that may hold a watch sends a GET_DOMAIN_PATH
 * as a barrier, so the events a step caused are all read before the next
 * step, in the order the daemon queued them.
 *
 * Usage: xsdiff [-s seed] [-n steps] [-v] [-o dir] -x stub.so
 *            NAME=CMD NAME=CMD
 * CMD is "c:PATH" (C xenstored: XENSTORED_RUNDIR names the socket) or
 * "shim:PATH" (--socket).  -p prints the script without running it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#include "xenstub.h"

#define NSOCK	3  /* privileged socket connections */
#define NGUEST	2  /* guest domains 1..NGUEST, each one ring */
#define NCONN	(NSOCK + NGUEST)
#define NSLOT	3  /* transactions per connection the script tracks */
#define MAXMSG	(sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define TMO_MS	3000
#define NOTX	0xdeadbeefu /* a transaction whose start failed */

struct conn {
	int fd; /* socket, or -1 for a ring */
	uint32_t domid;
	volatile struct xenstore_domain_interface *intf;
	bool dead;
	uint32_t txid[NSLOT];
	/* Input assembly. */
	uint8_t in[MAXMSG];
	size_t inlen;
};

struct run {
	const char *name;
	char dir[256];
	pid_t pid;
	int evfd;
	struct conn c[NCONN];
	FILE *out;
	char *text;
	size_t textlen;
};

/* The script's own model: what it has asked for, not what it got. */
struct model {
	uint64_t rng;
	bool slot_open[NCONN][NSLOT];
	bool watching[NCONN];
	bool dom_dead[NGUEST + 1];
	/* In a SET_TARGET: never released (C xenstored keeps such a domain
	 * introduced after its release, xenstored-shim(8)). */
	bool tied[NGUEST + 2];
};

struct step {
	int conn;
	int slot; /* -1: no transaction */
	uint32_t type;
	uint8_t p[XENSTORE_PAYLOAD_MAX + 64];
	size_t len;
	int kill_dom; /* harness action: the domain dies (VIRQ_DOM_EXC) */
	int revive_dom; /* a fresh ring, introduced again, first */
	int release_dom; /* the request releases it: its ring is gone after */
};

static int verbose;
static const char *stub_so;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "xsdiff: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t
rnd(struct model *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned
rn(struct model *m, unsigned n)
{
	return (unsigned)(rnd(m) % n);
}

/* ---- the generator ---- */

static size_t
put(struct step *s, const char *str)
{
	size_t l = strlen(str) + 1;

	if (s->len + l > sizeof(s->p))
		l = sizeof(s->p) - s->len;
	memcpy(s->p + s->len, str, l);
	s->len += l;
	return l;
}

static const char *const names[] = { "a", "b", "c", "d" };

static void
gen_path(struct model *m, int conn, char *out, size_t cap)
{
	unsigned k = rn(m, 100), depth, i;
	size_t pos;
	uint32_t dom = conn >= NSOCK ? (uint32_t)(conn - NSOCK + 1) : 0;

	if (k < 4) {
		static const char *const odd[] = { "/", "", "/t/", "/t//a",
			"/t/a b", "@introduceDomain", "@releaseDomain", "@x",
			"/t/a-_.@", "/local/domain", "/tool/xenstored", "/t/*" };

		snprintf(out, cap, "%s", odd[rn(m, 12)]);
		return;
	}
	if (k < 6) {
		/* Long paths near the limits. */
		unsigned len = 2000 + rn(m, 1200);

		snprintf(out, cap, "/t/");
		for (pos = 3; pos < len && pos + 1 < cap; pos++)
			out[pos] = pos % 60 == 0 ? '/' : 'x';
		out[pos] = '\0';
		return;
	}
	if (k < 30)
		snprintf(out, cap, "/local/domain/%u", 1 + rn(m, NGUEST));
	else if (k < 45 && dom != 0)
		snprintf(out, cap, "/local/domain/%u", dom);
	else if (k < 55)
		snprintf(out, cap, "%s", dom != 0 ? "data" : "/t");
	else
		snprintf(out, cap, "/t");
	depth = rn(m, 4);
	for (i = 0; i < depth; i++) {
		pos = strlen(out);
		snprintf(out + pos, cap - pos, "/%s", names[rn(m, 4)]);
	}
}

/* Makes path one the generator never gives children: three names below
 * its base (/t, data, /local/domain/<id>). */
static void
deepest(struct model *m, char *path, size_t cap)
{
	int want, slashes = 0;
	const char *q;
	size_t pl;

	if (strncmp(path, "/t", 2) == 0)
		want = 4;
	else if (strncmp(path, "data", 4) == 0)
		want = 3;
	else if (strncmp(path, "/local/domain/", 14) == 0)
		want = 6;
	else
		return;
	for (q = path; *q != '\0'; q++)
		slashes += *q == '/';
	for (pl = strlen(path); slashes < want && pl + 3 < cap; slashes++) {
		snprintf(path + pl, cap - pl, "/%s", names[rn(m, 4)]);
		pl = strlen(path);
	}
}

static void
gen_value(struct model *m, struct step *s)
{
	unsigned k = rn(m, 100), len, i;

	if (k < 10)
		return; /* empty */
	if (k < 14)
		len = 2000 + rn(m, 2200); /* over node-size for guests */
	else
		len = 1 + rn(m, 12);
	for (i = 0; i < len && s->len < XENSTORE_PAYLOAD_MAX + 8; i++)
		s->p[s->len++] = k < 16 && i == 1 ? 0 : 'a' + (uint8_t)rn(m, 26);
}

static void
gen_perms(struct model *m, struct step *s)
{
	static const char modes[] = "nrwb";
	unsigned n = 1 + rn(m, 3), i;
	char one[32];

	if (rn(m, 20) == 0) {
		/* Not ids past 16 bits ("r99999", "n-1"): C xenstored
		 * takes them, the shim refuses them (xenstored-shim(8)). */
		static const char *const bad[] = { "x1", "r", "", "w1x" };

		put(s, bad[rn(m, 4)]);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(one, sizeof(one), "%c%u", modes[rn(m, 4)],
		    rn(m, NGUEST + 2));
		put(s, one);
	}
}

static void
gen_step(struct model *m, int stepno, struct step *s)
{
	char path[4096];
	unsigned k;
	int c, i;

	memset(s, 0, offsetof(struct step, p));
	s->kill_dom = s->revive_dom = s->release_dom = 0;
	s->len = 0;
	(void)stepno;
	/*
	 * Releases (XS_RELEASE, which removes the domain's nodes, XSA-419)
	 * and new introductions of the id are rare steps.
	 */
	if (rn(m, 120) == 0 && !m->tied[1 + (m->rng >> 60) % NGUEST]) {
		int d = 1 + (int)((m->rng >> 60) % NGUEST);

		s->conn = 0;
		s->slot = -1;
		if (m->dom_dead[d]) {
			s->revive_dom = d;
			s->type = XS_IS_DOMAIN_INTRODUCED;
		} else {
			s->release_dom = d;
			s->type = XS_RELEASE;
		}
		m->dom_dead[d] = !m->dom_dead[d];
		snprintf(path, sizeof(path), "%d", d);
		put(s, path);
		return;
	}
	/*
	 * Deaths seen through VIRQ_DOM_EXC are off: under xenstub C
	 * xenstored sees the domain dying but keeps it introduced (its
	 * connection is not freed), so there is no common behaviour yet.
	 */
	if (rn(m, 200) == 0 && getenv("XSDIFF_DEATHS") != NULL) {
		int d = 1 + (int)rn(m, NGUEST);

		if (m->dom_dead[d])
			s->revive_dom = d;
		else
			s->kill_dom = d;
		m->dom_dead[d] = !m->dom_dead[d];
		s->conn = 0;
		s->slot = -1;
		s->type = XS_IS_DOMAIN_INTRODUCED;
		snprintf(path, sizeof(path), "%d", d);
		put(s, path);
		return;
	}
	do
		c = (int)rn(m, NCONN);
	while (c >= NSOCK && m->dom_dead[c - NSOCK + 1]);
	s->conn = c;
	s->slot = -1;
	for (i = 0; i < NSLOT; i++)
		if (m->slot_open[c][i] && rn(m, 3) != 0) {
			s->slot = i;
			break;
		}
	gen_path(m, c, path, sizeof(path));
	k = rn(m, 1000);
	if (k < 200) {
		s->type = XS_READ;
		put(s, path);
	} else if (k < 420) {
		s->type = XS_WRITE;
		put(s, path);
		s->len--; /* the value follows the path's NUL */
		s->len++;
		gen_value(m, s);
	} else if (k < 470) {
		s->type = XS_MKDIR;
		put(s, path);
	} else if (k < 550) {
		s->type = XS_RM;
		/*
		 * In a transaction, only nodes that cannot have children: C
		 * xenstored answers EIO (its corruption path) when a
		 * transaction removes a subtree whose children went outside
		 * after it read their parent (xenstored-shim(8)).
		 */
		if (s->slot >= 0)
			deepest(m, path, sizeof(path));
		put(s, path);
	} else if (k < 630) {
		s->type = XS_DIRECTORY;
		put(s, path);
	} else if (k < 650) {
		char off[16];
		unsigned o = rn(m, 4);

		s->type = XS_DIRECTORY_PART;
		put(s, path);
		snprintf(off, sizeof(off), "%u", o == 3 ? rn(m, 7) : 0);
		put(s, o == 2 && rn(m, 4) == 0 ? "x" : off);
	} else if (k < 690) {
		s->type = XS_GET_PERMS;
		put(s, path);
	} else if (k < 740) {
		s->type = XS_SET_PERMS;
		/*
		 * A refused SET_PERMS on a special name gets a stale errno
		 * from C xenstored 4.17 (xenstored-shim(8)): only the
		 * privileged, on the two real names, are compared there.
		 */
		if (path[0] == '@' && (c >= NSOCK ||
		    (strcmp(path, "@introduceDomain") != 0 &&
		    strcmp(path, "@releaseDomain") != 0)))
			snprintf(path, sizeof(path), "/t");
		put(s, path);
		gen_perms(m, s);
	} else if (k < 800) {
		char tok[16];

		s->type = rn(m, 4) == 0 ? XS_UNWATCH : XS_WATCH;
		if (s->type == XS_WATCH)
			m->watching[c] = true;
		if (rn(m, 3) == 0)
			snprintf(path, sizeof(path), "%s",
			    rn(m, 2) ? "@introduceDomain" : "@releaseDomain");
		put(s, path);
		snprintf(tok, sizeof(tok), "tk%u", rn(m, 3));
		put(s, tok);
		s->slot = -1;
	} else if (k < 850) {
		for (i = 0; i < NSLOT && m->slot_open[c][i]; i++)
			;
		s->type = XS_TRANSACTION_START;
		put(s, "");
		s->slot = i < NSLOT ? i : -1;
		if (i < NSLOT)
			m->slot_open[c][i] = true;
		/* Stored where the reply's id goes (see run_step). */
		s->slot = i < NSLOT ? -2 - i : -1;
	} else if (k < 900) {
		s->type = XS_TRANSACTION_END;
		if (s->slot < 0)
			for (i = 0; i < NSLOT; i++)
				if (m->slot_open[c][i])
					s->slot = i;
		if (s->slot >= 0)
			m->slot_open[c][s->slot] = false;
		put(s, rn(m, 5) == 0 ? "F" : rn(m, 30) == 0 ? "X" : "T");
	} else if (k < 910) {
		s->type = XS_RESET_WATCHES;
		m->watching[c] = false;
		for (i = 0; i < NSLOT; i++)
			m->slot_open[c][i] = false;
		s->slot = -1;
	} else if (k < 930) {
		char d[16];

		s->type = rn(m, 2) ? XS_GET_DOMAIN_PATH :
				     XS_IS_DOMAIN_INTRODUCED;
		snprintf(d, sizeof(d), "%u", rn(m, NGUEST + 3));
		put(s, rn(m, 20) == 0 ? "z" : d);
	} else if (k < 950) {
		/* Not "help", nor "quota" alone or for a domain: the lists
		 * and the memory figures differ (xenstored-shim(8)). */
		static const char *const cmds[] = { "check", "print",
			"bogus", "log", "quota-soft", "quota" };
		/* Not path-max: fixed here (xenstored-shim(8)). */
		static const char *const qnames[] = { "transactions",
			"watches", "permissions", "nodes", "bogus" };
		const char *cmd = cmds[rn(m, 6)];
		char v[16];

		s->type = XS_CONTROL;
		put(s, cmd);
		if (strcmp(cmd, "print") == 0)
			put(s, "hello");
		if (strcmp(cmd, "log") == 0)
			put(s, rn(m, 3) == 0 ? "x" : rn(m, 2) ? "on" : "off");
		if (strcmp(cmd, "check") == 0 && rn(m, 4) == 0)
			put(s, "x"); /* one argument too many */
		if (strcmp(cmd, "quota") == 0) {
			/* A quota set (or refused) changes what follows. */
			put(s, "set");
			put(s, qnames[rn(m, 5)]);
			snprintf(v, sizeof(v), "%d", (int)rn(m, 12) - 1);
			put(s, v);
		}
		s->slot = -1;
	} else if (k < 960) {
		char d[16];

		unsigned dom = 1 + rn(m, NGUEST), tgt = rn(m, NGUEST + 2);

		s->type = XS_SET_TARGET;
		m->tied[dom] = m->tied[tgt] = true;
		snprintf(d, sizeof(d), "%u", dom);
		put(s, d);
		snprintf(d, sizeof(d), "%u", tgt);
		put(s, d);
	} else if (k < 970) {
		char d[16];

		/* A second introduction of a live domain, or a resume. */
		unsigned dom = 1 + rn(m, NGUEST + 1);

		s->type = rn(m, 2) ? XS_RESUME : XS_INTRODUCE;
		/* Not a released guest: only the harness gives it a new
		 * ring (a stale one is nothing a real domain could offer). */
		if (s->type == XS_INTRODUCE && dom <= NGUEST &&
		    m->dom_dead[dom])
			dom = NGUEST + 1;
		snprintf(d, sizeof(d), "%u", dom);
		put(s, d);
		if (s->type == XS_INTRODUCE) {
			put(s, "1234");
			put(s, "7");
		}
	} else if (k < 980) {
		/* Not requests, or unknown: 4.17 has no GET/SET_FEATURE or
		 * GET/SET_QUOTA. */
		static const uint32_t odd[] = { XS_WATCH_EVENT, XS_ERROR,
			XS_TYPE_COUNT, XS_TYPE_COUNT + 1, XS_TYPE_COUNT + 2,
			XS_TYPE_COUNT + 3, 0x20, XS_INVALID };

		s->type = odd[rn(m, 8)];
		put(s, path);
	} else if (k < 990) {
		/*
		 * Not READ or DIRECTORY with an argument lacking its NUL:
		 * C xenstored 4.17 answers with a stale errno there and,
		 * inside a transaction that removed the parent, aborts on an
		 * assertion (xenstored-shim(8)).
		 */
		s->type = XS_GET_DOMAIN_PATH;
		put(s, "1");
		s->len--;
	} else {
		s->type = XS_WRITE;
		put(s, path);
		s->len--; /* a WRITE with no NUL after the path */
	}
	/* Larger frames cost the connection, in both daemons alike. */
	if (s->len > XENSTORE_PAYLOAD_MAX)
		s->len = XENSTORE_PAYLOAD_MAX;
}

/* ---- transcript ---- */

static const char *
type_name(uint32_t t)
{
	static const char *const n[] = { "CONTROL", "DIRECTORY", "READ",
		"GET_PERMS", "WATCH", "UNWATCH", "TRANSACTION_START",
		"TRANSACTION_END", "INTRODUCE", "RELEASE", "GET_DOMAIN_PATH",
		"WRITE", "MKDIR", "RM", "SET_PERMS", "WATCH_EVENT", "ERROR",
		"IS_DOMAIN_INTRODUCED", "RESUME", "SET_TARGET", "RESTRICT",
		"RESET_WATCHES", "DIRECTORY_PART" };
	static char buf[16];

	if (t < sizeof(n) / sizeof(n[0]))
		return n[t];
	snprintf(buf, sizeof(buf), "type%u", t);
	return buf;
}

/* Bytes as text: printable ASCII as is, NUL as '|', others as \xNN.  Long
 * runs are cut to keep transcripts readable; their length stays. */
static void
put_bytes(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(f, "[%zu] ", n);
	for (i = 0; i < n; i++) {
		if (i == 160 && n > 200) {
			/* A checksum of the rest keeps it compared. */
			uint32_t h = 2166136261u;
			size_t j;

			for (j = i; j < n; j++)
				h = (h ^ p[j]) * 16777619u;
			fprintf(f, "...#%08x", h);
			return;
		}
		if (p[i] == 0)
			fputc('|', f);
		else if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' &&
		    p[i] != '|')
			fputc(p[i], f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
}

/* ---- transports ---- */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
kick(struct run *r, uint32_t domid)
{
	uint32_t port = XENSTUB_PORT_BASE + domid;

	/* A daemon gone shows as a missing reply. */
	(void)!write(r->evfd, &port, sizeof(port));
}

static bool
ring_send(struct run *r, struct conn *c, const uint8_t *p, size_t n)
{
	volatile struct xenstore_domain_interface *in = c->intf;
	uint64_t end = now_ms() + TMO_MS;

	while (n > 0) {
		XENSTORE_RING_IDX prod = in->req_prod, cons = in->req_cons;
		size_t room = XENSTORE_RING_SIZE - (prod - cons), chunk;

		__sync_synchronize();
		if (room == 0) {
			kick(r, c->domid);
			if (now_ms() > end)
				return false;
			sched_yield();
			continue;
		}
		chunk = n < room ? n : room;
		if (chunk > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod))
			chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		memcpy((void *)(in->req + MASK_XENSTORE_IDX(prod)), p, chunk);
		__sync_synchronize();
		in->req_prod = prod + (XENSTORE_RING_IDX)chunk;
		p += chunk;
		n -= chunk;
	}
	kick(r, c->domid);
	return true;
}

/* Reads what is there into c->in; false on timeout or EOF. */
static bool
fill(struct run *r, struct conn *c, uint64_t end)
{
	(void)r;
	for (;;) {
		if (c->fd >= 0) {
			struct pollfd pf = { c->fd, POLLIN, 0 };
			int64_t left = (int64_t)(end - now_ms());
			ssize_t got;

			if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
				return false;
			got = read(c->fd, c->in + c->inlen,
			    sizeof(c->in) - c->inlen);
			if (got <= 0)
				return false;
			c->inlen += (size_t)got;
			return true;
		} else {
			volatile struct xenstore_domain_interface *in = c->intf;
			XENSTORE_RING_IDX prod = in->rsp_prod,
					  cons = in->rsp_cons;
			size_t have = prod - cons, chunk, off;

			__sync_synchronize();
			if (have == 0) {
				if (now_ms() > end)
					return false;
				sched_yield();
				continue;
			}
			chunk = sizeof(c->in) - c->inlen;
			if (chunk > have)
				chunk = have;
			off = MASK_XENSTORE_IDX(cons);
			if (chunk > XENSTORE_RING_SIZE - off)
				chunk = XENSTORE_RING_SIZE - off;
			memcpy(c->in + c->inlen, (const void *)(in->rsp + off),
			    chunk);
			__sync_synchronize();
			in->rsp_cons = cons + (XENSTORE_RING_IDX)chunk;
			c->inlen += chunk;
			kick(r, c->domid);
			return true;
		}
	}
}

/* Next whole message from c; false on timeout/EOF. */
static bool
recv_msg(struct run *r, struct conn *c, struct xsd_sockmsg *h, uint8_t *p)
{
	uint64_t end = now_ms() + TMO_MS;

	for (;;) {
		if (c->inlen >= sizeof(*h)) {
			memcpy(h, c->in, sizeof(*h));
			if (h->len > XENSTORE_PAYLOAD_MAX)
				return false;
			if (c->inlen >= sizeof(*h) + h->len) {
				size_t used = sizeof(*h) + h->len;

				memcpy(p, c->in + sizeof(*h), h->len);
				memmove(c->in, c->in + used, c->inlen - used);
				c->inlen -= used;
				return true;
			}
		}
		if (!fill(r, c, end))
			return false;
	}
}

static bool
send_msg(struct run *r, struct conn *c, uint32_t type, uint32_t req,
    uint32_t tx, const uint8_t *p, size_t n)
{
	uint8_t buf[MAXMSG + 64];
	struct xsd_sockmsg h = { type, req, tx, (uint32_t)n };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, n);
	if (c->fd >= 0)
		return write(c->fd, buf, sizeof(h) + n) ==
		    (ssize_t)(sizeof(h) + n);
	return ring_send(r, c, buf, sizeof(h) + n);
}

static void
daemon_check(struct run *r)
{
	int st, i;

	if (r->pid > 0 && waitpid(r->pid, &st, WNOHANG) == r->pid) {
		fprintf(r->out, "DAEMON-EXITED %s %d\n",
		    WIFSIGNALED(st) ? "signal" : "status",
		    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		r->pid = 0;
		for (i = 0; i < NCONN; i++)
			r->c[i].dead = true;
	}
}

/* Sends one request and logs everything up to its reply. */
static uint32_t
call(struct run *r, int ci, uint32_t type, uint32_t req, uint32_t tx,
    const uint8_t *p, size_t n, char *reply, size_t cap)
{
	struct conn *c = &r->c[ci];
	struct xsd_sockmsg h;
	static uint8_t in[XENSTORE_PAYLOAD_MAX + 1];

	if (c->dead) {
		fprintf(r->out, "  c%d DEAD\n", ci);
		return XS_INVALID;
	}
	if (!send_msg(r, c, type, req, tx, p, n)) {
		fprintf(r->out, "  c%d SEND-FAILED\n", ci);
		c->dead = true;
		return XS_INVALID;
	}
	for (;;) {
		if (!recv_msg(r, c, &h, in)) {
			fprintf(r->out, "  c%d NO-REPLY\n", ci);
			c->dead = true;
			daemon_check(r);
			return XS_INVALID;
		}
		if (h.type == XS_WATCH_EVENT) {
			fprintf(r->out, "  c%d EVENT ", ci);
			put_bytes(r->out, in, h.len);
			fputc('\n', r->out);
			continue;
		}
		fprintf(r->out, "  c%d %s req=%u tx=%s ", ci, type_name(h.type),
		    h.req_id, h.tx_id == tx ? "same" : "other");
		if (h.type == XS_DIRECTORY_PART && h.len > 0 &&
		    memchr(in, 0, h.len) != NULL) {
			/* The generation is each daemon's own counter
			 * (xenstored-shim(8)): only its presence counts. */
			size_t gl = strlen((char *)in) + 1;

			fprintf(r->out, "<gen> ");
			put_bytes(r->out, in + gl, h.len - gl);
		} else
			put_bytes(r->out, in, h.len);
		fputc('\n', r->out);
		if (h.req_id != req)
			fprintf(r->out, "  c%d REQ-ID-MISMATCH\n", ci);
		if (reply != NULL) {
			size_t l = h.len < cap - 1 ? h.len : cap - 1;

			memcpy(reply, in, l);
			reply[l] = '\0';
		}
		return h.type;
	}
}

static void
barrier(struct run *r, const struct model *m, uint32_t req)
{
	int i;

	for (i = 0; i < NCONN; i++)
		if (m->watching[i] && !r->c[i].dead)
			call(r, i, XS_GET_DOMAIN_PATH, req, 0,
			    (const uint8_t *)"0", 2, NULL, 0);
}

static void
make_ring(struct run *r, uint32_t domid)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/ring-%u", r->dir, domid);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) != 0)
		die("%s: %s", p, strerror(errno));
	close(fd);
}

static void
map_guest(struct run *r, int ci, uint32_t domid)
{
	char p[512];
	void *m;
	int fd;

	if (r->c[ci].intf != NULL)
		munmap((void *)r->c[ci].intf, 4096);
	snprintf(p, sizeof(p), "%s/ring-%u", r->dir, domid);
	fd = open(p, O_RDWR);
	if (fd < 0)
		die("%s: %s", p, strerror(errno));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		die("mmap %s", p);
	memset(&r->c[ci], 0, sizeof(r->c[ci]));
	r->c[ci].fd = -1;
	r->c[ci].domid = domid;
	r->c[ci].intf = m;
}

static void
introduce(struct run *r, uint32_t domid)
{
	char pl[64];
	int n = snprintf(pl, sizeof(pl), "%u%c1234%c7", domid, 0, 0);

	call(r, 0, XS_INTRODUCE, 1, 0, (const uint8_t *)pl, (size_t)n + 1,
	    NULL, 0);
}

static int
sock_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
start_daemon(struct run *r, const char *spec)
{
	char sock[300], p[300], *prog;
	const char *colon = strchr(spec, ':');
	bool is_c;
	int fd, i;
	uint64_t end;

	if (colon == NULL)
		die("bad daemon spec %s", spec);
	is_c = strncmp(spec, "c:", 2) == 0;
	prog = strdup(colon + 1);
	snprintf(r->dir, sizeof(r->dir), "%s/xsdiff.%s.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp", r->name);
	if (mkdtemp(r->dir) == NULL)
		die("mkdtemp: %s", strerror(errno));
	snprintf(p, sizeof(p), "%s/xsd_port", r->dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dprintf(fd, "%u\n", XENSTUB_DOM0_PORT) < 0)
		die("%s", p);
	close(fd);
	for (i = 0; i <= NGUEST; i++)
		make_ring(r, (uint32_t)i);
	snprintf(p, sizeof(p), "%s/evtchn", r->dir);
	if (mkfifo(p, 0600) != 0)
		die("mkfifo %s", p);
	snprintf(sock, sizeof(sock), "%s/socket", r->dir);
	r->pid = fork();
	if (r->pid == 0) {
		char logp[320];

		snprintf(logp, sizeof(logp), "%s/daemon.log", r->dir);
		fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("XENSTUB_DIR", r->dir, 1);
		setenv("LD_PRELOAD", stub_so, 1);
		setenv("XENSTORED_RUNDIR", r->dir, 1);
		setenv("XENSTORED_ROOTDIR", r->dir, 1);
		if (is_c)
			execl(prog, prog, "-N", (char *)NULL);
		else
			execl(prog, prog, "-N", "--socket", sock,
			    (char *)NULL);
		_exit(127);
	}
	free(prog);
	r->evfd = open(p, O_WRONLY);
	if (r->evfd < 0)
		die("open %s", p);
	end = now_ms() + 5000;
	while ((fd = sock_connect(sock)) < 0) {
		if (now_ms() > end)
			die("%s: daemon did not start (see %s/daemon.log)",
			    r->name, r->dir);
		usleep(10000);
	}
	r->c[0].fd = fd;
	for (i = 1; i < NSOCK; i++) {
		r->c[i].fd = sock_connect(sock);
		if (r->c[i].fd < 0)
			die("connect %s", sock);
	}
	for (i = 0; i < NGUEST; i++)
		map_guest(r, NSOCK + i, (uint32_t)(i + 1));
}

static void
stop_daemon(struct run *r, bool keep)
{
	char cmd[400];
	int i;

	for (i = 0; i < NCONN; i++)
		if (r->c[i].fd >= 0)
			close(r->c[i].fd);
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	close(r->evfd);
	if (!keep) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "xsdiff: could not remove %s\n", r->dir);
	}
}

/* A domain dies: xenstub reports it dying; the daemon hears VIRQ_DOM_EXC.
 * Waits until the daemon no longer lists it, so what follows is ordered. */
static void
kill_domain(struct run *r, int d)
{
	char p[512];
	char rep[16];
	uint32_t port = XENSTUB_VIRQ_PORT;
	uint64_t end = now_ms() + TMO_MS;
	int fd;

	snprintf(p, sizeof(p), "%s/dead-%d", r->dir, d);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	close(fd);
	(void)!write(r->evfd, &port, sizeof(port));
	snprintf(p, sizeof(p), "%d", d);
	/* The polls are not logged: how many it takes is timing. */
	for (;;) {
		FILE *save = r->out;

		r->out = fopen("/dev/null", "w");
		call(r, 0, XS_IS_DOMAIN_INTRODUCED, 9, 0, (uint8_t *)p,
		    strlen(p) + 1, rep, sizeof(rep));
		fclose(r->out);
		r->out = save;
		if (strcmp(rep, "F") == 0 || now_ms() > end)
			break;
		usleep(1000);
	}
	r->c[NSOCK + d - 1].dead = true;
}

static void
revive_domain(struct run *r, int d)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/dead-%d", r->dir, d);
	unlink(p);
	make_ring(r, (uint32_t)d);
	map_guest(r, NSOCK + d - 1, (uint32_t)d);
	introduce(r, (uint32_t)d);
}

static void
run_step(struct run *r, struct model *m, int no, const struct step *s)
{
	struct conn *c = &r->c[s->conn];
	uint32_t tx = 0, type;
	char rep[64];

	fprintf(r->out, "S%d c%d slot%d %s ", no, s->conn, s->slot,
	    type_name(s->type));
	put_bytes(r->out, s->p, s->len);
	fputc('\n', r->out);
	if (s->kill_dom)
		kill_domain(r, s->kill_dom);
	if (s->revive_dom)
		revive_domain(r, s->revive_dom);
	if (s->slot >= 0)
		tx = c->txid[s->slot];
	type = call(r, s->conn, s->type, (uint32_t)no + 100, tx, s->p, s->len,
	    rep, sizeof(rep));
	if (s->type == XS_TRANSACTION_START && s->slot <= -2)
		c->txid[-2 - s->slot] = type == XS_TRANSACTION_START ?
		    (uint32_t)strtoul(rep, NULL, 10) :
		    NOTX;
	if (s->release_dom)
		r->c[NSOCK + s->release_dom - 1].dead = true;
	barrier(r, m, (uint32_t)no + 100);
}

static void
setup(struct run *r)
{
	int i;

	for (i = 1; i <= NGUEST; i++)
		introduce(r, (uint32_t)i);
}

static void
run_all(struct run *r, const char *spec, uint64_t seed, int steps)
{
	struct model m;
	struct step *s = malloc(sizeof(*s));
	char path[512];
	int i;

	if (s == NULL)
		die("no memory");
	memset(&m, 0, sizeof(m));
	m.rng = seed;
	start_daemon(r, spec);
	snprintf(path, sizeof(path), "%s/transcript.txt", r->dir);
	/* A file, not memory: it survives a crash of either side. */
	r->out = fopen(path, "w+");
	if (r->out == NULL)
		die("%s: %s", path, strerror(errno));
	setvbuf(r->out, NULL, _IOLBF, 0);
	setup(r);
	for (i = 0; i < steps; i++) {
		gen_step(&m, i, s);
		run_step(r, &m, i, s);
	}
	fflush(r->out);
	r->textlen = (size_t)ftell(r->out);
	r->text = malloc(r->textlen + 1);
	rewind(r->out);
	if (r->text == NULL ||
	    fread(r->text, 1, r->textlen, r->out) != r->textlen)
		die("reading %s", path);
	r->text[r->textlen] = '\0';
	fclose(r->out);
	free(s);
}

static void
print_script(uint64_t seed, int steps)
{
	struct model m;
	struct step *s = malloc(sizeof(*s));
	int i;

	if (s == NULL)
		die("no memory");
	memset(&m, 0, sizeof(m));
	m.rng = seed;
	for (i = 0; i < steps; i++) {
		gen_step(&m, i, s);
		printf("S%d c%d slot%d %s%s%s ", i, s->conn, s->slot,
		    type_name(s->type), s->kill_dom ? " kill" : "",
		    s->revive_dom ? " reintroduce" : "");
		put_bytes(stdout, s->p, s->len);
		putchar('\n');
	}
	free(s);
}

/* Compares line by line; prints the first difference with context. */
static int
compare(struct run *a, struct run *b, uint64_t seed, int steps)
{
	char *pa = a->text, *pb = b->text, *la, *lb, *laststep = NULL;
	size_t n = 0;

	for (;;) {
		char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
		size_t lena = ea != NULL ? (size_t)(ea - pa) : strlen(pa);
		size_t lenb = eb != NULL ? (size_t)(eb - pb) : strlen(pb);

		la = pa;
		lb = pb;
		if (*pa == 'S')
			laststep = pa;
		if (lena != lenb || memcmp(pa, pb, lena) != 0) {
			printf("DIVERGENCE seed=%llu steps=%d at line %zu\n",
			    (unsigned long long)seed, steps, n + 1);
			if (laststep != NULL)
				printf("  request: %.*s\n",
				    (int)(strchr(laststep, '\n') - laststep),
				    laststep);
			printf("  %-6s %.*s\n", a->name, (int)lena, la);
			printf("  %-6s %.*s\n", b->name, (int)lenb, lb);
			return 1;
		}
		if (ea == NULL)
			break;
		pa = ea + 1;
		pb = eb + 1;
		n++;
	}
	printf("xsdiff: seed %llu, %d steps, %zu transcript lines: "
	       "identical\n",
	    (unsigned long long)seed, steps, n);
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t seed = 1;
	int steps = 500, ch, rc, print = 0;
	const char *outdir = NULL;
	struct run runs[2];
	int i;

	while ((ch = getopt(argc, argv, "s:n:vo:x:p")) != -1) {
		switch (ch) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			steps = atoi(optarg);
			break;
		case 'v':
			verbose++;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'x':
			stub_so = optarg;
			break;
		case 'p':
			print = 1;
			break;
		default:
			die("usage: xsdiff [-s seed] [-n steps] [-o dir] "
			    "-x xenstub.so NAME=c:PATH NAME=shim:PATH");
		}
	}
	if (print) {
		print_script(seed, steps);
		return 0;
	}
	if (argc - optind != 2 || stub_so == NULL)
		die("two daemons and -x stub needed");
	signal(SIGPIPE, SIG_IGN);
	memset(runs, 0, sizeof(runs));
	for (i = 0; i < 2; i++) {
		char *eq = strchr(argv[optind + i], '=');

		if (eq == NULL)
			die("bad daemon %s", argv[optind + i]);
		*eq = '\0';
		runs[i].name = argv[optind + i];
		run_all(&runs[i], eq + 1, seed, steps);
		if (outdir != NULL) {
			char p[512];
			FILE *f;

			snprintf(p, sizeof(p), "%s/%s.txt", outdir,
			    runs[i].name);
			f = fopen(p, "w");
			if (f != NULL) {
				fwrite(runs[i].text, 1, runs[i].textlen, f);
				fclose(f);
			}
		}
	}
	rc = compare(&runs[0], &runs[1], seed, steps);
	for (i = 0; i < 2; i++)
		stop_daemon(&runs[i], rc != 0 && verbose);
	return rc;
}
