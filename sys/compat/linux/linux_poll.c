/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * poll, ppoll, select and pselect6 over kern_poll.  The descriptor arrays
 * are copied in once and bounded (POLL_MAXFDS; select's FD_SETSIZE).
 * ppoll's and pselect6's signal mask replaces the thread's for the wait
 * and is put back before returning.  select does not write back the time
 * left (Linux does; callers that loop on it recompute).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/selinfo.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <asm/unistd_64.h>
#include <linux/posix_types.h>
#include <linux/time_types.h>

#include <compat/linux/linux_file.h>
#include <compat/linux/linux_syscall.h>

MALLOC_DECLARE(M_LFILE);

static int
linux_poll_common(struct thread *td, uint64_t ufds, uint64_t nfds,
    sbintime_t timo, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct pollfd *fds = NULL;
	int n, error;

	if (fdp == NULL)
		return (EBADF);
	if (nfds > POLL_MAXFDS)
		return (EINVAL);
	if (nfds > 0) {
		fds = mallocarray(nfds, sizeof(*fds), M_LFILE, M_WAITOK);
		error = copyin((void *)(uintptr_t)ufds, fds, nfds * sizeof(*fds));
		if (error != 0)
			goto out;
	}
	error = kern_poll(fdp, fds, (u_int)nfds, timo, &n);
	if (error == 0 && nfds > 0)
		error = copyout(fds, (void *)(uintptr_t)ufds,
		    nfds * sizeof(*fds));
	if (error == 0)
		*rv = n;
out:
	free(fds, M_LFILE);
	return (error);
}

/* A user timespec as a timeout (NULL: none, i.e. -1). */
static int
linux_timeout(uint64_t uts, sbintime_t *timo)
{
	struct __kernel_timespec ts;
	int error;

	if (uts == 0) {
		*timo = -1;
		return (0);
	}
	if ((error = copyin((void *)(uintptr_t)uts, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return (EINVAL);
	/* Past ~68 years sbintime runs out: that is forever enough. */
	if (ts.tv_sec > INT32_MAX)
		*timo = -1;
	else
		*timo = ts.tv_sec * SBT_1S + nstosbt(ts.tv_nsec);
	return (0);
}

/* Swaps in a user signal mask for the wait; *old gets the thread's. */
static int
linux_setmask(struct thread *td, uint64_t umask, uint64_t size, ksigset_t *old,
    bool *swapped)
{
	ksigset_t m;
	int error;

	*swapped = false;
	if (umask == 0)
		return (0);
	if (size != sizeof(ksigset_t))
		return (EINVAL);
	if ((error = copyin((void *)(uintptr_t)umask, &m, sizeof(m))) != 0)
		return (error);
	*old = td->td_sigmask;
	td->td_sigmask = m;
	*swapped = true;
	return (0);
}

LINUX_SYSCALL(__NR_poll, poll);
int
linux_sys_poll(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	int ms = (int)args[2];

	return (linux_poll_common(td, args[0], args[1],
	    ms < 0 ? -1 : (sbintime_t)ms * SBT_1MS, rv));
}

LINUX_SYSCALL(__NR_ppoll, ppoll);
int
linux_sys_ppoll(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	sbintime_t timo;
	ksigset_t old;
	bool swapped;
	int error;

	if ((error = linux_timeout(args[2], &timo)) != 0 ||
	    (error = linux_setmask(td, args[3], args[4], &old, &swapped)) != 0)
		return (error);
	error = linux_poll_common(td, args[0], args[1], timo, rv);
	if (swapped)
		td->td_sigmask = old;
	return (error);
}

#define LFDSET_BITS	(8 * sizeof(((__kernel_fd_set *)0)->fds_bits[0]))

static int
linux_select_common(struct thread *td, uint64_t nfds_a, uint64_t ur,
    uint64_t uw, uint64_t ue, sbintime_t timo, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	__kernel_fd_set sets[3];
	const uint64_t usets[3] = { ur, uw, ue };
	struct pollfd *fds;
	size_t words, bytes;
	u_int nfds = 0, n = 0;
	int ready, error = 0;

	if (fdp == NULL)
		return (EBADF);
	if ((int64_t)nfds_a < 0)
		return (EINVAL);
	if (nfds_a > __FD_SETSIZE)
		nfds_a = __FD_SETSIZE;
	words = (nfds_a + LFDSET_BITS - 1) / LFDSET_BITS;
	bytes = words * sizeof(sets[0].fds_bits[0]);
	memset(sets, 0, sizeof(sets));
	for (int s = 0; s < 3; s++) {
		if (usets[s] != 0 && bytes > 0 && (error = copyin(
		    (void *)(uintptr_t)usets[s], sets[s].fds_bits, bytes)) != 0)
			return (error);
	}
	for (u_int fd = 0; fd < nfds_a; fd++)
		for (int s = 0; s < 3; s++)
			if ((sets[s].fds_bits[fd / LFDSET_BITS] >>
			    (fd % LFDSET_BITS)) & 1) {
				nfds++;
				break;
			}
	fds = mallocarray(nfds > 0 ? nfds : 1, sizeof(*fds), M_LFILE, M_WAITOK);
	for (u_int fd = 0; fd < nfds_a; fd++) {
		short ev = 0;

		if ((sets[0].fds_bits[fd / LFDSET_BITS] >> (fd % LFDSET_BITS)) & 1)
			ev |= POLLIN;
		if ((sets[1].fds_bits[fd / LFDSET_BITS] >> (fd % LFDSET_BITS)) & 1)
			ev |= POLLOUT;
		if ((sets[2].fds_bits[fd / LFDSET_BITS] >> (fd % LFDSET_BITS)) & 1)
			ev |= POLLPRI;
		if (ev != 0)
			fds[n++] = (struct pollfd){ (int)fd, ev, 0 };
	}
	error = kern_poll(fdp, fds, nfds, timo, &ready);
	if (error != 0)
		goto out;
	memset(sets, 0, sizeof(sets));
	ready = 0;
	for (u_int i = 0; i < nfds; i++) {
		short re = fds[i].revents;
		u_int fd = (u_int)fds[i].fd;
		unsigned long bit = 1UL << (fd % LFDSET_BITS);

		if ((re & POLLNVAL) != 0) {
			error = EBADF;	/* select's answer to a closed fd */
			goto out;
		}
		if ((fds[i].events & POLLIN) != 0 &&
		    (re & (POLLIN | POLLHUP | POLLERR)) != 0) {
			sets[0].fds_bits[fd / LFDSET_BITS] |= bit;
			ready++;
		}
		if ((fds[i].events & POLLOUT) != 0 &&
		    (re & (POLLOUT | POLLERR)) != 0) {
			sets[1].fds_bits[fd / LFDSET_BITS] |= bit;
			ready++;
		}
		if ((fds[i].events & POLLPRI) != 0 && (re & POLLPRI) != 0) {
			sets[2].fds_bits[fd / LFDSET_BITS] |= bit;
			ready++;
		}
	}
	for (int s = 0; s < 3 && error == 0; s++) {
		if (usets[s] != 0 && bytes > 0)
			error = copyout(sets[s].fds_bits,
			    (void *)(uintptr_t)usets[s], bytes);
	}
	if (error == 0)
		*rv = ready;
out:
	free(fds, M_LFILE);
	return (error);
}

LINUX_SYSCALL(__NR_select, select);
int
linux_sys_select(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct __kernel_old_timeval tv;
	sbintime_t timo = -1;
	int error;

	if (args[4] != 0) {
		if ((error = copyin((void *)(uintptr_t)args[4], &tv,
		    sizeof(tv))) != 0)
			return (error);
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return (EINVAL);
		timo = tv.tv_sec > INT32_MAX ? -1 :
		    tv.tv_sec * SBT_1S + ustosbt(tv.tv_usec);
	}
	return (linux_select_common(td, args[0], args[1], args[2], args[3],
	    timo, rv));
}

LINUX_SYSCALL(__NR_pselect6, pselect6);
int
linux_sys_pselect6(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct { uint64_t ss; uint64_t ss_len; } sm = { 0, 0 };
	sbintime_t timo;
	ksigset_t old;
	bool swapped = false;
	int error;

	if ((error = linux_timeout(args[4], &timo)) != 0)
		return (error);
	/* The sixth argument points at { const sigset_t *ss; size_t len; }. */
	if (args[5] != 0 && (error = copyin((void *)(uintptr_t)args[5], &sm,
	    sizeof(sm))) != 0)
		return (error);
	if ((error = linux_setmask(td, sm.ss, sm.ss_len, &old, &swapped)) != 0)
		return (error);
	error = linux_select_common(td, args[0], args[1], args[2], args[3],
	    timo, rv);
	if (swapped)
		td->td_sigmask = old;
	return (error);
}
