/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Time-counter registry and uptime.  Uptime is an offset plus the scaled
 * distance from a base reading of the current counter.  The base is moved
 * forward now and then (tc_windup) so narrow counters never wrap between
 * two updates, and moved over to the new counter when the choice changes,
 * so uptime is continuous across a switch.  Two slots and a generation let
 * readers on other CPUs read without a lock.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timetc.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

#include "kern_priv.h"

struct tc_base {
	struct timecounter	*tb_tc;
	uint64_t		tb_count;	/* counter reading at the base */
	sbintime_t		tb_sbt;		/* uptime at the base */
	uint64_t		tb_scale;	/* 2^64 / frequency */
};

static struct tc_base	tc_bases[2];
static volatile u_int	tc_gen;
static struct timecounter *tc_list;
static volatile sbintime_t tc_last;	/* highest uptime handed out */
static volatile u_int	tc_wlock;	/* serialises writers */

static sbintime_t
tc_delta(const struct tc_base *tb, uint64_t now)
{
	struct timecounter *tc = tb->tb_tc;
	uint64_t d;

	if (tc->tc_get_uptime_ns != NULL)
		return (nstosbt((int64_t)(now - tb->tb_count)));
	d = (now - tb->tb_count) & tc->tc_counter_mask;
	return ((sbintime_t)(((unsigned __int128)d * tb->tb_scale) >> 32));
}

static uint64_t
tc_read(struct timecounter *tc)
{
	if (tc->tc_get_uptime_ns != NULL)
		return (tc->tc_get_uptime_ns(tc));
	return (tc->tc_get_timecount(tc));
}

static sbintime_t
tc_compute(void)
{
	const struct tc_base *tb;
	sbintime_t t;
	u_int gen;

	do {
		gen = atomic_load_acq_int(&tc_gen);
		tb = &tc_bases[gen & 1];
		if (tb->tb_tc == NULL)
			t = 0;
		else
			t = tb->tb_sbt + tc_delta(tb, tc_read(tb->tb_tc));
	} while (atomic_load_acq_int(&tc_gen) != gen);
	return (t);
}

uint64_t
cpu_uptime_ns(void)
{
	return ((uint64_t)sbttons(tc_compute()));
}

sbintime_t
sbinuptime(void)
{
	sbintime_t t = tc_compute(), last;

	/*
	 * Never step back: counters on different CPUs (or an old and a new
	 * counter) may disagree by a little.
	 */
	last = __atomic_load_n(&tc_last, __ATOMIC_RELAXED);
	while (t > last) {
		if (__atomic_compare_exchange_n(&tc_last, &last, t, false,
		    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return (t);
	}
	return (last > t ? last : t);
}

uint64_t
nanouptime_ns(void)
{
	return ((uint64_t)sbttons(sbinuptime()));
}

/* Publishes a new base on tc (which may be the current counter). */
static void
tc_setbase(struct timecounter *tc)
{
	register_t rf = intr_disable();
	struct tc_base *nb;
	sbintime_t now;

	while (!atomic_cmpset_int(&tc_wlock, 0, 1))
		cpu_spinwait();
	now = sbinuptime();
	nb = &tc_bases[(tc_gen + 1) & 1];
	nb->tb_tc = tc;
	nb->tb_count = tc_read(tc);
	nb->tb_sbt = now;
	nb->tb_scale = tc->tc_frequency != 0 ?
	    UINT64_MAX / tc->tc_frequency : 0;
	atomic_store_rel_int(&tc_gen, tc_gen + 1);
	atomic_store_rel_int(&tc_wlock, 0);
	intr_restore(rf);
}

void
tc_windup(void)
{
	struct timecounter *tc = tc_bases[tc_gen & 1].tb_tc;

	if (tc != NULL)
		tc_setbase(tc);
}

void
tc_init(struct timecounter *tc)
{
	struct timecounter *cur = tc_current();

	if (tc->tc_get_uptime_ns == NULL &&
	    (tc->tc_frequency == 0 || tc->tc_get_timecount == NULL)) {
		printf("timecounter %s: no frequency, ignored\n", tc->tc_name);
		return;
	}
	tc->tc_next = tc_list;
	tc_list = tc;
	if (bootverbose)
		printf("timecounter %s: %lu Hz quality %d\n", tc->tc_name,
		    (u_long)tc->tc_frequency, tc->tc_quality);
	if (tc->tc_quality < 0)
		return;
	if (cur == NULL || tc->tc_quality > cur->tc_quality) {
		tc_setbase(tc);
		printf("timecounter: %s\n", tc->tc_name);
	}
}

struct timecounter *
tc_current(void)
{
	return (tc_bases[atomic_load_acq_int(&tc_gen) & 1].tb_tc);
}

int
tc_select(const char *name)
{
	for (struct timecounter *tc = tc_list; tc != NULL; tc = tc->tc_next) {
		if (strcmp(tc->tc_name, name) == 0) {
			tc_setbase(tc);
			return (0);
		}
	}
	return (ENOENT);
}
