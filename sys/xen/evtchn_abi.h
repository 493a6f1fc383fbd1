/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The event-channel ABI beneath sys/xen/evtchn.h.  Each ABI (2-level, FIFO)
 * provides one of these tables; the core picks one at boot.  Drivers never
 * include this file.
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
	/* Finds pending ports for this CPU and calls deliver on each. */
	void		(*scan)(u_int cpu, void (*deliver)(evtchn_port_t));
};

extern const struct evtchn_abi	evtchn_abi_2l;
extern const struct evtchn_abi	evtchn_abi_fifo;

/* Set-up from the Xen platform code: once, then on every CPU. */
int	evtchn_init(void);
int	evtchn_cpu_init(u_int cpu);

#endif /* !_XEN_EVTCHN_ABI_H_ */
