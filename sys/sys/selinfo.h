/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Waiting for any of several files: poll.  A file's fo_poll, given a
 * pollscan, records it on the selinfo of each event it waits for
 * (selrecord); the file's producer calls selwakeup() when that may have
 * changed, which wakes every poller recorded there.  A record lives until
 * its poll call ends.  selwakeup may be called from interrupt handlers.
 */
#ifndef _SYS_SELINFO_H_
#define _SYS_SELINFO_H_

#include <sys/queue.h>
#include <sys/types.h>

struct pollscan;
struct selrec;

struct selinfo {
	TAILQ_HEAD(, selrec)	si_recs;
};

/* poll's descriptor array: struct pollfd. */
#include <asm-generic/poll.h>

/* The most descriptors one poll takes. */
#define POLL_MAXFDS	4096

void	seldrain_init(struct selinfo *);
void	selrecord(struct pollscan *ps, struct selinfo *sip);
void	selwakeup(struct selinfo *sip);
/* No poller may still be recorded (the file is going away). */
void	seldrain(struct selinfo *sip);

struct filedesc;
/*
 * Polls fds[0 .. nfds) of fdp (kernel memory) until one is ready or timo
 * passes (timo < 0: no limit; 0: just look).  *nready gets the count of
 * entries with revents set (POLLNVAL for bad descriptors).
 */
int	kern_poll(struct filedesc *fdp, struct pollfd *fds, u_int nfds,
	    sbintime_t timo, int *nready);

#endif /* !_SYS_SELINFO_H_ */
