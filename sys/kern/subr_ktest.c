/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-kernel test runner (see sys/ktest.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/linker_set.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/intr.h>
#include <machine/setjmp.h>

#include <x86/init.h>

SET_DECLARE(ktest_set, struct ktest);

extern void	(*panic_recover_hook)(const char *msg);

static char	ktest_glob[128];
TUNABLE_STR("ktest", ktest_glob, sizeof(ktest_glob), "run the in-kernel tests matching this glob");

struct ktest_frame {
	struct kjmpbuf		jb;
	struct ktest_ctx	*ctx;
	struct thread		*td;
	const char		*name;
	struct spinlock_mark	spin;	/* spin state when the test began */
	void			*onfault; /* trap catch armed around it */
};

static struct ktest_frame *volatile ktest_active;

static const char *const result_names[] = {
	[KTEST_PASS] = "PASS", [KTEST_FAIL] = "FAIL",
	[KTEST_SKIP] = "SKIP", [KTEST_ERROR] = "ERROR",
};

void
ktest_set_result(struct ktest_ctx *ctx, enum ktest_result r, const char *fmt, ...)
{
	va_list ap;

	ctx->result = r;
	va_start(ap, fmt);
	vsnprintf(ctx->detail, sizeof(ctx->detail), fmt, ap);
	va_end(ap);
}

/*
 * Only a panic in the test's own thread context is contained.  An interrupt
 * handler runs on the interrupted thread's stack, but jumping back to the
 * test from there would abandon the interrupt frame with the handler's
 * locks held, the interrupt depth raised and interrupts turned on.
 */
bool
ktest_recovers_panic(void)
{
	struct ktest_frame *kf = ktest_active;

	return (kf != NULL && kf->td == curthread && intr_nesting() == 0);
}

/* A panic on the thread running a test ends that test as ERROR. */
static void
ktest_panic_recover(const char *msg)
{
	struct ktest_frame *kf = ktest_active;

	if (kf == NULL || kf->td != curthread)
		return;
	if (!ktest_recovers_panic()) {
		printf("ktest %s: panic in an interrupt handler (depth %u) is "
		    "fatal\n", kf->name, intr_nesting());
		return;
	}
	ktest_set_result(kf->ctx, KTEST_ERROR, "panic: %s", msg);
	klongjmp(&kf->jb, 1);
}

static void
ktest_print(const char *name, const struct ktest_ctx *ctx)
{
	/* One line per test: newlines in the detail would break the protocol. */
	char detail[sizeof(ctx->detail)];

	strlcpy(detail, ctx->detail, sizeof(detail));
	for (char *p = detail; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	printf("KTEST %s %s%s%s\n", name, result_names[ctx->result],
	    detail[0] != '\0' ? " " : "", detail);
}

static enum ktest_result
ktest_one(const struct ktest *t, struct ktest_ctx *ctx)
{
	struct ktest_frame kf;
	register_t rf = read_rflags();

	ctx->result = KTEST_PASS;
	ctx->detail[0] = '\0';
	kf.ctx = ctx;
	kf.td = curthread;
	kf.name = t->name;
	kf.onfault = curthread->td_onfault;
	spinlock_mark(&kf.spin);
	/* The jump back restores these flags: interrupts off until unwound. */
	disable_intr();
	if (ksetjmp(&kf.jb) == 0) {
		ktest_active = &kf;
		intr_restore(rf);
		t->func(ctx);
	} else {
		/*
		 * Back from a panic in this thread: release the spin locks the
		 * test took and rewind the spin nesting, then interrupts as
		 * they were.
		 */
		KASSERT(intr_nesting() == 0, ("ktest %s recovered at interrupt "
		    "depth %u", t->name, intr_nesting()));
		spinlock_unwind(&kf.spin);
		if (rf & PSL_I)
			enable_intr();
		curthread->td_onfault = kf.onfault;
	}
	ktest_active = NULL;
	return (ctx->result);
}

enum ktest_result
ktest_run_one(const struct ktest *t, struct ktest_ctx *ctx)
{
	struct ktest_frame *outer = ktest_active;
	enum ktest_result r;

	r = ktest_one(t, ctx);
	ktest_active = outer;
	return (r);
}

bool
ktest_ends_with_error(void (*fn)(struct ktest_ctx *), const char *prefix,
    struct ktest_ctx *ctx)
{
	struct ktest inner = { "inner", fn, __FILE__ };

	return (ktest_run_one(&inner, ctx) == KTEST_ERROR &&
	    strncmp(ctx->detail, prefix, strlen(prefix)) == 0);
}

/*
 * A test is selected when one of the comma-separated patterns matches its
 * name and none of the patterns written "!pattern" does.
 */
bool
ktest_selected(const char *glob, const char *name)
{
	char pat[64];
	bool in = false;

	for (const char *p = glob; *p != '\0';) {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		bool neg = len > 0 && *p == '!';

		if (neg) {
			p++;
			len--;
		}
		if (len < sizeof(pat)) {
			memcpy(pat, p, len);
			pat[len] = '\0';
			if (fnmatch_simple(pat, name)) {
				if (neg)
					return (false);
				in = true;
			}
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return (in);
}

/* Ranges of tests that modules carry (kld(4)), run after the built-in ones. */
#define KTEST_SETS_MAX	16
static struct {
	struct ktest *const	*b;
	size_t			n;
} ktest_sets[KTEST_SETS_MAX];

int
ktest_register(struct ktest *const *b, size_t n)
{
	for (int i = 0; i < KTEST_SETS_MAX; i++) {
		if (ktest_sets[i].b != NULL)
			continue;
		ktest_sets[i].b = b;
		ktest_sets[i].n = n;
		return (0);
	}
	return (ENOSPC);
}

void
ktest_unregister(struct ktest *const *b)
{
	struct ktest_frame *kf = ktest_active;

	for (int i = 0; i < KTEST_SETS_MAX; i++) {
		if (ktest_sets[i].b != b)
			continue;
		/* A test may unload a module, but not its own. */
		for (size_t k = 0; kf != NULL && k < ktest_sets[i].n; k++)
			KASSERT(b[k]->name != kf->name,
			    ("ktest_unregister: %s is running", kf->name));
		ktest_sets[i].b = NULL;
	}
}

static void
ktest_run_selected(const char *glob, struct ktest *tp, int *counts)
{
	struct ktest_ctx ctx;

	if (!ktest_selected(glob, tp->name))
		return;
	ktest_one(tp, &ctx);
	ktest_print(tp->name, &ctx);
	counts[ctx.result]++;
}

int
ktest_run(const char *glob)
{
	struct ktest **tp;
	int counts[4] = { 0, 0, 0, 0 };

	panic_recover_hook = ktest_panic_recover;
	SET_FOREACH(tp, ktest_set)
		ktest_run_selected(glob, *tp, counts);
	/* A test may load or unload a module: read the table afresh. */
	for (int i = 0; i < KTEST_SETS_MAX; i++)
		for (size_t k = 0; ktest_sets[i].b != NULL &&
		    k < ktest_sets[i].n; k++)
			ktest_run_selected(glob, ktest_sets[i].b[k], counts);
	panic_recover_hook = NULL;
	printf("KTEST-SUMMARY passed=%d failed=%d skipped=%d errors=%d\n",
	    counts[KTEST_PASS], counts[KTEST_FAIL], counts[KTEST_SKIP],
	    counts[KTEST_ERROR]);
	return (counts[KTEST_FAIL] + counts[KTEST_ERROR]);
}

static void
ktest_boot(void *arg __unused)
{
	int bad;

	if (ktest_glob[0] == '\0')
		return;
	bad = ktest_run(ktest_glob);
	power_ops.poweroff(bad == 0 ? 0 : 1);
}
SYSINIT(ktest, SI_SUB_KTEST, SI_ORDER_ANY, ktest_boot, NULL);

/* The runner's own check: a panic is contained and reported. */
static void
selftest_panics(struct ktest_ctx *ctx __unused)
{
	panic("deliberate panic from a test");
}

KTEST(ktest_panic_is_error)
{
	struct ktest_ctx ctx;

	KT_ASSERT(ktest_ends_with_error(selftest_panics, "panic: deliberate panic",
	    &ctx), "panicking test gave result %d: \"%s\"", ctx.result,
	    ctx.detail);
}
