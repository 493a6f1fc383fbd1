/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * KT_CHECK and KT_NOTE_OK (sys/ktest.h): a failed check is recorded, the
 * test goes on to its cleanup, and the first failure is the one reported.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>

static bool	check_cleaned_up;
static bool	check_value_ok;

static void
two_failed_checks(struct ktest_ctx *ktest_ctx)
{
	check_cleaned_up = false;
	check_value_ok = !KT_CHECK(1 + 1 == 3, "first failure %d", 1);
	KT_CHECK(false, "second failure");
	check_cleaned_up = true;
	KT_NOTE_OK("a note must not hide the failure");
}

static void
passing_checks(struct ktest_ctx *ktest_ctx)
{
	check_value_ok = KT_CHECK(1 + 1 == 2, "arithmetic");
	KT_NOTE_OK("noted %d", 7);
}

KTEST(ktest_check_records_and_goes_on)
{
	struct ktest fail = { "inner", two_failed_checks, __FILE__ };
	struct ktest pass = { "inner", passing_checks, __FILE__ };
	struct ktest_ctx ctx;
	enum ktest_result r;

	r = ktest_run_one(&fail, &ctx);
	KT_ASSERT(r == KTEST_FAIL, "failed checks gave result %d", r);
	KT_ASSERT(check_cleaned_up, "the test stopped at a failed check");
	KT_ASSERT(check_value_ok, "KT_CHECK of a false condition was true");
	KT_ASSERT(strcmp(ctx.detail, "first failure 1") == 0,
	    "detail \"%s\", want the first failure's", ctx.detail);
	r = ktest_run_one(&pass, &ctx);
	KT_ASSERT(r == KTEST_PASS && check_value_ok &&
	    strcmp(ctx.detail, "noted 7") == 0, "passing checks: result %d, "
	    "detail \"%s\"", r, ctx.detail);
}
