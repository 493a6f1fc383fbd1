/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Interfaces between the machine-independent kernel files that are not
 * part of the KPI (sys/sys): the scheduler, sleep queues, callouts, event
 * timers and time counters call each other through these.
 */
#ifndef _KERN_KERN_PRIV_H_
#define _KERN_KERN_PRIV_H_

#include <sys/types.h>

struct thread;

/* kern_tc.c: moves the time base forward so narrow counters cannot wrap. */
void	tc_windup(void);

/* kern_clocksource.c: a callout was scheduled on cpu for 'when'. */
void	clocksource_callout_added(int cpu, sbintime_t when);
/* Re-arms this CPU's timer if an earlier deadline appeared. */
void	clocksource_reload(void);

/* kern_sched.c */
void	sched_add(struct thread *td);
/* Runs another thread; called with the run-queue lock held via sched_lock(). */
void	sched_switch_locked(struct thread *td);
void	sched_lock(int cpu);
void	sched_unlock(int cpu);
bool	sched_cpu_running(void);
/* A CPU's idle thread (NULL until it first ran) and switches to it. */
struct thread *sched_idle_thread(int cpu);
uint64_t sched_idle_switches(int cpu);
/* Hands an exiting thread (curthread) to whoever runs next, to free it. */
void	sched_set_dead(struct thread *td);
/* kern_thread.c: frees an exited thread once off its stack. */
void	thread_reap(struct thread *td);
u_int	kthread_count(void);

#endif /* !_KERN_KERN_PRIV_H_ */
