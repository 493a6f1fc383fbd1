/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * disk(9) with a stub driver that only holds the bios it is given, so the
 * test decides when they complete: disk_destroy() waits for the held ones,
 * a destroyed disk refuses new bios with ENXIO before the driver, a
 * reference from disk_find() holds disk_destroy() up while the name is
 * already gone, and a second biodone() of one bio panics.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#define STUB_NBIO	3

static struct {
	struct mtx		mtx;
	struct bio_queue_head	held;
	u_int			received;
	u_int			completed;
	bool			destroyed;	/* disk_destroy() returned */
	bool			worker_done;
	struct disk		disk;
	struct bio		bios[STUB_NBIO];
	char			buf[512];
} stub;

static void
stub_strategy(struct bio *bp)
{
	mtx_lock_spin(&stub.mtx);
	bioq_insert_tail(&stub.held, bp);
	stub.received++;
	mtx_unlock_spin(&stub.mtx);
}

static void
stub_done(struct bio *bp __unused)
{
	mtx_lock_spin(&stub.mtx);
	stub.completed++;
	mtx_unlock_spin(&stub.mtx);
}

static void
stub_setup(void)
{
	if (stub.mtx.mtx_name == NULL)
		mtx_init(&stub.mtx, "disk test", NULL, MTX_SPIN);
	bioq_init(&stub.held);
	stub.received = stub.completed = 0;
	stub.destroyed = stub.worker_done = false;
	memset(&stub.disk, 0, sizeof(stub.disk));
	stub.disk.d_name = "dtest";
	stub.disk.d_sectorsize = 512;
	stub.disk.d_mediasize = 64 * 512;
	stub.disk.d_maxsize = 4096;
	stub.disk.d_qdepth = STUB_NBIO;
	stub.disk.d_strategy = stub_strategy;
}

static void
stub_submit(struct bio *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->bio_cmd = BIO_READ;
	bp->bio_length = 512;
	bp->bio_data = stub.buf;
	bp->bio_done = stub_done;
	disk_strategy(&stub.disk, bp);
}

/*
 * Completes the held bios once disk_destroy() has begun (d_gone); the
 * test checks that disk_destroy() returned only after all of them.
 */
static void
stub_worker(void *arg __unused)
{
	struct bio *bp;

	mtx_lock_spin(&stub.mtx);
	while (!__atomic_load_n(&stub.disk.d_gone, __ATOMIC_ACQUIRE))
		msleep(&stub, &stub.mtx, "dtestw", SBT_1MS);
	while ((bp = bioq_takefirst(&stub.held)) != NULL) {
		mtx_unlock_spin(&stub.mtx);
		bp->bio_resid = 0;
		biodone(bp);
		mtx_lock_spin(&stub.mtx);
	}
	stub.worker_done = true;
	wakeup(&stub.worker_done);
	mtx_unlock_spin(&stub.mtx);
	kthread_exit();
}

KTEST(disk_destroy_waits_for_bios)
{
	struct bio late;
	int error;
	u_int completed, received;

	stub_setup();
	error = disk_create(&stub.disk);
	KT_ASSERT(error == 0, "disk_create: %d", error);
	for (int i = 0; i < STUB_NBIO; i++)
		stub_submit(&stub.bios[i]);
	KT_CHECK(stub.received == STUB_NBIO && stub.completed == 0,
	    "driver got %u, completed %u", stub.received, stub.completed);
	error = kthread_add(stub_worker, NULL, NULL, -1, "dtest");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	disk_destroy(&stub.disk);
	mtx_lock_spin(&stub.mtx);
	completed = stub.completed;
	stub.destroyed = true;
	mtx_unlock_spin(&stub.mtx);
	KT_CHECK(completed == STUB_NBIO,
	    "disk_destroy returned with %u of %u bios done", completed,
	    STUB_NBIO);

	stub_submit(&late);
	mtx_lock_spin(&stub.mtx);
	received = stub.received;
	while (!stub.worker_done)
		msleep(&stub.worker_done, &stub.mtx, "dtestj", 0);
	mtx_unlock_spin(&stub.mtx);
	KT_CHECK(late.bio_error == ENXIO && (late.bio_flags & BIO_DONE) != 0,
	    "bio on a destroyed disk: error %d", late.bio_error);
	KT_CHECK(received == STUB_NBIO, "the driver got a bio after destroy");
	KT_CHECK(disk_find("dtest0") == NULL, "dtest0 still registered");
	KT_NOTE_OK("%u bios completed during disk_destroy", completed);
}

