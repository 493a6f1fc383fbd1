/* watches (watch.c) */
#ifndef XSD_WATCH_H
#define XSD_WATCH_H

#include "xsd_types.h"

struct watch {
	struct watch *next;  /* the connection's watches, in the order set */
	struct watch *hnext; /* the index chain of its path (watch.c) */
	struct conn *conn;
	uint64_t seq;  /* order set, across connections */
	uint32_t hash; /* ntab_hash of abs */
	char *token;
	char *orig; /* path as the client gave it */
	char *abs;  /* absolute or special */
	bool relative;
};
int watch_add(struct conn *c, const char *path, const char *token);
int watch_del(struct conn *c, const char *path, const char *token);
void watch_free_all(struct conn *c);
/* Sends events for one change to every matching watch. */
void watch_fire(const struct evrec *e);
void watch_fire_one(struct conn *c, struct watch *w);
/* Events of a committed change wait here until the reply is queued
 * (they are sent just before it). */
void watch_defer(struct evrec *list);
void watch_defer_special(const char *name);
void watch_flush_pending(void);
/* A zeroed record for path with room for np + npp permissions. */
struct evrec *evrec_new(const char *path, uint32_t np, uint32_t npp);
void evrec_free(struct evrec *e);

#endif
