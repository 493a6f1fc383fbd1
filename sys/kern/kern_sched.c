/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Per-CPU run queues and the switch.  Threads are bound to their CPU and
 * never preempted, so a run queue is only ever run by its own CPU; other
 * CPUs only append to it (wakeup) and then poke it with IPI_AST.
 *
 * The run-queue lock is held across cpu_switch(): the thread switched to
 * releases it (after its own cpu_switch returns, or in fork_exit).  Because
 * the releasing thread is not the one that locked, it is a bare spin word,
 * not a struct mtx, but it is taken inside spinlock_enter() like every spin
 * lock.  A switch happens with exactly that one spin section open; the
 * interrupt flag its outermost spinlock_enter() saved belongs to the
 * switching thread, so each thread keeps its own across the switch.
 *
 * A thread that blocks with nothing queued switches to the CPU's idle
 * thread.  Every CPU has one from the moment it can block: the APs start on
 * theirs, and CPU0 gets idle0 at SI_SUB_SCHED, so the SYSINITs and the
 * ktests that run on thread0 block like any thread.  Once the SYSINITs are
 * done, thread0 parks for good (thread0_park).
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/smp.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>
#include <machine/md_var.h>

#include "kern_priv.h"

struct runq {
	volatile u_int		rq_lock;
	TAILQ_HEAD(, thread)	rq_head;
	struct thread		*rq_idle;
	struct thread		*rq_dead;	/* exited, to free off its stack */
	uint64_t		rq_switches;
	uint64_t		rq_idle_switches;	/* of those, to rq_idle */
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

void
sched_lock(int cpu)
{
	spinlock_enter();
	while (!atomic_cmpset_int(&runqs[cpu].rq_lock, 0, 1))
		cpu_spinwait();
}

void
sched_unlock(int cpu)
{
	KASSERT(runqs[cpu].rq_lock != 0, ("sched_unlock(%d): not locked", cpu));
	atomic_store_rel_int(&runqs[cpu].rq_lock, 0);
	spinlock_exit();
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

	if (!runqs_ready)
		panic("sched_add(%s) before the run queues exist", td->td_name);
	sched_lock(cpu);
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&runqs[cpu].rq_head, td, td_runq);
	sched_unlock(cpu);
	/* A halted CPU only looks at its queue again after an interrupt. */
	if (cpu != (int)curcpu && pcpu_find(cpu) != NULL &&
	    pcpu_find(cpu)->pc_started)
		ipi_cpu(cpu, IPI_AST);
}

/*
 * CPU time: the outgoing thread is charged for its run, the incoming one
 * starts a new run.  Called with the run-queue lock held; td_runtime and
 * td_oncpu change only here, on the thread's own CPU (threads are bound),
 * so one CPU's clock measures every run.
 */
static void
sched_charge(struct thread *td, struct thread *next)
{
	uint64_t now = cpu_uptime_ns();

	if (now > td->td_oncpu)
		td->td_runtime += now - td->td_oncpu;
	next->td_oncpu = now;
}

/*
 * No lock: kernel code is not preempted, so curthread's two fields only
 * change when it switches itself; another thread's td_runtime is one
 * aligned word.  Called on every system call (system time): two clock
 * reads, nothing shared written.
 */
uint64_t
thread_runtime(struct thread *td)
{
	uint64_t t = td->td_runtime, now;

	if (td == curthread) {
		now = cpu_uptime_ns();
		if (now > td->td_oncpu)
			t += now - td->td_oncpu;
	}
	return (t);
}

/*
 * Adds the cycles since td_sysc0 to td's system time (curthread, in a
 * system call).  A step back of the counter counts nothing.
 */
void
thread_syscall_charge(struct thread *td)
{
	uint64_t c = rdtsc();

	if (c > td->td_sysc0)
		td->td_syscycles += c - td->td_sysc0;
}

/*
 * td's system-call time in ns, from the cycles thread_syscall_charge
 * counted.  Any thread's: one aligned word, written by td alone.
 */
uint64_t
thread_systime(const struct thread *td)
{
	uint64_t c = __atomic_load_n(&td->td_syscycles, __ATOMIC_RELAXED);

	if (tsc_freq == 0)
		return (0);
	return ((uint64_t)((unsigned __int128)c * 1000000000U / tsc_freq));
}

/*
 * Gives the CPU away from td (curthread) until td is running again.  The
 * caller set td_state: TDS_RUNQ (queued, a yield), TDS_SLEEPING or
 * TDS_DEAD.  Run-queue lock held, and no other spin lock, on entry and
 * return.
 */
