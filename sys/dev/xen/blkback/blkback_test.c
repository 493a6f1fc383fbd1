/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback's lab ktest: in the drv-blk scenario our kernel is a driver
 * domain and dom0 asks it, through xenstore, what its side sees while a
 * Linux guest uses the disk we export: the SHA-256 of the whole backing
 * disk read through disk(9) (not through blkback, so a check independent
 * of the data path against Linux's own sha256sum) and blkback's counters
 * (ring pages mapped, event channels, threads, buffers, requests by kind)
 * and free pages, before, during and after a detach, and the whole
 * kernel's counts a leak would move whoever leaked (grant maps, bound
 * event channels, live malloc allocations), equal before the guest
 * attaches and after it is gone.  dom0 writes
 * data/blkback-lab/cmd = "<n> report" or "<n> done"; we answer in
 * data/blkback-lab/reply = "<n> key=value ...".
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/sha256.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

#include <dev/xen/blkback/blkback_var.h>

#define LAB_DIR		"data/blkback-lab"
#define LAB_CHUNK	(64 * 1024)

static int	blkback_lab;
TUNABLE_INT("ktest.blkback_lab", &blkback_lab,
    "run blkback_lab_serve: answer dom0's reports (scenario drv-blk)");
static char	blkback_lab_disk[DISK_NAMELEN] = "md0";
TUNABLE_STR("ktest.blkback_lab_disk", blkback_lab_disk,
    sizeof(blkback_lab_disk), "the disk blkback_lab_serve hashes");
static int	blkback_lab_secs = 300;
TUNABLE_INT("ktest.blkback_lab_secs", &blkback_lab_secs,
    "how long blkback_lab_serve waits for dom0's done");

static int
lab_hash(struct disk *dp, uint8_t *buf, char hex[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_LENGTH];
	int error;

	sha256_init(&c);
	for (off_t off = 0; off < dp->d_mediasize; off += LAB_CHUNK) {
		size_t n = (size_t)MIN((off_t)LAB_CHUNK, dp->d_mediasize - off);

		if ((error = disk_io(dp, BIO_READ, off, buf, n)) != 0)
			return (error);
		sha256_update(&c, buf, n);
	}
	sha256_final(&c, d);
	sha256_hex(d, hex);
	return (0);
}

static int
lab_report(u_long seq, struct disk *dp, uint8_t *buf)
{
	struct blkback_totals t;
	char hex[65], reply[640];
	u_long m_inuse, m_bytes;
	int error;

	if ((error = lab_hash(dp, buf, hex)) != 0)
		return (error);
	blkback_get_totals(&t);
	malloc_totals(&m_inuse, &m_bytes);
	snprintf(reply, sizeof(reply), "%lu sha256=%s devices=%ju connects=%ju "
	    "queues=%ju ring_maps=%ju evtchns=%ju threads=%ju bufs=%ju "
	    "requests=%ju rejected=%ju flushes=%ju discards=%ju indirect=%ju "
	    "proto_errors=%ju free_pages=%lu gnt_maps=%u evtchns_bound=%u "
	    "malloc_inuse=%lu malloc_bytes=%lu", seq, hex, (uintmax_t)t.devices,
	    (uintmax_t)t.connects, (uintmax_t)t.queues, (uintmax_t)t.ring_maps,
	    (uintmax_t)t.evtchns, (uintmax_t)t.threads, (uintmax_t)t.bufs,
	    (uintmax_t)t.requests, (uintmax_t)t.rejected, (uintmax_t)t.flushes,
	    (uintmax_t)t.discards, (uintmax_t)t.indirect,
	    (uintmax_t)t.proto_errors, phys_free_count(), gnttab_maps_live(),
	    evtchn_bound_count(), m_inuse, m_bytes);
	printf("BLKBACK-LAB %s\n", reply);
	return (xs_write(XST_NIL, LAB_DIR, "reply", reply));
}

KTEST(blkback_lab_serve)
{
	struct disk *dp;
	uint8_t *buf;
	u_long last = 0, reports = 0;
	sbintime_t end;
	bool done = false;
	int error;

	KT_REQUIRE_XEN();
	if (!blkback_lab)
		KT_SKIP("no dom0 asking here (scenario drv-blk sets "
		    "ktest.blkback_lab=1)");
	KT_ASSERT(xs_ready(), "no xenstore");
	dp = disk_wait(blkback_lab_disk, 5 * SBT_1S);
	KT_ASSERT(dp != NULL, "no disk %s", blkback_lab_disk);
	buf = malloc(LAB_CHUNK, M_TEMP, M_WAITOK);
	error = xs_write(XST_NIL, LAB_DIR, "ready", "1");
	KT_CHECK(error == 0, "ready: %d", error);
	end = sbinuptime() + (sbintime_t)blkback_lab_secs * SBT_1S;
	while (error == 0 && !done && sbinuptime() < end) {
		char *v, verb[16];
		u_long seq;

		if (xs_read(XST_NIL, LAB_DIR, "cmd", &v, NULL) == 0) {
			char *sp = strchr(v, ' ');
			uint64_t n;

			verb[0] = '\0';
			if (sp != NULL) {
				*sp = '\0';
				strlcpy(verb, sp + 1, sizeof(verb));
			}
			seq = parse_uint64(v, &n) == 0 ? (u_long)n : 0;
			free(v, M_XENSTORE);
			if (seq > last) {
				last = seq;
				if (strcmp(verb, "done") == 0)
					done = true;
				else {
					error = lab_report(seq, dp, buf);
					reports++;
				}
			}
		}
		if (!done && error == 0)
			tsleep(&blkback_lab, "bblab", 20 * SBT_1MS);
	}
	free(buf, M_TEMP);
	disk_rele(dp);
	KT_CHECK(error == 0, "report %lu: %d", last, error);
	KT_CHECK(done, "no done from dom0 in %d s (%lu reports)",
	    blkback_lab_secs, reports);
	KT_NOTE_OK("%lu reports on %s", reports, blkback_lab_disk);
}
