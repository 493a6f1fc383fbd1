/* Quota defaults (those of Xen's xenstored) and their overrides. */
#include <errno.h>
#include <string.h>

#include "xsd_proto.h"
#include "xsd_quota.h"
#include "xsd_tree.h"

struct xsd_quota xsd_quota;

void
quota_defaults(struct xsd_quota *q)
{
	q->nodes = 1000;
	q->node_size = 2048;
	q->watches = 128;
	q->transactions = 10;
	q->perms = 5;
	q->outstanding = 20;
	q->memory = 2 * 1024 * 1024;
	q->watch_events = 1024;
	q->event_timeout = 20;
	q->tx_nodes = 1024;
	q->memory_soft = 2 * 1024 * 1024;
}

int
quota_parse_uint(const char *s, unsigned *out)
{
	uint32_t v;

	if (proto_parse_u32(s, 0x7fffffffu, &v) != 0)
		return EINVAL;
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	size_t off;
} quota_names[] = {
	{ "nodes", offsetof(struct xsd_quota, nodes) },
	{ "node-size", offsetof(struct xsd_quota, node_size) },
	{ "watches", offsetof(struct xsd_quota, watches) },
	{ "transactions", offsetof(struct xsd_quota, transactions) },
	{ "permissions", offsetof(struct xsd_quota, perms) },
	{ "outstanding", offsetof(struct xsd_quota, outstanding) },
	{ "memory", offsetof(struct xsd_quota, memory) },
	{ "watch-events", offsetof(struct xsd_quota, watch_events) },
	{ "watch-event-timeout", offsetof(struct xsd_quota, event_timeout) },
	{ "transaction-nodes", offsetof(struct xsd_quota, tx_nodes) },
};

int
quota_set(struct xsd_quota *q, const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t i, nl;
	unsigned v;

	if (eq == NULL)
		return EINVAL;
	nl = (size_t)(eq - spec);
	if (quota_parse_uint(eq + 1, &v) != 0)
		return ERANGE;
	for (i = 0; i < sizeof(quota_names) / sizeof(quota_names[0]); i++) {
		if (strlen(quota_names[i].name) == nl &&
		    strncmp(quota_names[i].name, spec, nl) == 0) {
			*(unsigned *)((char *)q + quota_names[i].off) = v;
			return 0;
		}
	}
	return ENOENT;
}
