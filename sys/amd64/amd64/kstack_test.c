/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Guard pages under kernel stacks: the page just below thread0's stack and
 * below every idle thread's (each AP's boot stack) is not mapped, and
 * running a stack off its end is a reported double fault, not corruption.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/trap.h>
#include <machine/vmparam.h>

/* 0 if the read faulted as not-present at exactly va, else a reason. */
static const char *
probe_unmapped(uintptr_t va, struct trap_catch *tc)
{
	volatile const char *p = (volatile const char *)va;

	if (trap_catch_arm(tc) == 0) {
		(void)*p;
		trap_catch_disarm();
		return ("read without a fault");
	}
	if (tc->tc_trapno != T_PAGEFLT)
		return ("not a page fault");
	if (tc->tc_addr != va)
		return ("fault at another address");
	if ((tc->tc_err & 1) != 0)
		return ("protection fault on a present page");
	return (NULL);
}

static void
check_guard(struct ktest_ctx *ktest_ctx, const struct thread *td)
{
	struct trap_catch tc;
	uintptr_t below = (uintptr_t)td->td_kstack - 8;
	const char *why;

	KT_ASSERT(td->td_kstack_size == KSTACK_SIZE, "%s: stack of %zu bytes",
	    td->td_name, td->td_kstack_size);
	why = probe_unmapped(below, &tc);
	KT_ASSERT(why == NULL, "%s: below its stack (%#lx): %s (trap %d cr2 "
	    "%#lx err %#lx)", td->td_name, below, why, tc.tc_trapno,
	    tc.tc_addr, tc.tc_err);
	/* The stack itself is mapped: its lowest word reads fine. */
	why = probe_unmapped((uintptr_t)td->td_kstack, &tc);
	KT_ASSERT(why != NULL && strcmp(why, "read without a fault") == 0,
	    "%s: bottom of its stack unreadable (trap %d)", td->td_name,
	    tc.tc_trapno);
}

KTEST(kstack_guard_thread0)
{
	KT_ASSERT(curthread == &thread0, "tests run on %s", curthread->td_name);
	check_guard(ktest_ctx, &thread0);
}

KTEST(kstack_guard_idle_threads)
{
	u_int i;

	CPU_FOREACH(i) {
		struct thread *idle = pcpu_find(i)->pc_idlethread;

		KT_ASSERT(idle != NULL, "cpu%u has no idle thread", i);
		check_guard(ktest_ctx, idle);
		if (ktest_ctx->result != KTEST_PASS)
			return;
	}
	KT_NOTE("%u idle threads checked", mp_ncpus);
}

static volatile u_long deepest;

static __attribute__((noinline)) u_long
recurse(u_long n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	deepest = n;
	if (n > 1000000)
		return (0);
	return (recurse(n + 1) + (u_long)frame[0]);
}

static void
overflow(struct ktest_ctx *ctx __unused)
{
	(void)recurse(0);
}

/* The fault on the guard cannot be pushed: #DF, on its own stack, reports. */
KTEST(kstack_overflow_double_faults)
{
	struct ktest_ctx ctx;

	KT_ASSERT(ktest_ends_with_error(overflow, "panic: trap 8 ", &ctx),
	    "stack overflow gave result %d: \"%s\"", ctx.result, ctx.detail);
	KT_NOTE("double fault after %lu frames", deepest);
}

static struct {
	void		*stack[2];
	volatile int	done;
} rc;

static void
record_stack(void *arg)
{
	int i = (int)(uintptr_t)arg;

	rc.stack[i] = curthread->td_kstack;
	__atomic_store_n(&rc.done, i + 1, __ATOMIC_RELEASE);
	wakeup(&rc);
}

/*
 * An exited thread's stack (reaped once its CPU switched away) goes to the
 * next thread created: stacks are recycled, not leaked, and keep a guard.
 */
KTEST(kstack_recycled)
{
	int error;

	memset(&rc, 0, sizeof(rc));
	for (int i = 0; i < 2; i++) {
		error = kthread_add(record_stack, (void *)(uintptr_t)i, NULL, 0,
		    "ktstack%d", i);
		KT_ASSERT(error == 0, "kthread_add: %d", error);
		/* Thread0 runs again only after the thread exited and was reaped. */
		for (int w = 0; __atomic_load_n(&rc.done, __ATOMIC_ACQUIRE) <
		    i + 1 && w < 100; w++)
			tsleep(&rc, "ktstack", 10 * SBT_1MS);
		KT_ASSERT(rc.done == i + 1, "thread %d did not run", i);
		kern_yield();
	}
	KT_ASSERT(rc.stack[0] != NULL && rc.stack[0] == rc.stack[1],
	    "second thread got stack %p, first had %p", rc.stack[1],
	    rc.stack[0]);
	KT_ASSERT((uintptr_t)rc.stack[0] >= KSTACK_MIN_ADDRESS &&
	    (uintptr_t)rc.stack[0] < KSTACK_MAX_ADDRESS,
	    "stack %p outside the stack region", rc.stack[0]);
}
