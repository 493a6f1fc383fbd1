/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The FIFO event-channel ABI: one event word per port in an event array the
 * guest hands to Xen page by page (EVTCHNOP_expand_array), and per vCPU a
 * control block (EVTCHNOP_init_control) with a "ready" bitmap of priority
 * queues and the head of each queue.  Xen links pending ports onto the
 * queue of the vCPU they are bound to; the guest walks its queues, highest
 * priority first, following the link field of each event word.  Up to
 * 2^17 ports, against 4096 for the 2-level ABI on 64-bit.
 *
 * The guest keeps its own head per queue: Xen's head is only read when the
 * guest's copy ran out (0), because Xen may still be appending behind it.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>
#include <machine/xen/hypercall.h>

#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

#define WORDS_PER_PAGE	(PAGE_SIZE / sizeof(event_word_t))
#define MAX_PAGES	(EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)
#define BIT(n)		((event_word_t)1 << (n))
/* READY bits beyond the queues that exist are ignored, never walked. */
#define READY_MASK	((1U << EVTCHN_FIFO_MAX_QUEUES) - 1)

static volatile event_word_t *fifo_pages[MAX_PAGES];
static volatile u_int	fifo_npages;
static struct mtx	fifo_expand_lock;
static struct evtchn_fifo_control_block *fifo_cb[MAXCPU];
static uint32_t		fifo_head[MAXCPU][EVTCHN_FIFO_MAX_QUEUES];

static volatile event_word_t *
fifo_word(evtchn_port_t p)
{
	u_int page = p / WORDS_PER_PAGE;

	if (p >= EVTCHN_FIFO_NR_CHANNELS ||
	    page >= __atomic_load_n(&fifo_npages, __ATOMIC_ACQUIRE))
		return (NULL);
	return (&fifo_pages[page][p % WORDS_PER_PAGE]);
}

static void *
fifo_zeroed_page(vm_paddr_t *pap)
{
	vm_paddr_t pa = phys_alloc_page();
	void *va;

	if (pa == PHYS_NONE)
		return (NULL);
	va = (void *)PHYS_TO_DMAP(pa);
	memset(va, 0, PAGE_SIZE);
	*pap = pa;
	return (va);
}

/* Gives Xen event-array pages until the array covers port p. */
static int
fifo_port_setup(evtchn_port_t p)
{
	int error = 0;

	if (p >= EVTCHN_FIFO_NR_CHANNELS)
		return (ERANGE);
	mtx_lock_spin(&fifo_expand_lock);
	while (error == 0 && p / WORDS_PER_PAGE >= fifo_npages) {
		/* fifo_npages only grows, and only here, under the lock. */
		mtx_assert(&fifo_expand_lock, MA_OWNED);
		KASSERT(fifo_npages < MAX_PAGES, ("fifo: event array full"));
		struct evtchn_expand_array ea;
		vm_paddr_t pa;
		void *va = fifo_zeroed_page(&pa);

		if (va == NULL) {
			error = ENOMEM;
			break;
		}
		ea.array_gfn = atop(pa);
		error = xen_to_errno(HYPERVISOR_event_channel_op(
		    EVTCHNOP_expand_array, &ea));
		if (error != 0) {
			phys_free_page(pa);
			break;
		}
		fifo_pages[fifo_npages] = va;
		__atomic_store_n(&fifo_npages, fifo_npages + 1, __ATOMIC_RELEASE);
	}
	mtx_unlock_spin(&fifo_expand_lock);
	return (error);
}

static int
fifo_cpu_init(u_int cpu)
{
	struct evtchn_init_control ic;
	vm_paddr_t pa;
	void *va;
	int error;

	KASSERT(cpu < MAXCPU, ("fifo: cpu%u", cpu));
	if (fifo_cb[cpu] != NULL)
		return (0);
	if ((va = fifo_zeroed_page(&pa)) == NULL)
		return (ENOMEM);
	ic.control_gfn = atop(pa);
	ic.offset = 0;
	ic.vcpu = pcpu_find(cpu)->pc_vcpu_id;
	if (xen_refused("fifo"))
		error = ENOSYS;		/* as Xen before 4.4 answers */
	else
		error = xen_to_errno(HYPERVISOR_event_channel_op(
		    EVTCHNOP_init_control, &ic));
	if (error != 0) {
		phys_free_page(pa);
		return (error);
	}
	memset(fifo_head[cpu], 0, sizeof(fifo_head[cpu]));
	fifo_cb[cpu] = va;
	return (0);
}

static int
fifo_init(void)
{
	int error;

	mtx_init(&fifo_expand_lock, "evtchn fifo", NULL, MTX_SPIN);
	/* Switching ABI: must come before any port is bound. */
	if ((error = fifo_cpu_init(0)) != 0)
		return (error);
	/* Ports Xen made for us already (console, store) sit in page 0. */
	return (fifo_port_setup(0));
}

