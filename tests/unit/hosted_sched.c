/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel half of the hosted scheduler (see hosted_sched.h); contexts
 * come from hosted_ctx.c.  Non-preemptive like the kernel's: a thread runs
 * until it sleeps, yields or exits.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <stdarg.h>

#include "hosted_sched.h"

#define HS_MAX_THREADS	16

void	*hosted_ctx_main(void);
void	*hosted_ctx_new(void (*fn)(void *), void *arg);
void	hosted_ctx_switch(void *from, void *to);
void	__wrap_kern_yield(void);

struct hs_slot {
	struct thread	*td;
	void		*ctx;
	sbintime_t	wake_at;	/* 0: no timeout */
	uint64_t	yields;
	uint64_t	unbounded;
};

static struct hs_slot	hs_slots[HS_MAX_THREADS];
static int		hs_nslots;
static TAILQ_HEAD(, thread) hs_runq = TAILQ_HEAD_INITIALIZER(hs_runq);
static sbintime_t	hs_now = SBT_1S;
static sbintime_t	hs_step;
static bool		(*hs_idle)(void);
static int		hs_main_chan;

static struct hs_slot *
hs_slot(const struct thread *td)
{
	for (int i = 0; i < hs_nslots; i++)
		if (hs_slots[i].td == td)
			return (&hs_slots[i]);
	panic("hosted_sched: unknown thread %p", td);
}

void
hosted_sched_init(void)
{
	hs_nslots = 1;
	hs_slots[0].td = &thread0;
	hs_slots[0].ctx = hosted_ctx_main();
	thread0.td_state = TDS_RUNNING;
	strlcpy(thread0.td_name, "thread0", sizeof(thread0.td_name));
	hosted_pcpu.pc_curthread = &thread0;
}

void
hosted_sched_set_idle(bool (*hook)(void))
{
	hs_idle = hook;
}

void
hosted_sched_set_clock_step(sbintime_t step)
{
	hs_step = step;
}

sbintime_t
hosted_sched_now(void)
{
	return (hs_now);
}

void
hosted_sched_advance(sbintime_t d)
{
	hs_now += d;
}

sbintime_t
sbinuptime(void)
{
	sbintime_t t = hs_now;

	hs_now += hs_step;
	return (t);
}

static void
hs_make_runnable(struct thread *td, int slpret)
{
	td->td_state = TDS_RUNQ;
	td->td_wchan = NULL;
	td->td_slpret = slpret;
	hs_slot(td)->wake_at = 0;
	TAILQ_INSERT_TAIL(&hs_runq, td, td_runq);
}

/* Runs the next runnable thread; returns when curthread runs again. */
static void
hs_switch(void)
{
	struct thread *cur = curthread, *next;

	while ((next = TAILQ_FIRST(&hs_runq)) == NULL) {
		struct hs_slot *first = NULL;

		if (hs_idle != NULL && hs_idle())
			continue;
		for (int i = 0; i < hs_nslots; i++) {
			struct hs_slot *s = &hs_slots[i];

			if (s->td->td_state == TDS_SLEEPING && s->wake_at != 0 &&
			    (first == NULL || s->wake_at < first->wake_at))
				first = s;
		}
		if (first == NULL) {
			for (int i = 0; i < hs_nslots; i++)
				printf("hosted_sched: %s state %d on %s\n",
				    hs_slots[i].td->td_name,
				    hs_slots[i].td->td_state,
				    hs_slots[i].td->td_wmesg != NULL ?
				    hs_slots[i].td->td_wmesg : "-");
			panic("hosted_sched: deadlock, every thread sleeps "
			    "forever (thread0 on %s)", thread0.td_wmesg != NULL ?
			    thread0.td_wmesg : "-");
		}
		if (hs_now < first->wake_at)
			hs_now = first->wake_at;
		hs_make_runnable(first->td, EWOULDBLOCK);
	}
	TAILQ_REMOVE(&hs_runq, next, td_runq);
	next->td_state = TDS_RUNNING;
	if (next == cur)
		return;
	hosted_pcpu.pc_curthread = next;
	hosted_ctx_switch(hs_slot(cur)->ctx, hs_slot(next)->ctx);
	hosted_pcpu.pc_curthread = cur;
}

