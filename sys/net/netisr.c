/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The netisr thread: drivers queue received frames from any context
 * (interrupt handlers included: the queue has a spin lock), the thread
 * runs the protocols over them with net_lock, and runs the slow timer.
 * The queue is bounded (a peer cannot make us hold unbounded memory):
 * frames beyond netisr_maxqlen are dropped and counted as IQDROPS.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>

struct netisr_stats	netisr_stats;
u_int			netisr_maxqlen = NETISR_QLEN_DEFAULT;
static int		netisr_cpu = -1;
TUNABLE_INT("net.isr_cpu", &netisr_cpu, "CPU of the netisr thread (-1: boot CPU)");

static struct mtx	nq_mtx;
static struct mbuf	*nq_head, **nq_tailp = &nq_head;
static u_int		nq_len;
static bool		nq_sleeping;	/* thread waits for frames */
static bool		nq_busy;	/* thread is running protocols */
static bool		nq_link;	/* if_link_work due */
static struct thread	*netisr_td;
static bool		netisr_started;

void
netisr_queue(struct ifnet *ifp, struct mbuf *m)
{
	bool wake = false;

	KASSERT(m->m_flags & M_PKTHDR, ("netisr_queue: no packet header"));
	m->m_pkthdr.rcvif = ifp;
	m->m_nextpkt = NULL;
	mtx_lock_spin(&nq_mtx);
	if (nq_len >= netisr_maxqlen) {
		netisr_stats.dropped++;
		mtx_unlock_spin(&nq_mtx);
		if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
		m_freem(m);
		return;
	}
	*nq_tailp = m;
	nq_tailp = &m->m_nextpkt;
	nq_len++;
	netisr_stats.queued++;
	if (nq_len > netisr_stats.qlen_max)
		netisr_stats.qlen_max = nq_len;
	if (nq_sleeping) {
		nq_sleeping = false;
		wake = true;
	}
	mtx_unlock_spin(&nq_mtx);
	if (wake)
		wakeup(&nq_head);
}

void
netisr_link_kick(void)
{
	bool wake;

	mtx_lock_spin(&nq_mtx);
	nq_link = true;
	wake = nq_sleeping;
	nq_sleeping = false;
	mtx_unlock_spin(&nq_mtx);
	if (wake)
		wakeup(&nq_head);
}

static void
netisr_loop(void *arg __unused)
{
	sbintime_t next = sbinuptime() + NET_SLOWTIMO;

	for (;;) {
		struct mbuf *list, *m;
		sbintime_t now;
		bool link;

		mtx_lock_spin(&nq_mtx);
		while (nq_head == NULL && !nq_link) {
			now = sbinuptime();
			if (now >= next)
				break;
			if (nq_busy) {
				nq_busy = false;
				wakeup(&nq_busy);
			}
			nq_sleeping = true;
			msleep(&nq_head, &nq_mtx, "netisr", next - now);
			nq_sleeping = false;
		}
		list = nq_head;
		nq_head = NULL;
		nq_tailp = &nq_head;
		nq_len = 0;
		nq_busy = true;
		link = nq_link;
		nq_link = false;
		mtx_unlock_spin(&nq_mtx);

		if (link)
			if_link_work();

		while ((m = list) != NULL) {
			list = m->m_nextpkt;
			m->m_nextpkt = NULL;
			netisr_stats.handled++;
			net_input_frame(m->m_pkthdr.rcvif, m);
		}
		now = sbinuptime();
		if (now >= next) {
			net_slowtimo(now);
			next = now + NET_SLOWTIMO;
		}
	}
}

void
netisr_drain(void)
{
	if (!netisr_started)
		return;
	KASSERT(curthread != netisr_td, ("netisr_drain from the netisr"));
	mtx_lock_spin(&nq_mtx);
	while (nq_head != NULL || nq_link || nq_busy) {
		if (nq_sleeping && (nq_head != NULL || nq_link)) {
			nq_sleeping = false;
			wakeup(&nq_head);
		}
		msleep(&nq_busy, &nq_mtx, "netdrain", SBT_1MS * 10);
	}
	mtx_unlock_spin(&nq_mtx);
}

/* Early, so a frame or link report before the thread starts just waits. */
static void
netisr_init(void *arg __unused)
{
	mtx_init(&nq_mtx, "netisr queue", NULL, MTX_SPIN);
	net_init();
}
SYSINIT(netisr_init, SI_SUB_LOCK, SI_ORDER_MIDDLE, netisr_init, NULL);

static void
netisr_start(void *arg __unused)
{
	if (kthread_add(netisr_loop, NULL, &netisr_td, netisr_cpu, "netisr") !=
	    0)
		panic("netisr: cannot start its thread");
	netisr_started = true;
}
SYSINIT(netisr, SI_SUB_KTHREAD, SI_ORDER_MIDDLE, netisr_start, NULL);
