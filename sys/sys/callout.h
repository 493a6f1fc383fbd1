/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Callouts: functions run at a time, on the CPU that scheduled them, from the
 * event timer's interrupt.  A callout function must not sleep.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/queue.h>
#include <sys/types.h>

struct callout {
	LIST_ENTRY(callout)	c_link;
	sbintime_t		c_time;		/* absolute uptime to fire */
	void			(*c_func)(void *);
	void			*c_arg;
	int			c_cpu;
	volatile int		c_flags;
};

#define CALLOUT_PENDING		0x0001
#define CALLOUT_ACTIVE		0x0002
#define CALLOUT_RUNNING		0x0004

void	callout_init(struct callout *, int mpsafe);
/* Schedules (or reschedules) to run after sbt from now; returns 1 if it was pending. */
int	callout_reset_sbt(struct callout *, sbintime_t sbt, void (*)(void *), void *arg);
int	callout_reset_sbt_on(struct callout *, sbintime_t sbt, void (*)(void *), void *arg, int cpu);
/* Cancels; returns 1 if it was pending. */
int	callout_stop(struct callout *);
/* Cancels and waits for a running handler to finish (thread context). */
int	callout_drain(struct callout *);
#define callout_pending(c)	((c)->c_flags & CALLOUT_PENDING)

/* Called by the event-timer glue on each CPU when its timer fires. */
void	callout_process(sbintime_t now);
/* Earliest pending deadline on this CPU, or INT64_MAX. */
sbintime_t callout_next_deadline(void);

#endif /* !_SYS_CALLOUT_H_ */
