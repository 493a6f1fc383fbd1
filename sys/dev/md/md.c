/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * md(4): RAM disks.  d_strategy only queues; the disk's thread takes the
 * bios in order and completes them, so callers always see the asynchronous
 * path (completion in another thread).  "md.size=<bytes>" creates md0 at
 * boot.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <dev/md/md_var.h>

MALLOC_DEFINE(M_MD, "md", "RAM disks");

#define MD_MAXUNIT	64
#define MD_DEF_MAXIO	(128 * 1024)

struct md_softc {
	struct disk		md_disk;
	uint8_t			*md_data;
	struct mtx		md_mtx;		/* queue, stop, fault, stats */
	struct bio_queue_head	md_queue;
	struct thread		*md_td;
	bool			md_stop;
	bool			md_exited;
	off_t			md_fault_off;
	int			md_fault_error;
	struct md_stats		md_st;
};

static struct mtx	md_units_mtx;
static struct md_softc	*md_units[MD_MAXUNIT];

static u_long	md_boot_size;
TUNABLE_ULONG("md.size", &md_boot_size,
    "create md0 of this many bytes at boot (a multiple of 512)");

static void
md_strategy(struct bio *bp)
{
	struct md_softc *sc = bp->bio_disk->d_drv1;

	mtx_lock_spin(&sc->md_mtx);
	bioq_insert_tail(&sc->md_queue, bp);
	if (sc->md_queue.count == 1)
		wakeup(&sc->md_queue);
	mtx_unlock_spin(&sc->md_mtx);
}

/* Runs one bio (already validated by disk(9)); returns its error. */
static int
md_do(struct md_softc *sc, struct bio *bp, off_t fault_off, int fault_error)
{
	uint8_t *p = sc->md_data + bp->bio_offset;
	off_t end = bp->bio_offset + (off_t)bp->bio_length;

	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
		if (fault_error != 0 && fault_off >= bp->bio_offset &&
		    fault_off < end)
			return (fault_error);
		if (bp->bio_cmd == BIO_READ)
			memcpy(bp->bio_data, p, bp->bio_length);
		else
			memcpy(p, bp->bio_data, bp->bio_length);
		return (0);
	case BIO_DISCARD:
		/* Discarded sectors read back as zeroes. */
		memset(p, 0, bp->bio_length);
		return (0);
	case BIO_FLUSH:
		return (0);
	default:
		panic("md: %s: bio %p with command %d passed disk(9)",
		    sc->md_disk.d_ident, bp, bp->bio_cmd);
	}
}

static void
md_thread(void *arg)
{
	struct md_softc *sc = arg;
	struct bio *bp;
	off_t fault_off;
	int error, fault_error;

	mtx_lock_spin(&sc->md_mtx);
	for (;;) {
		bp = bioq_takefirst(&sc->md_queue);
		if (bp == NULL) {
			if (sc->md_stop)
				break;
			msleep(&sc->md_queue, &sc->md_mtx, "mdwait", 0);
			continue;
		}
		KASSERT(bp->bio_cmd > 0 && bp->bio_cmd < BIO_CMD_COUNT,
		    ("md: bad command %d", bp->bio_cmd));
		sc->md_st.ms_bios[bp->bio_cmd]++;
		fault_off = sc->md_fault_off;
		fault_error = sc->md_fault_error;
		mtx_unlock_spin(&sc->md_mtx);

		error = md_do(sc, bp, fault_off, fault_error);
		if (error != 0) {
			bp->bio_error = error;
			bp->bio_resid = bp->bio_length;
		} else
			bp->bio_resid = 0;

		mtx_lock_spin(&sc->md_mtx);
		if (error != 0)
			sc->md_st.ms_failed++;
		mtx_unlock_spin(&sc->md_mtx);
		biodone(bp);
		/* Let the submitter run between requests of a deep queue. */
		kern_yield();
		mtx_lock_spin(&sc->md_mtx);
	}
	sc->md_exited = true;
	wakeup(&sc->md_exited);
	mtx_unlock_spin(&sc->md_mtx);
	kthread_exit();
}

/* Stops the disk's thread once its queue is empty and waits for it. */
static void
md_stop_thread(struct md_softc *sc)
{
	mtx_lock_spin(&sc->md_mtx);
	sc->md_stop = true;
	wakeup(&sc->md_queue);
	while (!sc->md_exited)
		msleep(&sc->md_exited, &sc->md_mtx, "mdstop", 0);
	mtx_unlock_spin(&sc->md_mtx);
}

