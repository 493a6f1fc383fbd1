/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Latency histograms: log-linear buckets (8 per power of two, exact below
 * 16), so a percentile read from the histogram is at most 1/8 above the
 * exact one and never below it.  Values are unitless (the I/O tool uses ns).
 * Not locked: one owner records.
 */
#ifndef _SYS_LATHIST_H_
#define _SYS_LATHIST_H_

#include <sys/types.h>

#define LATHIST_SUB	8			/* buckets per power of two */
#define LATHIST_NBUCKETS (LATHIST_SUB * 62)	/* covers every uint64_t */

struct lathist {
	uint64_t	lh_count;
	uint64_t	lh_min;
	uint64_t	lh_max;
	uint64_t	lh_sum;
	uint64_t	lh_bucket[LATHIST_NBUCKETS];
};

void	lathist_init(struct lathist *);
void	lathist_add(struct lathist *, uint64_t value);
/*
 * The nearest-rank percentile (permille: 500 = median, 990 = p99): the
 * largest value of the bucket holding the ceil(count * permille / 1000)-th
 * smallest sample, clamped to [min, max].  0 if empty.
 */
uint64_t lathist_percentile(const struct lathist *, u_int permille);
/* Bucket arithmetic, exposed for the tests. */
u_int	lathist_bucket(uint64_t value);
uint64_t lathist_bucket_max(u_int bucket);

#endif /* !_SYS_LATHIST_H_ */
