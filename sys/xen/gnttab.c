/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Grant table v1: the shared frames, the reference allocator with per-user
 * pools, granting and ending access, and the deferral of references a peer
 * still maps.
 *
 * The frames sit in one guest-physical hole reserved at boot for the
 * domain's maximum, so the table is one array in the direct map and grows
 * by mapping the next frame (XENMEM_add_to_physmap) when the free list runs
 * dry.  Every reference has a state; free ones are linked through
 * gnt_meta[].next on the global list or on their pool's list, deferred ones
 * on the deferred list.  One spin mutex guards all of it: references are
 * ended from interrupt handlers.
 *
 * Ending access follows the v1 rule: clear the flags with a compare-and-swap
 * that only succeeds while Xen shows neither GTF_reading nor GTF_writing;
 * otherwise the peer still maps the page and the reference goes on the
 * deferred list, retried by a callout, never reused until that succeeds.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>
#include <machine/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/memory.h>
#include <xen/gnttab.h>
#include <xen/xen_guest.h>

MALLOC_DEFINE(M_GNTTAB, "gnttab", "Xen grant table");

#define GNT_PER_FRAME	(PAGE_SIZE / sizeof(grant_entry_v1_t))
/* More frames than Xen's default (64) would cost bookkeeping for nothing. */
#define GNT_FRAMES_CAP	128
#define GNT_NONE	UINT32_MAX
#define GNT_MAX_POOLS	256
/* Deferred references are retried this often; a warning every ~10 s. */
#define GNT_RETRY_SBT	(10 * SBT_1MS)
#define GNT_WARN_PASSES	1000

enum gnt_state {
	GS_UNMAPPED = 0,	/* in a frame not mapped yet, or reserved 0-7 */
	GS_FREE,		/* on the global list or its pool's list */
	GS_USED,		/* allocated */
	GS_DEFERRED,		/* ended while busy, waiting for the peer */
};

struct gnt_meta {
	uint32_t	next;
	uint16_t	pool;	/* owning pool, 0: the global list */
	uint8_t		state;
	uint8_t		pad;
};

struct gnttab_pool {
	uint16_t	gp_id;
	uint32_t	gp_head;
	u_int		gp_free;
	void		(*gp_release)(void *);
	void		*gp_release_arg;
};

static struct mtx		gnt_mtx;
static volatile grant_entry_v1_t *gnt_table;
static vm_paddr_t		gnt_table_pa;
static struct gnt_meta		*gnt_meta;
static struct gnttab_pool	*gnt_pools[GNT_MAX_POOLS];
static uint32_t			gnt_free_head = GNT_NONE;
static uint32_t			gnt_deferred_head = GNT_NONE;
static u_int			gnt_nr_frames, gnt_max_frames;
static u_int			gnt_nfree, gnt_nreserved, gnt_inuse;
static u_int			gnt_ndeferred;
static uint64_t			gnt_deferred_total, gnt_retries;
static struct callout		gnt_retry_co;
static bool			gnt_retry_armed;

static void	gnt_retry_callout(void *);

static inline struct gnttab_pool *
gnt_pool_of(uint32_t ref)
{
	return (gnt_meta[ref].pool == 0 ? NULL : gnt_pools[gnt_meta[ref].pool]);
}

/* Puts a free reference on the list of its owner. */
static void
gnt_push_free(uint32_t ref)
{
	struct gnttab_pool *p = gnt_pool_of(ref);

	mtx_assert(&gnt_mtx, MA_OWNED);
	gnt_meta[ref].state = GS_FREE;
	if (p != NULL) {
		gnt_meta[ref].next = p->gp_head;
		p->gp_head = ref;
		p->gp_free++;
		gnt_nreserved++;
	} else {
		gnt_meta[ref].next = gnt_free_head;
		gnt_free_head = ref;
		gnt_nfree++;
	}
}

/* Maps the next frame of the table; its references join the global list. */
static int
gnt_grow_locked(void)
{
	struct xen_add_to_physmap xatp;
	u_int first;
	int error;

	mtx_assert(&gnt_mtx, MA_OWNED);
	if (gnt_nr_frames >= gnt_max_frames)
		return (ENOSPC);
	xatp.domid = DOMID_SELF;
	xatp.space = XENMAPSPACE_grant_table;
	xatp.idx = gnt_nr_frames;
	xatp.gpfn = atop(gnt_table_pa) + gnt_nr_frames;
	error = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (error != 0)
		return (xen_to_errno(error));
	first = gnt_nr_frames * GNT_PER_FRAME;
	gnt_nr_frames++;
	/* Pushed backwards, so the lowest reference comes out first. */
	for (u_int r = first + GNT_PER_FRAME; r-- > first;) {
		if (r < GNTTAB_NR_RESERVED_ENTRIES)
			continue;	/* the toolstack's console and xenstore */
		gnt_meta[r].pool = 0;
		gnt_push_free(r);
	}
	return (0);
}