static u_int
fifo_max_ports(void)
{
	return (EVTCHN_FIFO_NR_CHANNELS);
}

static void
fifo_clear_pending(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);

	if (w != NULL)
		__atomic_fetch_and(w, ~BIT(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
}

static bool
fifo_is_pending(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);

	return (w != NULL && (*w & BIT(EVTCHN_FIFO_PENDING)) != 0);
}

static void
fifo_mask(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);

	if (w != NULL)
		__atomic_fetch_or(w, BIT(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
}

static bool
fifo_is_masked(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);

	return (w == NULL || (*w & BIT(EVTCHN_FIFO_MASKED)) != 0);
}

static void
fifo_unmask(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);
	struct evtchn_unmask um = { .port = p };
	event_word_t old;

	if (w == NULL)
		return;
	/*
	 * While Xen holds BUSY it is linking the word; only it may clear
	 * MASKED then.  A pending event also needs Xen to queue it.
	 */
	old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
	for (;;) {
		if (old & BIT(EVTCHN_FIFO_BUSY)) {
			(void)HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um);
			return;
		}
		if (__atomic_compare_exchange_n(w, &old,
		    old & ~BIT(EVTCHN_FIFO_MASKED), false, __ATOMIC_SEQ_CST,
		    __ATOMIC_ACQUIRE))
			break;
	}
	if (old & BIT(EVTCHN_FIFO_PENDING))
		(void)HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um);
}

static bool
fifo_is_linked(evtchn_port_t p)
{
	volatile event_word_t *w = fifo_word(p);

	return (w != NULL && (*w & BIT(EVTCHN_FIFO_LINKED)) != 0);
}

static void
fifo_bind_to_cpu(evtchn_port_t p __unused, u_int cpu __unused,
    u_int old __unused)
{
	/* Xen queues each port on its bound vCPU: nothing to track here. */
}

/* Unlinks the head of queue q; returns its port (0: queue empty). */
static evtchn_port_t
fifo_pop(u_int cpu, u_int q, uint32_t *readyp)
{
	uint32_t head = fifo_head[cpu][q];
	volatile event_word_t *w;
	event_word_t old, link;

	if (head == 0)
		head = __atomic_load_n(&fifo_cb[cpu]->head[q], __ATOMIC_ACQUIRE);
	if (head == 0 || (w = fifo_word(head)) == NULL) {
		/* Nothing (or a link Xen should never give): queue done. */
		*readyp &= ~(1U << q);
		fifo_head[cpu][q] = 0;
		return (0);
	}
	/* Take the link and drop LINKED in one step: Xen may append to us. */
	old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
	while (!__atomic_compare_exchange_n(w, &old,
	    old & ~(BIT(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK), false,
	    __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
		;
	link = old & EVTCHN_FIFO_LINK_MASK;
	if (link == 0)
		*readyp &= ~(1U << q);
	fifo_head[cpu][q] = link;
	return (head);
}

static void
fifo_scan(u_int cpu, void (*deliver)(evtchn_port_t))
{
	struct vcpu_info *vi = xen_vcpu_info(cpu);
	struct evtchn_fifo_control_block *cb = fifo_cb[cpu];
	u_int budget = evtchn_scan_budget;
	uint32_t ready;

	if (cb == NULL)
		return;
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	for (;;) {
		ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST) &
		    READY_MASK;
		if (ready == 0)
			return;
		while (ready != 0 && budget > 0) {
			u_int q = (u_int)__builtin_ctz(ready);	/* highest priority */
			evtchn_port_t port = fifo_pop(cpu, q, &ready);

			if (port == 0)
				continue;
			budget--;
			if (fifo_is_pending(port) && !fifo_is_masked(port)) {
				fifo_clear_pending(port);
				deliver(port);
			}
		}
		if (ready != 0) {
			/*
			 * Out of budget: the queues keep their heads (ours in
			 * fifo_head), READY says which; a new upcall walks on.
			 */
			__atomic_fetch_or(&cb->ready, ready, __ATOMIC_SEQ_CST);
			__atomic_store_n(&vi->evtchn_upcall_pending, 1,
			    __ATOMIC_SEQ_CST);
			evtchn_scan_rearm(cpu);
			return;
		}
	}
}

const struct evtchn_abi evtchn_abi_fifo = {
	.name = "FIFO",
	.init = fifo_init,
	.max_ports = fifo_max_ports,
	.cpu_init = fifo_cpu_init,
	.port_setup = fifo_port_setup,
	.clear_pending = fifo_clear_pending,
	.is_pending = fifo_is_pending,
	.mask = fifo_mask,
	.unmask = fifo_unmask,
	.is_masked = fifo_is_masked,
	.bind_to_cpu = fifo_bind_to_cpu,
	.is_linked = fifo_is_linked,
	.scan = fifo_scan,
};
