/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The event-channel core and both ABIs (sys/xen/evtchn_core.c,
 * evtchn_fifo.c, evtchn_2l.c), compiled unchanged over the fake hypervisor
 * of fake_xen.c: budgets and re-armed upcalls, round-robin fairness, the
 * FIFO close rule and READY mask, the 2-level unmask race, nesting.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xen_evtchn.h>
#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

#include "fake_xen.h"
#include "kunit.h"

/* libc side (hosted_thread.c). */
void	*hosted_thread_start(void *(*fn)(void *), void *arg);
void	hosted_thread_join(void *handle);

#define NPAIRS	40

struct counter {
	u_int		count;
	u_int		order;		/* position of the last delivery */
	evtchn_handle_t	rearm;		/* send on this after each delivery */
	u_int		rearm_left;
};

static u_int	deliveries;

static void
count_handler(void *arg)
{
	struct counter *c = arg;

	c->count++;
	c->order = ++deliveries;
	if (c->rearm != NULL && c->rearm_left > 0) {
		c->rearm_left--;
		evtchn_notify(c->rearm);
	}
}

/* Loopback pairs: notifying b[i] raises a[i], whose handler counts c[i]. */
static void
pairs(u_int n, evtchn_handle_t *a, evtchn_handle_t *b, struct counter *c)
{
	for (u_int i = 0; i < n; i++) {
		KU_ASSERT(evtchn_alloc_unbound(DOMID_SELF, count_handler, &c[i], 0,
		    &a[i]) == 0, "alloc_unbound %u", i);
		KU_ASSERT(evtchn_bind_interdomain(DOMID_SELF, evtchn_port(a[i]),
		    count_handler, NULL, 0, &b[i]) == 0, "bind_interdomain %u", i);
	}
}

/* More pending ports than one scan may take: a re-armed upcall takes the rest. */
static void
burst_past_budget(const char *abi)
{
	static evtchn_handle_t a[NPAIRS], b[NPAIRS];
	static struct counter c[NPAIRS];
	u_int total = 0, ran;

	fake_xen_boot(abi);
	pairs(NPAIRS, a, b, c);
	evtchn_scan_budget = 8;
	for (u_int i = 0; i < NPAIRS; i++)
		evtchn_notify(b[i]);
	ran = fake_xen_run_upcalls(100);
	for (u_int i = 0; i < NPAIRS; i++)
		total += c[i].count;
	KU_ASSERT(total == NPAIRS, "%s: %u of %u events delivered in %u upcalls",
	    abi, total, NPAIRS, ran);
	KU_ASSERT(ran >= NPAIRS / 8, "%s: %u upcalls for %u events, budget 8",
	    abi, ran, NPAIRS);
	KU_ASSERT(fake_xen_injections() == 0, "%s: upcalls left queued", abi);
}

KUNIT_TEST(evtchn_fifo_burst_past_budget)
{
	burst_past_budget("fifo");
}

KUNIT_TEST(evtchn_2l_burst_past_budget)
{
	burst_past_budget("2l");
}

/*
 * A port that its own handler raises again: each upcall delivers at most
 * the budget, and the other pending port gets its turn before the busy one
 * comes round again (2-level round-robin; FIFO appends it to the queue).
 */
static void
busy_port_is_fair(const char *abi)
{
	static evtchn_handle_t a[2], b[2];
	static struct counter c[2];
	u_int ran;

	fake_xen_boot(abi);
	pairs(2, a, b, c);
	c[0].rearm = b[0];
	c[0].rearm_left = 1000;
	evtchn_scan_budget = 4;
	evtchn_notify(b[0]);
	KU_ASSERT(fake_xen_run_upcalls(1) == 1, "%s: no upcall", abi);
	KU_ASSERT(c[0].count <= 4, "%s: one upcall delivered %u events, budget 4",
	    abi, c[0].count);
	evtchn_notify(b[1]);
	ran = fake_xen_run_upcalls(2);
	KU_ASSERT(c[1].count == 1, "%s: the quiet port waited %u upcalls (busy "
	    "port at %u)", abi, ran, c[0].count);
	KU_ASSERT(c[0].count <= 4 * 3, "%s: %u deliveries of the busy port",
	    abi, c[0].count);
	/* Stop the storm; everything drains. */
	c[0].rearm_left = 0;
	(void)fake_xen_run_upcalls(1000);
	KU_ASSERT(fake_xen_injections() == 0, "%s: upcalls left queued", abi);
}

KUNIT_TEST(evtchn_fifo_busy_port_is_fair)
{
	busy_port_is_fair("fifo");
}

KUNIT_TEST(evtchn_2l_busy_port_is_fair)
{
	busy_port_is_fair("2l");
}

