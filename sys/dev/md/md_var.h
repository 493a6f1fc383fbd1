/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * md(4): RAM disks.  Each disk is a run of kernel memory served by its own
 * thread, so requests complete asynchronously like a real device's.  Tests
 * create disks with md_create() and reach the backing memory directly (to
 * corrupt a block behind the driver's back) or make a sector fail.
 */
#ifndef _DEV_MD_MD_VAR_H_
#define _DEV_MD_MD_VAR_H_

#include <sys/types.h>

struct md_softc;
struct disk;

/* md_args.ma_flags */
#define MD_RDONLY	0x0001
#define MD_NOFLUSH	0x0002	/* BIO_FLUSH unsupported */
#define MD_NODISCARD	0x0004	/* BIO_DISCARD unsupported */

struct md_args {
	off_t		ma_size;	/* bytes, a multiple of the sector size */
	u_int		ma_sectorsize;	/* 0: 512 */
	u_int		ma_flags;
	size_t		ma_maxio;	/* 0: 128 KiB */
};

/* Per-command counts of the bios the driver received (all passed disk(9)). */
struct md_stats {
	u_long		ms_bios[5];	/* indexed by enum bio_cmd */
	u_long		ms_failed;	/* completed with the fault error */
};

/* Creates and registers the next free md<unit>; 0 or an errno. */
int	md_create(const struct md_args *, struct md_softc **);
/* Unregisters (waiting for in-flight bios), stops the thread, frees. */
void	md_destroy(struct md_softc *);
struct disk *md_disk(struct md_softc *);
/* The backing store: d_mediasize bytes. */
uint8_t	*md_memory(struct md_softc *);
void	md_stats(struct md_softc *, struct md_stats *);
/*
 * Fault mode: every READ or WRITE touching byte offset 'off' completes with
 * 'error' and transfers nothing.  error 0 clears it.
 */
void	md_set_fault(struct md_softc *, off_t off, int error);

#endif /* !_DEV_MD_MD_VAR_H_ */
