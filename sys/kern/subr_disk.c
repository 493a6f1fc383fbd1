/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * disk(9): the registry of disks, the checked entry of every bio
 * (disk_strategy), completion (biodone) and the synchronous helpers.
 *
 * One spin lock covers the registry and each disk's in-flight count and
 * references: bios complete in interrupt handlers as well as threads.
 * Invariants: a disk on the list is created and not gone; only a listed
 * disk gains references from a lookup; disk_destroy() returns with no bio
 * in flight and no reference held.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

/* Private bio flag: disk_strategy() counted the bio in d_inflight. */
#define BIO_INFLIGHT	0x8000

static struct mtx	disk_mtx;
static struct mtx	biowait_mtx;
static LIST_HEAD(, disk) disk_list = LIST_HEAD_INITIALIZER(disk_list);

static void
disk_init(void *arg __unused)
{
	mtx_init(&disk_mtx, "disk", NULL, MTX_SPIN);
	mtx_init(&biowait_mtx, "biowait", NULL, MTX_SPIN);
}
SYSINIT(disk, SI_SUB_LOCK, SI_ORDER_ANY, disk_init, NULL);

static struct disk *
disk_lookup(const char *ident)
{
	struct disk *dp;

	mtx_assert(&disk_mtx, MA_OWNED);
	LIST_FOREACH(dp, &disk_list, d_list) {
		KASSERT(dp->d_created && !dp->d_gone,
		    ("disk_lookup: %s listed while gone", dp->d_ident));
		if (strcmp(dp->d_ident, ident) == 0)
			return (dp);
	}
	return (NULL);
}

/* A lookup's reference (disk_mtx held). */
static struct disk *
disk_hold(struct disk *dp)
{
	mtx_assert(&disk_mtx, MA_OWNED);
	if (dp != NULL) {
		KASSERT(dp->d_refs + 1 != 0, ("disk_hold: %s: references "
		    "overflow", dp->d_ident));
		dp->d_refs++;
	}
	return (dp);
}

static bool
disk_desc_ok(const struct disk *dp)
{
	u_int ss = dp->d_sectorsize;

	if (dp->d_name == NULL || dp->d_strategy == NULL || dp->d_qdepth == 0)
		return (false);
	if (ss < 512 || ss > 65536 || (ss & (ss - 1)) != 0)
		return (false);
	if (dp->d_mediasize <= 0 || (dp->d_mediasize & (ss - 1)) != 0)
		return (false);
	/* Discard granules in whole sectors, the offset inside one. */
	if (dp->d_discard_gran != 0 && (dp->d_discard_gran % ss != 0 ||
	    dp->d_discard_align % ss != 0 ||
	    dp->d_discard_align >= dp->d_discard_gran))
		return (false);
	if (dp->d_discard_gran == 0 && dp->d_discard_align != 0)
		return (false);
	return (dp->d_maxsize >= ss && (dp->d_maxsize & (ss - 1)) == 0);
}

int
disk_create(struct disk *dp)
{
	int len;

	KASSERT(!dp->d_created, ("disk_create: %s already created", dp->d_ident));
	if (!disk_desc_ok(dp))
		return (EINVAL);
	len = snprintf(dp->d_ident, sizeof(dp->d_ident), "%s%u", dp->d_name,
	    dp->d_unit);
	if (len < 0 || (size_t)len >= sizeof(dp->d_ident))
		return (EINVAL);
	dp->d_inflight = 0;
	dp->d_refs = 0;
	dp->d_gone = false;
	mtx_lock_spin(&disk_mtx);
	if (disk_lookup(dp->d_ident) != NULL) {
		mtx_unlock_spin(&disk_mtx);
		return (EEXIST);
	}
	LIST_INSERT_HEAD(&disk_list, dp, d_list);
	dp->d_created = true;
	wakeup(&disk_list);
	mtx_unlock_spin(&disk_mtx);
	if (bootverbose)
		printf("%s: %jd bytes, %u-byte sectors\n", dp->d_ident,
		    (intmax_t)dp->d_mediasize, dp->d_sectorsize);
	return (0);
}

void
disk_gone(struct disk *dp)
{
	mtx_lock_spin(&disk_mtx);
	KASSERT(dp->d_created, ("disk_gone: %s not registered", dp->d_ident));
	if (!dp->d_gone) {
		dp->d_gone = true;
		LIST_REMOVE(dp, d_list);
	}
	mtx_unlock_spin(&disk_mtx);
}

void
disk_destroy(struct disk *dp)
{
	disk_gone(dp);
	mtx_lock_spin(&disk_mtx);
	/* Both counts only go down now: no lookup can find dp. */
	while (dp->d_inflight > 0 || dp->d_refs > 0)
		msleep(&dp->d_inflight, &disk_mtx, "diskgone", 0);
	dp->d_created = false;
	mtx_unlock_spin(&disk_mtx);
}

