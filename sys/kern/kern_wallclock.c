/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The wall clock: UTC as an offset from uptime.  Sources (the native RTC,
 * Xen's shared wallclock) register a reading once, at SI_SUB_CLOCKS; the
 * offset is fixed from the best one (highest quality) and from then on
 * UTC moves with uptime, so it never jumps while programs read it.  Until
 * a source registers, or with none at all, UTC starts at the epoch at
 * boot.  Nothing sets the clock afterwards (no settimeofday, no NTP).
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

static volatile int64_t	wc_offset_ns;	/* UTC minus uptime */
static const char	*wc_name = "none";
static int		wc_quality = -1;
static volatile u_int	wc_lock;

void
wallclock_register(const char *name, int quality, int64_t utc_ns)
{
	int64_t off = utc_ns - (int64_t)nanouptime_ns();
	bool used = false;

	while (!atomic_cmpset_int(&wc_lock, 0, 1))
		cpu_spinwait();
	if (quality > wc_quality) {
		wc_quality = quality;
		wc_name = name;
		used = true;
		atomic_store_rel_64((volatile uint64_t *)&wc_offset_ns,
		    (uint64_t)off);
	}
	atomic_store_rel_int(&wc_lock, 0);
	printf("wallclock: %s reads %ld s UTC (quality %d)%s\n", name,
	    (long)(utc_ns / 1000000000), quality,
	    used ? "" : ", not used");
}

int64_t
realtime_ns(void)
{
	return ((int64_t)nanouptime_ns() + wc_offset_ns);
}

int
wallclock_quality(void)
{
	return (__atomic_load_n(&wc_quality, __ATOMIC_ACQUIRE));
}

const char *
wallclock_name(void)
{
	return (wc_name);
}
