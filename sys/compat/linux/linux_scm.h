/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * sendmsg/recvmsg control data (SCM_RIGHTS) between Linux's cmsghdr
 * layout in user memory and the files a local socket carries.
 */
#ifndef _COMPAT_LINUX_LINUX_SCM_H_
#define _COMPAT_LINUX_LINUX_SCM_H_

#include <sys/types.h>

struct filedesc;
struct unp_rights;

#define LINUX_MSG_CTRUNC	0x8
#define LINUX_MSG_CMSG_CLOEXEC	0x40000000

/*
 * The files the control data at uaddr (len bytes) names, referenced, in
 * *rp (NULL for none): EINVAL for a malformed header, a type other than
 * SCM_RIGHTS or more than UNP_RIGHTS_MAX files, EBADF for a bad one,
 * ENOBUFS past LINUX_SCM_CTL_MAX bytes.
 */
int	linux_scm_in(struct filedesc *fdp, uint64_t uaddr, uint64_t len,
	    struct unp_rights **rp);
/*
 * Installs r's files (consumed) in fdp as one SCM_RIGHTS message at
 * uaddr, as many as *lenp bytes hold; *lenp becomes the bytes used and
 * LINUX_MSG_CTRUNC is or'ed into *flagsp when some did not fit.
 */
int	linux_scm_out(struct filedesc *fdp, struct unp_rights *r,
	    uint64_t uaddr, uint64_t *lenp, int32_t *flagsp, bool cloexec);

#endif /* !_COMPAT_LINUX_LINUX_SCM_H_ */