int
gnttab_init(void)
{
	struct gnttab_query_size qs;
	u_int nrefs;
	int error;

	if (gnt_table != NULL)
		return (0);
	memset(&qs, 0, sizeof(qs));
	qs.dom = DOMID_SELF;
	error = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1);
	if (error != 0)
		return (xen_to_errno(error));
	if (qs.status != GNTST_okay || qs.max_nr_frames == 0)
		return (ENXIO);
	gnt_max_frames = MIN(qs.max_nr_frames, GNT_FRAMES_CAP);
	/* The space for every frame at once, so the table never moves. */
	gnt_table_pa = xen_hole_alloc(gnt_max_frames);
	if (gnt_table_pa == PHYS_NONE)
		return (ENOSPC);
	nrefs = gnt_max_frames * GNT_PER_FRAME;
	gnt_meta = mallocarray(nrefs, sizeof(*gnt_meta), M_GNTTAB,
	    M_WAITOK | M_ZERO);
	mtx_init(&gnt_mtx, "gnttab", NULL, MTX_SPIN);
	callout_init(&gnt_retry_co, 1);
	gnt_table = (volatile grant_entry_v1_t *)PHYS_TO_DMAP(gnt_table_pa);
	mtx_lock_spin(&gnt_mtx);
	/* Keep at least the frames Xen already set up (the reserved entries). */
	do {
		error = gnt_grow_locked();
	} while (error == 0 && gnt_nr_frames < MAX(qs.nr_frames, 1));
	mtx_unlock_spin(&gnt_mtx);
	if (error != 0)
		printf("gnttab: mapping frame %u failed: %d\n", gnt_nr_frames,
		    error);
	return (gnt_nr_frames > 0 ? 0 : error);
}

static void
gnttab_sysinit(void *arg __unused)
{
	int error;

	if (!xen_domain())
		return;
	if ((error = gnttab_init()) != 0)
		panic("gnttab: cannot set up the grant table: %d", error);
	printf("gnttab: v1, %u of %u frames at %#lx\n", gnt_nr_frames,
	    gnt_max_frames, (u_long)gnt_table_pa);
}
/* After shared_info and the event channels (SI_ORDER_SECOND). */
SYSINIT(gnttab, SI_SUB_HYPERVISOR, SI_ORDER_THIRD, gnttab_sysinit, NULL);

void
gnttab_get_stats(struct gnttab_stats *st)
{
	mtx_lock_spin(&gnt_mtx);
	st->table_pa = gnt_table_pa;
	st->nr_frames = gnt_nr_frames;
	st->max_frames = gnt_max_frames;
	st->nr_refs = gnt_nr_frames * GNT_PER_FRAME;
	st->in_use = gnt_inuse;
	st->free = gnt_nfree;
	st->reserved = gnt_nreserved;
	st->deferred = gnt_ndeferred;
	st->deferred_total = gnt_deferred_total;
	st->retries = gnt_retries;
	mtx_unlock_spin(&gnt_mtx);
}

/* Pops a reference off the global list, growing the table if it is empty. */
static int
gnt_pop_global(uint32_t *refp)
{
	uint32_t ref;
	int error;

	mtx_assert(&gnt_mtx, MA_OWNED);
	if (gnt_free_head == GNT_NONE && (error = gnt_grow_locked()) != 0)
		return (error);
	ref = gnt_free_head;
	KASSERT(ref != GNT_NONE && gnt_meta[ref].state == GS_FREE,
	    ("gnttab: global list head %u not free", ref));
	gnt_free_head = gnt_meta[ref].next;
	gnt_nfree--;
	*refp = ref;
	return (0);
}

int
gnttab_reserve(u_int n, struct gnttab_pool **poolp)
{
	struct gnttab_pool *p;
	int error = 0;
	u_int id;

	p = malloc(sizeof(*p), M_GNTTAB, M_WAITOK | M_ZERO);
	p->gp_head = GNT_NONE;
	mtx_lock_spin(&gnt_mtx);
	for (id = 1; id < GNT_MAX_POOLS && gnt_pools[id] != NULL; id++)
		continue;
	if (id == GNT_MAX_POOLS) {
		mtx_unlock_spin(&gnt_mtx);
		free(p, M_GNTTAB);
		return (ENOSPC);
	}
	/* All or nothing: grow first, so a failure takes nothing away. */
	while (gnt_nfree < n && (error = gnt_grow_locked()) == 0)
		continue;
	if (gnt_nfree < n) {
		mtx_unlock_spin(&gnt_mtx);
		free(p, M_GNTTAB);
		return (error != 0 ? error : ENOSPC);
	}
	p->gp_id = (uint16_t)id;
	gnt_pools[id] = p;
	for (u_int i = 0; i < n; i++) {
		uint32_t ref;

		error = gnt_pop_global(&ref);
		KASSERT(error == 0, ("gnttab: counted free ref missing"));
		gnt_meta[ref].pool = p->gp_id;
		gnt_push_free(ref);
	}
	mtx_unlock_spin(&gnt_mtx);
	*poolp = p;
	return (0);
}

