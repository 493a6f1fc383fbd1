/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's feature negotiation (see blkfront_negotiate.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_negotiate.h>
#include <xen/io/protocols.h>

CTASSERT(BLKNEG_MAX_QUEUES <= 99);	/* "queue-NN/ring-refNN" fits a path */

static bool
pow2(uint64_t x)
{
	return (x != 0 && (x & (x - 1)) == 0);
}

static void
negotiate_discard(const struct blkneg_backend *b, struct blkneg *n)
{
	uint32_t gran = b->discard_granularity != 0 ? b->discard_granularity :
	    n->sector_size;

	/* Extents the backend cannot describe in whole sectors: no discard. */
	if (gran % n->sector_size != 0 ||
	    b->discard_alignment % n->sector_size != 0 ||
	    b->discard_alignment >= gran)
		return;
	n->features |= BLKRING_F_DISCARD;
	if (b->discard_secure)
		n->features |= BLKRING_F_SECDISCARD;
	n->discard_granularity = gran;
	n->discard_alignment = b->discard_alignment;
}

int
blkneg_negotiate(const struct blkneg_ours *o, const struct blkneg_backend *b,
    struct blkneg *n)
{
	u_int v;

	memset(n, 0, sizeof(*n));

	/* Geometry first: without it there is no disk. */
	if (!pow2(b->sector_size) || b->sector_size < 512 ||
	    b->sector_size > BLKRING_PAGE_SIZE)
		return (EINVAL);
	n->sector_size = b->sector_size;
	if (b->physical_sector_size == 0)
		n->physical_sector_size = b->sector_size;
	else if (!pow2(b->physical_sector_size) ||
	    b->physical_sector_size < b->sector_size)
		return (EINVAL);
	else
		n->physical_sector_size = b->physical_sector_size;
	/* Whole logical blocks, and a byte size that fits in 64 bits. */
	if (b->sectors > UINT64_MAX / 512)
		return (EINVAL);
	n->sectors = b->sectors - b->sectors % (b->sector_size / 512);
	if (n->sectors == 0)
		return (EINVAL);
	n->media_size = n->sectors * 512;
	n->readonly = (b->info & VDISK_READONLY) != 0;
	if (n->readonly)
		n->features |= BLKRING_F_READONLY;
	n->cdrom = (b->info & VDISK_CDROM) != 0;
	n->removable = (b->info & VDISK_REMOVABLE) != 0;

	v = MIN(o->ring_order, BLKRING_MAX_ORDER);
	n->ring_order = MIN(v, b->max_ring_page_order);
	n->ring_pages = 1u << n->ring_order;
	n->ring_entries = blkring_entries(n->ring_order);

	v = MAX(MIN(o->queues, BLKNEG_MAX_QUEUES), 1);
	n->queues = MAX(MIN(v, b->max_queues), 1);

	v = MIN(o->indirect_segs, BLKRING_MAX_INDIRECT_SEGS);
	v = MIN(v, b->max_indirect_segs);
	n->indirect_segs = v > BLKIF_MAX_SEGMENTS_PER_REQUEST ? v : 0;
	n->max_segs = n->indirect_segs != 0 ? n->indirect_segs :
	    BLKIF_MAX_SEGMENTS_PER_REQUEST;

	if (b->flush)
		n->features |= BLKRING_F_FLUSH;
	if (b->barrier)
		n->features |= BLKRING_F_BARRIER;
	if (b->discard)
		negotiate_discard(b, n);
	n->persistent_offer = o->persistent;
	n->persistent = o->persistent && b->persistent;
	return (0);
}

struct nodes {
	struct blkneg_node *out;
	u_int		max, count;
	bool		full;
};

/* The next node, path and value left to the caller; NULL when full. */
static struct blkneg_node *
next(struct nodes *ns)
{
	if (ns->count == ns->max) {
		ns->full = true;
		return (NULL);
	}
	return (&ns->out[ns->count++]);
}

/* A node under a fixed path. */
static void
add(struct nodes *ns, const char *path, const char *value)
{
	struct blkneg_node *nd = next(ns);

	if (nd == NULL)
		return;
	strlcpy(nd->path, path, sizeof(nd->path));
	strlcpy(nd->value, value, sizeof(nd->value));
}

static void
add_u(struct nodes *ns, const char *path, uint32_t value)
{
	char buf[BLKNEG_VALUE_MAX];

	snprintf(buf, sizeof(buf), "%u", value);
	add(ns, path, buf);
}

int
blkneg_nodes(const struct blkneg *n, const grant_ref_t *refs,
    const evtchn_port_t *ports, struct blkneg_node *out, u_int max,
    u_int *countp)
{
	struct nodes ns = { out, max, 0, false };
	char path[BLKNEG_PATH_MAX];
	bool mq = n->queues > 1;

	KASSERT(n->queues >= 1 && n->queues <= BLKNEG_MAX_QUEUES &&
	    n->ring_order <= BLKRING_MAX_ORDER &&
	    n->ring_pages == 1u << n->ring_order,
	    ("blkneg: %u queues, order %u, %u pages", n->queues, n->ring_order,
	    n->ring_pages));
	if (n->ring_order > 0)
		add_u(&ns, "ring-page-order", n->ring_order);
	if (mq)
		add_u(&ns, "multi-queue-num-queues", n->queues);
	for (u_int q = 0; q < n->queues; q++) {
		const grant_ref_t *qr = &refs[q * n->ring_pages];
		int len;

		/* A one-page ring is "ring-ref"; a multi-page one never is. */
		for (u_int p = 0; p < n->ring_pages; p++) {
			if (mq && n->ring_order == 0)
				len = snprintf(path, sizeof(path),
				    "queue-%u/ring-ref", q);
			else if (mq)
				len = snprintf(path, sizeof(path),
				    "queue-%u/ring-ref%u", q, p);
			else if (n->ring_order == 0)
				len = snprintf(path, sizeof(path), "ring-ref");
			else
				len = snprintf(path, sizeof(path), "ring-ref%u",
				    p);
			KASSERT(len > 0 && (size_t)len < sizeof(path),
			    ("blkneg: path %s truncated", path));
			add_u(&ns, path, qr[p]);
		}
		if (mq) {
			snprintf(path, sizeof(path), "queue-%u/event-channel", q);
			add_u(&ns, path, ports[q]);
		} else
			add_u(&ns, "event-channel", ports[q]);
	}
	/* Without it Linux's blkback takes us for 32-bit x86. */
	add(&ns, "protocol", XEN_IO_PROTO_ABI_NATIVE);
	add(&ns, "feature-persistent", n->persistent_offer ? "1" : "0");
	*countp = ns.count;
	return (ns.full ? ENOSPC : 0);
}
