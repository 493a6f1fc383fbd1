/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Per-CPU run queues and the switch.  Threads are bound to their CPU and
 * never preempted, so a run queue is only ever run by its own CPU; other
 * CPUs only append to it (wakeup) and then poke it with IPI_AST.
 *
 * The run-queue lock is held across cpu_switch(): the thread switched to
 * releases it (after its own cpu_switch returns, or in fork_exit).  Because
 * the releasing thread is not the one that locked, it is a bare spin word
 * with interrupts kept off by hand, not a struct mtx.
 *
 * A thread that blocks with nothing queued switches to the CPU's idle
 * thread.  Before a CPU has one (the BSP runs SYSINITs and the ktests on
 * thread0 before thread0 becomes its idle thread) the blocking thread idles
 * in place: it halts with interrupts enabled until something is queued,
 * possibly itself.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/smp.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>

#include "kern_priv.h"

struct runq {
	volatile u_int		rq_lock;
	TAILQ_HEAD(, thread)	rq_head;
	struct thread		*rq_idle;
	struct thread		*rq_dead;	/* exited, to free off its stack */
	uint64_t		rq_switches;
};

static struct runq	runqs[MAXCPU];
static bool		runqs_ready;

static void
runqs_init(void *arg __unused)
{
	for (int i = 0; i < MAXCPU; i++)
		TAILQ_INIT(&runqs[i].rq_head);
	runqs_ready = true;
}
SYSINIT(runqs, SI_SUB_LOCK, SI_ORDER_FIRST, runqs_init, NULL);

/* Interrupts must already be off: the holder may switch threads. */
void
sched_lock(int cpu)
{
	while (!atomic_cmpset_int(&runqs[cpu].rq_lock, 0, 1))
		cpu_spinwait();
}

void
sched_unlock(int cpu)
{
	atomic_store_rel_int(&runqs[cpu].rq_lock, 0);
}

bool
sched_cpu_running(void)
{
	return (runqs_ready);
}

/* Frees a thread that exited on this CPU, now that we are off its stack. */
static void
sched_reap(struct runq *rq)
{
	struct thread *dead = rq->rq_dead;

	if (dead != NULL) {
		rq->rq_dead = NULL;
		thread_reap(dead);
	}
}

void
sched_set_dead(struct thread *td)
{
	struct runq *rq = &runqs[td->td_cpu];

	if (rq->rq_dead != NULL)
		panic("sched_set_dead: %s not reaped", rq->rq_dead->td_name);
	rq->rq_dead = td;
}

void
sched_add(struct thread *td)
{
	int cpu = td->td_cpu;
	register_t rf;

	if (!runqs_ready)
		panic("sched_add(%s) before the run queues exist", td->td_name);
	rf = intr_disable();
	sched_lock(cpu);
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&runqs[cpu].rq_head, td, td_runq);
	sched_unlock(cpu);
	intr_restore(rf);
	/* A halted CPU only looks at its queue again after an interrupt. */
	if (cpu != (int)curcpu && pcpu_find(cpu) != NULL &&
	    pcpu_find(cpu)->pc_started)
		ipi_cpu(cpu, IPI_AST);
}

/*
 * Gives the CPU away from td (curthread) until td is running again.  The
 * caller set td_state: TDS_RUNQ (queued, a yield), TDS_SLEEPING or
 * TDS_DEAD.  Run-queue lock held and interrupts off, on entry and return.
 */
void
sched_switch_locked(struct thread *td)
{
	int cpu = td->td_cpu;
	struct runq *rq = &runqs[cpu];
	struct thread *next;

	if (td->td_critnest != 0 && td->td_state != TDS_RUNQ)
		panic("thread %s blocks in a critical section", td->td_name);
	for (;;) {
		next = TAILQ_FIRST(&rq->rq_head);
		if (next != NULL)
			TAILQ_REMOVE(&rq->rq_head, next, td_runq);
		else if (td->td_state == TDS_RUNNING)
			return;
		else if (rq->rq_idle != NULL && rq->rq_idle != td)
			next = rq->rq_idle;
		if (next == NULL) {
			/* No idle thread yet: wait here for a wakeup. */
			sched_unlock(cpu);
			sti_hlt();
			disable_intr();
			sched_lock(cpu);
			continue;
		}
		next->td_state = TDS_RUNNING;
		if (next == td)
			return;
		rq->rq_switches++;
		get_pcpu()->pc_curthread = next;
		cpu_switch(td, next);
		/* Back on td, same CPU: threads are bound. */
		sched_reap(rq);
		return;
	}
}

/* First code of every new thread, from fork_trampoline. */
void	fork_exit(void (*func)(void *), void *arg);

void
fork_exit(void (*func)(void *), void *arg)
{
	struct runq *rq = &runqs[curcpu];

	sched_reap(rq);
	sched_unlock((int)curcpu);
	enable_intr();
	func(arg);
	kthread_exit();
}

void
kern_yield(void)
{
	struct thread *td = curthread;
	register_t rf;

	if (!runqs_ready || td == NULL || intr_nesting() != 0 ||
	    (td->td_flags & TDF_IDLE))
		return;
	rf = intr_disable();
	sched_lock(td->td_cpu);
	if (!TAILQ_EMPTY(&runqs[td->td_cpu].rq_head)) {
		td->td_state = TDS_RUNQ;
		TAILQ_INSERT_TAIL(&runqs[td->td_cpu].rq_head, td, td_runq);
		sched_switch_locked(td);
	}
	sched_unlock(td->td_cpu);
	intr_restore(rf);
}

/* Nothing to do but wake the halted CPU, and notice a new early deadline. */
void
sched_ipi_ast(void)
{
	clocksource_reload();
}

void
critical_enter(void)
{
	curthread->td_critnest++;
}

void
critical_exit(void)
{
	struct thread *td = curthread;

	if (td->td_critnest == 0)
		panic("critical_exit without critical_enter");
	td->td_critnest--;
}

void
sched_idle_loop(void)
{
	struct thread *td = curthread;
	int cpu = (int)curcpu;
	struct runq *rq;

	rq = &runqs[cpu];
	td->td_cpu = cpu;
	td->td_flags |= TDF_IDLE;
	td->td_state = TDS_RUNNING;
	if (td->td_name[0] == '\0')
		snprintf(td->td_name, sizeof(td->td_name), "idle%d", cpu);
	PCPU_SET(idlethread, td);
	disable_intr();
	sched_lock(cpu);
	rq->rq_idle = td;
	sched_unlock(cpu);
	for (;;) {
		disable_intr();
		sched_lock(cpu);
		if (!TAILQ_EMPTY(&rq->rq_head)) {
			td->td_state = TDS_INACTIVE;
			sched_switch_locked(td);
			sched_unlock(cpu);
			continue;
		}
		sched_unlock(cpu);
		/*
		 * sti takes effect after hlt starts, so a wakeup IPI that
		 * arrived since the check above ends this halt at once.
		 */
		sti_hlt();
	}
}
