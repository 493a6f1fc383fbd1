/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The 2-level event-channel ABI: pending and mask bitmaps in shared_info,
 * a per-vCPU selector word saying which bitmap words to look at.  Xen
 * delivers a port to whichever vCPU it is bound to; the per-CPU masks kept
 * here make each CPU handle only its own ports.
 *
 * Each CPU scans round-robin from the port after the last one it delivered,
 * so a port that fires again at once waits for every other pending port of
 * that CPU before its next turn.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/xen/hypercall.h>

#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

#define BITS_PER_WORD	(sizeof(xen_ulong_t) * 8)
#define NR_PORTS_2L	(BITS_PER_WORD * BITS_PER_WORD)
#define WORD(p)		((p) / BITS_PER_WORD)
#define BIT(p)		((xen_ulong_t)1 << ((p) % BITS_PER_WORD))

/* Ports each CPU handles; a port is set in exactly one CPU's mask. */
static xen_ulong_t	cpu_ports[MAXCPU][BITS_PER_WORD];
/* Where each CPU's next scan starts (only that CPU touches its entry). */
static u_int		scan_next[MAXCPU];

static int
l2_init(void)
{
	return (HYPERVISOR_shared_info != NULL ? 0 : ENXIO);
}

static u_int
l2_max_ports(void)
{
	return (NR_PORTS_2L);
}

static int
l2_cpu_init(u_int cpu __unused)
{
	return (0);
}

static volatile xen_ulong_t *
l2_pending(void)
{
	return (HYPERVISOR_shared_info->evtchn_pending);
}

static volatile xen_ulong_t *
l2_masks(void)
{
	return (HYPERVISOR_shared_info->evtchn_mask);
}

static void
l2_clear_pending(evtchn_port_t p)
{
	__atomic_fetch_and(&l2_pending()[WORD(p)], ~BIT(p), __ATOMIC_SEQ_CST);
}

static bool
l2_is_pending(evtchn_port_t p)
{
	return ((l2_pending()[WORD(p)] & BIT(p)) != 0);
}

static void
l2_mask(evtchn_port_t p)
{
	__atomic_fetch_or(&l2_masks()[WORD(p)], BIT(p), __ATOMIC_SEQ_CST);
}

static bool
l2_is_masked(evtchn_port_t p)
{
	return ((l2_masks()[WORD(p)] & BIT(p)) != 0);
}

static void
l2_unmask(evtchn_port_t p)
{
	struct evtchn_unmask um = { .port = p };

	if (!l2_is_pending(p)) {
		__atomic_fetch_and(&l2_masks()[WORD(p)], ~BIT(p), __ATOMIC_SEQ_CST);
		/*
		 * Look again after the clear: an event arriving just before
		 * it saw the mask and set only its pending bit.
		 */
		if (!l2_is_pending(p))
			return;
		l2_mask(p);
	}
	/*
	 * Only Xen can raise the selector and the upcall on the port's vCPU,
	 * and it does so only when it finds the mask set and clears it itself.
	 */
	(void)HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um);
}

static void
l2_bind_to_cpu(evtchn_port_t p, u_int cpu, u_int old)
{
	__atomic_fetch_and(&cpu_ports[old][WORD(p)], ~BIT(p), __ATOMIC_SEQ_CST);
	__atomic_fetch_or(&cpu_ports[cpu][WORD(p)], BIT(p), __ATOMIC_SEQ_CST);
}

/* The first word at or after w that sel names, wrapping; sel != 0. */
static u_int
l2_next_word(xen_ulong_t sel, u_int w)
{
	xen_ulong_t later = w < BITS_PER_WORD ? sel & (~(xen_ulong_t)0 << w) : 0;

	return ((u_int)__builtin_ctzl(later != 0 ? later : sel));
}

static void
l2_scan(u_int cpu, void (*deliver)(evtchn_port_t))
{
	struct vcpu_info *vi = xen_vcpu_info(cpu);
	volatile xen_ulong_t *pend = l2_pending(), *mask = l2_masks();
	u_int budget = evtchn_scan_budget, next = scan_next[cpu];
	xen_ulong_t sel = 0;

	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	for (;;) {
		u_int w, b;
		xen_ulong_t ready, from;

		if (sel == 0) {
			/* Xen sets a selector bit again for each new event. */
			sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
			    __ATOMIC_SEQ_CST);
			if (sel == 0)
				break;
		}
		if (budget == 0) {
			/* Hand what is left to a new upcall. */
			__atomic_fetch_or(&vi->evtchn_pending_sel, sel,
			    __ATOMIC_SEQ_CST);
			__atomic_store_n(&vi->evtchn_upcall_pending, 1,
			    __ATOMIC_SEQ_CST);
			evtchn_scan_rearm(cpu);
			break;
		}
		w = l2_next_word(sel, WORD(next));
		b = w == WORD(next) ? next % BITS_PER_WORD : 0;
		ready = pend[w] & ~mask[w] & cpu_ports[cpu][w];
		from = ready & (~(xen_ulong_t)0 << b);
		if (from == 0) {
			/* Ports below b wait for the scan to wrap round to them. */
			if (ready == 0)
				sel &= ~((xen_ulong_t)1 << w);
			next = ((w + 1) % BITS_PER_WORD) * BITS_PER_WORD;
			continue;
		}
		b = (u_int)__builtin_ctzl(from);
		/* Clear first: an event raised during the handler is kept. */
		l2_clear_pending(w * BITS_PER_WORD + b);
		deliver(w * BITS_PER_WORD + b);
		budget--;
		next = (w * BITS_PER_WORD + b + 1) % NR_PORTS_2L;
	}
	scan_next[cpu] = next;
}

const struct evtchn_abi evtchn_abi_2l = {
	.name = "2-level",
	.init = l2_init,
	.max_ports = l2_max_ports,
	.cpu_init = l2_cpu_init,
	.clear_pending = l2_clear_pending,
	.is_pending = l2_is_pending,
	.mask = l2_mask,
	.unmask = l2_unmask,
	.is_masked = l2_is_masked,
	.bind_to_cpu = l2_bind_to_cpu,
	.scan = l2_scan,
};
