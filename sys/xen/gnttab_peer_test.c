/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Grants checked by a real peer: dom0's gntpeer tool (tests/lab/dom0) maps
 * them through Linux's gntdev, as blkback will.  Only the lab scenario
 * domu-gnttab runs the tool; it boots us with ktest.gnttab_peer=1.
 *
 * The exchange, under our data/gnttab-peer (each step polls with a deadline):
 *   we:   ro-ref (pattern 0x35, read-only), rw-ref (zeroed), state=granted
 *   dom0: checks ro, fills rw with pattern 0x5b, keeps ro mapped,
 *         state=held (or "fail: why")
 *   we:   check rw, end both: rw frees at once, ro must be deferred;
 *         state=ended
 *   dom0: unmaps ro, state=released
 *   we:   the retry callout frees ro.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/vmparam.h>

#include <xen/gnttab.h>
#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

#define PEER_DIR	"data/gnttab-peer"
#define SEED_RO		0x35
#define SEED_RW		0x5b
/* dom0 polls every 50 ms and runs a small tool per step under TCG. */
#define PEER_WAIT	(30 * SBT_1S)

static int	gnttab_peer_test;
TUNABLE_INT("ktest.gnttab_peer", &gnttab_peer_test,
    "run gnttab_dom0_peer (dom0 runs the gntpeer tool: scenario domu-gnttab)");

static void
pattern(char *p, u_int seed)
{
	for (u_int i = 0; i < PAGE_SIZE; i++)
		p[i] = (char)(i * 7 + seed);
}

/* Waits until our state node reads want (or dom0 reports a failure). */
static int
peer_wait(const char *want, char *why, size_t whylen)
{
	sbintime_t end = sbinuptime() + PEER_WAIT;
	char *v;

	for (;;) {
		if (xs_read(XST_NIL, PEER_DIR, "state", &v, NULL) == 0) {
			bool done = strcmp(v, want) == 0;
			bool failed = strncmp(v, "fail", 4) == 0;

			if (failed)
				strlcpy(why, v, whylen);
			free(v, M_XENSTORE);
			if (done)
				return (0);
			if (failed)
				return (EIO);
		}
		if (sbinuptime() > end) {
			snprintf(why, whylen, "no state=%s from dom0 in %d s", want,
			    (int)(PEER_WAIT / SBT_1S));
			return (ETIMEDOUT);
		}
		tsleep(&gnttab_peer_test, "gntpeer", 20 * SBT_1MS);
	}
}

KTEST(gnttab_dom0_peer)
{
	struct gnttab_stats before, st;
	grant_ref_t ro, rw;
	vm_paddr_t pa;
	char *pg, why[128] = "";
	int error, end_ro = -1, end_rw = -1;
	u_int bad = 0;
	sbintime_t until;

	KT_REQUIRE_XEN();
	if (!gnttab_peer_test)
		KT_SKIP("no dom0 peer here (scenario domu-gnttab sets "
		    "ktest.gnttab_peer=1)");
	KT_ASSERT(xs_ready(), "no xenstore");
	pa = phys_alloc_contig(2, 0, DMAP_BOOT_SIZE);
	KT_ASSERT(pa != PHYS_NONE, "no pages");
	pg = (char *)PHYS_TO_DMAP(pa);
	pattern(pg, SEED_RO);
	memset(pg + PAGE_SIZE, 0, PAGE_SIZE);
	error = gnttab_grant_access(NULL, 0, atop(pa), true, &ro);
	KT_ASSERT(error == 0, "grant ro: %d", error);
	error = gnttab_grant_access(NULL, 0, atop(pa) + 1, false, &rw);
	KT_ASSERT(error == 0, "grant rw: %d", error);
	error = xs_printf(XST_NIL, PEER_DIR, "ro-ref", "%u", ro);
	if (error == 0)
		error = xs_printf(XST_NIL, PEER_DIR, "rw-ref", "%u", rw);
	if (error == 0)
		error = xs_write(XST_NIL, PEER_DIR, "state", "granted");
	if (!KT_CHECK(error == 0, "publishing the refs: %d", error))
		goto end;
	error = peer_wait("held", why, sizeof(why));
	if (error != 0) {
		/* Our own view of the page dom0 read: still the pattern? */
		for (u_int i = 0; i < PAGE_SIZE; i++)
			if (pg[i] != (char)(i * 7 + SEED_RO))
				bad++;
		KT_CHECK(false, "%u of our bytes differ (pa %#lx); dom0: %s",
		    bad, (u_long)pa, why);
		goto end;
	}
	/* What dom0 wrote through the writable grant. */
	for (u_int i = 0; i < PAGE_SIZE; i++)
		if (pg[PAGE_SIZE + i] != (char)(i * 7 + SEED_RW))
			bad++;
	KT_CHECK(bad == 0, "%u bytes of dom0's pattern missing", bad);
end:
	gnttab_get_stats(&before);
	end_rw = gnttab_end_access(rw);
	end_ro = gnttab_end_access(ro);
	gnttab_get_stats(&st);
	if (KT_FAILED()) {
		(void)xs_write(XST_NIL, PEER_DIR, "state", "ended");
		/* Pages the peer may still map stay allocated. */
		if (end_ro == 0 && end_rw == 0)
			phys_free_contig(pa, 2);
		return;
	}
	KT_CHECK(end_rw == 0, "rw grant busy after dom0 unmapped it: %d",
	    end_rw);
	KT_CHECK(end_ro == EBUSY && st.deferred == before.deferred + 1,
	    "ro grant held by dom0 ended with %d, deferred %u -> %u", end_ro,
	    before.deferred, st.deferred);
	error = xs_write(XST_NIL, PEER_DIR, "state", "ended");
	KT_CHECK(error == 0, "state=ended: %d", error);
	error = peer_wait("released", why, sizeof(why));
	KT_CHECK(error == 0, "dom0: %s", why);
	/* The retry callout notices dom0 let go. */
	until = sbinuptime() + 5 * SBT_1S;
	do {
		gnttab_get_stats(&st);
		if (st.deferred == before.deferred)
			break;
		tsleep(&gnttab_peer_test, "gntfree", 10 * SBT_1MS);
	} while (sbinuptime() < until);
	KT_CHECK(st.deferred == before.deferred, "ro still deferred after "
	    "dom0 unmapped it (%u)", st.deferred);
	if (st.deferred == before.deferred && end_rw == 0)
		phys_free_contig(pa, 2);
	KT_NOTE_OK("dom0 read ref %u, wrote ref %u; ref %u deferred while "
	    "dom0 held it, freed after", ro, rw, ro);
}
