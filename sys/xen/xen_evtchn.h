/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event channels for drivers.  A binding ties a port to a handler that runs
 * in interrupt context on the CPU the port is bound to.  Drivers see only
 * this interface; the ABI underneath (FIFO by default, or 2-level) is
 * chosen at boot by the core.
 *
 * Locking rule: the port table is protected by one spin mutex; handlers run
 * without it, on their port's CPU, with interrupts disabled, and may call
 * evtchn_notify/mask/unmask/eoi but not bind or unbind.  evtchn_unbind()
 * (thread context only) returns only once no handler of that binding is
 * still running and Xen no longer holds the port on a FIFO queue.
 */
#ifndef _XEN_XEN_EVTCHN_H_
#define _XEN_XEN_EVTCHN_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

typedef void	evtchn_handler_t(void *arg);
struct evtchn_binding;
typedef struct evtchn_binding *evtchn_handle_t;

/* Flags for the bind calls. */
#define EVTCHN_BIND_MASKED	0x0001	/* stays masked until evtchn_unmask */
/*
 * Late EOI: the port is masked as its handler is called and stays masked
 * until the driver calls evtchn_eoi() (possibly later, from a thread), so a
 * peer cannot raise it faster than the driver handles it (XSA-332).
 */
#define EVTCHN_BIND_LATE_EOI	0x0002

int	evtchn_bind_virq(u_int virq, u_int cpu, evtchn_handler_t *handler, void *arg,
	    int flags, evtchn_handle_t *hp);
int	evtchn_bind_ipi(u_int cpu, evtchn_handler_t *handler, void *arg, int flags,
	    evtchn_handle_t *hp);
/* Allocates a fresh unbound port a remote domain may bind to. */
int	evtchn_alloc_unbound(domid_t remote, evtchn_handler_t *handler, void *arg,
	    int flags, evtchn_handle_t *hp);
/* Binds to a port a remote domain allocated for us. */
int	evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
	    evtchn_handler_t *handler, void *arg, int flags, evtchn_handle_t *hp);
/* Adopts a port that already exists (e.g. from an HVM parameter); never closed. */
int	evtchn_bind_existing(evtchn_port_t port, evtchn_handler_t *handler, void *arg,
	    int flags, evtchn_handle_t *hp);
/* Closes (unless adopted) and forgets the binding; *h becomes NULL. */
void	evtchn_unbind(evtchn_handle_t *h);

void	evtchn_notify(evtchn_handle_t h);
void	evtchn_mask(evtchn_handle_t h);
void	evtchn_unmask(evtchn_handle_t h);
/* Ends the handling of a late-EOI port: events may arrive again. */
void	evtchn_eoi(evtchn_handle_t h);
/*
 * Moves delivery to another CPU (not for per-CPU VIRQs and IPIs; EOPNOTSUPP
 * for any CPU but 0 when evtchn_cpu0_only).
 */
int	evtchn_bind_cpu(evtchn_handle_t h, u_int cpu);
/*
 * Set by the machine code before any port is bound when Xen signals vCPU 0
 * only (an HVM guest's PCI INTx callback): binding a VIRQ or an IPI to
 * another CPU, or moving a port there, then fails with EOPNOTSUPP instead
 * of leaving its events unseen.
 */
extern bool	evtchn_cpu0_only;
evtchn_port_t evtchn_port(evtchn_handle_t h);
u_int	evtchn_cpu(evtchn_handle_t h);
uint64_t evtchn_count(evtchn_handle_t h);	/* deliveries so far */
/* The port's pending and mask bits as shared memory shows them (reports). */
void	evtchn_peek(evtchn_handle_t h, bool *pending, bool *masked);

/* Name of the ABI in use ("2-level", "FIFO"). */
const char *evtchn_abi_name(void);
/* Called by the machine upcall handler on the CPU that took the upcall. */
void	evtchn_upcall(void);
/* Ports the ABI can address (the toolstack may allow the domain fewer). */
u_int	evtchn_max_ports(void);
/* Events that arrived on a port nobody had bound (it is masked then). */
uint64_t evtchn_stray_count(void);
/* Unbound ports not closed yet because Xen still held them queued. */
uint64_t evtchn_unclosed_count(void);
/* Ports bound now, of every kind (leak checks count them before and after). */
u_int	evtchn_bound_count(void);

#endif /* !_XEN_XEN_EVTCHN_H_ */
