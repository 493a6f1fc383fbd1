/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/linker_set.h>
#include <sys/systm.h>

SET_DECLARE(tunable_set, struct tunable);
extern int	cmdline_warnings;

struct warn_capture {
	int	count;
	char	last[160];
};

static void
capture(void *arg, const char *msg)
{
	struct warn_capture *wc = arg;

	wc->count++;
	strlcpy(wc->last, msg, sizeof(wc->last));
}

/* A bad option names itself in a warning; good ones still apply. */
KTEST(cmdline_bad_option_warns)
{
	struct warn_capture wc = { 0, "" };
	int saved = bootverbose, n;

	n = cmdline_apply("bootverbose=0 no_such_option=1 bootverbose=x =3",
	    SET_BEGIN(tunable_set), (size_t)SET_COUNT(tunable_set), capture, &wc);
	bootverbose = saved;
	KT_ASSERT(n == 3 && wc.count == 3, "%d problems, %d warnings (want 3)", n,
	    wc.count);
	KT_ASSERT(strstr_simple(wc.last, "malformed") != NULL, "last warning \"%s\"",
	    wc.last);
	/* The boot command line of the test run carries one unknown option. */
	if (strstr_simple(kern_cmdline, "ktest_unknown_option") != NULL)
		KT_ASSERT(cmdline_warnings >= 1,
		    "boot command line had an unknown option but no warning");
}

KTEST(ktest_glob_selection)
{
	KT_ASSERT(ktest_selected("*", "a_b"), "* must select everything");
	KT_ASSERT(ktest_selected("x_*,a_*", "a_b"), "second alternative");
	KT_ASSERT(!ktest_selected("x_*", "a_b"), "non-matching glob selected");
	KT_ASSERT(!ktest_selected("*,!a_b", "a_b"), "exclusion ignored");
	KT_ASSERT(ktest_selected("*,!a_c", "a_b"), "exclusion too wide");
	KT_ASSERT(!ktest_selected("!a_b", "x"), "exclusions alone select nothing");
	KT_ASSERT(!ktest_selected("", "x"), "empty glob selected");
}
