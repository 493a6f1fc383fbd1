/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Block I/O requests.  A bio asks a disk (see disk.h) for one transfer or
 * one control operation.  The submitter owns the bio and its buffer until
 * the driver calls biodone(), which runs bio_done (from whatever context the
 * driver completes in: an interrupt handler, a thread, or disk_strategy()
 * itself when the request is refused).  The callback must not sleep.
 */
#ifndef _SYS_BIO_H_
#define _SYS_BIO_H_

#include <sys/queue.h>
#include <sys/types.h>

enum bio_cmd {
	BIO_READ = 1,
	BIO_WRITE,
	BIO_FLUSH,	/* earlier completed writes reach stable storage */
	BIO_DISCARD,	/* the range's contents may be dropped */
	BIO_CMD_COUNT
};

#define BIO_DONE	0x0001	/* biodone() was called */

struct bio;
struct disk;
typedef void bio_done_t(struct bio *);

struct bio {
	enum bio_cmd	bio_cmd;
	u_int		bio_flags;
	off_t		bio_offset;	/* bytes from the start of the disk */
	size_t		bio_length;	/* bytes; 0 for BIO_FLUSH */
	void		*bio_data;	/* kernel virtual, contiguous; READ/WRITE */
	int		bio_error;	/* 0 or an errno, set at completion */
	size_t		bio_resid;	/* bytes not transferred */
	bio_done_t	*bio_done;	/* called by biodone() */
	void		*bio_caller1;	/* the submitter's */
	void		*bio_caller2;
	void		*bio_driver1;	/* the driver's while it holds the bio */
	struct disk	*bio_disk;	/* set by disk_strategy() */
	TAILQ_ENTRY(bio) bio_queue;	/* the holder's queue linkage */
};

/* A FIFO of bios for drivers; the caller provides the locking. */
struct bio_queue_head {
	TAILQ_HEAD(, bio) queue;
	u_int		count;
};

void	bioq_init(struct bio_queue_head *);
void	bioq_insert_tail(struct bio_queue_head *, struct bio *);
void	bioq_remove(struct bio_queue_head *, struct bio *);
struct bio *bioq_first(const struct bio_queue_head *);
/* Removes and returns the oldest bio, NULL if the queue is empty. */
struct bio *bioq_takefirst(struct bio_queue_head *);

/* Completes a bio: marks it done and calls bio_done.  Exactly once. */
void	biodone(struct bio *);
/* Completes a bio with an error and nothing transferred. */
void	biofinish(struct bio *, int error);
/*
 * Sleeps until a bio whose bio_done is biowait_done has completed; returns
 * its bio_error.  For synchronous callers in thread context.
 */
int	biowait(struct bio *, const char *wmesg);
void	biowait_done(struct bio *);

const char *bio_cmd_name(enum bio_cmd);

#endif /* !_SYS_BIO_H_ */
