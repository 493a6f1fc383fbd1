/* domains (domain.c) */
#ifndef XSD_DOMAIN_H
#define XSD_DOMAIN_H

#include "xsd_types.h"

struct domain {
	struct domain *next;
	uint32_t domid;
	int32_t target;
	bool introduced;
	bool released_sent;
	struct conn *conn; /* ring connection, if any */
	void *ring;	   /* transport state */
};
extern struct domain *xsd_domains;
/* --keep-orphans: a released domain's nodes pass to dom0 instead. */
extern bool xsd_keep_orphans;
struct domain *domain_find(uint32_t domid);
int domain_introduce(uint32_t domid, unsigned long mfn, uint32_t port);
int domain_release(uint32_t domid);
int domain_set_target(uint32_t domid, uint32_t target);
int32_t domain_target(uint32_t domid);
void domain_conn_gone(struct conn *c);
void domain_fini(void);

/* Pluggable ring backend: NULL under --no-domains. */
struct ring_backend {
	int (*attach)(struct domain *d, unsigned long mfn, uint32_t port);
	void (*detach)(struct domain *d);
	int (*poll_fd)(void);
	void (*handle)(void); /* poll_fd readable */
	/* The loop turn's replies are out: tell the peers. */
	void (*end_turn)(void);
	/* The domain starts its ring afresh: all indexes back to 0. */
	void (*reset)(struct domain *d);
};
extern const struct ring_backend *xsd_ring_backend;
const struct ring_backend *ringdom_backend(void);

#endif
