/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The runner's recovery: a panic in the test's thread is contained and
 * leaves no spin lock held, the spin nesting rewound and interrupts as they
 * were; a panic in an interrupt handler is not recoverable.  The spin lock
 * rules (no sleeping, yielding or sleep mutex under a spin lock) panic
 * naming the lock, which the runner turns into ERROR.
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
#include <machine/frame.h>
#include <machine/intr.h>

static struct mtx	kt_spin, kt_spin2, kt_sleep;
static bool		kt_locks_ready;

static void
kt_locks_init(void)
{
	if (kt_locks_ready)
		return;
	mtx_init(&kt_spin, "ktspin", NULL, MTX_SPIN);
	mtx_init(&kt_spin2, "ktspin2", NULL, MTX_SPIN);
	mtx_init(&kt_sleep, "ktsleep", NULL, MTX_DEF);
	kt_locks_ready = true;
}

static struct {
	bool	ran;
	bool	recovers;
	u_int	depth;
} in_handler;

static void
probe_intr(struct trapframe *tf __unused, void *arg __unused)
{
	in_handler.ran = true;
	in_handler.recovers = ktest_recovers_panic();
	in_handler.depth = intr_nesting();
}

/* Through the real dispatch path, which raises the interrupt depth. */
KTEST(ktest_no_recovery_in_interrupt)
{
	register_t rf;
	u_int vec;
	int error;

	KT_ASSERT(ktest_recovers_panic(), "no recovery in the test's thread");
	memset(&in_handler, 0, sizeof(in_handler));
	error = intr_alloc_vector(probe_intr, NULL, &vec);
	KT_ASSERT(error == 0, "intr_alloc_vector: %d", error);
	rf = intr_disable();
	intr_execute_vector(vec);
	intr_restore(rf);
	intr_free_vector(vec);
	KT_ASSERT(in_handler.ran, "handler did not run");
	KT_ASSERT(in_handler.depth == 1, "handler ran at depth %u",
	    in_handler.depth);
	KT_ASSERT(!in_handler.recovers,
	    "a panic in an interrupt handler would be \"recovered\"");
}

static void
panic_with_spin(struct ktest_ctx *ctx __unused)
{
	mtx_lock_spin(&kt_spin);
	mtx_lock_spin(&kt_spin2);
	spinlock_enter();		/* an unnamed section too */
	panic("deliberate panic holding ktspin and ktspin2");
}

static void
check_recovered(struct ktest_ctx *ktest_ctx, bool intr_was_on)
{
	struct ktest inner = { "inner", panic_with_spin, __FILE__ };
	struct ktest_ctx ctx;
	enum ktest_result r;

	r = ktest_run_one(&inner, &ctx);
	KT_ASSERT(r == KTEST_ERROR, "panicking test gave result %d", r);
	KT_ASSERT(strstr_simple(ctx.detail, "panic: deliberate") != NULL,
	    "detail \"%s\"", ctx.detail);
	KT_ASSERT(kt_spin.mtx_lock == 0 && kt_spin2.mtx_lock == 0,
	    "spin locks left held (%#lx, %#lx)", kt_spin.mtx_lock,
	    kt_spin2.mtx_lock);
	KT_ASSERT(spinlock_count() == 0, "spin nesting %u after recovery",
	    spinlock_count());
	KT_ASSERT(get_pcpu()->pc_spin_nheld == 0, "%u spin locks recorded",
	    get_pcpu()->pc_spin_nheld);
	KT_ASSERT(((read_rflags() & PSL_I) != 0) == intr_was_on,
	    "interrupts %s after recovery, %s before",
	    (read_rflags() & PSL_I) ? "on" : "off", intr_was_on ? "on" : "off");
	KT_ASSERT(intr_nesting() == 0, "interrupt depth %u", intr_nesting());
}

