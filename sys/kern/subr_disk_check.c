/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The one validation of every bio before a driver sees it (disk(9)).  Pure,
 * shared with the hosted tests.  Order of the checks: the command (the disk
 * may not support it), then the medium's write protection, then the range,
 * then a discard's granules.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/systm.h>

int
disk_bio_check(const struct disk *dp, const struct bio *bp)
{
	uint64_t mask, off, len, size;

	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
		break;
	case BIO_FLUSH:
		if ((dp->d_flags & DISKFLAG_CANFLUSH) == 0)
			return (EOPNOTSUPP);
		/* A flush covers the whole disk: no range to give. */
		return (bp->bio_offset == 0 && bp->bio_length == 0 ? 0 : EINVAL);
	case BIO_DISCARD:
		if ((dp->d_flags & DISKFLAG_CANDISCARD) == 0)
			return (EOPNOTSUPP);
		break;
	default:
		return (EOPNOTSUPP);
	}
	if (bp->bio_cmd != BIO_READ && (dp->d_flags & DISKFLAG_RDONLY) != 0)
		return (EROFS);
	if (bp->bio_cmd != BIO_DISCARD &&
	    (bp->bio_data == NULL || bp->bio_length > dp->d_maxsize))
		return (EINVAL);
	if (bp->bio_offset < 0 || bp->bio_length == 0)
		return (EINVAL);
	off = (uint64_t)bp->bio_offset;
	len = bp->bio_length;
	size = (uint64_t)dp->d_mediasize;
	mask = dp->d_sectorsize - 1;
	if ((off & mask) != 0 || (len & mask) != 0)
		return (EINVAL);
	/* Written so that off + len cannot wrap. */
	if (len > size || off > size - len)
		return (EINVAL);
	/*
	 * A discard covers whole granules: the device could only ignore or
	 * round a partial one, and a caller that expects zeroes after it
	 * must learn that up front.
	 */
	if (bp->bio_cmd == BIO_DISCARD && dp->d_discard_gran != 0) {
		uint64_t g = dp->d_discard_gran, a = dp->d_discard_align;

		if (off < a || (off - a) % g != 0 || len % g != 0)
			return (EINVAL);
	}
	return (0);
}
