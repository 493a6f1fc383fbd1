/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A fake hypervisor for hosted tests of the event-channel code: the
 * EVTCHNOP_* hypercalls, the shared_info page and the FIFO event array and
 * control block, with Xen's rules for raising, linking and unmasking ports
 * and for injecting the per-vCPU upcall vector (only when Xen itself sets
 * evtchn_upcall_pending from 0 to 1).  One vCPU.
 */
#ifndef _FAKE_XEN_H_
#define _FAKE_XEN_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

/* Resets the fake and boots the event-channel core with this ABI ("2l", "fifo"). */
void	fake_xen_boot(const char *abi);
/* Raises a port as Xen does when its remote end sends (or a VIRQ fires). */
void	fake_xen_raise(evtchn_port_t port);
/* Runs queued upcall injections (at most max); returns how many ran. */
u_int	fake_xen_run_upcalls(u_int max);
/* Upcall vectors Xen (or the guest's re-arm) has queued and not yet run. */
u_int	fake_xen_injections(void);
/* Ports closed while still linked on a FIFO queue (the close rule broken). */
u_int	fake_xen_closed_linked(void);
/* Ports currently open in the fake. */
u_int	fake_xen_open_ports(void);
/* The FIFO control block the guest registered (NULL for 2-level). */
struct evtchn_fifo_control_block *fake_xen_control_block(void);
/* Makes the fake treat port p as pending and linked at the head of queue q. */
void	fake_xen_fifo_plant_head(u_int q, evtchn_port_t p);

#endif /* !_FAKE_XEN_H_ */