int
md_create(const struct md_args *ma, struct md_softc **scp)
{
	struct md_softc *sc;
	struct disk *dp;
	u_int ss, unit;
	int error;

	ss = ma->ma_sectorsize != 0 ? ma->ma_sectorsize : 512;
	if (ma->ma_size <= 0 || ss < 512 || (ss & (ss - 1)) != 0 ||
	    (ma->ma_size & (ss - 1)) != 0)
		return (EINVAL);
	sc = malloc(sizeof(*sc), M_MD, M_WAITOK | M_ZERO);
	sc->md_data = malloc((size_t)ma->ma_size, M_MD, M_NOWAIT | M_ZERO);
	if (sc->md_data == NULL) {
		free(sc, M_MD);
		return (ENOMEM);
	}
	mtx_init(&sc->md_mtx, "md", NULL, MTX_SPIN);
	bioq_init(&sc->md_queue);
	sc->md_fault_off = -1;

	mtx_lock_spin(&md_units_mtx);
	for (unit = 0; unit < MD_MAXUNIT && md_units[unit] != NULL; unit++)
		;
	if (unit < MD_MAXUNIT)
		md_units[unit] = sc;
	mtx_unlock_spin(&md_units_mtx);
	if (unit == MD_MAXUNIT) {
		error = ENOSPC;
		goto fail;
	}

	error = kthread_add(md_thread, sc, &sc->md_td, -1, "md%u", unit);
	if (error != 0)
		goto fail_unit;

	dp = &sc->md_disk;
	dp->d_name = "md";
	dp->d_unit = unit;
	dp->d_sectorsize = ss;
	dp->d_mediasize = ma->ma_size;
	dp->d_maxsize = ma->ma_maxio != 0 ? ma->ma_maxio : MD_DEF_MAXIO;
	dp->d_qdepth = 256;
	dp->d_strategy = md_strategy;
	dp->d_drv1 = sc;
	if ((ma->ma_flags & MD_RDONLY) != 0)
		dp->d_flags |= DISKFLAG_RDONLY;
	if ((ma->ma_flags & MD_NOFLUSH) == 0)
		dp->d_flags |= DISKFLAG_CANFLUSH;
	if ((ma->ma_flags & MD_NODISCARD) == 0)
		dp->d_flags |= DISKFLAG_CANDISCARD;
	error = disk_create(dp);
	if (error != 0) {
		md_stop_thread(sc);
		goto fail_unit;
	}
	*scp = sc;
	return (0);

fail_unit:
	mtx_lock_spin(&md_units_mtx);
	md_units[unit] = NULL;
	mtx_unlock_spin(&md_units_mtx);
fail:
	mtx_destroy(&sc->md_mtx);
	free(sc->md_data, M_MD);
	free(sc, M_MD);
	return (error);
}

void
md_destroy(struct md_softc *sc)
{
	u_int unit = sc->md_disk.d_unit;

	/* disk(9) waits for the bios in flight, which the thread completes. */
	disk_destroy(&sc->md_disk);
	md_stop_thread(sc);
	mtx_lock_spin(&md_units_mtx);
	KASSERT(md_units[unit] == sc, ("md_destroy: md%u not ours", unit));
	md_units[unit] = NULL;
	mtx_unlock_spin(&md_units_mtx);
	mtx_destroy(&sc->md_mtx);
	free(sc->md_data, M_MD);
	free(sc, M_MD);
}

struct disk *
md_disk(struct md_softc *sc)
{
	return (&sc->md_disk);
}

uint8_t *
md_memory(struct md_softc *sc)
{
	return (sc->md_data);
}

void
md_stats(struct md_softc *sc, struct md_stats *st)
{
	mtx_lock_spin(&sc->md_mtx);
	*st = sc->md_st;
	mtx_unlock_spin(&sc->md_mtx);
}

void
md_set_fault(struct md_softc *sc, off_t off, int error)
{
	mtx_lock_spin(&sc->md_mtx);
	sc->md_fault_off = error != 0 ? off : -1;
	sc->md_fault_error = error;
	mtx_unlock_spin(&sc->md_mtx);
}

static void
md_init(void *arg __unused)
{
	mtx_init(&md_units_mtx, "md units", NULL, MTX_SPIN);
}
SYSINIT(md_init, SI_SUB_LOCK, SI_ORDER_ANY, md_init, NULL);

static void
md_boot(void *arg __unused)
{
	struct md_args ma = { .ma_size = (off_t)md_boot_size };
	struct md_softc *sc;
	int error;

	if (md_boot_size == 0)
		return;
	error = md_create(&ma, &sc);
	if (error != 0)
		printf("md.size=%lu: no RAM disk (error %d)\n", md_boot_size,
		    error);
	else
		printf("md%u: RAM disk, %lu bytes\n", sc->md_disk.d_unit,
		    md_boot_size);
}
SYSINIT(md_boot, SI_SUB_DRIVERS, SI_ORDER_MIDDLE, md_boot, NULL);
