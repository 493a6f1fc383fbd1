/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel error numbers (BSD values).  A hypervisor's own error numbers are mapped to
 * these by the hypercall layer.
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		35
#define EWOULDBLOCK	EAGAIN
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define ENOSPC		28
#define EROFS		30
#define ERANGE		34
#define EINPROGRESS	36
#define EALREADY	37
#define EMSGSIZE	40
#define EADDRINUSE	48
#define ENETDOWN	50
#define ENETUNREACH	51
#define ENOBUFS		55
#define EISCONN		56
#define EHOSTUNREACH	65
#define ENOTSUP		45
#define EOPNOTSUPP	ENOTSUP
#define ETIMEDOUT	60
#define ECONNREFUSED	61
#define ENAMETOOLONG	63
#define ENOTEMPTY	66
#define ENOSYS		78
#define EFTYPE		79
#define ENOATTR		87
#define EBADMSG		89
#define EPROTO		92
#define EOVERFLOW	84
/* Files, descriptors, pipes and sockets. */
#define EXDEV		18
#define EMFILE		24
#define ENOTTY		25
#define EFBIG		27
#define ESPIPE		29
#define EMLINK		31
#define EPIPE		32
#define ENOTSOCK	38
#define ENOPROTOOPT	42
#define EPROTONOSUPPORT	43
#define EAFNOSUPPORT	47
#define ECONNRESET	54
#define ENOTCONN	57
#define ETOOMANYREFS	59
#define ELOOP		62

#endif /* !_SYS_ERRNO_H_ */
