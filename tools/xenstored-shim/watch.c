/*
 * Watches.  Committed changes are not announced at once: their events wait
 * in a pending list until the request that caused them has its reply
 * queued, so a client always sees the reply first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static struct evrec *pending_head, **pending_tail = &pending_head;

void
evrec_free(struct evrec *e)
{
	if (e != NULL) {
		free(e->perms);
		free(e);
	}
}

static void
watch_free(struct watch *w)
{
	free(w->token);
	free(w->orig);
	free(w->abs);
	free(w);
}

void
watch_free_all(struct conn *c)
{
	struct watch *w, *next;

	for (w = c->watches; w != NULL; w = next) {
		next = w->next;
		watch_free(w);
	}
	c->watches = NULL;
	c->nwatches = 0;
}

int
watch_add(struct conn *c, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 1];
	struct watch *w, **tail = &c->watches;
	int err;

	if (path_is_special(path)) {
		if (strlen(path) > XENSTORE_ABS_PATH_MAX ||
		    !path_chars_ok(path))
			return EINVAL;
		snprintf(abs, sizeof(abs), "%s", path);
	} else if ((err = path_canon(c->domid, path, abs, sizeof(abs))) != 0) {
		return err;
	}
	for (w = c->watches; w != NULL; w = w->next) {
		tail = &w->next;
		if (strcmp(w->abs, abs) == 0 && strcmp(w->token, token) == 0)
			return EEXIST;
	}
	if (!c->priv && c->nwatches >= xsd_quota.watches)
		return E2BIG;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ENOMEM;
	w->token = strdup(token);
	w->orig = strdup(path);
	w->abs = strdup(abs);
	w->relative = path[0] != '/' && !path_is_special(path);
	if (w->token == NULL || w->orig == NULL || w->abs == NULL) {
		watch_free(w);
		return ENOMEM;
	}
	*tail = w;
	c->nwatches++;
	return 0;
}

int
watch_del(struct conn *c, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 1];
	struct watch **pp, *w;
	int err;

	if (path_is_special(path))
		snprintf(abs, sizeof(abs), "%s", path);
	else if ((err = path_canon(c->domid, path, abs, sizeof(abs))) != 0)
		return err;
	for (pp = &c->watches; (w = *pp) != NULL; pp = &w->next) {
		if (strcmp(w->abs, abs) == 0 && strcmp(w->token, token) == 0) {
			*pp = w->next;
			watch_free(w);
			c->nwatches--;
			return 0;
		}
	}
	return ENOENT;
}

/* Reports path the way the watch was set: relative watches see relative. */
static void
watch_send(struct conn *c, const struct watch *w, const char *path)
{
	char prefix[40];
	size_t pl;

	if (w->relative) {
		pl = (size_t)snprintf(prefix, sizeof(prefix), "/local/domain/%u/",
		    c->domid);
		if (strncmp(path, prefix, pl) == 0 && path[pl] != '\0')
			path += pl;
	}
	conn_queue_event(c, path, w->token);
}

void
watch_fire_one(struct conn *c, struct watch *w)
{
	conn_queue_event(c, w->orig, w->token);
}

void
watch_fire(const struct evrec *e)
{
	struct conn *c;
	struct watch *w;
	bool special = path_is_special(e->path);

	for (c = xsd_conns; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		/* Special events concern the toolstack only. */
		if (special && !c->priv)
			continue;
		if (!special && !c->priv && e->nperms > 0 &&
		    !(perms_access(c->domid, false, c->target, e->perms,
			  e->nperms) & XSD_PERM_READ))
			continue;
		for (w = c->watches; w != NULL; w = w->next) {
			if (special) {
				if (strcmp(w->abs, e->path) == 0)
					conn_queue_event(c, w->orig, w->token);
				continue;
			}
			if (path_is_special(w->abs))
				continue;
			if (path_is_child(e->path, w->abs))
				watch_send(c, w, e->path);
			else if (e->recursive && path_is_child(w->abs, e->path))
				watch_send(c, w, w->abs);
		}
	}
}

void
watch_defer(struct evrec *list)
{
	while (list != NULL) {
		struct evrec *next = list->next;

		list->next = NULL;
		*pending_tail = list;
		pending_tail = &list->next;
		list = next;
	}
}

void
watch_defer_special(const char *name)
{
	size_t len = strlen(name);
	struct evrec *e = calloc(1, sizeof(*e) + len + 1);

	if (e == NULL) {
		xsd_log("out of memory: %s event lost", name);
		return;
	}
	memcpy(e->path, name, len + 1);
	watch_defer(e);
}

void
watch_flush_pending(void)
{
	struct evrec *e, *next;

	e = pending_head;
	pending_head = NULL;
	pending_tail = &pending_head;
	for (; e != NULL; e = next) {
		next = e->next;
		watch_fire(e);
		evrec_free(e);
	}
}