/* The 2-level scan resumes after the last port it delivered. */
KUNIT_TEST(evtchn_2l_round_robin_order)
{
	static evtchn_handle_t a[6], b[6];
	static struct counter c[6];

	fake_xen_boot("2l");
	pairs(6, a, b, c);
	evtchn_scan_budget = 2;
	for (u_int i = 0; i < 6; i++)
		evtchn_notify(b[i]);
	(void)fake_xen_run_upcalls(1);
	/* The first two in port order went; then raise them again. */
	KU_ASSERT(c[0].count == 1 && c[1].count == 1 && c[2].count == 0,
	    "first scan: %u %u %u", c[0].count, c[1].count, c[2].count);
	evtchn_notify(b[0]);
	evtchn_notify(b[1]);
	(void)fake_xen_run_upcalls(1);
	KU_ASSERT(c[2].count == 1 && c[3].count == 1 && c[0].count == 1,
	    "second scan did not resume after the first: %u %u %u %u",
	    c[0].count, c[1].count, c[2].count, c[3].count);
	(void)fake_xen_run_upcalls(100);
	for (u_int i = 0; i < 6; i++)
		KU_ASSERT(c[i].count == (i < 2 ? 2U : 1U), "port %u: %u deliveries",
		    i, c[i].count);
}

/* READY bits past the 16 queues are never walked. */
KUNIT_TEST(evtchn_fifo_ready_masked_to_queues)
{
	static evtchn_handle_t a[1], b[1];
	static struct counter c[1];

	fake_xen_boot("fifo");
	pairs(1, a, b, c);
	/* A garbage READY bit 20 whose "head" names a pending port. */
	fake_xen_fifo_plant_head(20, evtchn_port(a[0]));
	fake_xen_control_block()->ready = 1U << 20;
	evtchn_upcall();
	KU_ASSERT(c[0].count == 0, "delivered from queue 20, which does not exist");
}

/* Unbinding a port Xen still has linked must not close it (it could be reused). */
KUNIT_TEST(evtchn_fifo_unbind_linked_not_closed)
{
	static evtchn_handle_t a[1], b[1];
	static struct counter c[1];
	evtchn_port_t port;
	u_int open;

	fake_xen_boot("fifo");
	pairs(1, a, b, c);
	port = evtchn_port(a[0]);
	evtchn_notify(b[0]);		/* linked; no upcall runs */
	open = fake_xen_open_ports();
	evtchn_unbind(&a[0]);
	KU_ASSERT(fake_xen_closed_linked() == 0, "port %u closed while linked",
	    port);
	KU_ASSERT(fake_xen_open_ports() == open, "a linked port was closed");
	KU_ASSERT(evtchn_unclosed_count() == 1, "unclosed ports: %lu",
	    evtchn_unclosed_count());
	/* The next scan pops it (masked: dropped); then it is closed. */
	(void)fake_xen_run_upcalls(10);
	KU_ASSERT(c[0].count == 0, "delivered after unbind");
	evtchn_unbind(&b[0]);
	KU_ASSERT(fake_xen_closed_linked() == 0, "closed while linked");
	KU_ASSERT(fake_xen_open_ports() == open - 2, "%u ports open, want %u",
	    fake_xen_open_ports(), open - 2);
	KU_ASSERT(evtchn_unclosed_count() == 0, "unclosed ports: %lu",
	    evtchn_unclosed_count());
}

/* An unlinked port closes at once. */
KUNIT_TEST(evtchn_fifo_unbind_unlinked_closes)
{
	static evtchn_handle_t a[1], b[1];
	static struct counter c[1];
	u_int open;

	fake_xen_boot("fifo");
	pairs(1, a, b, c);
	evtchn_notify(b[0]);
	(void)fake_xen_run_upcalls(10);
	KU_ASSERT(c[0].count == 1, "event not delivered");
	open = fake_xen_open_ports();
	evtchn_unbind(&a[0]);
	evtchn_unbind(&b[0]);
	KU_ASSERT(fake_xen_open_ports() == open - 2, "ports not closed");
	KU_ASSERT(evtchn_unclosed_count() == 0, "unclosed %lu",
	    evtchn_unclosed_count());
}

/* Masked events wait for the unmask, in both ABIs. */
static void
unmask_delivers(const char *abi)
{
	static evtchn_handle_t a[1], b[1];
	static struct counter c[1];

	fake_xen_boot(abi);
	pairs(1, a, b, c);
	evtchn_mask(a[0]);
	evtchn_notify(b[0]);
	(void)fake_xen_run_upcalls(10);
	KU_ASSERT(c[0].count == 0, "%s: delivered while masked", abi);
	evtchn_unmask(a[0]);
	(void)fake_xen_run_upcalls(10);
	KU_ASSERT(c[0].count == 1, "%s: event lost across mask/unmask", abi);
}

KUNIT_TEST(evtchn_fifo_unmask_delivers)
{
	unmask_delivers("fifo");
}