void
gnttab_unreserve(struct gnttab_pool *p)
{
	u_int nrefs;

	mtx_lock_spin(&gnt_mtx);
	KASSERT(gnt_pools[p->gp_id] == p, ("gnttab: unknown pool %p", p));
	/* Allocated and deferred references fall back to the global list. */
	nrefs = gnt_nr_frames * GNT_PER_FRAME;
	for (u_int r = 0; r < nrefs; r++)
		if (gnt_meta[r].pool == p->gp_id && gnt_meta[r].state != GS_FREE)
			gnt_meta[r].pool = 0;
	while (p->gp_head != GNT_NONE) {
		uint32_t ref = p->gp_head;

		p->gp_head = gnt_meta[ref].next;
		p->gp_free--;
		gnt_nreserved--;
		gnt_meta[ref].pool = 0;
		gnt_push_free(ref);
	}
	KASSERT(p->gp_free == 0, ("gnttab: pool count %u left", p->gp_free));
	gnt_pools[p->gp_id] = NULL;
	mtx_unlock_spin(&gnt_mtx);
	free(p, M_GNTTAB);
}

u_int
gnttab_pool_free(const struct gnttab_pool *p)
{
	return (atomic_load_acq_int(&p->gp_free));
}

void
gnttab_pool_set_release(struct gnttab_pool *p, void (*release)(void *),
    void *arg)
{
	mtx_lock_spin(&gnt_mtx);
	p->gp_release = release;
	p->gp_release_arg = arg;
	mtx_unlock_spin(&gnt_mtx);
}

int
gnttab_alloc(struct gnttab_pool *p, grant_ref_t *refp)
{
	uint32_t ref;
	int error;

	mtx_lock_spin(&gnt_mtx);
	if (p == NULL) {
		if ((error = gnt_pop_global(&ref)) != 0) {
			mtx_unlock_spin(&gnt_mtx);
			return (error);
		}
	} else {
		if ((ref = p->gp_head) == GNT_NONE) {
			mtx_unlock_spin(&gnt_mtx);
			return (ENOSPC);
		}
		p->gp_head = gnt_meta[ref].next;
		p->gp_free--;
		gnt_nreserved--;
	}
	KASSERT(gnt_meta[ref].state == GS_FREE,
	    ("gnttab: allocating ref %u in state %u", ref, gnt_meta[ref].state));
	KASSERT(gnt_table[ref].flags == 0,
	    ("gnttab: free ref %u has flags %#x", ref, gnt_table[ref].flags));
	gnt_meta[ref].state = GS_USED;
	gnt_inuse++;
	mtx_unlock_spin(&gnt_mtx);
	*refp = ref;
	return (0);
}

static void
gnt_check_used(grant_ref_t ref)
{
	if (ref >= gnt_nr_frames * GNT_PER_FRAME ||
	    gnt_meta[ref].state != GS_USED)
		panic("gnttab: ref %u is not allocated (state %u)", ref,
		    ref < gnt_nr_frames * GNT_PER_FRAME ? gnt_meta[ref].state :
		    GS_UNMAPPED);
}

void
gnttab_free(grant_ref_t ref)
{
	mtx_lock_spin(&gnt_mtx);
	gnt_check_used(ref);
	/* Freeing a live grant would hand the peer's page to the next user. */
	if (gnt_table[ref].flags != 0)
		panic("gnttab: freeing ref %u with access granted (flags %#x)",
		    ref, gnt_table[ref].flags);
	gnt_inuse--;
	gnt_push_free(ref);
	mtx_unlock_spin(&gnt_mtx);
}

void
gnttab_grant(grant_ref_t ref, domid_t domid, u_long gfn, bool readonly)
{
	volatile grant_entry_v1_t *e;

	KASSERT(gfn <= UINT32_MAX, ("gnttab: gfn %#lx beyond v1's 32 bits",
	    gfn));
	mtx_lock_spin(&gnt_mtx);
	gnt_check_used(ref);
	e = &gnt_table[ref];
	KASSERT(e->flags == 0, ("gnttab: ref %u granted twice", ref));
	e->domid = domid;
	e->frame = (uint32_t)gfn;
	/* Xen reads domid and frame once it sees the flags: order them. */
	wmb();
	e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
	mtx_unlock_spin(&gnt_mtx);
}

