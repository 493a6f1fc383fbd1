/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event-channel core: the port table, binding and unbinding through
 * EVTCHNOP_*, and delivery from the upcall.  The ABI (FIFO or 2-level) sits
 * behind struct evtchn_abi.
 *
 * An upcall never nests: interrupts stay off while it runs, and if an entry
 * still finds a scan running on its CPU (a handler let interrupts in), it
 * only records that the running scan must look again, and returns.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>
#include <machine/xen/hypercall.h>

#include <xen/xen_evtchn.h>
#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

MALLOC_DEFINE(M_EVTCHN, "evtchn", "Xen event channels");

static char	evtchn_abi_want[8] = "fifo";
TUNABLE_STR("xen.evtchn", evtchn_abi_want, sizeof(evtchn_abi_want),
    "event-channel ABI: fifo (default) or 2l");

u_int	evtchn_scan_budget = EVTCHN_SCAN_BUDGET;
TUNABLE_INT("xen.evtchn_budget", &evtchn_scan_budget,
    "events one upcall delivers before it leaves the rest to the next");

struct evtchn_scan_stats	evtchn_scan_stats[MAXCPU];

/* Per CPU: a scan is running; an entry meanwhile asked for one more pass. */
static struct {
	bool	active;
	bool	rescan;
} evtchn_scanning[MAXCPU];

/* How long evtchn_unbind() waits for Xen to let go of a FIFO port. */
#define EVTCHN_UNLINK_WAIT	(2 * SBT_1S)

enum evtchn_kind { EK_VIRQ, EK_IPI, EK_UNBOUND, EK_INTERDOMAIN, EK_EXISTING };

struct evtchn_binding {
	evtchn_port_t		port;
	enum evtchn_kind	kind;
	u_int			cpu;
	u_int			virq;
	evtchn_handler_t	*handler;
	void			*arg;
	uint64_t		count;		/* deliveries; atomic */
	bool			late_eoi;
	u_int			running;	/* handlers in progress; atomic */
};

static const struct evtchn_abi	*abi;
static void	evtchn_close_port(evtchn_port_t port);
static struct evtchn_binding	**port_table;
static u_int			port_max;
static struct mtx		evtchn_lock;	/* port_table, binding cpu */
static uint64_t			evtchn_stray;	/* events no binding took */
static u_int			evtchn_nbound;	/* under evtchn_lock */
/*
 * Unbound ports Xen still held queued when they were unbound: closed later
 * (at the next bind or unbind) once the scan has popped them.  Until then
 * Xen cannot hand their numbers out again.
 */
#define EVTCHN_DEFERRED_MAX	64
static evtchn_port_t		evtchn_deferred[EVTCHN_DEFERRED_MAX];
static u_int			evtchn_ndeferred;	/* under evtchn_lock */
static uint64_t			evtchn_leaked;	/* deferred list was full */

const char *
evtchn_abi_name(void)
{
	return (abi != NULL ? abi->name : "none");
}

u_int
evtchn_max_ports(void)
{
	return (port_max);
}

static u_int
vcpu_of(u_int cpu)
{
	struct pcpu *pc = pcpu_find(cpu);

	return (pc != NULL ? pc->pc_vcpu_id : cpu);
}

/*
 * Runs a port's handler.  The binding is looked up and marked running under
 * the table lock, so evtchn_unbind() (which takes it out of the table under
 * the same lock, then waits for running handlers) never frees it under us.
 */
static void
evtchn_deliver(evtchn_port_t port)
{
	struct evtchn_binding *b;

	if (port >= port_max)
		return;
	mtx_lock_spin(&evtchn_lock);
	b = port_table[port];
	if (b != NULL)
		b->running++;
	mtx_unlock_spin(&evtchn_lock);
	if (b == NULL) {
		/* Nobody listens: keep a stray port from firing forever. */
		abi->mask(port);
		__atomic_fetch_add(&evtchn_stray, 1, __ATOMIC_RELAXED);
		return;
	}
	/* After a rebinding the old CPU may still be delivering: atomic. */
	__atomic_fetch_add(&b->count, 1, __ATOMIC_RELAXED);
	if (b->late_eoi)
		abi->mask(port);	/* until the driver's evtchn_eoi() */
	b->handler(b->arg);
	__atomic_fetch_sub(&b->running, 1, __ATOMIC_RELEASE);
}

