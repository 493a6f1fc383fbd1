/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-memory xenstore of fake_xs.h.  Nodes are a flat table of absolute
 * paths; a parent exists when it was written or has a descendant, as
 * xenstored creates parents on write.  Sizes are small and fixed: a test
 * that outgrows them fails loudly.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xenstore.h>

#include "fake_xs.h"
#include "kunit.h"

MALLOC_DEFINE(M_XENSTORE, "xenstore", "fake xenstore");

#define FXS_NODES	256
#define FXS_EVENTS	256
#define FXS_LOG		256
#define FXS_PATH	256

static struct fxs_node {
	char	path[FXS_PATH];
	char	value[FXS_PATH];
} nodes[FXS_NODES];
static int nnodes;

static struct fxs_event {
	struct xs_watch	*w;
	char		path[FXS_PATH];
} events[FXS_EVENTS];
static int nevents;

static struct xs_watch *watches[32];
static int nwatches;

static struct fxs_node wlog[FXS_LOG];
static int nwlog;

int fxs_directory_error;

void
fxs_reset(void)
{
	nnodes = nevents = nwatches = nwlog = 0;
	fxs_directory_error = 0;
}

static void
fxs_abs(const char *dir, const char *node, char *out)
{
	char rel[FXS_PATH];

	if (dir[0] != '\0' && node[0] != '\0')
		snprintf(rel, sizeof(rel), "%s/%s", dir, node);
	else
		snprintf(rel, sizeof(rel), "%s%s", dir, node);
	if (rel[0] == '/')
		strlcpy(out, rel, FXS_PATH);
	else if (rel[0] == '\0')
		strlcpy(out, FXS_HOME, FXS_PATH);
	else
		snprintf(out, FXS_PATH, "%s/%s", FXS_HOME, rel);
}

/* Is p equal to or below dir? */
static bool
fxs_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return (strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/'));
}

static void
fxs_fire(const char *path)
{
	for (int i = 0; i < nwatches; i++) {
		/* A change fires watches at or above it, and a removal below. */
		if (!fxs_under(path, watches[i]->node) &&
		    !fxs_under(watches[i]->node, path))
			continue;
		KU_ASSERT(nevents < FXS_EVENTS, "fake xenstore: event queue full");
		events[nevents].w = watches[i];
		strlcpy(events[nevents].path, path, FXS_PATH);
		nevents++;
	}
}

static struct fxs_node *
fxs_find(const char *abs)
{
	for (int i = 0; i < nnodes; i++)
		if (strcmp(nodes[i].path, abs) == 0)
			return (&nodes[i]);
	return (NULL);
}

static bool
fxs_exists(const char *abs)
{
	for (int i = 0; i < nnodes; i++)
		if (fxs_under(nodes[i].path, abs))
			return (true);
	return (false);
}

void
fxs_set(const char *path, const char *value)
{
	char abs[FXS_PATH];
	struct fxs_node *n;

	fxs_abs(path, "", abs);
	if ((n = fxs_find(abs)) == NULL) {
		KU_ASSERT(nnodes < FXS_NODES, "fake xenstore full");
		n = &nodes[nnodes++];
		strlcpy(n->path, abs, FXS_PATH);
	}
	strlcpy(n->value, value, FXS_PATH);
	fxs_fire(abs);
}

void
fxs_del(const char *path)
{
	char abs[FXS_PATH];
	int j = 0;

	fxs_abs(path, "", abs);
	for (int i = 0; i < nnodes; i++)
		if (!fxs_under(nodes[i].path, abs))
			nodes[j++] = nodes[i];
	nnodes = j;
	fxs_fire(abs);
}

const char *
fxs_get(const char *path)
{
	char abs[FXS_PATH];
	struct fxs_node *n;

	fxs_abs(path, "", abs);
	if ((n = fxs_find(abs)) != NULL)
		return (n->value);
	return (fxs_exists(abs) ? "" : NULL);
}

int
fxs_run(void)
{
	int done = 0;

	while (nevents > 0) {
		struct fxs_event ev = events[0];

		memmove(&events[0], &events[1], sizeof(events[0]) * (size_t)--nevents);
		ev.w->callback(ev.w, ev.path);
		KU_ASSERT(++done < 10000, "fake xenstore: watch events never end");
	}
	return (done);
}

int
fxs_watches(void)
{
	return (nwatches);
}

int
fxs_writes(const char *path)
{
	char abs[FXS_PATH];
	int n = 0;

	fxs_abs(path, "", abs);
	for (int i = 0; i < nwlog; i++)
		n += strcmp(wlog[i].path, abs) == 0;
	return (n);
}

const char *
fxs_write_value(const char *path, int k)
{
	char abs[FXS_PATH];

	fxs_abs(path, "", abs);
	for (int i = 0; i < nwlog; i++)
		if (strcmp(wlog[i].path, abs) == 0 && k-- == 0)
			return (wlog[i].value);
	return (NULL);
}

/* The API under test's code calls. */

