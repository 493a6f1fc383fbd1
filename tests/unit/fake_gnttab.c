/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The fake grant-table hypervisor of fake_gnttab.h.  Guest "physical"
 * memory is the hosted direct map: RAM is the first 6 MiB of the fake
 * range, the last 2 MiB is a hole the fake xen_hole_alloc() hands out.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>
#include <machine/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/memory.h>
#include <xen/gnttab.h>
#include <xen/xen_guest.h>

#include "fake_gnttab.h"
#include "kunit.h"

#define RAM_BASE	(16UL * 1024 * 1024)
#define RAM_LEN		(6UL * 1024 * 1024)
#define HOLE_LEN	(2UL * 1024 * 1024)
#define MAX_FRAMES	256
#define MAX_REFS	(MAX_FRAMES * (PAGE_SIZE / sizeof(grant_entry_v1_t)))

struct xen_guest_info	xen_guest;

static u_int		max_frames, nr_frames, over_ram;
static u_long		frame_gpfn[MAX_FRAMES];
static vm_paddr_t	hole_next;
static uint16_t		peer_maps[MAX_REFS];
static u_int		calls[16], ops[16];
static u_int		armed;
static struct callout	*armed_co;

vm_paddr_t
pmap_kextract(vm_offset_t va)
{
	return (DMAP_TO_PHYS(va));
}

vm_paddr_t
xen_hole_alloc(u_long npages)
{
	vm_paddr_t pa = hole_next;

	if (pa + ptoa(npages) > RAM_BASE + RAM_LEN + HOLE_LEN)
		return (PHYS_NONE);
	hole_next += ptoa(npages);
	return (pa);
}

/* The callout KPI, as far as the grant code uses it: armed, run by hand. */
void
callout_init(struct callout *c, int mpsafe __unused)
{
	memset(c, 0, sizeof(*c));
}

int
callout_reset_sbt(struct callout *c, sbintime_t sbt __unused,
    void (*fn)(void *), void *arg)
{
	int was = (c->c_flags & CALLOUT_PENDING) != 0;

	c->c_func = fn;
	c->c_arg = arg;
	c->c_flags |= CALLOUT_PENDING;
	armed++;
	armed_co = c;
	return (was);
}

int
callout_stop(struct callout *c)
{
	int was = (c->c_flags & CALLOUT_PENDING) != 0;

	c->c_flags &= ~CALLOUT_PENDING;
	return (was);
}

u_int
fake_gnt_callouts_armed(void)
{
	return (armed);
}

bool
fake_gnt_run_callout(void)
{
	struct callout *c = armed_co;

	if (c == NULL || (c->c_flags & CALLOUT_PENDING) == 0)
		return (false);
	c->c_flags &= ~CALLOUT_PENDING;
	c->c_func(c->c_arg);
	return (true);
}

/* Xen's view of entry ref: through the frame it mapped, or NULL. */
static volatile grant_entry_v1_t *
xen_entry(grant_ref_t ref)
{
	u_int per = PAGE_SIZE / sizeof(grant_entry_v1_t);

	if (ref / per >= nr_frames)
		return (NULL);
	return ((volatile grant_entry_v1_t *)PHYS_TO_DMAP(
	    ptoa(frame_gpfn[ref / per])) + ref % per);
}

static bool
gpfn_is_ram(u_long gpfn)
{
	vm_paddr_t pa = ptoa(gpfn);

	for (int i = 0; i < phys_memmap.count; i++)
		if (phys_memmap.ent[i].type == MEMMAP_RAM &&
		    pa >= phys_memmap.ent[i].base &&
		    pa < phys_memmap.ent[i].base + phys_memmap.ent[i].len)
			return (true);
	return (false);
}

int
HYPERVISOR_memory_op(u_int cmd, void *arg)
{
	struct xen_add_to_physmap *x = arg;

	if (cmd != XENMEM_add_to_physmap || x->space != XENMAPSPACE_grant_table)
		return (-ENOSYS);
	/* Xen grows its table to idx + 1 frames, up to the domain's limit. */
	if (x->idx >= max_frames || x->idx > nr_frames)
		return (-EINVAL);
	if (gpfn_is_ram(x->gpfn))
		over_ram++;
	/* A new frame is blank, as Xen allocates it (no reserved entries here). */
	if (x->idx == nr_frames || frame_gpfn[x->idx] == 0)
		memset((void *)PHYS_TO_DMAP(ptoa(x->gpfn)), 0, PAGE_SIZE);
	if (x->idx == nr_frames)
		nr_frames++;
	frame_gpfn[x->idx] = x->gpfn;
	return (0);
}

/* A copy end: our frame (gmfn) or one of our grants, on DOMID_SELF. */
static char *
copy_end(const struct gnttab_copy_ptr *p, bool is_ref, bool dest,
    int16_t *st)
{
	volatile grant_entry_v1_t *e;

	if (p->domid != DOMID_SELF) {
		*st = GNTST_bad_domain;
		return (NULL);
	}
	if (!is_ref) {
		if (!gpfn_is_ram(p->u.gmfn)) {
			*st = GNTST_bad_page;
			return (NULL);
		}
		return ((char *)PHYS_TO_DMAP(ptoa(p->u.gmfn)));
	}
	if ((e = xen_entry(p->u.ref)) == NULL) {
		*st = GNTST_bad_gntref;
		return (NULL);
	}
	/*
	 * Copying through our own grant: it must be granted to us, and
	 * writable for a destination; Xen says "general error" for both.
	 */
	if ((e->flags & GTF_type_mask) != GTF_permit_access ||
	    e->domid != FAKE_GNT_SELF || (dest && (e->flags & GTF_readonly))) {
		*st = GNTST_general_error;
		return (NULL);
	}
	return ((char *)PHYS_TO_DMAP(ptoa(e->frame)));
}