void
evtchn_upcall(void)
{
	u_int cpu = curcpu;

	if (abi == NULL)
		return;
	evtchn_scan_stats[cpu].upcalls++;
	if (evtchn_scanning[cpu].active) {
		/* Never nest: the running scan takes what this entry was for. */
		evtchn_scan_stats[cpu].nested++;
		evtchn_scanning[cpu].rescan = true;
		return;
	}
	evtchn_scanning[cpu].active = true;
	do {
		evtchn_scanning[cpu].rescan = false;
		abi->scan(cpu, evtchn_deliver);
	} while (evtchn_scanning[cpu].rescan);
	evtchn_scanning[cpu].active = false;
}

void
evtchn_scan_rearm(u_int cpu)
{
	KASSERT(cpu == curcpu, ("evtchn_scan_rearm for cpu%u on cpu%u", cpu,
	    curcpu));
	evtchn_scan_stats[cpu].budget_out++;
	xen_upcall_rearm();
}

uint64_t
evtchn_stray_count(void)
{
	return (__atomic_load_n(&evtchn_stray, __ATOMIC_RELAXED));
}

/* The only writer of port_table: under the table lock. */
static void
evtchn_table_set(evtchn_port_t port, struct evtchn_binding *b)
{
	mtx_assert(&evtchn_lock, MA_OWNED);
	KASSERT(port < port_max, ("evtchn: port %u past the table", port));
	KASSERT((b == NULL) != (port_table[port] == NULL),
	    ("evtchn: port %u %s", port, b == NULL ? "not bound" :
	    "bound twice"));
	__atomic_store_n(&port_table[port], b, __ATOMIC_RELEASE);
	if (b != NULL)
		evtchn_nbound++;
	else
		evtchn_nbound--;
}

/* Closes the deferred ports Xen has let go of since (thread context). */
static void
evtchn_close_deferred(void)
{
	evtchn_port_t ready[EVTCHN_DEFERRED_MAX];
	u_int n = 0;

	mtx_lock_spin(&evtchn_lock);
	for (u_int i = 0; i < evtchn_ndeferred;) {
		if (abi->is_linked(evtchn_deferred[i])) {
			i++;
			continue;
		}
		ready[n++] = evtchn_deferred[i];
		evtchn_deferred[i] = evtchn_deferred[--evtchn_ndeferred];
	}
	mtx_unlock_spin(&evtchn_lock);
	for (u_int i = 0; i < n; i++)
		evtchn_close_port(ready[i]);
}

/* Records a bound port and unmasks it unless asked not to. */
static int
evtchn_install(evtchn_port_t port, enum evtchn_kind kind, u_int cpu, u_int virq,
    evtchn_handler_t *handler, void *arg, int flags, evtchn_handle_t *hp)
{
	struct evtchn_binding *b;
	int error;

	if (port >= port_max)
		return (ERANGE);
	evtchn_close_deferred();
	if (abi->port_setup != NULL && (error = abi->port_setup(port)) != 0)
		return (error);
	b = malloc(sizeof(*b), M_EVTCHN, M_NOWAIT | M_ZERO);
	if (b == NULL)
		return (ENOMEM);
	b->port = port;
	b->kind = kind;
	b->cpu = cpu;
	b->virq = virq;
	b->handler = handler;
	b->arg = arg;
	b->late_eoi = (flags & EVTCHN_BIND_LATE_EOI) != 0;

	mtx_lock_spin(&evtchn_lock);
	if (port_table[port] != NULL) {
		mtx_unlock_spin(&evtchn_lock);
		free(b, M_EVTCHN);
		return (EEXIST);
	}
	evtchn_table_set(port, b);
	abi->mask(port);
	abi->clear_pending(port);
	abi->bind_to_cpu(port, cpu, cpu);
	mtx_unlock_spin(&evtchn_lock);

	if ((flags & EVTCHN_BIND_MASKED) == 0)
		abi->unmask(port);
	*hp = b;
	return (0);
}

