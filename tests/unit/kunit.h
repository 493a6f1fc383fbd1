/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted unit tests of machine-independent kernel files.  Test files are
 * compiled against the kernel headers (like the code under test); the ATF
 * side (hosted_shim.c, built against libc) turns each KUNIT_TEST into an
 * ATF test case.  A panic in the code under test ends the test as failed,
 * unless KU_EXPECT_PANIC is waiting for it.
 */
#ifndef _KUNIT_H_
#define _KUNIT_H_

#include <sys/param.h>
#include <sys/linker_set.h>
#include <sys/systm.h>

struct kunit {
	const char	*name;
	void		(*fn)(void);
};

#define KUNIT_TEST(tname)						\
	static void kunit_fn_##tname(void);				\
	static struct kunit kunit_##tname = { #tname, kunit_fn_##tname }; \
	DATA_SET(kunit_set, kunit_##tname);				\
	static void kunit_fn_##tname(void)

void	kunit_fail(const char *file, int line, const char *fmt, ...)
	    __dead2 __printflike(3, 4);
#define KU_ASSERT(cond, ...) do {					\
	if (!(cond))							\
		kunit_fail(__FILE__, __LINE__, __VA_ARGS__);		\
} while (0)

extern void	*kunit_panic_jb[5];
extern bool	kunit_panic_armed;
extern char	kunit_panic_msg[256];
#define KU_EXPECT_PANIC(stmt, substr) do {				\
	kunit_panic_armed = true;					\
	if (__builtin_setjmp(kunit_panic_jb) == 0) {			\
		stmt;							\
		kunit_panic_armed = false;				\
		kunit_fail(__FILE__, __LINE__, "no panic from %s", #stmt); \
	}								\
	kunit_panic_armed = false;					\
	KU_ASSERT(strstr_simple(kunit_panic_msg, (substr)) != NULL,	\
	    "panic \"%s\" lacks \"%s\"", kunit_panic_msg, (substr));	\
} while (0)

/*
 * Runs the SYSINITs linked into the test program up to and including
 * subsystem 'last' (the page allocator, malloc, the root bus ...).
 */
void	kunit_sysinit(int last);
/*
 * Backs fake physical memory [base, base + len) with process memory and
 * makes it the only RAM in phys_memmap.
 */
void	kunit_ram(vm_paddr_t base, vm_size_t len);

#endif /* !_KUNIT_H_ */
