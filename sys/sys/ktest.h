/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * In-kernel tests.  A test is one function.  "ktest=<glob>" on the command
 * line runs the matching tests after start-up; each prints
 *	KTEST <name> <PASS|FAIL|SKIP|ERROR> [detail]
 * and the run ends with
 *	KTEST-SUMMARY passed=N failed=N skipped=N errors=N
 * before the machine powers off.  A test that panics is reported as ERROR with
 * the panic message and the run goes on with the next test.
 */
#ifndef _SYS_KTEST_H_
#define _SYS_KTEST_H_

#include <sys/linker_set.h>
#include <sys/types.h>

enum ktest_result { KTEST_PASS, KTEST_FAIL, KTEST_SKIP, KTEST_ERROR };

struct ktest_ctx {
	enum ktest_result	result;
	char			detail[160];
};

struct ktest {
	const char	*name;
	void		(*func)(struct ktest_ctx *);
	const char	*file;
};

/*
 * KTEST(name) { body }: the name is also stored in section .ktest_names so
 * the build can list every test of an image without booting it.
 */
#define KTEST(tname)							\
	static void ktest_fn_##tname(struct ktest_ctx *);		\
	static const char ktest_name_##tname[]				\
	    __section(".ktest_names") __used __aligned(1) = #tname;	\
	static struct ktest ktest_##tname = {				\
		ktest_name_##tname, ktest_fn_##tname, __FILE__		\
	};								\
	DATA_SET(ktest_set, ktest_##tname);				\
	static void ktest_fn_##tname(struct ktest_ctx *ktest_ctx __unused)

void	ktest_set_result(struct ktest_ctx *, enum ktest_result, const char *fmt, ...)
	    __printflike(3, 4);
/*
 * Tests a module carries (kld(4)): registered at load, run by ktest= after
 * the built-in ones; ENOSPC when the table is full.
 */
int	ktest_register(struct ktest *const *set, size_t n);
void	ktest_unregister(struct ktest *const *set);

/* Fails the test (and returns from it) unless the condition holds. */
#define KT_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		ktest_set_result(ktest_ctx, KTEST_FAIL, __VA_ARGS__);	\
		return;							\
	}								\
} while (0)
#define KT_FAIL(...) do {						\
	ktest_set_result(ktest_ctx, KTEST_FAIL, __VA_ARGS__);		\
	return;								\
} while (0)
#define KT_SKIP(...) do {						\
	ktest_set_result(ktest_ctx, KTEST_SKIP, __VA_ARGS__);		\
	return;								\
} while (0)
/* Records a detail on a passing test (numbers measured, for the log). */
#define KT_NOTE(...)	ktest_set_result(ktest_ctx, KTEST_PASS, __VA_ARGS__)

/*
 * Checks that record a failure and let the test go on to its cleanup (a
 * test holding a watch, a port or a callout must release it even when it
 * fails).  KT_CHECK evaluates to its condition, so "if (!KT_CHECK(...))
 * goto out;" skips the rest; the first failure's detail is the one kept.
 * After a failed check, KT_NOTE, KT_SKIP and KT_ASSERT's own detail would
 * replace the result or the detail: end such a test with KT_NOTE_OK.
 */
#define KT_FAILED()	(ktest_ctx->result == KTEST_FAIL)
#define KT_CHECK(cond, ...) ({						\
	bool kt_ok_ = (cond);						\
	if (!kt_ok_ && !KT_FAILED())					\
		ktest_set_result(ktest_ctx, KTEST_FAIL, __VA_ARGS__);	\
	kt_ok_;								\
})
/* KT_NOTE unless a check failed. */
#define KT_NOTE_OK(...) do {						\
	if (!KT_FAILED())						\
		KT_NOTE(__VA_ARGS__);					\
} while (0)

/*
 * Runs one test inside another (for tests of failure paths); a panic in it
 * is contained and reported as its ERROR result.
 */
enum ktest_result ktest_run_one(const struct ktest *, struct ktest_ctx *);
/*
 * Runs fn as an inner test; true if it ended in ERROR with a detail that
 * starts with 'prefix' (e.g. "panic: trap 6").  ctx gets what happened.
 */
bool	ktest_ends_with_error(void (*fn)(struct ktest_ctx *), const char *prefix,
	    struct ktest_ctx *ctx);
/* ktest= selection: comma-separated globs; "!glob" excludes. */
bool	ktest_selected(const char *glob, const char *name);
/* True if a panic now would be contained by the running test. */
bool	ktest_recovers_panic(void);
/* Runs the tests matching a glob; returns the number failed or in error. */
int	ktest_run(const char *glob);

#endif /* !_SYS_KTEST_H_ */
