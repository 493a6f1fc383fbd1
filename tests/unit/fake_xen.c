/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The fake hypervisor of fake_xen.h.  Compiled against the kernel headers
 * like the code under test.  Its rules follow Xen's public documentation of
 * the 2-level and FIFO ABIs (docs/misc: the FIFO design), not Xen's code.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/vmparam.h>
#include <machine/xen/hypercall.h>

#include <xen/xen_evtchn.h>
#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

#include "fake_xen.h"
#include "kunit.h"

#define NPORTS		4096
#define BITS		(sizeof(xen_ulong_t) * 8)

struct fake_port {
	bool		open;
	evtchn_port_t	peer;		/* loopback: the port a send raises */
	u_int		prio;
};

static struct shared_info	fake_shinfo;
struct shared_info		*HYPERVISOR_shared_info;
struct pcpu			*cpuid_to_pcpu[MAXCPU] = { &hosted_pcpu };

static struct fake_port	ports[NPORTS];
static bool		fifo_mode;
static struct evtchn_fifo_control_block *fifo_cb;
static event_word_t	*fifo_pages[EVTCHN_FIFO_NR_CHANNELS / 1024];
static u_int		fifo_npages;
static evtchn_port_t	fifo_tail[EVTCHN_FIFO_MAX_QUEUES];
static u_int		injections, closed_linked;
static sbintime_t	fake_now;

SET_DECLARE(tunable_set, struct tunable);

/* Fake time: every look at the clock moves it on by a millisecond. */
sbintime_t
sbinuptime(void)
{
	fake_now += SBT_1MS;
	return (fake_now);
}

struct vcpu_info *
xen_vcpu_info(u_int cpu)
{
	return (&HYPERVISOR_shared_info->vcpu_info[cpu]);
}

/* The guest's self-IPI on the upcall vector. */
void
xen_upcall_rearm(void)
{
	injections++;
}

static void
mark_events_pending(void)
{
	if (__atomic_exchange_n(&fake_shinfo.vcpu_info[0].evtchn_upcall_pending,
	    1, __ATOMIC_SEQ_CST) == 0)
		injections++;
}

static volatile event_word_t *
word(evtchn_port_t p)
{
	if (p / 1024 >= fifo_npages)
		return (NULL);
	return (&fifo_pages[p / 1024][p % 1024]);
}

#define FBIT(n)	((event_word_t)1 << (n))