int
gnttab_grant_access(struct gnttab_pool *p, domid_t domid, u_long gfn,
    bool readonly, grant_ref_t *refp)
{
	int error;

	if ((error = gnttab_alloc(p, refp)) != 0)
		return (error);
	gnttab_grant(*refp, domid, gfn, readonly);
	return (0);
}

/*
 * Clears the entry's flags unless Xen shows the peer mapping it; the
 * compare-and-swap makes the check and the clear one step, so a mapping
 * that starts between them makes it fail instead of racing it.
 */
static bool
gnt_try_end(grant_ref_t ref)
{
	volatile uint16_t *fp = &gnt_table[ref].flags;
	uint16_t flags = __atomic_load_n(fp, __ATOMIC_ACQUIRE);

	do {
		if ((flags & (GTF_reading | GTF_writing)) != 0)
			return (false);
	} while (!__atomic_compare_exchange_n(fp, &flags, 0, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	return (true);
}

static void
gnt_arm_retry(void)
{
	bool arm;

	mtx_lock_spin(&gnt_mtx);
	arm = !gnt_retry_armed && gnt_ndeferred > 0;
	if (arm)
		gnt_retry_armed = true;
	mtx_unlock_spin(&gnt_mtx);
	if (arm)
		callout_reset_sbt(&gnt_retry_co, GNT_RETRY_SBT,
		    gnt_retry_callout, NULL);
}

int
gnttab_end_access(grant_ref_t ref)
{
	mtx_lock_spin(&gnt_mtx);
	gnt_check_used(ref);
	if (gnt_try_end(ref)) {
		gnt_inuse--;
		gnt_push_free(ref);
		mtx_unlock_spin(&gnt_mtx);
		return (0);
	}
	gnt_meta[ref].state = GS_DEFERRED;
	gnt_meta[ref].next = gnt_deferred_head;
	gnt_deferred_head = ref;
	gnt_ndeferred++;
	gnt_deferred_total++;
	mtx_unlock_spin(&gnt_mtx);
	gnt_arm_retry();
	return (EBUSY);
}

u_int
gnttab_retry_deferred(void)
{
	struct gnttab_pool *p;
	void (*hooks[16])(void *);
	void *args[16];
	uint32_t ref, keep = GNT_NONE;
	u_int nhooks = 0, left;
	bool more;

	do {
		mtx_lock_spin(&gnt_mtx);
		/* Release hooks run unlocked, a bounded batch per pass. */
		more = false;
		while ((ref = gnt_deferred_head) != GNT_NONE) {
			KASSERT(gnt_meta[ref].state == GS_DEFERRED,
			    ("gnttab: ref %u on the deferred list in state %u",
			    ref, gnt_meta[ref].state));
			gnt_deferred_head = gnt_meta[ref].next;
			if (!gnt_try_end(ref)) {
				gnt_meta[ref].next = keep;
				keep = ref;
				continue;
			}
			gnt_ndeferred--;
			gnt_inuse--;
			p = gnt_pool_of(ref);
			gnt_push_free(ref);
			if (p != NULL && p->gp_release != NULL) {
				hooks[nhooks] = p->gp_release;
				args[nhooks++] = p->gp_release_arg;
				if (nhooks == nitems(hooks)) {
					more = true;
					break;
				}
			}
		}
		if (!more) {
			/* Back on the list, next to any deferred meanwhile. */
			while ((ref = keep) != GNT_NONE) {
				keep = gnt_meta[ref].next;
				gnt_meta[ref].next = gnt_deferred_head;
				gnt_deferred_head = ref;
			}
			gnt_retries++;
		}
		left = gnt_ndeferred;
		mtx_unlock_spin(&gnt_mtx);
		for (u_int i = 0; i < nhooks; i++)
			hooks[i](args[i]);
		nhooks = 0;
	} while (more);
	return (left);
}

static void
gnt_retry_callout(void *arg __unused)
{
	u_int left;

	mtx_lock_spin(&gnt_mtx);
	gnt_retry_armed = false;
	mtx_unlock_spin(&gnt_mtx);
	left = gnttab_retry_deferred();
	if (left > 0 && gnt_retries % GNT_WARN_PASSES == 0)
		printf("gnttab: %u references still mapped by their peers\n",
		    left);
	gnt_arm_retry();
}

uint16_t
gnttab_entry_flags(grant_ref_t ref)
{
	KASSERT(ref < gnt_nr_frames * GNT_PER_FRAME,
	    ("gnttab: ref %u beyond the table", ref));
	return (__atomic_load_n(&gnt_table[ref].flags, __ATOMIC_ACQUIRE));
}
