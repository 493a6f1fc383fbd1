/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Basic kernel types.  Only the compiler's freestanding headers are used, so
 * the same header works in the kernel and when MI files are compiled for the
 * hosted unit tests.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <sys/cdefs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned char	u_char;
typedef unsigned short	u_short;
typedef unsigned int	u_int;
typedef unsigned long	u_long;
typedef uint8_t		u_int8_t;
typedef uint16_t	u_int16_t;
typedef uint32_t	u_int32_t;
typedef uint64_t	u_int64_t;

typedef long		ssize_t;
typedef int64_t		off_t;
typedef uint64_t	vm_paddr_t;	/* physical address */
typedef uintptr_t	vm_offset_t;	/* kernel virtual address */
typedef uint64_t	vm_size_t;
typedef int64_t		sbintime_t;	/* signed 32.32 fixed-point seconds */
typedef long		register_t;
typedef int		lwpid_t;
typedef int		pid_t;		/* process, group, session and thread ids */
typedef uint64_t	ksigset_t;	/* bit (sig - 1) for signals 1-64 */

#endif /* !_SYS_TYPES_H_ */
