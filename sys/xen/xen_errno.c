/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Xen error numbers (negative hypercall results, xenstore error names) to
 * the kernel's errno values.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/errno.h>
#include <xen/xen_guest.h>

int
xen_to_errno(long xerr)
{
	if (xerr >= 0)
		return (0);
	switch ((int)-xerr) {
	case XEN_EPERM:		return (EPERM);
	case XEN_ENOENT:	return (ENOENT);
	case XEN_ESRCH:		return (ESRCH);
	case XEN_EIO:		return (EIO);
	case XEN_ENXIO:		return (ENXIO);
	case XEN_E2BIG:		return (E2BIG);
	case XEN_EAGAIN:	return (EAGAIN);
	case XEN_ENOMEM:	return (ENOMEM);
	case XEN_EACCES:	return (EACCES);
	case XEN_EFAULT:	return (EFAULT);
	case XEN_EBUSY:		return (EBUSY);
	case XEN_EEXIST:	return (EEXIST);
	case XEN_ENODEV:	return (ENODEV);
	case XEN_EISDIR:	return (EISDIR);
	case XEN_EINVAL:	return (EINVAL);
	case XEN_ENOSPC:	return (ENOSPC);
	case XEN_ERANGE:	return (ERANGE);
	case XEN_ENOSYS:	return (ENOSYS);
	case XEN_ENOTEMPTY:	return (ENOTEMPTY);
	case XEN_EOPNOTSUPP:	return (EOPNOTSUPP);
	case XEN_ETIMEDOUT:	return (ETIMEDOUT);
	case XEN_EISCONN:	return (EEXIST);
	case XEN_ENOTCONN:	return (ENXIO);
	default:		return (EIO);
	}
}
