/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Deliberate traps: caught ones are reported to the catcher; an uncaught one
 * is reported (trap, registers, backtrace) and panics.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>

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
	struct ktest inner = { "inner", uncaught_ud, __FILE__ };
	struct ktest_ctx ctx;
	enum ktest_result r;

	r = ktest_run_one(&inner, &ctx);
	KT_ASSERT(r == KTEST_ERROR, "uncaught #UD gave result %d", r);
	KT_ASSERT(strncmp(ctx.detail, "panic: trap 6", 13) == 0, "detail \"%s\"",
	    ctx.detail);
}
