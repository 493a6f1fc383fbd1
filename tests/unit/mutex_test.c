/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Spin mutexes over spinlock_enter/exit: the interrupt flag (modelled by the
 * hosted cpufunc.h) follows the per-CPU nesting, not the order locks are
 * released in; the held record names locks in panics and unwinds them.
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include "kunit.h"

static struct mtx	a, b, s;
extern u_int		hosted_intr_depth;

static void
setup(void)
{
	memset(&hosted_pcpu, 0, sizeof(hosted_pcpu));
	hosted_pcpu.pc_self = &hosted_pcpu;
	hosted_pcpu.pc_curthread = &thread0;
	hosted_rflags = PSL_I;
	hosted_intr_depth = 0;
	mtx_init(&a, "ut spin a", NULL, MTX_SPIN);
	mtx_init(&b, "ut spin b", NULL, MTX_SPIN | MTX_RECURSE);
	mtx_init(&s, "ut sleep", NULL, MTX_DEF);
}

static bool
intr_on(void)
{
	return ((read_rflags() & PSL_I) != 0);
}

/* Releasing the outer lock first must not turn interrupts back on. */
KUNIT_TEST(spin_release_out_of_order)
{
	setup();
	mtx_lock_spin(&a);
	mtx_lock_spin(&b);
	mtx_unlock_spin(&a);
	KU_ASSERT(!intr_on(), "interrupts on with spin lock b still held");
	mtx_unlock_spin(&b);
	KU_ASSERT(intr_on(), "interrupts not restored after the last unlock");
}

/* A caller that had interrupts off keeps them off. */
KUNIT_TEST(spin_keeps_caller_intr_off)
{
	setup();
	disable_intr();
	mtx_lock_spin(&a);
	mtx_unlock_spin(&a);
	KU_ASSERT(!intr_on(), "spin unlock enabled interrupts the caller had off");
}

KUNIT_TEST(spin_count_and_record)
{
	setup();
	mtx_lock_spin(&a);
	mtx_lock_spin(&b);
	mtx_lock_spin(&b);		/* recursion: counted, recorded once */
	KU_ASSERT(spinlock_count() == 3, "count %u, want 3", spinlock_count());
	KU_ASSERT(hosted_pcpu.pc_spin_nheld == 2, "%u locks recorded, want 2",
	    hosted_pcpu.pc_spin_nheld);
	KU_ASSERT(strcmp(spinlock_held_name(NULL), "ut spin b") == 0,
	    "most recent \"%s\"", spinlock_held_name(NULL));
	KU_ASSERT(strcmp(spinlock_held_name(&b), "ut spin a") == 0,
	    "other than b \"%s\"", spinlock_held_name(&b));
	mtx_unlock_spin(&b);
	mtx_unlock_spin(&a);
	KU_ASSERT(spinlock_count() == 1 && hosted_pcpu.pc_spin_nheld == 1,
	    "count %u nheld %u", spinlock_count(), hosted_pcpu.pc_spin_nheld);
	mtx_unlock_spin(&b);
	KU_ASSERT(spinlock_count() == 0 && hosted_pcpu.pc_spin_nheld == 0,
	    "count %u nheld %u", spinlock_count(), hosted_pcpu.pc_spin_nheld);
	KU_ASSERT(a.mtx_lock == 0 && b.mtx_lock == 0, "a lock left held");
}

KUNIT_TEST(sleep_mutex_under_spin_panics)
{
	setup();
	mtx_lock_spin(&a);
	KU_EXPECT_PANIC(mtx_lock(&s), "mtx_lock(ut sleep) with spin lock ut spin a held");
	KU_ASSERT(s.mtx_lock == 0, "sleep mutex taken anyway");
}

KUNIT_TEST(spin_unwind_releases)
{
	struct spinlock_mark sm;

	setup();
	mtx_lock_spin(&a);
	spinlock_mark(&sm);
	mtx_lock_spin(&b);
	mtx_lock_spin(&b);
	spinlock_enter();		/* an unnamed section, e.g. the console */
	KU_ASSERT(spinlock_unwind(&sm) == 1, "released other than b alone");
	KU_ASSERT(b.mtx_lock == 0 && b.mtx_recurse == 0, "b still held");
	KU_ASSERT(a.mtx_lock == (uintptr_t)&thread0, "a, taken before, freed");
	KU_ASSERT(spinlock_count() == 1, "count %u, want 1", spinlock_count());
	mtx_unlock_spin(&a);
	KU_ASSERT(intr_on(), "interrupts not restored");
}

/* A handler runs with interrupts off; one that has them on can nest itself. */
KUNIT_TEST(spin_in_handler_with_intr_on_panics)
{
	setup();
	hosted_intr_depth = 1;
	disable_intr();
	mtx_lock_spin(&a);		/* the normal case */
	mtx_unlock_spin(&a);
	enable_intr();
	KU_EXPECT_PANIC(mtx_lock_spin(&a),
	    "mtx_lock_spin(ut spin a) in an interrupt handler with interrupts on");
}
