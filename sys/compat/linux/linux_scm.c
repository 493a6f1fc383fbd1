/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SCM_RIGHTS for local sockets: a sendmsg's control data, copied in once
 * and bounded (LINUX_SCM_CTL_MAX bytes, UNP_RIGHTS_MAX files), checked
 * whole before any file is taken; a recvmsg's, written as one cmsghdr
 * with as many descriptors as the caller's buffer holds (the others are
 * closed and MSG_CTRUNC says so, as on Linux).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/unpcb.h>

#include <compat/linux/linux_scm.h>

MALLOC_DEFINE(M_LSCM, "linux_scm", "sendmsg control data");

#define LINUX_SOL_SOCKET	1
#define LINUX_SCM_RIGHTS	1
/* Linux's optmem_max default: more control data is ENOBUFS. */
#define LINUX_SCM_CTL_MAX	20480

struct linux_cmsghdr {
	uint64_t	cmsg_len;	/* header and data, unaligned */
	int32_t		cmsg_level;
	int32_t		cmsg_type;
};

#define LINUX_CMSG_ALIGN(n)	(((n) + 7) & ~(uint64_t)7)

/*
 * The header at *offp of buf (len bytes) in h, *offp moved past it and
 * its data; false at the end (less than a header left).  A header whose
 * length is short or runs past the end is *errorp = EINVAL.
 */
static bool
cmsg_next(const char *buf, uint64_t len, uint64_t *offp,
    struct linux_cmsghdr *h, uint64_t *datap, int *errorp)
{
	uint64_t off = *offp;

	if (off > len || len - off < sizeof(*h))
		return (false);
	memcpy(h, buf + off, sizeof(*h));
	if (h->cmsg_len < sizeof(*h) || h->cmsg_len > len - off) {
		*errorp = EINVAL;
		return (false);
	}
	*datap = off + sizeof(*h);
	/* The last one's padding may be missing: then off passes len. */
	*offp = off + LINUX_CMSG_ALIGN(h->cmsg_len);
	return (true);
}

int
linux_scm_in(struct filedesc *fdp, uint64_t uaddr, uint64_t len,
    struct unp_rights **rp)
{
	struct linux_cmsghdr h;
	struct unp_rights *r;
	uint64_t off, data;
	char *buf;
	int error = 0, nfds = 0;

	*rp = NULL;
	/* Less than one header is no control data (Linux's CMSG_FIRSTHDR). */
	if (len < sizeof(h))
		return (0);
	if (len > LINUX_SCM_CTL_MAX)
		return (ENOBUFS);
	buf = malloc(len, M_LSCM, M_WAITOK);
	if ((error = copyin((void *)(uintptr_t)uaddr, buf, len)) != 0)
		goto out;
	/* Every header checked and the files counted before any is taken. */
	off = 0;
	while (cmsg_next(buf, len, &off, &h, &data, &error)) {
		if (h.cmsg_level != LINUX_SOL_SOCKET)
			continue;	/* another level's: not ours (Linux) */
		if (h.cmsg_type != LINUX_SCM_RIGHTS) {
			error = EINVAL;
			goto out;
		}
		nfds += (int)((h.cmsg_len - sizeof(h)) / sizeof(int32_t));
		if (nfds > UNP_RIGHTS_MAX) {
			error = EINVAL;
			goto out;
		}
	}
	if (error != 0 || nfds == 0)
		goto out;
	r = unp_rights_alloc(nfds);
	off = 0;
	while (cmsg_next(buf, len, &off, &h, &data, &error)) {
		if (h.cmsg_level != LINUX_SOL_SOCKET)
			continue;
		for (uint64_t i = 0; i < (h.cmsg_len - sizeof(h)) /
		    sizeof(int32_t) && r->ur_nfds < nfds; i++) {
			int32_t fd;

			memcpy(&fd, buf + data + i * sizeof(fd), sizeof(fd));
			if (fget(fdp, fd, &r->ur_files[r->ur_nfds]) != 0) {
				unp_rights_free(r);
				error = EBADF;
				goto out;
			}
			r->ur_nfds++;
		}
	}
	*rp = r;
out:
	free(buf, M_LSCM);
	return (error);
}

int
linux_scm_out(struct filedesc *fdp, struct unp_rights *r, uint64_t uaddr,
    uint64_t *lenp, int32_t *flagsp, bool cloexec)
{
	struct linux_cmsghdr h;
	int32_t fds[UNP_RIGHTS_MAX];
	uint64_t room = *lenp, used;
	int n = 0, error;

	if (room >= sizeof(h)) {
		/* Installed in order until the table is full (EMFILE). */
		while (n < r->ur_nfds && (uint64_t)(n + 1) * sizeof(fds[0]) <=
		    room - sizeof(h) && finstall(fdp, r->ur_files[n], 0,
		    cloexec ? UF_EXCLOSE : 0, &fds[n]) == 0)
			n++;
	}
	if (n < r->ur_nfds)
		*flagsp |= LINUX_MSG_CTRUNC;
	/* The table holds its own references to those installed. */
	unp_rights_free(r);
	if (n == 0) {
		*lenp = 0;
		return (0);
	}
	h.cmsg_len = sizeof(h) + (uint64_t)n * sizeof(fds[0]);
	h.cmsg_level = LINUX_SOL_SOCKET;
	h.cmsg_type = LINUX_SCM_RIGHTS;
	used = MIN(LINUX_CMSG_ALIGN(h.cmsg_len), room);
	error = copyout(&h, (void *)(uintptr_t)uaddr, sizeof(h));
	if (error == 0)
		error = copyout(fds, (void *)(uintptr_t)(uaddr + sizeof(h)),
		    (size_t)n * sizeof(fds[0]));
	*lenp = used;
	return (error);
}
