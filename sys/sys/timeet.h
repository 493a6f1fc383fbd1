/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event timers: per-CPU one-shot interrupt sources.  The MI clock code picks
 * the best registered timer and programs it on each CPU for the next callout
 * deadline; the timer's interrupt handler calls et_event() on that CPU.
 */
#ifndef _SYS_TIMEET_H_
#define _SYS_TIMEET_H_

#include <sys/types.h>

#define ET_FLAGS_ONESHOT	0x02
#define ET_FLAGS_PERCPU		0x04

struct eventtimer {
	const char	*et_name;
	int		et_flags;
	int		et_quality;
	sbintime_t	et_min_period;
	sbintime_t	et_max_period;
	/* Arms this CPU's timer to fire once after 'first'. */
	int		(*et_start)(struct eventtimer *, sbintime_t first);
	int		(*et_stop)(struct eventtimer *);
	/* Prepares the calling CPU (run on every CPU as it starts). */
	void		(*et_cpu_init)(struct eventtimer *);
	void		*et_priv;
	struct eventtimer *et_next;
};

int	et_register(struct eventtimer *);
struct eventtimer *et_current(void);
/* Called by a timer's interrupt handler on the CPU it fired on. */
void	et_event(struct eventtimer *);
/* Called on each CPU once it runs, to start its timer. */
void	et_cpu_start(void);
/* Counts timer interrupts on this CPU (for tests). */
uint64_t et_event_count(int cpu);

#endif /* !_SYS_TIMEET_H_ */
