/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#ifndef __dead2			/* static analysers may predefine it away */
#define __dead2			__attribute__((__noreturn__))
#endif
#define __section(x)		__attribute__((__section__(x)))
#define __weak_symbol		__attribute__((__weak__))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __predict_true(e)	__builtin_expect(!!(e), 1)
#define __predict_false(e)	__builtin_expect(!!(e), 0)
#define __containerof(p, t, f)	((t *)((char *)(p) - __builtin_offsetof(t, f)))
#define __CONCAT1(a, b)		a##b
#define __CONCAT(a, b)		__CONCAT1(a, b)
#define __STRING(x)		#x
#define __XSTRING(x)		__STRING(x)
#define __compiler_membar()	__asm__ __volatile__("" ::: "memory")

#ifndef nitems
#define nitems(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* !_SYS_CDEFS_H_ */
