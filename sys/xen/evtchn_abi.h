/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The event-channel ABI beneath sys/xen/xen_evtchn.h.  Each ABI (2-level,
 * FIFO) provides one of these tables; the core (evtchn_core.c) picks one at
 * boot.  Drivers never include this file.
 *
 * A scan delivers at most evtchn_scan_budget events, so an event storm cannot
 * keep a CPU inside one upcall forever.  A scan that stops on its budget
 * leaves the rest pending and calls xen_upcall_rearm() so that this vCPU
 * takes another upcall once this one returns: setting evtchn_upcall_pending
 * by hand is not enough, because with the per-vCPU vector Xen injects only
 * when it flips that flag from 0 to 1 itself.
 */
#ifndef _XEN_EVTCHN_ABI_H_
#define _XEN_EVTCHN_ABI_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

struct evtchn_abi {
	const char	*name;
	/* Returns 0 if the ABI is usable on this hypervisor (and sets it up). */
	int		(*init)(void);
	u_int		(*max_ports)(void);
	/* Per-CPU set-up, run on each CPU before its first event. */
	int		(*cpu_init)(u_int cpu);
	/* Optional: makes the ABI able to carry this port (before first use). */
	int		(*port_setup)(evtchn_port_t);
	void		(*clear_pending)(evtchn_port_t);
	bool		(*is_pending)(evtchn_port_t);
	void		(*mask)(evtchn_port_t);
	void		(*unmask)(evtchn_port_t);
	bool		(*is_masked)(evtchn_port_t);
	/* Notes that events of this port are for this CPU. */
	void		(*bind_to_cpu)(evtchn_port_t, u_int cpu, u_int old_cpu);
	/*
	 * Optional: true while Xen may still hold the port on one of its
	 * queues (FIFO's LINKED bit); a port must not be closed (and so
	 * reused) until this is false.
	 */
	bool		(*is_linked)(evtchn_port_t);
	/* Finds pending ports for this CPU and calls deliver on each. */
	void		(*scan)(u_int cpu, void (*deliver)(evtchn_port_t));
};

/* Deliveries one scan may make before it hands the rest to a new upcall. */
#define EVTCHN_SCAN_BUDGET	1024
extern u_int	evtchn_scan_budget;

/* Counters of the scans (per CPU, updated by that CPU only). */
struct evtchn_scan_stats {
	uint64_t	upcalls;	/* evtchn_upcall() entries */
	uint64_t	nested;		/* entries while a scan was running */
	uint64_t	budget_out;	/* scans stopped by the budget */
};
extern struct evtchn_scan_stats	evtchn_scan_stats[];

/* Called by an ABI's scan that stopped on its budget (see above). */
void	evtchn_scan_rearm(u_int cpu);

extern const struct evtchn_abi	evtchn_abi_2l;
extern const struct evtchn_abi	evtchn_abi_fifo;

/* Set-up from the Xen platform code: once, then on every CPU. */
int	evtchn_init(void);
int	evtchn_cpu_init(u_int cpu);

#endif /* !_XEN_EVTCHN_ABI_H_ */