/* disk_destroy() in a thread of its own; says when it returned. */
static void
stub_destroyer(void *arg __unused)
{
	disk_destroy(&stub.disk);
	mtx_lock_spin(&stub.mtx);
	stub.destroyed = true;
	wakeup(&stub.destroyed);
	mtx_unlock_spin(&stub.mtx);
	kthread_exit();
}

/* Sleeps on the stub until *flag is set or ms have passed; *flag. */
static bool
stub_wait_flag(bool *flag, u_int ms)
{
	sbintime_t deadline = sbinuptime() + ms * SBT_1MS;
	bool v;

	mtx_lock_spin(&stub.mtx);
	while (!(v = __atomic_load_n(flag, __ATOMIC_ACQUIRE)) &&
	    sbinuptime() < deadline)
		msleep(flag, &stub.mtx, "dtestf", SBT_1MS);
	mtx_unlock_spin(&stub.mtx);
	return (v);
}

/*
 * A user holds dtest0 from disk_find() while its driver destroys it: the
 * name is gone at once (disk_find, disk_wait fail), a bio through the held
 * pointer fails with ENXIO before the driver, and disk_destroy() returns
 * only after disk_rele().
 */
KTEST(disk_destroy_waits_for_references)
{
	struct disk *held, *again;
	struct bio late;
	bool early, gone, after;
	int error;

	stub_setup();
	error = disk_create(&stub.disk);
	KT_ASSERT(error == 0, "disk_create: %d", error);
	held = disk_find("dtest0");
	KT_ASSERT(held == &stub.disk, "dtest0 not found");
	error = kthread_add(stub_destroyer, NULL, NULL, -1, "dtestd");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	gone = stub_wait_flag(&stub.disk.d_gone, 1000);
	KT_CHECK(gone, "disk_destroy() never started");
	again = disk_find("dtest0");
	KT_CHECK(again == NULL, "dtest0 still found while being destroyed");
	if (again != NULL)
		disk_rele(again);
	again = disk_wait("dtest0", 10 * SBT_1MS);
	KT_CHECK(again == NULL, "disk_wait found dtest0 while being destroyed");
	if (again != NULL)
		disk_rele(again);
	stub_submit(&late);
	KT_CHECK(late.bio_error == ENXIO && stub.received == 0,
	    "bio through the held pointer: error %d, driver got %u",
	    late.bio_error, stub.received);
	/* Time enough for a destroy that ignores the reference to return. */
	early = stub_wait_flag(&stub.destroyed, 50);
	KT_CHECK(!early, "disk_destroy() returned with a reference held");
	disk_rele(held);
	after = stub_wait_flag(&stub.destroyed, 1000);
	KT_CHECK(after, "disk_destroy() still waiting after disk_rele()");
	/* Whatever happened, do not leave the thread on our stack's stub. */
	if (!after)
		(void)stub_wait_flag(&stub.destroyed, 10000);
	KT_NOTE_OK("name gone at once, destroy waited for the reference");
}

static void
double_biodone(struct ktest_ctx *ctx __unused)
{
	struct bio bp;

	memset(&bp, 0, sizeof(bp));
	bp.bio_done = stub_done;
	biodone(&bp);
	biodone(&bp);
}

KTEST(disk_biodone_twice_panics)
{
	struct ktest_ctx ctx;

	stub_setup();
	KT_ASSERT(ktest_ends_with_error(double_biodone, "panic: biodone: bio",
	    &ctx), "second biodone: result %d \"%s\"", ctx.result, ctx.detail);
	KT_NOTE("%s", ctx.detail);
}

KTEST(disk_create_rejects_bad_descriptions)
{
	static const struct {
		u_int	ss;
		off_t	size;
		size_t	maxsize;
	} bad[] = {
		{ 0, 4096, 4096 },
		{ 256, 4096, 4096 },
		{ 768, 768 * 4, 768 },		/* not a power of two */
		{ 512, 0, 4096 },
		{ 512, 4097, 4096 },		/* media not in sectors */
		{ 512, 4096, 0 },
		{ 512, 4096, 1000 },		/* max I/O not in sectors */
	};

	for (size_t i = 0; i < nitems(bad); i++) {
		stub_setup();
		stub.disk.d_sectorsize = bad[i].ss;
		stub.disk.d_mediasize = bad[i].size;
		stub.disk.d_maxsize = bad[i].maxsize;
		KT_ASSERT(disk_create(&stub.disk) == EINVAL,
		    "case %zu accepted", i);
	}
	stub_setup();
	stub.disk.d_strategy = NULL;
	KT_ASSERT(disk_create(&stub.disk) == EINVAL, "no strategy accepted");
	KT_NOTE("%zu bad descriptions refused", nitems(bad) + 1);
}