int
xs_read(xs_tx_t tx __unused, const char *dir, const char *node, char **result,
    size_t *len)
{
	char abs[FXS_PATH];
	const char *v;

	fxs_abs(dir, node, abs);
	if ((v = fxs_get(abs)) == NULL)
		return (ENOENT);
	*result = malloc(strlen(v) + 1, M_XENSTORE, M_WAITOK);
	strlcpy(*result, v, strlen(v) + 1);
	if (len != NULL)
		*len = strlen(v);
	return (0);
}

int
xs_write(xs_tx_t tx __unused, const char *dir, const char *node, const char *str)
{
	char abs[FXS_PATH];

	fxs_abs(dir, node, abs);
	KU_ASSERT(nwlog < FXS_LOG, "fake xenstore: write log full");
	strlcpy(wlog[nwlog].path, abs, FXS_PATH);
	strlcpy(wlog[nwlog].value, str, FXS_PATH);
	nwlog++;
	fxs_set(abs, str);
	return (0);
}

int
xs_printf(xs_tx_t tx, const char *dir, const char *node, const char *fmt, ...)
{
	char buf[FXS_PATH];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return (xs_write(tx, dir, node, buf));
}

int
xs_rm(xs_tx_t tx __unused, const char *dir, const char *node)
{
	char abs[FXS_PATH];

	fxs_abs(dir, node, abs);
	if (!fxs_exists(abs))
		return (ENOENT);
	fxs_del(abs);
	return (0);
}

int
xs_read_uint(xs_tx_t tx, const char *dir, const char *node, uint64_t *v)
{
	char *s;
	int error;

	if ((error = xs_read(tx, dir, node, &s, NULL)) != 0)
		return (error);
	error = parse_uint64(s, v) == 0 ? 0 : EINVAL;
	free(s, M_XENSTORE);
	return (error);
}

int
xs_directory(xs_tx_t tx __unused, const char *dir, const char *node, u_int *num,
    const char ***result)
{
	char abs[FXS_PATH], names[FXS_NODES][FXS_PATH];
	const char **list;
	size_t alen = strlen(FXS_HOME) + 1, size = 0;
	char *p;
	int n = 0;

	if (fxs_directory_error != 0)
		return (fxs_directory_error);
	fxs_abs(dir, node, abs);
	if (!fxs_exists(abs))
		return (ENOENT);
	alen = strlen(abs);
	for (int i = 0; i < nnodes; i++) {
		const char *rest;
		char name[FXS_PATH];
		bool dup = false;

		if (!fxs_under(nodes[i].path, abs) || nodes[i].path[alen] == '\0')
			continue;
		rest = nodes[i].path + alen + 1;
		strlcpy(name, rest, sizeof(name));
		if (strchr(name, '/') != NULL)
			*strchr(name, '/') = '\0';
		for (int k = 0; k < n; k++)
			dup |= strcmp(names[k], name) == 0;
		if (!dup) {
			strlcpy(names[n++], name, FXS_PATH);
			size += strlen(name) + 1;
		}
	}
	list = malloc(sizeof(*list) * (size_t)(n + 1) + size, M_XENSTORE, M_WAITOK);
	p = (char *)(list + n + 1);
	for (int k = 0; k < n; k++) {
		list[k] = p;
		strlcpy(p, names[k], strlen(names[k]) + 1);
		p += strlen(names[k]) + 1;
	}
	list[n] = NULL;
	*num = (u_int)n;
	*result = list;
	return (0);
}

int
xs_get_domain_path(u_int domid, char **result)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "/local/domain/%u", domid);
	*result = malloc(strlen(buf) + 1, M_XENSTORE, M_WAITOK);
	strlcpy(*result, buf, strlen(buf) + 1);
	return (0);
}

int
xs_domid(u_int *domid)
{
	*domid = FXS_DOMID;
	return (0);
}

bool
xs_ready(void)
{
	return (true);
}

int
xs_register_watch(struct xs_watch *w)
{
	KU_ASSERT(nwatches < (int)nitems(watches), "fake xenstore: too many watches");
	watches[nwatches++] = w;
	/* xenstored fires a new watch once. */
	KU_ASSERT(nevents < FXS_EVENTS, "fake xenstore: event queue full");
	events[nevents].w = w;
	strlcpy(events[nevents].path, w->node, FXS_PATH);
	nevents++;
	return (0);
}

void
xs_unregister_watch(struct xs_watch *w)
{
	int j = 0;

	for (int i = 0; i < nwatches; i++)
		if (watches[i] != w)
			watches[j++] = watches[i];
	KU_ASSERT(j == nwatches - 1, "fake xenstore: unregistering an unknown watch");
	nwatches = j;
	j = 0;
	for (int i = 0; i < nevents; i++)
		if (events[i].w != w)
			events[j++] = events[i];
	nevents = j;
}

/* One try, no conflicts: the fake has a single writer at a time. */
int
xs_transaction_run(int (*fn)(xs_tx_t, void *), void *arg, int max_tries)
{
	KU_ASSERT(max_tries > 0, "fake xenstore: no tries");
	return (fn(XST_NIL, arg));
}
