/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The bio FIFO drivers keep their pending requests in, and command names.
 * Pure: no locks (the queue's owner locks it), shared with the hosted tests.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/systm.h>

void
bioq_init(struct bio_queue_head *q)
{
	TAILQ_INIT(&q->queue);
	q->count = 0;
}

void
bioq_insert_tail(struct bio_queue_head *q, struct bio *bp)
{
	TAILQ_INSERT_TAIL(&q->queue, bp, bio_queue);
	q->count++;
}

void
bioq_remove(struct bio_queue_head *q, struct bio *bp)
{
	KASSERT(q->count > 0, ("bioq_remove: bio %p from an empty queue", bp));
	TAILQ_REMOVE(&q->queue, bp, bio_queue);
	q->count--;
}

struct bio *
bioq_first(const struct bio_queue_head *q)
{
	return (TAILQ_FIRST(&q->queue));
}

struct bio *
bioq_takefirst(struct bio_queue_head *q)
{
	struct bio *bp;

	bp = TAILQ_FIRST(&q->queue);
	KASSERT((bp == NULL) == (q->count == 0),
	    ("bioq: count %u disagrees with the list", q->count));
	if (bp != NULL)
		bioq_remove(q, bp);
	return (bp);
}

const char *
bio_cmd_name(enum bio_cmd cmd)
{
	switch (cmd) {
	case BIO_READ:
		return ("read");
	case BIO_WRITE:
		return ("write");
	case BIO_FLUSH:
		return ("flush");
	case BIO_DISCARD:
		return ("discard");
	default:
		return ("unknown");
	}
}
