/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

#define SBT_1S		((sbintime_t)1 << 32)
#define SBT_1MS		(SBT_1S / 1000)
#define SBT_1US		(SBT_1S / 1000000)
#define SBT_1NS		(SBT_1S / 1000000000)
#define SBT_MAX		INT64_MAX

static inline sbintime_t
nstosbt(int64_t ns)
{
	/* Split to keep the multiplication in range for large values. */
	return ((ns / 1000000000) * SBT_1S +
	    (((ns % 1000000000) * (int64_t)(SBT_1S >> 2)) / 250000000));
}

static inline int64_t
sbttons(sbintime_t sbt)
{
	return ((sbt >> 32) * 1000000000 +
	    (int64_t)(((uint64_t)(sbt & 0xffffffff) * 1000000000) >> 32));
}

#define ustosbt(us)	nstosbt((int64_t)(us) * 1000)
#define mstosbt(ms)	nstosbt((int64_t)(ms) * 1000000)
#define sbttous(s)	(sbttons(s) / 1000)
#define sbttoms(s)	(sbttons(s) / 1000000)

/* Monotonic time since boot from the best time counter. */
sbintime_t	sbinuptime(void);
uint64_t	nanouptime_ns(void);
/*
 * Uptime as this CPU reads it, without the step that keeps readings from
 * different CPUs in order (a shared word): cheap, for intervals measured
 * on one CPU (CPU-time accounting).
 */
uint64_t	cpu_uptime_ns(void);

/*
 * The wall clock (kern_wallclock.c): a source registers what it reads as
 * UTC now (ns since 1970); the highest quality wins.  realtime_ns is UTC
 * now, moving with uptime.
 */
void		wallclock_register(const char *name, int quality, int64_t utc_ns);
int64_t		realtime_ns(void);
const char	*wallclock_name(void);
/* The quality of the source in use (-1: none yet), for a lesser one to skip. */
int		wallclock_quality(void);

#endif /* !_SYS_TIME_H_ */
