/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Threads, sleep and wakeup.  Shared state is static: a thread may still be
 * on its way out (kthread_exit) when the test returns.  Every wait has a
 * timeout so a broken wakeup fails the test instead of hanging the run.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include <machine/cpufunc.h>

#define PINGPONG_ROUNDS	200

static struct {
	struct mtx	mtx;
	int		turn;		/* whose move: 0 or 1 */
	int		rounds[2];
	int		timeouts;
	int		done;
	int		cpu[2];
} pp;

static void
pingpong_thread(void *arg)
{
	int me = (int)(uintptr_t)arg;

	mtx_lock(&pp.mtx);
	pp.cpu[me] = (int)curcpu;
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		while (pp.turn != me) {
			if (msleep(&pp.turn, &pp.mtx, "pingpong",
			    SBT_1S) == EWOULDBLOCK && ++pp.timeouts > 3)
				goto out;
		}
		pp.rounds[me]++;
		pp.turn = !me;
		wakeup(&pp.turn);
	}
out:
	pp.done++;
	wakeup(&pp.done);
	mtx_unlock(&pp.mtx);
}

static void
pingpong(struct ktest_ctx *ktest_ctx, int cpu_a, int cpu_b)
{
	int error;

	memset(&pp, 0, sizeof(pp));
	mtx_init(&pp.mtx, "pingpong", NULL, MTX_DEF);
	error = kthread_add(pingpong_thread, (void *)0, NULL, cpu_a, "ping");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	error = kthread_add(pingpong_thread, (void *)1, NULL, cpu_b, "pong");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	mtx_lock(&pp.mtx);
	while (pp.done < 2)
		if (msleep(&pp.done, &pp.mtx, "ppdone", 10 * SBT_1S) != 0)
			break;
	mtx_unlock(&pp.mtx);
	KT_ASSERT(pp.done == 2, "threads did not finish (rounds %d/%d)",
	    pp.rounds[0], pp.rounds[1]);
	KT_ASSERT(pp.timeouts == 0, "%d wakeups lost", pp.timeouts);
	KT_ASSERT(pp.rounds[0] == PINGPONG_ROUNDS &&
	    pp.rounds[1] == PINGPONG_ROUNDS, "rounds %d/%d", pp.rounds[0],
	    pp.rounds[1]);
	KT_ASSERT(pp.cpu[0] == cpu_a && pp.cpu[1] == cpu_b,
	    "ran on cpu %d/%d, bound to %d/%d", pp.cpu[0], pp.cpu[1], cpu_a,
	    cpu_b);
	KT_NOTE("%d round trips, cpus %d and %d", PINGPONG_ROUNDS, cpu_a,
	    cpu_b);
}

KTEST(thread_sleep_wakeup_same_cpu)
{
	pingpong(ktest_ctx, 0, 0);
}

KTEST(thread_sleep_wakeup_cross_cpu)
{
	if (mp_ncpus < 2)
		KT_SKIP("one CPU");
	pingpong(ktest_ctx, 0, 1);
}

KTEST(msleep_timeout_ewouldblock)
{
	static int chan;
	sbintime_t t0, waited;
	int error;

	if (et_current() == NULL)
		KT_SKIP("no event timer registered");
	t0 = sbinuptime();
	error = tsleep(&chan, "kttimo", 20 * SBT_1MS);
	waited = sbinuptime() - t0;
	KT_ASSERT(error == EWOULDBLOCK, "tsleep returned %d", error);
	KT_ASSERT(waited >= 20 * SBT_1MS, "woke after %ld us",
	    (long)sbttous(waited));
	KT_ASSERT(waited < 2 * SBT_1S, "woke after %ld us",
	    (long)sbttous(waited));
	KT_NOTE("20 ms timeout after %ld us", (long)sbttous(waited));
}

/* Counter bumped with a deliberate window between read and write. */
static struct {
	struct mtx	mtx;
	volatile u_long	count;
	volatile int	done;
	volatile u_long	contended;
} mc;

#define MC_ITERS	20000

static void
mutex_thread(void *arg __unused)
{
	for (int i = 0; i < MC_ITERS; i++) {
		u_long v;

		if (!mtx_trylock(&mc.mtx)) {
			__atomic_fetch_add(&mc.contended, 1, __ATOMIC_RELAXED);
			mtx_lock(&mc.mtx);
		}
		v = mc.count;
		for (int j = 0; j < 20; j++)
			__asm__ __volatile__("pause");
		mc.count = v + 1;
		mtx_unlock(&mc.mtx);
		if ((i & 255) == 0)
			kern_yield();
	}
	__atomic_fetch_add(&mc.done, 1, __ATOMIC_SEQ_CST);
	wakeup(&mc);
}

KTEST(mutex_contention)
{
	int ncpu = mp_ncpus > 1 ? 2 : 1, error;

	memset(&mc, 0, sizeof(mc));
	mtx_init(&mc.mtx, "ktmutex", NULL, MTX_DEF);
	for (int i = 0; i < 2; i++) {
		error = kthread_add(mutex_thread, NULL, NULL, i % ncpu,
		    "ktmutex%d", i);
		KT_ASSERT(error == 0, "kthread_add: %d", error);
	}
	for (int waits = 0; __atomic_load_n(&mc.done, __ATOMIC_SEQ_CST) < 2 &&
	    waits < 100; waits++)
		tsleep(&mc, "ktmtx", 100 * SBT_1MS);
	KT_ASSERT(mc.done == 2, "threads did not finish");
	KT_ASSERT(mc.count == 2 * MC_ITERS, "count %lu, want %d: lost updates",
	    mc.count, 2 * MC_ITERS);
	KT_ASSERT(mc.mtx.mtx_lock == 0, "lock left held");
	KT_NOTE("%lu contended acquisitions on %d CPU(s)", mc.contended, ncpu);
}

KTEST(mutex_recursion_rules)
{
	struct mtx r, s;

	mtx_init(&r, "ktrecurse", NULL, MTX_DEF | MTX_RECURSE);
	mtx_lock(&r);
	mtx_lock(&r);
	KT_ASSERT(r.mtx_recurse == 1, "recurse %u", r.mtx_recurse);
	mtx_unlock(&r);
	mtx_assert(&r, MA_OWNED);
	mtx_unlock(&r);
	mtx_assert(&r, MA_NOTOWNED);

	mtx_init(&s, "ktspin", NULL, MTX_SPIN);
	mtx_lock_spin(&s);
	KT_ASSERT((read_rflags() & PSL_I) == 0,
	    "interrupts on under a spin lock");
	mtx_unlock_spin(&s);
	KT_ASSERT((read_rflags() & PSL_I) != 0,
	    "interrupts not restored");
}
