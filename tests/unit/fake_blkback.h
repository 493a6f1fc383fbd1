/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A blkif backend in memory for the hosted tests of blkfront's ring logic:
 * it works the other end of the shared ring with the public header's back
 * ring macros only (never blkfront_ring.c), decodes each request, direct or
 * indirect, through a fake grant table of pages, and writes responses as a
 * well-behaved or a hostile backend would.
 */
#ifndef _FAKE_BLKBACK_H_
#define _FAKE_BLKBACK_H_

#include <dev/xen/blkfront/blkfront_ring.h>

#define FBB_MAX_SEGS	BLKRING_MAX_INDIRECT_SEGS
#define FBB_NGRANTS	64	/* fake grant table: gref -> page */

struct fbb_req {
	uint8_t		operation;	/* as on the ring (INDIRECT stays) */
	uint8_t		op;		/* inner operation */
	uint64_t	id;
	blkif_sector_t	sector;
	uint64_t	nr_sectors;	/* discard */
	uint8_t		discard_flag;
	blkif_vdev_t	handle;
	u_int		nsegs;
	u_int		n_ind;
	grant_ref_t	ind_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkif_request_segment segs[FBB_MAX_SEGS];
};

struct fake_blkback {
	blkif_back_ring_t br;
	void		*grants[FBB_NGRANTS];	/* pages the "frontend" granted */
};

void	fbb_attach(struct fake_blkback *, blkif_sring_t *, u_int order);
/* Takes the next request off the ring (copied once); false if none. */
bool	fbb_take(struct fake_blkback *, struct fbb_req *);
/* Queues one response at rsp_prod_pvt. */
void	fbb_respond(struct fake_blkback *, uint64_t id, uint8_t op,
	    int16_t status);
/* Publishes the queued responses; true if the frontend asked for an event. */
bool	fbb_publish(struct fake_blkback *);
/* Asks for an event on the very next request (RING_FINAL_CHECK_FOR_REQUESTS). */
bool	fbb_final_check(struct fake_blkback *);

#endif /* !_FAKE_BLKBACK_H_ */