KUNIT_TEST(evtchn_2l_unmask_delivers)
{
	unmask_delivers("2l");
}

/*
 * The 2-level unmask race: in each round one event is raised, as Xen would,
 * while the port is being unmasked.  Once both are done, a pending event on
 * an unmasked port must have its selector bit set (be on its way to a
 * scan), never be stranded.
 */
#define RACE_ROUNDS	100000

static volatile u_int	race_round, race_done;
static evtchn_port_t	race_port;

static void *
race_raiser(void *arg __unused)
{
	for (u_int r = 1; r <= RACE_ROUNDS; r++) {
		while (__atomic_load_n(&race_round, __ATOMIC_ACQUIRE) != r)
			;
		fake_xen_raise(race_port);
		__atomic_store_n(&race_done, r, __ATOMIC_RELEASE);
	}
	return (NULL);
}

KUNIT_TEST(evtchn_2l_unmask_race)
{
	static evtchn_handle_t a[1], b[1];
	static struct counter c[1];
	struct shared_info *si;
	xen_ulong_t bit, wbit;
	u_int w, stranded = 0, r;
	void *td;

	fake_xen_boot("2l");
	pairs(1, a, b, c);
	race_port = evtchn_port(a[0]);
	si = HYPERVISOR_shared_info;
	w = race_port / (sizeof(xen_ulong_t) * 8);
	bit = (xen_ulong_t)1 << (race_port % (sizeof(xen_ulong_t) * 8));
	wbit = (xen_ulong_t)1 << w;
	td = hosted_thread_start(race_raiser, NULL);
	KU_ASSERT(td != NULL, "thread");
	for (r = 1; r <= RACE_ROUNDS; r++) {
		/* Masked, nothing pending, as after a scan took the event. */
		__atomic_fetch_or(&si->evtchn_mask[w], bit, __ATOMIC_SEQ_CST);
		__atomic_fetch_and(&si->evtchn_pending[w], ~bit, __ATOMIC_SEQ_CST);
		__atomic_store_n(&si->vcpu_info[0].evtchn_pending_sel, 0,
		    __ATOMIC_SEQ_CST);
		__atomic_store_n(&race_round, r, __ATOMIC_RELEASE);
		/* Sweep the unmask across the moment the raise lands. */
		for (volatile u_int i = 0; i < (r * 7) % 301; i++)
			;
		evtchn_abi_2l.unmask(race_port);
		while (__atomic_load_n(&race_done, __ATOMIC_ACQUIRE) != r)
			;
		if ((si->evtchn_pending[w] & bit) != 0 &&
		    (si->evtchn_mask[w] & bit) == 0 &&
		    (si->vcpu_info[0].evtchn_pending_sel & wbit) == 0)
			stranded++;
	}
	hosted_thread_join(td);
	KU_ASSERT(stranded == 0, "%u of %u raised events stranded by unmask",
	    stranded, RACE_ROUNDS);
}

/* An upcall entered while a scan runs on the CPU does not nest. */
static struct {
	evtchn_handle_t	a, b, c, d;
	bool		in_a;
	u_int		c_count, c_inside;
} nest;

static void
nest_a(void *arg __unused)
{
	nest.in_a = true;
	evtchn_notify(nest.d);
	evtchn_upcall();
	nest.in_a = false;
}

static void
nest_c(void *arg __unused)
{
	nest.c_count++;
	if (nest.in_a)
		nest.c_inside++;
}

static void
never_nests(const char *abi)
{
	fake_xen_boot(abi);
	memset(&nest, 0, sizeof(nest));
	KU_ASSERT(evtchn_alloc_unbound(DOMID_SELF, nest_a, NULL, 0, &nest.a) == 0,
	    "a");
	KU_ASSERT(evtchn_bind_interdomain(DOMID_SELF, evtchn_port(nest.a), nest_c,
	    NULL, 0, &nest.b) == 0, "b");
	KU_ASSERT(evtchn_alloc_unbound(DOMID_SELF, nest_c, NULL, 0, &nest.c) == 0,
	    "c");
	KU_ASSERT(evtchn_bind_interdomain(DOMID_SELF, evtchn_port(nest.c), nest_c,
	    NULL, 0, &nest.d) == 0, "d");
	evtchn_notify(nest.b);
	(void)fake_xen_run_upcalls(10);
	KU_ASSERT(nest.c_inside == 0, "%s: delivered inside another handler", abi);
	KU_ASSERT(nest.c_count == 1, "%s: %u deliveries of the nested event", abi,
	    nest.c_count);
	KU_ASSERT(evtchn_scan_stats[0].nested == 1, "%s: nested entries %lu", abi,
	    evtchn_scan_stats[0].nested);
}

KUNIT_TEST(evtchn_fifo_never_nests)
{
	never_nests("fifo");
}

KUNIT_TEST(evtchn_2l_never_nests)
{
	never_nests("2l");
}