int
HYPERVISOR_grant_table_op(u_int cmd, void *arg, u_int count)
{
	if (cmd < nitems(calls)) {
		calls[cmd]++;
		ops[cmd] += count;
	}
	switch (cmd) {
	case GNTTABOP_query_size: {
		struct gnttab_query_size *q = arg;

		if (count != 1 || q->dom != DOMID_SELF)
			return (-EINVAL);
		q->nr_frames = nr_frames;
		q->max_nr_frames = max_frames;
		q->status = GNTST_okay;
		return (0);
	}
	case GNTTABOP_copy: {
		struct gnttab_copy *c = arg;

		for (u_int i = 0; i < count; i++) {
			char *src, *dst;

			c[i].status = GNTST_okay;
			if (c[i].len == 0 ||
			    c[i].source.offset + c[i].len > PAGE_SIZE ||
			    c[i].dest.offset + c[i].len > PAGE_SIZE) {
				c[i].status = GNTST_bad_copy_arg;
				continue;
			}
			src = copy_end(&c[i].source,
			    (c[i].flags & GNTCOPY_source_gref) != 0, false,
			    &c[i].status);
			dst = copy_end(&c[i].dest,
			    (c[i].flags & GNTCOPY_dest_gref) != 0, true,
			    &c[i].status);
			if (src != NULL && dst != NULL)
				memcpy(dst + c[i].dest.offset,
				    src + c[i].source.offset, c[i].len);
		}
		return (0);
	}
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
		/*
		 * A backend's side: the batching is observed, and a map of
		 * FAKE_GNT_BAD_REF refused as Xen refuses a bad reference.
		 */
		for (u_int i = 0; i < count; i++) {
			if (cmd == GNTTABOP_map_grant_ref) {
				struct gnttab_map_grant_ref *m = arg;

				m[i].status = m[i].ref == FAKE_GNT_BAD_REF ?
				    GNTST_bad_gntref : GNTST_okay;
			} else
				((struct gnttab_unmap_grant_ref *)arg)[i].status =
				    GNTST_okay;
		}
		return (0);
	default:
		return (-ENOSYS);
	}
}

void *
fake_gnt_peer_map(grant_ref_t ref, bool writable)
{
	volatile grant_entry_v1_t *e = xen_entry(ref);
	uint16_t flags, want;

	if (e == NULL)
		return (NULL);
	flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	do {
		if ((flags & GTF_type_mask) != GTF_permit_access ||
		    e->domid != FAKE_GNT_PEER ||
		    (writable && (flags & GTF_readonly) != 0))
			return (NULL);
		want = flags | GTF_reading | (writable ? GTF_writing : 0);
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, want, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	peer_maps[ref]++;
	return ((void *)PHYS_TO_DMAP(ptoa(e->frame)));
}

void
fake_gnt_peer_unmap(grant_ref_t ref)
{
	volatile grant_entry_v1_t *e = xen_entry(ref);

	KU_ASSERT(e != NULL && peer_maps[ref] > 0, "peer unmaps ref %u it "
	    "does not map", ref);
	if (--peer_maps[ref] == 0)
		__atomic_fetch_and(&e->flags,
		    (uint16_t)~(GTF_reading | GTF_writing), __ATOMIC_SEQ_CST);
}

u_int
fake_gnt_frames(void)
{
	return (nr_frames);
}

u_long
fake_gnt_frame_gpfn(u_int idx)
{
	return (frame_gpfn[idx]);
}

u_int
fake_gnt_over_ram(void)
{
	return (over_ram);
}

u_int
fake_gnt_calls(u_int cmd)
{
	return (calls[cmd]);
}

u_int
fake_gnt_ops(u_int cmd)
{
	return (ops[cmd]);
}

void
fake_gnt_boot(u_int maxf, u_int initial)
{
	int error;

	KU_ASSERT(maxf <= MAX_FRAMES && initial <= maxf, "fake limits");
	kunit_ram(RAM_BASE, RAM_LEN + HOLE_LEN);
	/* The last 2 MiB stay backed but are no RAM: the hole. */
	phys_memmap.ent[0].len = RAM_LEN;
	kunit_sysinit(SI_SUB_KMEM);
	hole_next = RAM_BASE + RAM_LEN;
	xen_guest.present = true;
	max_frames = maxf;
	nr_frames = 0;
	/* Frames Xen set up at domain creation, at gpfns the guest will move. */
	for (u_int i = 0; i < initial; i++) {
		frame_gpfn[i] = 0;
		nr_frames++;
	}
	error = gnttab_init();
	KU_ASSERT(error == 0, "gnttab_init: %d", error);
}
