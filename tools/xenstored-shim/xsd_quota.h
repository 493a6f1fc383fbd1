/* quotas and limits (quota.c) */
#ifndef XSD_QUOTA_H
#define XSD_QUOTA_H

#include "xsd_types.h"

struct xsd_quota {
	unsigned nodes;	       /* nodes owned per domain */
	unsigned node_size;    /* bytes of value + child names per node */
	unsigned watches;      /* per domain */
	unsigned transactions; /* per connection */
	unsigned perms;	       /* permissions entries per node */
	unsigned outstanding;  /* unanswered requests per connection */
	unsigned memory;       /* bytes of node data per domain */
	unsigned watch_events; /* queued, unsent watch events per connection */
	unsigned event_timeout; /* seconds an unread event may wait */
	unsigned tx_nodes;     /* nodes touched by one transaction */
	unsigned memory_soft;  /* memory a domain may own unwarned */
};
extern struct xsd_quota xsd_quota;
void quota_defaults(struct xsd_quota *q);
/* Parses "what=value"; returns 0 or an errno. */
int quota_set(struct xsd_quota *q, const char *spec);
int quota_parse_uint(const char *s, unsigned *out);

#endif