static void
hs_thread_start(void *arg)
{
	struct thread *td = arg;

	td->td_func(td->td_arg);
	kthread_exit();
}

int
kthread_add(void (*func)(void *), void *arg, struct thread **tdp, int cpu,
    const char *fmt, ...)
{
	struct thread *td;
	struct hs_slot *s;
	va_list ap;

	if (hs_nslots == HS_MAX_THREADS)
		return (ENOMEM);
	td = malloc(sizeof(*td), M_TEMP, M_WAITOK | M_ZERO);
	va_start(ap, fmt);
	vsnprintf(td->td_name, sizeof(td->td_name), fmt, ap);
	va_end(ap);
	td->td_func = func;
	td->td_arg = arg;
	td->td_cpu = 0;
	s = &hs_slots[hs_nslots++];
	s->td = td;
	s->ctx = hosted_ctx_new(hs_thread_start, td);
	hs_make_runnable(td, 0);
	if (tdp != NULL)
		*tdp = td;
	return (0);
}

void
kthread_exit(void)
{
	curthread->td_state = TDS_DEAD;
	hs_switch();
	panic("hosted_sched: a dead thread ran");
}

int
msleep(const void *chan, struct mtx *mtx, const char *wmesg, sbintime_t timo)
{
	struct thread *td = curthread;
	struct hs_slot *s = hs_slot(td);
	bool spin = mtx != NULL && (mtx->mtx_flags & MTX_SPIN);

	if (timo < 0)
		panic("msleep(%s): negative timeout %jd", wmesg, (intmax_t)timo);
	if (mtx != NULL) {
		mtx_assert(mtx, MA_OWNED);
		if (spin)
			mtx_unlock_spin(mtx);
		else
			mtx_unlock(mtx);
	}
	if (timo == 0)
		s->unbounded++;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_slpret = 0;
	td->td_state = TDS_SLEEPING;
	s->wake_at = timo == 0 ? 0 : (timo > SBT_MAX - hs_now ? SBT_MAX :
	    hs_now + timo);
	hs_switch();
	td->td_wmesg = NULL;
	if (mtx != NULL) {
		if (spin)
			mtx_lock_spin(mtx);
		else
			mtx_lock(mtx);
	}
	return (td->td_slpret);
}

int
tsleep(const void *chan, const char *wmesg, sbintime_t timo)
{
	return (msleep(chan, NULL, wmesg, timo));
}

static void
hs_wakeup(const void *chan, bool one)
{
	for (int i = 0; i < hs_nslots; i++) {
		struct thread *td = hs_slots[i].td;

		if (td->td_state == TDS_SLEEPING && td->td_wchan == chan) {
			hs_make_runnable(td, 0);
			if (one)
				return;
		}
	}
}

void
wakeup(const void *chan)
{
	hs_wakeup(chan, false);
}

void
wakeup_one(const void *chan)
{
	hs_wakeup(chan, true);
}

void
__wrap_kern_yield(void)
{
	struct thread *td = curthread;

	hs_slot(td)->yields++;
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&hs_runq, td, td_runq);
	hs_switch();
}

bool
hosted_sched_run_until(bool (*cond)(void *), void *arg, sbintime_t max)
{
	sbintime_t end = hs_now + max;

	while (!cond(arg)) {
		if (hs_now >= end)
			return (false);
		tsleep(&hs_main_chan, "kuwait", SBT_1MS);
	}
	return (true);
}

struct thread *
hosted_sched_thread(const char *name)
{
	for (int i = 0; i < hs_nslots; i++)
		if (strcmp(hs_slots[i].td->td_name, name) == 0)
			return (hs_slots[i].td);
	return (NULL);
}

uint64_t
hosted_sched_yields(const struct thread *td)
{
	return (hs_slot(td)->yields);
}

uint64_t
hosted_sched_unbounded_sleeps(const struct thread *td)
{
	return (hs_slot(td)->unbounded);
}
