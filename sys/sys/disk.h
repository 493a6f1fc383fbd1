/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Disks: a driver describes each disk it serves in a struct disk and
 * registers it with disk_create().  Requests (struct bio, see bio.h) enter
 * through disk_strategy(), which validates them in one place, so a driver's
 * d_strategy only ever sees a bio that is aligned to the sector size, inside
 * the media, no larger than d_maxsize, and of a command the disk supports.
 * d_strategy may be called from any context, with no lock held, and must
 * not sleep: it queues the bio and completes it later with biodone().
 *
 * Lifetime: disk_find() and disk_wait() return a referenced disk, which
 * the caller gives back with disk_rele().  A disk leaves the registry at
 * once when its driver calls disk_gone() (or disk_destroy()): lookups fail
 * from then on and new bios complete with ENXIO.  disk_destroy() returns
 * only when no bio is in flight and no reference is held, so the driver
 * may free the struct disk afterwards.
 */
#ifndef _SYS_DISK_H_
#define _SYS_DISK_H_

#include <sys/queue.h>
#include <sys/types.h>

struct bio;

#define DISK_NAMELEN	16

/* d_flags */
#define DISKFLAG_RDONLY		0x0001	/* writes and discards: EROFS */
#define DISKFLAG_CANFLUSH	0x0002	/* BIO_FLUSH supported */
#define DISKFLAG_CANDISCARD	0x0004	/* BIO_DISCARD supported */

typedef void disk_strategy_t(struct bio *);

struct disk {
	/* Set by the driver before disk_create(), constant afterwards. */
	const char	*d_name;	/* driver name, e.g. "md" */
	u_int		d_unit;
	u_int		d_sectorsize;	/* bytes, power of 2, >= 512 */
	off_t		d_mediasize;	/* bytes, multiple of d_sectorsize */
	size_t		d_maxsize;	/* largest READ/WRITE, bytes */
	u_int		d_flags;
	u_int		d_qdepth;	/* requests the driver takes at once */
	/*
	 * BIO_DISCARD: every discard starts d_discard_align bytes past a
	 * multiple of d_discard_gran and covers whole granules (0: sectors).
	 */
	u_int		d_discard_gran;
	u_int		d_discard_align;
	disk_strategy_t	*d_strategy;
	void		*d_drv1;	/* the driver's */

	/* The disk layer's. */
	char		d_ident[DISK_NAMELEN];	/* d_name and d_unit: "md0" */
	u_int		d_inflight;	/* bios given to d_strategy, not done */
	u_int		d_refs;		/* from disk_find(), disk_wait(), disk_ref() */
	bool		d_gone;		/* disk_gone(): out of the registry */
	bool		d_created;
	LIST_ENTRY(disk) d_list;
};

/*
 * Registers a disk; EINVAL if its description is inconsistent, EEXIST if
 * its name is taken.
 */
int	disk_create(struct disk *);
/*
 * The disk is going away: out of the registry at once (lookups fail, the
 * name is free again), new bios fail with ENXIO.  Does not sleep; the bios
 * already given to the driver go on.  Idempotent.
 */
void	disk_gone(struct disk *);
/*
 * Unregisters a disk (disk_gone() if not done yet), then sleeps until the
 * bios the driver holds are done and every reference is released.  The
 * driver must keep completing bios meanwhile.
 */
void	disk_destroy(struct disk *);
/* A registered disk by name ("md0"), referenced; or NULL. */
struct disk *disk_find(const char *ident);
/*
 * Like disk_find(), sleeping up to timo (sbintime) for the disk to be
 * registered.
 */
struct disk *disk_wait(const char *ident, sbintime_t timo);
/* One more reference to a disk the caller already holds one on. */
void	disk_ref(struct disk *);
/* Gives back a reference; the disk may be destroyed after it. */
void	disk_rele(struct disk *);

/* Validates a bio and hands it to the driver, or completes it with an error. */
void	disk_strategy(struct disk *, struct bio *);
/*
 * The validation: 0, or the error the bio completes with (EOPNOTSUPP,
 * EROFS, EINVAL; a discard off the disk's granules is EINVAL).  Pure;
 * disk_strategy() applies it to every bio.
 */
int	disk_bio_check(const struct disk *, const struct bio *);

/* Synchronous transfer or control operation: issues one bio and sleeps. */
int	disk_io(struct disk *, int cmd, off_t offset, void *data, size_t length);

#endif /* !_SYS_DISK_H_ */