static void
evtchn_close_port(evtchn_port_t port)
{
	struct evtchn_close cl = { .port = port };

	(void)HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

bool	evtchn_cpu0_only;

int
evtchn_bind_virq(u_int virq, u_int cpu, evtchn_handler_t *handler, void *arg,
    int flags, evtchn_handle_t *hp)
{
	struct evtchn_bind_virq bv = { .virq = virq, .vcpu = vcpu_of(cpu) };
	int error;

	if (abi == NULL)
		return (ENXIO);
	if (evtchn_cpu0_only && cpu != 0)
		return (EOPNOTSUPP);
	error = xen_to_errno(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	if (error != 0)
		return (error);
	error = evtchn_install(bv.port, EK_VIRQ, cpu, virq, handler, arg, flags, hp);
	if (error != 0)
		evtchn_close_port(bv.port);
	return (error);
}

int
evtchn_bind_ipi(u_int cpu, evtchn_handler_t *handler, void *arg, int flags,
    evtchn_handle_t *hp)
{
	struct evtchn_bind_ipi bi = { .vcpu = vcpu_of(cpu) };
	int error;

	if (abi == NULL)
		return (ENXIO);
	if (evtchn_cpu0_only && cpu != 0)
		return (EOPNOTSUPP);
	error = xen_to_errno(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi));
	if (error != 0)
		return (error);
	error = evtchn_install(bi.port, EK_IPI, cpu, 0, handler, arg, flags, hp);
	if (error != 0)
		evtchn_close_port(bi.port);
	return (error);
}

int
evtchn_alloc_unbound(domid_t remote, evtchn_handler_t *handler, void *arg,
    int flags, evtchn_handle_t *hp)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = remote };
	int error;

	if (abi == NULL)
		return (ENXIO);
	error = xen_to_errno(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	if (error != 0)
		return (error);
	error = evtchn_install(au.port, EK_UNBOUND, 0, 0, handler, arg, flags, hp);
	if (error != 0)
		evtchn_close_port(au.port);
	return (error);
}

int
evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
    evtchn_handler_t *handler, void *arg, int flags, evtchn_handle_t *hp)
{
	struct evtchn_bind_interdomain bi = {
		.remote_dom = remote, .remote_port = remote_port
	};
	int error;

	if (abi == NULL)
		return (ENXIO);
	error = xen_to_errno(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain,
	    &bi));
	if (error != 0)
		return (error);
	error = evtchn_install(bi.local_port, EK_INTERDOMAIN, 0, 0, handler, arg,
	    flags, hp);
	if (error != 0)
		evtchn_close_port(bi.local_port);
	return (error);
}

int
evtchn_bind_existing(evtchn_port_t port, evtchn_handler_t *handler, void *arg,
    int flags, evtchn_handle_t *hp)
{
	if (abi == NULL)
		return (ENXIO);
	/* Existing ports start on vCPU 0, where Xen binds them by default. */
	return (evtchn_install(port, EK_EXISTING, 0, 0, handler, arg, flags, hp));
}

/*
 * Waits (interrupts on, so the port's CPU can pop it) until Xen no longer
 * holds the port on a queue.  Closing a linked port would let Xen hand the
 * number out again while the old link is still walked.  Returns false if it
 * stayed linked: then the port is left open rather than reused.
 */
static bool
evtchn_wait_unlinked(evtchn_port_t port)
{
	sbintime_t end;

	if (abi->is_linked == NULL || !abi->is_linked(port))
		return (true);
	end = sbinuptime() + EVTCHN_UNLINK_WAIT;
	while (abi->is_linked(port)) {
		if (sbinuptime() > end)
			return (false);
		for (int i = 0; i < 100; i++)
			cpu_spinwait();
	}
	return (true);
}

void
evtchn_unbind(evtchn_handle_t *hp)
{
	struct evtchn_binding *b = *hp;

	if (b == NULL)
		return;
	KASSERT(intr_nesting() == 0, ("evtchn_unbind(port %u) in an interrupt "
	    "handler", b->port));
	*hp = NULL;
	mtx_lock_spin(&evtchn_lock);
	abi->mask(b->port);
	evtchn_table_set(b->port, NULL);
	mtx_unlock_spin(&evtchn_lock);
	/* A handler already started on another CPU finishes first. */
	while (__atomic_load_n(&b->running, __ATOMIC_ACQUIRE) != 0)
		cpu_spinwait();
	if (b->kind != EK_EXISTING && !evtchn_wait_unlinked(b->port)) {
		mtx_lock_spin(&evtchn_lock);
		if (evtchn_ndeferred < EVTCHN_DEFERRED_MAX)
			evtchn_deferred[evtchn_ndeferred++] = b->port;
		else
			evtchn_leaked++;
		mtx_unlock_spin(&evtchn_lock);
		printf("evtchn: port %u still queued by Xen; closed later\n",
		    b->port);
	} else if (b->kind != EK_EXISTING)
		evtchn_close_port(b->port);
	abi->clear_pending(b->port);
	free(b, M_EVTCHN);
	evtchn_close_deferred();
}

