/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * md(4) through disk(9): data round trips, completion from the disk's
 * thread, and the refusals disk(9) makes before the driver sees a bio (the
 * driver's own counts show it never received them).
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <dev/md/md_var.h>

#define MDT_SIZE	(256 * 1024)

static u_long
md_total(const struct md_stats *st)
{
	u_long n = 0;

	for (size_t i = 0; i < nitems(st->ms_bios); i++)
		n += st->ms_bios[i];
	return (n);
}

static struct mtx	mdt_mtx;
static struct {
	struct thread	*td;
	bool		done;
} mdt_cb;

static void
mdt_done(struct bio *bp)
{
	mtx_lock_spin(&mdt_mtx);
	mdt_cb.td = curthread;
	mdt_cb.done = true;
	wakeup(&mdt_cb);
	mtx_unlock_spin(&mdt_mtx);
}

/* Written data reads back; the completion runs in md's thread, not ours. */
KTEST(md_roundtrip_async)
{
	struct md_args ma = { .ma_size = MDT_SIZE };
	struct md_softc *sc;
	struct bio bio;
	uint8_t *w, *r;
	int error;

	if (mdt_mtx.mtx_name == NULL)
		mtx_init(&mdt_mtx, "md test", NULL, MTX_SPIN);
	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create: %d", error);
	w = malloc(8192, M_TEMP, M_WAITOK);
	r = malloc(8192, M_TEMP, M_WAITOK | M_ZERO);
	for (int i = 0; i < 8192; i++)
		w[i] = (uint8_t)(i * 7 + 3);
	error = disk_io(md_disk(sc), BIO_WRITE, 64 * 512, w, 8192);
	KT_CHECK(error == 0, "write: %d", error);
	KT_CHECK(memcmp(md_memory(sc) + 64 * 512, w, 8192) == 0,
	    "write did not land at its offset");

	memset(&bio, 0, sizeof(bio));
	bio.bio_cmd = BIO_READ;
	bio.bio_offset = 64 * 512;
	bio.bio_length = 8192;
	bio.bio_data = r;
	bio.bio_done = mdt_done;
	mdt_cb.done = false;
	mdt_cb.td = NULL;
	disk_strategy(md_disk(sc), &bio);
	mtx_lock_spin(&mdt_mtx);
	while (!mdt_cb.done)
		msleep(&mdt_cb, &mdt_mtx, "mdtest", 0);
	mtx_unlock_spin(&mdt_mtx);
	KT_CHECK(bio.bio_error == 0 && bio.bio_resid == 0,
	    "read: error %d resid %zu", bio.bio_error, bio.bio_resid);
	KT_CHECK(mdt_cb.td != curthread && mdt_cb.td != NULL,
	    "completion ran in the submitting thread");
	KT_CHECK(memcmp(r, w, 8192) == 0, "read back differs");
	free(w, M_TEMP);
	free(r, M_TEMP);
	md_destroy(sc);
	KT_NOTE_OK("completed by %s", mdt_cb.td != NULL ? mdt_cb.td->td_name : "?");
}

KTEST(md_rdonly_erofs)
{
	struct md_args ma = { .ma_size = MDT_SIZE, .ma_flags = MD_RDONLY };
	struct md_softc *sc;
	struct md_stats st;
	uint8_t buf[512];
	int error, werr, derr, rerr;

	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create: %d", error);
	md_memory(sc)[0] = 0xa5;
	memset(buf, 0x5a, sizeof(buf));
	werr = disk_io(md_disk(sc), BIO_WRITE, 0, buf, sizeof(buf));
	derr = disk_io(md_disk(sc), BIO_DISCARD, 0, NULL, 512);
	md_stats(sc, &st);
	KT_CHECK(werr == EROFS, "write: %d, want EROFS", werr);
	KT_CHECK(derr == EROFS, "discard: %d, want EROFS", derr);
	KT_CHECK(md_total(&st) == 0, "the driver saw %lu refused bios",
	    md_total(&st));
	KT_CHECK(md_memory(sc)[0] == 0xa5, "the medium changed");
	rerr = disk_io(md_disk(sc), BIO_READ, 0, buf, sizeof(buf));
	KT_CHECK(rerr == 0 && buf[0] == 0xa5, "read: %d, byte %#x", rerr, buf[0]);
	md_destroy(sc);
	KT_NOTE_OK("write %d, discard %d", werr, derr);
}

KTEST(md_out_of_range_einval)
{
	struct md_args ma = { .ma_size = MDT_SIZE };
	struct md_softc *sc;
	struct md_stats st;
	uint8_t *buf;
	int e1, e2, e3, e4, error;

	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create: %d", error);
	buf = malloc(1024, M_TEMP, M_WAITOK);
	e1 = disk_io(md_disk(sc), BIO_READ, MDT_SIZE, buf, 512);
	e2 = disk_io(md_disk(sc), BIO_WRITE, MDT_SIZE - 512, buf, 1024);
	e3 = disk_io(md_disk(sc), BIO_READ, 100, buf, 512);
	e4 = disk_io(md_disk(sc), BIO_WRITE, 0, buf, 0);
	md_stats(sc, &st);
	KT_CHECK(e1 == EINVAL && e2 == EINVAL && e3 == EINVAL && e4 == EINVAL,
	    "errors %d %d %d %d, want EINVAL", e1, e2, e3, e4);
	KT_CHECK(md_total(&st) == 0, "the driver saw %lu invalid bios",
	    md_total(&st));
	error = disk_io(md_disk(sc), BIO_READ, MDT_SIZE - 512, buf, 512);
	md_stats(sc, &st);
	KT_CHECK(error == 0 && st.ms_bios[BIO_READ] == 1,
	    "last sector: error %d, driver reads %lu", error,
	    st.ms_bios[BIO_READ]);
	free(buf, M_TEMP);
	md_destroy(sc);
	KT_NOTE_OK("4 refused before the driver");
}

KTEST(md_flush_discard)
{
	struct md_args ma = { .ma_size = MDT_SIZE };
	struct md_softc *sc;
	struct md_stats st;
	int ef, ed, error;

	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create: %d", error);
	memset(md_memory(sc), 0xee, MDT_SIZE);
	ef = disk_io(md_disk(sc), BIO_FLUSH, 0, NULL, 0);
	ed = disk_io(md_disk(sc), BIO_DISCARD, 4096, NULL, 8192);
	md_stats(sc, &st);
	KT_CHECK(ef == 0 && st.ms_bios[BIO_FLUSH] == 1,
	    "flush: error %d, driver flushes %lu", ef, st.ms_bios[BIO_FLUSH]);
	KT_CHECK(ed == 0 && st.ms_bios[BIO_DISCARD] == 1,
	    "discard: error %d, driver discards %lu", ed, st.ms_bios[BIO_DISCARD]);
	KT_CHECK(md_memory(sc)[4096] == 0 && md_memory(sc)[4096 + 8191] == 0 &&
	    md_memory(sc)[4095] == 0xee && md_memory(sc)[4096 + 8192] == 0xee,
	    "discard zeroed the wrong range");
	md_destroy(sc);

	ma.ma_flags = MD_NOFLUSH | MD_NODISCARD;
	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create (no flush): %d", error);
	ef = disk_io(md_disk(sc), BIO_FLUSH, 0, NULL, 0);
	ed = disk_io(md_disk(sc), BIO_DISCARD, 4096, NULL, 8192);
	md_stats(sc, &st);
	KT_CHECK(ef == EOPNOTSUPP && ed == EOPNOTSUPP,
	    "unsupported flush %d, discard %d, want EOPNOTSUPP", ef, ed);
	KT_CHECK(md_total(&st) == 0, "the driver saw %lu unsupported bios",
	    md_total(&st));
	md_destroy(sc);
	KT_NOTE_OK("flush and discard reach md; refused where unsupported");
}

KTEST(md_fault_sector)
{
	struct md_args ma = { .ma_size = MDT_SIZE };
	struct md_softc *sc;
	uint8_t *buf;
	int e1, e2, e3, error;

	error = md_create(&ma, &sc);
	KT_ASSERT(error == 0, "md_create: %d", error);
	buf = malloc(4096, M_TEMP, M_WAITOK);
	md_set_fault(sc, 10 * 512, EIO);
	e1 = disk_io(md_disk(sc), BIO_READ, 8 * 512, buf, 4096);	/* covers 10 */
	e2 = disk_io(md_disk(sc), BIO_READ, 16 * 512, buf, 4096);	/* does not */
	md_set_fault(sc, 0, 0);
	e3 = disk_io(md_disk(sc), BIO_READ, 8 * 512, buf, 4096);
	KT_CHECK(e1 == EIO, "read over the bad sector: %d, want EIO", e1);
	KT_CHECK(e2 == 0, "read elsewhere: %d", e2);
	KT_CHECK(e3 == 0, "read after clearing the fault: %d", e3);
	free(buf, M_TEMP);
	md_destroy(sc);
	KT_NOTE_OK("EIO on sector 10 only");
}

/* Names are unique; a destroyed disk's name is free again. */
KTEST(md_disk_registry)
{
	struct md_args ma = { .ma_size = MDT_SIZE };
	struct md_softc *a, *b;
	struct disk dup, *found;
	char name[DISK_NAMELEN];
	int error;

	error = md_create(&ma, &a);
	KT_ASSERT(error == 0, "md_create: %d", error);
	strlcpy(name, md_disk(a)->d_ident, sizeof(name));
	found = disk_find(name);
	KT_CHECK(found == md_disk(a), "%s not found", name);
	if (found != NULL)
		disk_rele(found);
	dup = *md_disk(a);
	dup.d_created = false;
	KT_CHECK(disk_create(&dup) == EEXIST, "a second %s was registered", name);
	error = md_create(&ma, &b);
	KT_CHECK(error == 0 && md_disk(b)->d_unit != md_disk(a)->d_unit,
	    "second md: error %d", error);
	if (error == 0)
		md_destroy(b);
	md_destroy(a);
	KT_CHECK(disk_find(name) == NULL, "%s still registered", name);
	KT_NOTE_OK("%s", name);
}
