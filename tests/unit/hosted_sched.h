/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A hosted, deterministic scheduler for unit tests of code that sleeps:
 * kthread_add, msleep/tsleep, wakeup, kern_yield and sbinuptime over
 * cooperative contexts and a virtual clock.  The test body runs as thread0.
 * When no thread can run, the idle hook (a fake peer, say) runs; if it does
 * nothing, the clock jumps to the earliest sleep timeout; if no thread has
 * a timeout the test fails as a deadlock.  Programs using it link with
 * -Wl,--wrap=kern_yield (hosted_kern.c keeps a no-op for the others).
 */
#ifndef _HOSTED_SCHED_H_
#define _HOSTED_SCHED_H_

#include <sys/types.h>
#include <sys/time.h>

struct thread;

void	hosted_sched_init(void);
/* Called when no thread is runnable; returns true if it did something. */
void	hosted_sched_set_idle(bool (*hook)(void));
/* Virtual time added by every sbinuptime() read (default 0). */
void	hosted_sched_set_clock_step(sbintime_t step);
sbintime_t hosted_sched_now(void);
void	hosted_sched_advance(sbintime_t d);
/* Lets the other threads run until cond(arg) holds or max virtual time passes. */
bool	hosted_sched_run_until(bool (*cond)(void *), void *arg, sbintime_t max);
/* A thread created by kthread_add, by name (NULL if none). */
struct thread *hosted_sched_thread(const char *name);
/* kern_yield calls made by td. */
uint64_t hosted_sched_yields(const struct thread *td);
/* msleep calls by td with timo 0 ("forever"). */
uint64_t hosted_sched_unbounded_sleeps(const struct thread *td);

#endif /* !_HOSTED_SCHED_H_ */
