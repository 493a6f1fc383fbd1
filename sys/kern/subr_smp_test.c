/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * smp_rendezvous() steps are barriers: no CPU starts the action before
 * every CPU has done the setup, nor the teardown before every action.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/smp.h>
#include <sys/systm.h>

static volatile u_int	rv_setups, rv_actions, rv_teardowns, rv_bad;
static volatile u_int	rv_seen[MAXCPU];

static void
rv_setup_fn(void *arg __unused)
{
	__atomic_fetch_add(&rv_setups, 1, __ATOMIC_SEQ_CST);
}

static void
rv_action_fn(void *arg)
{
	if (rv_setups != *(u_int *)arg)
		__atomic_fetch_add(&rv_bad, 1, __ATOMIC_SEQ_CST);
	rv_seen[curcpu]++;
	__atomic_fetch_add(&rv_actions, 1, __ATOMIC_SEQ_CST);
}

static void
rv_teardown_fn(void *arg)
{
	if (rv_actions != *(u_int *)arg)
		__atomic_fetch_add(&rv_bad, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&rv_teardowns, 1, __ATOMIC_SEQ_CST);
}

KTEST(rendezvous_steps_ordered)
{
	u_int n = mp_ncpus, cpu;

	if (n == 1 || !smp_started)
		KT_SKIP("one CPU running");
	rv_setups = rv_actions = rv_teardowns = rv_bad = 0;
	for (cpu = 0; cpu < MAXCPU; cpu++)
		rv_seen[cpu] = 0;
	for (int round = 0; round < 50; round++) {
		rv_setups = rv_actions = rv_teardowns = 0;
		smp_rendezvous(rv_setup_fn, rv_action_fn, rv_teardown_fn, &n);
		KT_ASSERT(rv_teardowns == n, "round %d: %u teardowns", round,
		    rv_teardowns);
	}
	KT_ASSERT(rv_bad == 0, "%u steps began before the last one ended",
	    rv_bad);
	CPU_FOREACH(cpu)
		KT_ASSERT(rv_seen[cpu] == 50, "cpu %u ran the action %u times",
		    cpu, rv_seen[cpu]);
	KT_NOTE("50 rendezvous on %u CPUs", n);
}
