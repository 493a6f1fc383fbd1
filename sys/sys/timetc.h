/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Time counters: free-running counters read to tell the time.  The registry
 * picks the one with the highest quality; sbinuptime() reads it.
 */
#ifndef _SYS_TIMETC_H_
#define _SYS_TIMETC_H_

#include <sys/types.h>

struct timecounter {
	const char	*tc_name;
	uint64_t	(*tc_get_timecount)(struct timecounter *);
	uint64_t	tc_counter_mask;
	uint64_t	tc_frequency;	/* Hz; 0 if tc_get_uptime is used */
	int		tc_quality;	/* higher is better; < 0 never chosen automatically */
	/*
	 * Optional: a counter that already returns nanoseconds of uptime
	 * (e.g. a paravirtual clock) sets this instead of a frequency.
	 */
	uint64_t	(*tc_get_uptime_ns)(struct timecounter *);
	void		*tc_priv;
	struct timecounter *tc_next;
};

void	tc_init(struct timecounter *);
struct timecounter *tc_current(void);
/* Makes a registered counter current (for tests and the command line). */
int	tc_select(const char *name);

#endif /* !_SYS_TIMETC_H_ */
