/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * poll and the selinfo records behind it (see sys/selinfo.h).
 *
 * One spin lock (sel_mtx) covers every selinfo list and every pollscan's
 * ps_ready: producers may be interrupt handlers.  A poller clears
 * ps_ready, scans (recording itself), and sleeps on its pollscan with
 * sel_mtx only if nothing set ps_ready meanwhile, so a wakeup between the
 * scan and the sleep is never lost.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/selinfo.h>
#include <sys/systm.h>
#include <sys/time.h>

MALLOC_DEFINE(M_POLL, "poll", "poll records");

struct selrec {
	TAILQ_ENTRY(selrec)	sr_link;
	struct selinfo		*sr_si;
	struct pollscan		*sr_ps;
};

struct pollscan {
	struct selrec	*ps_recs;
	u_int		ps_nrecs;
	u_int		ps_maxrecs;
	bool		ps_ready;
};

static struct mtx sel_mtx;

static void
sel_init(void *arg)
{
	mtx_init(&sel_mtx, "select", NULL, MTX_SPIN);
}
SYSINIT(sel_init, SI_SUB_LOCK, SI_ORDER_ANY, sel_init, NULL);

void
seldrain_init(struct selinfo *sip)
{
	TAILQ_INIT(&sip->si_recs);
}

void
selrecord(struct pollscan *ps, struct selinfo *sip)
{
	struct selrec *sr;

	if (ps == NULL)
		return;
	/* Out of records: poll then rescans instead of sleeping (ps_ready). */
	mtx_lock_spin(&sel_mtx);
	if (ps->ps_nrecs == ps->ps_maxrecs) {
		ps->ps_ready = true;
		mtx_unlock_spin(&sel_mtx);
		return;
	}
	sr = &ps->ps_recs[ps->ps_nrecs++];
	sr->sr_si = sip;
	sr->sr_ps = ps;
	TAILQ_INSERT_TAIL(&sip->si_recs, sr, sr_link);
	mtx_unlock_spin(&sel_mtx);
}

void
selwakeup(struct selinfo *sip)
{
	struct selrec *sr;

	mtx_lock_spin(&sel_mtx);
	TAILQ_FOREACH(sr, &sip->si_recs, sr_link) {
		sr->sr_ps->ps_ready = true;
		wakeup(sr->sr_ps);
	}
	mtx_unlock_spin(&sel_mtx);
}

void
seldrain(struct selinfo *sip)
{
	mtx_lock_spin(&sel_mtx);
	KASSERT(TAILQ_EMPTY(&sip->si_recs),
	    ("seldrain: a poller is still recorded on %p", sip));
	mtx_unlock_spin(&sel_mtx);
}

static void
pollscan_clear(struct pollscan *ps)
{
	mtx_lock_spin(&sel_mtx);
	for (u_int i = 0; i < ps->ps_nrecs; i++) {
		struct selrec *sr = &ps->ps_recs[i];

		TAILQ_REMOVE(&sr->sr_si->si_recs, sr, sr_link);
	}
	ps->ps_nrecs = 0;
	mtx_unlock_spin(&sel_mtx);
}

static int
poll_scan(struct filedesc *fdp, struct pollfd *fds, u_int nfds,
    struct pollscan *ps)
{
	int n = 0;

	for (u_int i = 0; i < nfds; i++) {
		struct file *fp;
		/* Errors and hang-ups are reported whether asked for or not. */
		int ev = fds[i].events | POLLERR | POLLHUP;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (fget(fdp, fds[i].fd, &fp) != 0)
			fds[i].revents = POLLNVAL;
		else {
			fds[i].revents = (short)(fp->f_ops->fo_poll != NULL ?
			    fp->f_ops->fo_poll(fp, ev, ps) & ev : 0);
			fdrop(fp);
		}
		if (fds[i].revents != 0) {
			n++;
			/* Found one: the rest need no records. */
			ps = NULL;
		}
	}
	return (n);
}

int
kern_poll(struct filedesc *fdp, struct pollfd *fds, u_int nfds,
    sbintime_t timo, int *nready)
{
	struct pollscan ps;
	sbintime_t deadline = 0, now;
	int n, error = 0;

	if (nfds > POLL_MAXFDS)
		return (EINVAL);
	memset(&ps, 0, sizeof(ps));
	/* Up to two records per descriptor (in and out). */
	ps.ps_maxrecs = 2 * nfds;
	if (ps.ps_maxrecs > 0)
		ps.ps_recs = mallocarray(ps.ps_maxrecs, sizeof(*ps.ps_recs),
		    M_POLL, M_WAITOK | M_ZERO);
	if (timo > 0)
		deadline = sbinuptime() + timo;
	for (;;) {
		mtx_lock_spin(&sel_mtx);
		ps.ps_ready = false;
		mtx_unlock_spin(&sel_mtx);
		n = poll_scan(fdp, fds, nfds, timo == 0 ? NULL : &ps);
		if (n > 0 || timo == 0)
			break;
		mtx_lock_spin(&sel_mtx);
		if (!ps.ps_ready) {
			sbintime_t left = 0;

			if (timo > 0) {
				now = sbinuptime();
				if (now >= deadline) {
					mtx_unlock_spin(&sel_mtx);
					pollscan_clear(&ps);
					break;
				}
				left = deadline - now;
			}
			error = msleep_sig(&ps, &sel_mtx, "poll", left);
		}
		mtx_unlock_spin(&sel_mtx);
		pollscan_clear(&ps);
		if (error == EINTR) {
			n = 0;
			break;
		}
		error = 0;
	}
	pollscan_clear(&ps);
	free(ps.ps_recs, M_POLL);
	*nready = n;
	return (error);
}