static void
fifo_link(evtchn_port_t p)
{
	volatile event_word_t *w = word(p), *tw;
	u_int q = ports[p].prio;
	evtchn_port_t tail = fifo_tail[q];
	bool linked = false;

	__atomic_fetch_or(w, FBIT(EVTCHN_FIFO_LINKED), __ATOMIC_SEQ_CST);
	fifo_tail[q] = p;
	/*
	 * Append behind the old tail only while the guest has not taken it;
	 * a tail that is the port itself was consumed: the queue is empty.
	 */
	if (tail != 0 && tail != p && (tw = word(tail)) != NULL) {
		event_word_t old = *tw;

		while (old & FBIT(EVTCHN_FIFO_LINKED)) {
			if (__atomic_compare_exchange_n(tw, &old,
			    (old & ~EVTCHN_FIFO_LINK_MASK) | p, false,
			    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
				linked = true;
				break;
			}
		}
	}
	if (!linked) {
		__atomic_store_n(&fifo_cb->head[q], p, __ATOMIC_SEQ_CST);
		if ((__atomic_fetch_or(&fifo_cb->ready, 1U << q,
		    __ATOMIC_SEQ_CST) & (1U << q)) == 0)
			mark_events_pending();
	}
}

void
fake_xen_raise(evtchn_port_t p)
{
	if (p >= NPORTS || !ports[p].open)
		return;
	if (fifo_mode) {
		volatile event_word_t *w = word(p);
		event_word_t old;

		if (w == NULL)
			return;
		old = __atomic_fetch_or(w, FBIT(EVTCHN_FIFO_PENDING),
		    __ATOMIC_SEQ_CST);
		if ((old & (FBIT(EVTCHN_FIFO_MASKED) | FBIT(EVTCHN_FIFO_LINKED)))
		    == 0)
			fifo_link(p);
		return;
	}
	if (__atomic_fetch_or(&fake_shinfo.evtchn_pending[p / BITS],
	    (xen_ulong_t)1 << (p % BITS), __ATOMIC_SEQ_CST) &
	    ((xen_ulong_t)1 << (p % BITS)))
		return;
	if ((fake_shinfo.evtchn_mask[p / BITS] & ((xen_ulong_t)1 << (p % BITS)))
	    != 0)
		return;
	if ((__atomic_fetch_or(&fake_shinfo.vcpu_info[0].evtchn_pending_sel,
	    (xen_ulong_t)1 << (p / BITS), __ATOMIC_SEQ_CST) &
	    ((xen_ulong_t)1 << (p / BITS))) == 0)
		mark_events_pending();
}

static void
fake_unmask(evtchn_port_t p)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (p % BITS);

	if (fifo_mode) {
		volatile event_word_t *w = word(p);

		if (w == NULL)
			return;
		__atomic_fetch_and(w, ~FBIT(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
		if ((*w & FBIT(EVTCHN_FIFO_PENDING)) &&
		    !(*w & FBIT(EVTCHN_FIFO_LINKED)))
			fifo_link(p);
		return;
	}
	/* 2-level: only a mask Xen clears itself raises the selector. */
	if ((__atomic_fetch_and(&fake_shinfo.evtchn_mask[p / BITS], ~bit,
	    __ATOMIC_SEQ_CST) & bit) == 0)
		return;
	if ((fake_shinfo.evtchn_pending[p / BITS] & bit) == 0)
		return;
	if ((__atomic_fetch_or(&fake_shinfo.vcpu_info[0].evtchn_pending_sel,
	    (xen_ulong_t)1 << (p / BITS), __ATOMIC_SEQ_CST) &
	    ((xen_ulong_t)1 << (p / BITS))) == 0)
		mark_events_pending();
}

static evtchn_port_t
port_alloc(void)
{
	/* Port 0 is never valid. */
	for (evtchn_port_t p = 1; p < NPORTS; p++) {
		if (!ports[p].open && (!fifo_mode || word(p) == NULL ||
		    (*word(p) & FBIT(EVTCHN_FIFO_LINKED)) == 0)) {
			ports[p].open = true;
			ports[p].peer = 0;
			ports[p].prio = EVTCHN_FIFO_PRIORITY_DEFAULT;
			return (p);
		}
	}
	return (0);
}

int
HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound *au = arg;

		if ((au->port = port_alloc()) == 0)
			return (-ENOSPC);
		return (0);
	}
	case EVTCHNOP_bind_interdomain: {
		struct evtchn_bind_interdomain *bi = arg;
		evtchn_port_t p;

		if (bi->remote_port >= NPORTS || !ports[bi->remote_port].open)
			return (-EINVAL);
		if ((p = port_alloc()) == 0)
			return (-ENOSPC);
		ports[p].peer = bi->remote_port;
		ports[bi->remote_port].peer = p;
		bi->local_port = p;
		return (0);
	}
	case EVTCHNOP_bind_virq: {
		struct evtchn_bind_virq *bv = arg;

		if ((bv->port = port_alloc()) == 0)
			return (-ENOSPC);
		return (0);
	}
	case EVTCHNOP_bind_ipi: {
		struct evtchn_bind_ipi *bi = arg;

		if ((bi->port = port_alloc()) == 0)
			return (-ENOSPC);
		return (0);
	}
	case EVTCHNOP_send: {
		struct evtchn_send *s = arg;

		if (s->port >= NPORTS || !ports[s->port].open)
			return (-EINVAL);
		fake_xen_raise(ports[s->port].peer != 0 ? ports[s->port].peer :
		    s->port);
		return (0);
	}
	case EVTCHNOP_close: {
		struct evtchn_close *cl = arg;

		if (cl->port >= NPORTS || !ports[cl->port].open)
			return (-EINVAL);
		if (fifo_mode && word(cl->port) != NULL &&
		    (*word(cl->port) & FBIT(EVTCHN_FIFO_LINKED)))
			closed_linked++;
		ports[cl->port].open = false;
		if (ports[cl->port].peer != 0)
			ports[ports[cl->port].peer].peer = 0;
		return (0);
	}
	case EVTCHNOP_unmask:
		fake_unmask(((struct evtchn_unmask *)arg)->port);
		return (0);
	case EVTCHNOP_bind_vcpu:
		return (((struct evtchn_bind_vcpu *)arg)->vcpu == 0 ? 0 : -ENOENT);
	case EVTCHNOP_init_control: {
		struct evtchn_init_control *ic = arg;

		if (ic->vcpu != 0)
			return (-ENOENT);
		fifo_cb = (void *)PHYS_TO_DMAP(ptoa(ic->control_gfn) + ic->offset);
		fifo_mode = true;
		return (0);
	}
	case EVTCHNOP_expand_array: {
		struct evtchn_expand_array *ea = arg;

		if (fifo_npages == nitems(fifo_pages))
			return (-ENOSPC);
		fifo_pages[fifo_npages++] = (void *)PHYS_TO_DMAP(ptoa(ea->array_gfn));
		return (0);
	}
	default:
		return (-ENOSYS);
	}
}

