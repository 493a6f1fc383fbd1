/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Deliberate traps: caught ones are reported to the catcher; an uncaught one
 * is reported (trap, registers, backtrace) and panics.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>
#include <machine/trap.h>

/* Canonical, never mapped: PML4 slot 288 is unused by the kernel. */
#define UNMAPPED_VA	0xffff900000001000UL

extern char	ud2_insn[];

KTEST(trap_ud_caught)
{
	struct trap_catch tc;

	if (trap_catch_arm(&tc) == 0) {
		__asm__ __volatile__(".globl ud2_insn; ud2_insn: ud2");
		trap_catch_disarm();
		KT_FAIL("ud2 executed without a trap");
	}
	KT_ASSERT(tc.tc_trapno == T_PRIVINFLT, "caught trap %d, want %d",
	    tc.tc_trapno, T_PRIVINFLT);
	KT_ASSERT(tc.tc_rip == (uint64_t)ud2_insn, "trap rip %#lx, want %p",
	    tc.tc_rip, ud2_insn);
}

KTEST(trap_pf_caught)
{
	struct trap_catch tc;
	volatile uint64_t *p = (volatile uint64_t *)UNMAPPED_VA;
	uint64_t v = 0;

	if (trap_catch_arm(&tc) == 0) {
		v = *p;
		trap_catch_disarm();
		KT_FAIL("read of %p gave %#lx without a fault", p, v);
	}
	KT_ASSERT(tc.tc_trapno == T_PAGEFLT, "caught trap %d, want %d",
	    tc.tc_trapno, T_PAGEFLT);
	KT_ASSERT(tc.tc_addr == UNMAPPED_VA, "cr2 %#lx, want %#lx", tc.tc_addr,
	    UNMAPPED_VA);
	KT_ASSERT((tc.tc_err & 1) == 0, "error code %#lx says page present",
	    tc.tc_err);
}

static void
uncaught_ud(struct ktest_ctx *ctx __unused)
{
	__asm__ __volatile__("ud2");
}

/* An uncaught trap inside a test panics; the runner turns that into ERROR. */
KTEST(trap_uncaught_panics)
{
	struct ktest_ctx ctx;

	KT_ASSERT(ktest_ends_with_error(uncaught_ud, "panic: trap 6", &ctx),
	    "uncaught #UD gave result %d: \"%s\"", ctx.result, ctx.detail);
}

static struct {
	struct trap_catch	*pending;	/* on entry: the thread's? */
	int			own_trapno;	/* the handler's own catch */
	u_int			own_depth;
	struct trap_catch	*after;
} ih;

static void
catch_probe_intr(struct trapframe *tf __unused, void *arg __unused)
{
	struct trap_catch tc;

	ih.pending = trap_catch_pending();
	if (trap_catch_arm(&tc) == 0) {
		__asm__ __volatile__("ud2");
		trap_catch_disarm();
	}
	ih.own_trapno = tc.tc_trapno;
	ih.own_depth = intr_nesting();
	ih.after = trap_catch_pending();
}

/*
 * A thread's catch does not apply inside an interrupt handler that runs in
 * its window (resuming the thread there would abandon the interrupt frame);
 * the handler's own catch does, and resumes in the handler.
 */
KTEST(trap_catch_not_in_interrupt)
{
	struct trap_catch tc;
	register_t rf;
	u_int vec;
	int error;
	bool before = false, kept = false;

	memset(&ih, 0, sizeof(ih));
	error = intr_alloc_vector(catch_probe_intr, NULL, &vec);
	KT_ASSERT(error == 0, "intr_alloc_vector: %d", error);
	if (trap_catch_arm(&tc) == 0) {
		before = trap_catch_pending() == &tc;
		rf = intr_disable();
		intr_execute_vector(vec);
		intr_restore(rf);
		kept = trap_catch_pending() == &tc;
		trap_catch_disarm();
	} else {
		intr_free_vector(vec);
		KT_FAIL("thread's catch took trap %d from the handler",
		    tc.tc_trapno);
	}
	intr_free_vector(vec);
	KT_ASSERT(before, "thread's catch not pending");
	KT_ASSERT(kept, "thread's catch lost");
	KT_ASSERT(ih.pending == NULL,
	    "thread's catch pending inside an interrupt handler");
	KT_ASSERT(ih.own_trapno == T_PRIVINFLT && ih.own_depth == 1,
	    "handler's own catch: trap %d at depth %u", ih.own_trapno,
	    ih.own_depth);
	KT_ASSERT(ih.after == NULL, "a catch pending after the handler's own");
	KT_ASSERT(trap_catch_pending() == NULL, "a catch left armed");
}
