/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Sleep and wakeup.  Sleepers hang on a hashed queue of their wait channel.
 * A sleeper takes its queue lock before dropping the caller's interlock and
 * keeps it until its run queue is locked, and wakeup takes the queue lock
 * then the run queue lock, so a wakeup can neither slip in between the
 * caller's check and the sleep nor queue a thread that is still running.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>
#include <machine/intr.h>

#include "kern_priv.h"

#define SLEEPQ_HASH	64

struct sleepq {
	struct mtx		sq_lock;
	TAILQ_HEAD(, thread)	sq_head;
};

static struct sleepq	sleepqs[SLEEPQ_HASH];

static void
sleepq_init(void *arg __unused)
{
	for (int i = 0; i < SLEEPQ_HASH; i++) {
		mtx_init(&sleepqs[i].sq_lock, "sleepq", NULL, MTX_SPIN);
		TAILQ_INIT(&sleepqs[i].sq_head);
	}
}
SYSINIT(sleepq, SI_SUB_LOCK, SI_ORDER_FIRST, sleepq_init, NULL);

static struct sleepq *
sleepq_lookup(const void *chan)
{
	uintptr_t h = (uintptr_t)chan;

	h ^= h >> 6 ^ h >> 12;
	return (&sleepqs[h % SLEEPQ_HASH]);
}

/* Takes td off its sleep queue (lock held) and makes it runnable. */
static void
sleepq_resume(struct sleepq *sq, struct thread *td, int ret)
{
	TAILQ_REMOVE(&sq->sq_head, td, td_slpq);
	td->td_wchan = NULL;
	td->td_slpret = ret;
	sched_add(td);
}

struct sleep_timo {
	struct thread	*st_td;
	const void	*st_chan;
};

/* Runs on the sleeper's CPU from its timer interrupt. */
static void
sleepq_timeout(void *arg)
{
	struct sleep_timo *st = arg;
	struct thread *td = st->st_td;
	struct sleepq *sq = sleepq_lookup(st->st_chan);

	mtx_lock_spin(&sq->sq_lock);
	if (td->td_state == TDS_SLEEPING && td->td_wchan == st->st_chan)
		sleepq_resume(sq, td, EWOULDBLOCK);
	mtx_unlock_spin(&sq->sq_lock);
}

/* Signal work that ends an interruptible sleep (sys/proc.h TDA_*). */
#define SLEEP_ABORT_AST	(TDA_SIGNAL | TDA_EXIT)

static int
msleep_common(const void *chan, struct mtx *mtx, const char *wmesg,
    sbintime_t timo, bool intr)
{
	struct thread *td = curthread;
	struct sleepq *sq = sleepq_lookup(chan);
	struct sleep_timo st;
	struct callout co;
	bool spin = mtx != NULL && (mtx->mtx_flags & MTX_SPIN);
	int ret;

	if (intr_nesting() != 0)
		panic("msleep(%s) in interrupt context", wmesg);
	/* 0 is "forever": a deadline computed late must not turn into it. */
	KASSERT(timo >= 0, ("msleep(%s) with a negative timeout", wmesg));
	if (td->td_flags & TDF_IDLE)
		panic("msleep(%s) by an idle thread", wmesg);
	if (!sched_cpu_running())
		panic("msleep(%s) before the scheduler exists", wmesg);
	if (mtx != NULL) {
		mtx_assert(mtx, MA_OWNED);
		if (spin && mtx->mtx_recurse != 0)
			panic("msleep on recursed spin mutex %s",
			    mtx->mtx_name);
	}
	/* The spin interlock is the only spin lock a sleeper may hold. */
	if (spinlock_count() != (spin ? 1u : 0u))
		panic("msleep(%s) with spin lock %s held", wmesg,
		    spinlock_held_name(mtx));

	/*
	 * The sleep queue lock is held from before the interlock is dropped
	 * until the run queue is locked, so no wakeup is lost; the spin
	 * sections keep interrupts off throughout, so an interrupt handler
	 * calling wakeup here cannot spin on the queue lock forever.
	 */
	mtx_lock_spin(&sq->sq_lock);
	if (mtx != NULL && spin)
		mtx_unlock_spin(mtx);
	else if (mtx != NULL)
		mtx_unlock(mtx);
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_slpret = 0;
	td->td_state = TDS_SLEEPING;
	TAILQ_INSERT_TAIL(&sq->sq_head, td, td_slpq);
	if (intr) {
		/*
		 * kern_psignal sets td_ast then looks for a sleep to abort;
		 * we publish the sleep then look at td_ast: with a full fence
		 * on each side one of the two sees the other.
		 */
		td->td_flags |= TDF_SINTR;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&td->td_ast, __ATOMIC_RELAXED) &
		    SLEEP_ABORT_AST) {
			TAILQ_REMOVE(&sq->sq_head, td, td_slpq);
			td->td_wchan = NULL;
			td->td_state = TDS_RUNNING;
			td->td_flags &= ~TDF_SINTR;
			td->td_wmesg = NULL;
			mtx_unlock_spin(&sq->sq_lock);
			ret = EINTR;
			goto relock;
		}
	}
	if (timo > 0) {
		/* On this CPU: it cannot fire until we have switched away. */
		st.st_td = td;
		st.st_chan = chan;
		callout_init(&co, 1);
		callout_reset_sbt_on(&co, timo, sleepq_timeout, &st,
		    td->td_cpu);
	}
	sched_lock(td->td_cpu);
	mtx_unlock_spin(&sq->sq_lock);
	sched_switch_locked(td);
	/* Interrupts back as the caller had them before any spin lock. */
	sched_unlock(td->td_cpu);
	ret = td->td_slpret;
	if (timo > 0)
		callout_stop(&co);
	td->td_wmesg = NULL;
	td->td_flags &= ~TDF_SINTR;
relock:
	if (mtx != NULL && spin)
		mtx_lock_spin(mtx);
	else if (mtx != NULL)
		mtx_lock(mtx);
	return (ret);
}

int
msleep(const void *chan, struct mtx *mtx, const char *wmesg, sbintime_t timo)
{
	return (msleep_common(chan, mtx, wmesg, timo, false));
}

int
msleep_sig(const void *chan, struct mtx *mtx, const char *wmesg,
    sbintime_t timo)
{
	return (msleep_common(chan, mtx, wmesg, timo, true));
}

void
sleepq_abort(struct thread *td)
{
	const void *chan = __atomic_load_n(&td->td_wchan, __ATOMIC_SEQ_CST);
	struct sleepq *sq;

	if (chan == NULL)
		return;
	sq = sleepq_lookup(chan);
	mtx_lock_spin(&sq->sq_lock);
	if (td->td_state == TDS_SLEEPING && td->td_wchan == chan &&
	    (td->td_flags & TDF_SINTR))
		sleepq_resume(sq, td, EINTR);
	mtx_unlock_spin(&sq->sq_lock);
}

int
tsleep(const void *chan, const char *wmesg, sbintime_t timo)
{
	return (msleep(chan, NULL, wmesg, timo));
}

void
wakeup(const void *chan)
{
	struct sleepq *sq = sleepq_lookup(chan);
	struct thread *td, *tmp;

	mtx_lock_spin(&sq->sq_lock);
	TAILQ_FOREACH_SAFE(td, &sq->sq_head, td_slpq, tmp) {
		if (td->td_wchan == chan)
			sleepq_resume(sq, td, 0);
	}
	mtx_unlock_spin(&sq->sq_lock);
}