u_int
evtchn_bound_count(void)
{
	u_int n;

	mtx_lock_spin(&evtchn_lock);
	n = evtchn_nbound;
	mtx_unlock_spin(&evtchn_lock);
	return (n);
}

uint64_t
evtchn_unclosed_count(void)
{
	uint64_t n;

	mtx_lock_spin(&evtchn_lock);
	n = evtchn_ndeferred + evtchn_leaked;
	mtx_unlock_spin(&evtchn_lock);
	return (n);
}

void
evtchn_notify(evtchn_handle_t b)
{
	struct evtchn_send s = { .port = b->port };

	(void)HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

void
evtchn_mask(evtchn_handle_t b)
{
	abi->mask(b->port);
}

void
evtchn_unmask(evtchn_handle_t b)
{
	abi->unmask(b->port);
}

void
evtchn_eoi(evtchn_handle_t b)
{
	abi->unmask(b->port);
}

int
evtchn_bind_cpu(evtchn_handle_t b, u_int cpu)
{
	struct evtchn_bind_vcpu bv;
	bool masked;
	u_int old;
	int error;

	if (b->kind == EK_VIRQ || b->kind == EK_IPI)
		return (EOPNOTSUPP);	/* bound to their vCPU for good */
	if (cpu >= mp_ncpus || pcpu_find(cpu) == NULL)
		return (EINVAL);
	if (evtchn_cpu0_only && cpu != 0)
		return (EOPNOTSUPP);
	bv.port = b->port;
	bv.vcpu = vcpu_of(cpu);
	mtx_lock_spin(&evtchn_lock);
	masked = abi->is_masked(b->port);
	abi->mask(b->port);
	error = xen_to_errno(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv));
	if (error == 0) {
		old = b->cpu;
		b->cpu = cpu;
		abi->bind_to_cpu(b->port, cpu, old);
	}
	mtx_unlock_spin(&evtchn_lock);
	if (!masked)
		abi->unmask(b->port);
	return (error);
}

evtchn_port_t
evtchn_port(evtchn_handle_t b)
{
	return (b->port);
}

u_int
evtchn_cpu(evtchn_handle_t b)
{
	return (b->cpu);
}

uint64_t
evtchn_count(evtchn_handle_t b)
{
	return (__atomic_load_n(&b->count, __ATOMIC_RELAXED));
}

void
evtchn_peek(evtchn_handle_t b, bool *pending, bool *masked)
{
	*pending = abi->is_pending(b->port);
	*masked = abi->is_masked(b->port);
}

/* Chooses the ABI and sets up the port table once shared_info is mapped. */
int
evtchn_init(void)
{
	int error;

	mtx_init(&evtchn_lock, "evtchn", NULL, MTX_SPIN);
	abi = NULL;
	if (strcmp(evtchn_abi_want, "fifo") == 0) {
		if ((error = evtchn_abi_fifo.init()) == 0)
			abi = &evtchn_abi_fifo;
		else
			printf("xen: FIFO event channels unavailable (%d), "
			    "using 2-level\n", error);
	} else if (strcmp(evtchn_abi_want, "2l") != 0) {
		printf("xen: xen.evtchn=%s: unknown ABI (fifo or 2l), using "
		    "2-level\n", evtchn_abi_want);
	}
	if (abi == NULL) {
		abi = &evtchn_abi_2l;
		if ((error = abi->init()) != 0) {
			abi = NULL;
			return (error);
		}
	}
	port_max = abi->max_ports();
	port_table = malloc(sizeof(*port_table) * port_max, M_EVTCHN,
	    M_WAITOK | M_ZERO);
	/* The toolstack sets the domain's own limit (xl: max_event_channels). */
	printf("xen: event channels: %s ABI, ports below %u (ABI limit)\n",
	    abi->name, port_max);
	return (0);
}

int
evtchn_cpu_init(u_int cpu)
{
	return (abi != NULL ? abi->cpu_init(cpu) : ENXIO);
}