void
sched_switch_locked(struct thread *td)
{
	int cpu = td->td_cpu;
	struct runq *rq = &runqs[cpu];
	struct thread *next;
	register_t flags;

	KASSERT(rq->rq_lock != 0, ("sched_switch_locked: cpu%d not locked",
	    cpu));
	if (spinlock_count() != 1)
		panic("thread %s switches with spin lock %s held (%u spin "
		    "sections)", td->td_name, spinlock_held_name(NULL),
		    spinlock_count());
	next = TAILQ_FIRST(&rq->rq_head);
	if (next != NULL)
		TAILQ_REMOVE(&rq->rq_head, next, td_runq);
	else if (td->td_state == TDS_RUNNING)
		return;
	else if (rq->rq_idle != NULL && rq->rq_idle != td)
		next = rq->rq_idle;
	else
		panic("cpu%d: %s blocks and there is no idle thread", cpu,
		    td->td_name);
	next->td_state = TDS_RUNNING;
	if (next == td)
		return;
	rq->rq_switches++;
	if (next == rq->rq_idle)
		rq->rq_idle_switches++;
	sched_charge(td, next);
	/* A call that blocks is charged its time on the CPU alone. */
	if (td->td_sysc0 != 0)
		thread_syscall_charge(td);
	flags = get_pcpu()->pc_spin_flags;
	get_pcpu()->pc_curthread = next;
	cpu_switch_prepare(td, next);
	cpu_switch(td, next);
	/* Back on td, same CPU: threads are bound. */
	get_pcpu()->pc_spin_flags = flags;
	if (td->td_sysc0 != 0)
		td->td_sysc0 = rdtsc() | 1;
	KASSERT(spinlock_count() == 1, ("%s resumes with %u spin sections",
	    td->td_name, spinlock_count()));
	sched_reap(rq);
}

/* First code of every new thread, from fork_trampoline. */
void	fork_exit(void (*func)(void *), void *arg);

void
fork_exit(void (*func)(void *), void *arg)
{
	struct runq *rq = &runqs[curcpu];

	sched_reap(rq);
	/* The switch's spin section is ours now; a thread starts with IF on. */
	get_pcpu()->pc_spin_flags = PSL_I;
	sched_unlock((int)curcpu);
	func(arg);
	kthread_exit();
}

void
kern_yield(void)
{
	struct thread *td = curthread;

	if (!runqs_ready || td == NULL || intr_nesting() != 0 ||
	    (td->td_flags & TDF_IDLE))
		return;
	if (spinlock_count() != 0)
		panic("kern_yield with spin lock %s held", spinlock_held_name(NULL));
	sched_lock(td->td_cpu);
	if (!TAILQ_EMPTY(&runqs[td->td_cpu].rq_head)) {
		td->td_state = TDS_RUNQ;
		TAILQ_INSERT_TAIL(&runqs[td->td_cpu].rq_head, td, td_runq);
		sched_switch_locked(td);
	}
	sched_unlock(td->td_cpu);
}

/* Nothing to do but wake the halted CPU, and notice a new early deadline. */
void
sched_ipi_ast(void)
{
	clocksource_reload();
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
	sched_lock(cpu);
	rq->rq_idle = td;
	sched_unlock(cpu);
	for (;;) {
		/* Off before the lock, so its release leaves them off. */
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

static void
idle_thread_main(void *arg __unused)
{
	sched_idle_loop();
}

/*
 * CPU0's idle thread.  One yield lets it run once and register itself, so
 * from here on rq_idle is set and a blocking thread0 switches to it.
 */
static void
idle0_create(void *arg __unused)
{
	struct thread *td;
	int error;

	error = kthread_add(idle_thread_main, NULL, &td, 0, "idle0");
	if (error != 0)
		panic("cannot create idle0: error %d", error);
	kern_yield();
	if (runqs[0].rq_idle != td)
		panic("idle0 did not register");
}
SYSINIT(idle0, SI_SUB_SCHED, SI_ORDER_FIRST, idle0_create, NULL);

void
thread0_park(void)
{
	static int parked;

	KASSERT(curthread == &thread0, ("thread0_park on %s",
	    curthread->td_name));
	for (;;)
		tsleep(&parked, "parked", 0);
}

struct thread *
sched_idle_thread(int cpu)
{
	return (runqs[cpu].rq_idle);
}

uint64_t
sched_idle_switches(int cpu)
{
	return (runqs[cpu].rq_idle_switches);
}