struct disk *
disk_find(const char *ident)
{
	struct disk *dp;

	mtx_lock_spin(&disk_mtx);
	dp = disk_hold(disk_lookup(ident));
	mtx_unlock_spin(&disk_mtx);
	return (dp);
}

struct disk *
disk_wait(const char *ident, sbintime_t timo)
{
	struct disk *dp;
	sbintime_t deadline, now;

	deadline = sbinuptime() + timo;
	mtx_lock_spin(&disk_mtx);
	while ((dp = disk_lookup(ident)) == NULL) {
		now = sbinuptime();
		if (now >= deadline)
			break;
		/* disk_create() wakes us; the timeout bounds the wait. */
		msleep(&disk_list, &disk_mtx, "diskwait", deadline - now);
	}
	dp = disk_hold(dp);
	mtx_unlock_spin(&disk_mtx);
	return (dp);
}

void
disk_ref(struct disk *dp)
{
	mtx_lock_spin(&disk_mtx);
	KASSERT(dp->d_created && dp->d_refs > 0,
	    ("disk_ref: %s: no reference to add to", dp->d_ident));
	(void)disk_hold(dp);
	mtx_unlock_spin(&disk_mtx);
}

void
disk_rele(struct disk *dp)
{
	mtx_lock_spin(&disk_mtx);
	KASSERT(dp->d_created && dp->d_refs > 0,
	    ("disk_rele: %s: no reference held", dp->d_ident));
	if (--dp->d_refs == 0 && dp->d_gone)
		wakeup(&dp->d_inflight);
	mtx_unlock_spin(&disk_mtx);
}

void
disk_strategy(struct disk *dp, struct bio *bp)
{
	int error;

	KASSERT(bp->bio_done != NULL, ("disk_strategy: bio %p without bio_done", bp));
	bp->bio_flags &= ~(BIO_DONE | BIO_INFLIGHT);
	bp->bio_disk = dp;
	bp->bio_error = 0;
	bp->bio_resid = bp->bio_length;
	error = disk_bio_check(dp, bp);
	if (error == 0) {
		mtx_lock_spin(&disk_mtx);
		if (dp->d_gone || !dp->d_created)
			error = ENXIO;
		else {
			dp->d_inflight++;
			bp->bio_flags |= BIO_INFLIGHT;
		}
		mtx_unlock_spin(&disk_mtx);
	}
	if (error != 0) {
		biofinish(bp, error);
		return;
	}
	dp->d_strategy(bp);
}

void
biodone(struct bio *bp)
{
	struct disk *dp = bp->bio_disk;
	bio_done_t *done = bp->bio_done;

	KASSERT((bp->bio_flags & BIO_DONE) == 0,
	    ("biodone: bio %p completed twice", bp));
	KASSERT(bp->bio_resid <= bp->bio_length,
	    ("biodone: bio %p resid %zu > length %zu", bp, bp->bio_resid,
	    bp->bio_length));
	if ((bp->bio_flags & BIO_INFLIGHT) != 0) {
		bp->bio_flags &= ~BIO_INFLIGHT;
		mtx_lock_spin(&disk_mtx);
		KASSERT(dp->d_inflight > 0,
		    ("biodone: %s: more completions than requests", dp->d_ident));
		if (--dp->d_inflight == 0 && dp->d_gone)
			wakeup(&dp->d_inflight);
		mtx_unlock_spin(&disk_mtx);
	}
	/* A waiter may free the bio once it sees BIO_DONE: set it last. */
	__atomic_or_fetch(&bp->bio_flags, BIO_DONE, __ATOMIC_RELEASE);
	done(bp);
}

void
biofinish(struct bio *bp, int error)
{
	KASSERT(error != 0, ("biofinish: bio %p without an error", bp));
	bp->bio_error = error;
	bp->bio_resid = bp->bio_length;
	biodone(bp);
}

void
biowait_done(struct bio *bp)
{
	/* Only the address is used: the waiter may already be gone with bp. */
	mtx_lock_spin(&biowait_mtx);
	wakeup(bp);
	mtx_unlock_spin(&biowait_mtx);
}

int
biowait(struct bio *bp, const char *wmesg)
{
	KASSERT(bp->bio_done == biowait_done,
	    ("biowait: bio %p completes elsewhere", bp));
	mtx_lock_spin(&biowait_mtx);
	while ((__atomic_load_n(&bp->bio_flags, __ATOMIC_ACQUIRE) & BIO_DONE) == 0)
		msleep(bp, &biowait_mtx, wmesg, 0);
	mtx_unlock_spin(&biowait_mtx);
	return (bp->bio_error);
}

int
disk_io(struct disk *dp, int cmd, off_t offset, void *data, size_t length)
{
	struct bio bio;

	memset(&bio, 0, sizeof(bio));
	bio.bio_cmd = (enum bio_cmd)cmd;
	bio.bio_offset = offset;
	bio.bio_length = length;
	bio.bio_data = data;
	bio.bio_done = biowait_done;
	disk_strategy(dp, &bio);
	return (biowait(&bio, "diskio"));
}
