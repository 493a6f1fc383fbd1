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
 * Runs one test inside another (for tests of failure paths); a panic in it
 * is contained and reported as its ERROR result.
 */
enum ktest_result ktest_run_one(const struct ktest *, struct ktest_ctx *);
/* ktest= selection: comma-separated globs; "!glob" excludes. */
bool	ktest_selected(const char *glob, const char *name);
/* True if a panic now would be contained by the running test. */
bool	ktest_recovers_panic(void);
/* Runs the tests matching a glob; returns the number failed or in error. */
int	ktest_run(const char *glob);

#endif /* !_SYS_KTEST_H_ */