static void
no_warn(void *arg __unused, const char *msg __unused)
{
}

void
fake_xen_boot(const char *abi)
{
	char cmd[32];
	int error;

	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
	memset(&fake_shinfo, 0, sizeof(fake_shinfo));
	/* Xen starts a domain with every port masked under 2-level. */
	memset(fake_shinfo.evtchn_mask, 0xff, sizeof(fake_shinfo.evtchn_mask));
	HYPERVISOR_shared_info = &fake_shinfo;
	snprintf(cmd, sizeof(cmd), "xen.evtchn=%s", abi);
	KU_ASSERT(cmdline_apply(cmd, SET_BEGIN(tunable_set),
	    (size_t)SET_COUNT(tunable_set), no_warn, NULL) == 0, "%s", cmd);
	error = evtchn_init();
	KU_ASSERT(error == 0, "evtchn_init: %d", error);
	KU_ASSERT(evtchn_cpu_init(0) == 0, "evtchn_cpu_init");
	KU_ASSERT(fifo_mode == (strcmp(abi, "fifo") == 0), "ABI %s not in use",
	    abi);
}

u_int
fake_xen_run_upcalls(u_int max)
{
	u_int n = 0;

	while (injections > 0 && n < max) {
		injections--;
		evtchn_upcall();
		n++;
	}
	return (n);
}

u_int
fake_xen_injections(void)
{
	return (injections);
}

u_int
fake_xen_closed_linked(void)
{
	return (closed_linked);
}

u_int
fake_xen_open_ports(void)
{
	u_int n = 0;

	for (u_int p = 0; p < NPORTS; p++)
		n += ports[p].open;
	return (n);
}

struct evtchn_fifo_control_block *
fake_xen_control_block(void)
{
	return (fifo_cb);
}

void
fake_xen_fifo_plant_head(u_int q, evtchn_port_t p)
{
	volatile event_word_t *w = word(p);

	KU_ASSERT(w != NULL, "port %u has no event word", p);
	__atomic_fetch_or(w, FBIT(EVTCHN_FIFO_PENDING) | FBIT(EVTCHN_FIFO_LINKED),
	    __ATOMIC_SEQ_CST);
	((volatile uint32_t *)fifo_cb->head)[q] = p;
	__atomic_fetch_or(&fifo_cb->ready, 1U << q, __ATOMIC_SEQ_CST);
}