KTEST(ktest_panic_releases_spin_locks)
{
	kt_locks_init();
	check_recovered(ktest_ctx, true);
	if (ktest_ctx->result != KTEST_PASS)
		return;
	/* Started with interrupts off: they stay off. */
	disable_intr();
	check_recovered(ktest_ctx, false);
	enable_intr();
	/* The locks work again. */
	mtx_lock_spin(&kt_spin);
	mtx_unlock_spin(&kt_spin);
	KT_ASSERT((read_rflags() & PSL_I) != 0, "interrupts off after relock");
}

static void
sleep_with_spin(struct ktest_ctx *ctx __unused)
{
	static int chan;

	mtx_lock_spin(&kt_spin);
	(void)tsleep(&chan, "ktnap", 10 * SBT_1MS);
	mtx_unlock_spin(&kt_spin);
}

static void
msleep_spin_with_spin(struct ktest_ctx *ctx __unused)
{
	static int chan;

	/* Its own interlock is allowed; the other spin lock is not. */
	mtx_lock_spin(&kt_spin);
	mtx_lock_spin(&kt_spin2);
	(void)msleep(&chan, &kt_spin2, "ktnap2", 10 * SBT_1MS);
	mtx_unlock_spin(&kt_spin2);
	mtx_unlock_spin(&kt_spin);
}

static void
yield_with_spin(struct ktest_ctx *ctx __unused)
{
	mtx_lock_spin(&kt_spin);
	kern_yield();
	mtx_unlock_spin(&kt_spin);
}

static void
sleep_mutex_with_spin(struct ktest_ctx *ctx __unused)
{
	mtx_lock_spin(&kt_spin);
	mtx_lock(&kt_sleep);
	mtx_unlock(&kt_sleep);
	mtx_unlock_spin(&kt_spin);
}

static void
expect_panic(struct ktest_ctx *ktest_ctx, void (*fn)(struct ktest_ctx *),
    const char *want)
{
	struct ktest inner = { "inner", fn, __FILE__ };
	struct ktest_ctx ctx;
	enum ktest_result r;

	r = ktest_run_one(&inner, &ctx);
	KT_ASSERT(r == KTEST_ERROR, "gave result %d, want ERROR (\"%s\")", r,
	    want);
	KT_ASSERT(strcmp(ctx.detail, want) == 0, "detail \"%s\", want \"%s\"",
	    ctx.detail, want);
	KT_ASSERT(kt_spin.mtx_lock == 0 && kt_spin2.mtx_lock == 0 &&
	    kt_sleep.mtx_lock == 0, "a lock left held");
}

KTEST(spin_rules_panic_by_name)
{
	kt_locks_init();
	expect_panic(ktest_ctx, sleep_with_spin,
	    "panic: msleep(ktnap) with spin lock ktspin held");
	if (ktest_ctx->result != KTEST_PASS)
		return;
	expect_panic(ktest_ctx, msleep_spin_with_spin,
	    "panic: msleep(ktnap2) with spin lock ktspin held");
	if (ktest_ctx->result != KTEST_PASS)
		return;
	expect_panic(ktest_ctx, yield_with_spin,
	    "panic: kern_yield with spin lock ktspin held");
	if (ktest_ctx->result != KTEST_PASS)
		return;
	expect_panic(ktest_ctx, sleep_mutex_with_spin,
	    "panic: mtx_lock(ktsleep) with spin lock ktspin held");
}

/* Its own spin interlock is the one spin lock msleep may be given. */
KTEST(msleep_spin_interlock_ok)
{
	static int chan;
	int error;

	if (et_current() == NULL)
		KT_SKIP("no event timer registered");
	kt_locks_init();
	mtx_lock_spin(&kt_spin);
	error = msleep(&chan, &kt_spin, "ktnap3", 5 * SBT_1MS);
	KT_ASSERT(mtx_owned(&kt_spin), "interlock not retaken");
	KT_ASSERT(spinlock_count() == 1, "spin nesting %u, want 1",
	    spinlock_count());
	KT_ASSERT((read_rflags() & PSL_I) == 0, "interrupts on under ktspin");
	mtx_unlock_spin(&kt_spin);
	KT_ASSERT(error == EWOULDBLOCK, "msleep returned %d", error);
	KT_ASSERT((read_rflags() & PSL_I) != 0, "interrupts not restored");
}
