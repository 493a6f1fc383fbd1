/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Log-linear latency histogram (see sys/lathist.h).  A value v >= 16 with
 * its highest set bit at position m falls in the bucket picked by m and the
 * three bits below it; values below 16 have a bucket each.
 */
#include <sys/param.h>
#include <sys/lathist.h>
#include <sys/systm.h>

CTASSERT(LATHIST_SUB == 8);

void
lathist_init(struct lathist *h)
{
	memset(h, 0, sizeof(*h));
	h->lh_min = UINT64_MAX;
}

u_int
lathist_bucket(uint64_t v)
{
	u_int msb;

	if (v < 2 * LATHIST_SUB)
		return ((u_int)v);
	msb = 63 - (u_int)__builtin_clzll(v);
	/* msb >= 4 here: buckets 16.. continue after the exact ones. */
	return ((msb - 2) * LATHIST_SUB + (u_int)((v >> (msb - 3)) & 7));
}

uint64_t
lathist_bucket_max(u_int b)
{
	u_int msb, sub;

	KASSERT(b < LATHIST_NBUCKETS, ("lathist: bucket %u out of range", b));
	if (b < 2 * LATHIST_SUB)
		return (b);
	msb = b / LATHIST_SUB + 2;
	sub = b % LATHIST_SUB;
	/* The lowest value of the next bucket, minus one (no overflow at 63). */
	return ((((uint64_t)(LATHIST_SUB + sub) << (msb - 3)) - 1) +
	    ((uint64_t)1 << (msb - 3)));
}

void
lathist_add(struct lathist *h, uint64_t v)
{
	h->lh_bucket[lathist_bucket(v)]++;
	h->lh_count++;
	h->lh_sum += v;
	if (v < h->lh_min)
		h->lh_min = v;
	if (v > h->lh_max)
		h->lh_max = v;
}

uint64_t
lathist_percentile(const struct lathist *h, u_int permille)
{
	uint64_t rank, seen, v;

	KASSERT(permille <= 1000, ("lathist: permille %u", permille));
	if (h->lh_count == 0)
		return (0);
	rank = (h->lh_count * permille + 999) / 1000;
	if (rank == 0)
		rank = 1;
	seen = 0;
	for (u_int b = 0; b < LATHIST_NBUCKETS; b++) {
		seen += h->lh_bucket[b];
		if (seen >= rank) {
			v = lathist_bucket_max(b);
			if (v > h->lh_max)
				v = h->lh_max;
			return (v < h->lh_min ? h->lh_min : v);
		}
	}
	panic("lathist: %ju samples but the buckets hold %ju",
	    (uintmax_t)h->lh_count, (uintmax_t)seen);
}
