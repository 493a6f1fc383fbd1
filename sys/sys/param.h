/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define MAXCPU		16
#define MAXCOMLEN	19

#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define roundup2(x, y)	(((x) + ((y) - 1)) & ~((__typeof(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof(x))(y) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)
#define trunc_page(x)	((x) & ~PAGE_MASK)
#define round_page(x)	(((x) + PAGE_MASK) & ~PAGE_MASK)
#define atop(x)		((x) >> PAGE_SHIFT)
#define ptoa(x)		((vm_paddr_t)(x) << PAGE_SHIFT)

#ifndef MIN
#define MIN(a, b)	(((a) < (b)) ? (a) : (b))
#define MAX(a, b)	(((a) > (b)) ? (a) : (b))
#endif

#endif /* !_SYS_PARAM_H_ */
