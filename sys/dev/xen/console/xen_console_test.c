/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV console ring (xencons_ring.c) on a private page, never the real
 * console's: a backend that never drains, one that drains slowly, and one
 * that rewrites indexes.  Time is measured with the TSC, independently of
 * the sbinuptime() the ring code bounds its waits with.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

#include "xencons_ring.h"

#define OUT_SIZE	((u_int)sizeof(((struct xencons_interface *)0)->out))
#define PUTC_WAIT	(2 * SBT_1MS)
/* Generous for TCG: the bounds under test are 2 ms per call, 20 ms total. */
#define CALL_MAX_US	10000
#define TOTAL_MAX_US	100000
/*
 * Best of this many tries: the emulator itself can stall for tens of ms
 * when the host is busy, which no code under test can bound.
 */
#define TRIES		3

static struct xencons_interface	test_page;
static struct xencons_ring	test_ring;
static u_int			test_notified;
/* The slow backend: takes one character per notification, after 1 ms. */
static bool			test_slow_backend;

static uint64_t
tsc_us(uint64_t ticks)
{
	return (ticks * 1000000 / tsc_freq);
}

static void
test_notify(void *arg __unused)
{
	test_notified++;
	if (test_slow_backend) {
		uint64_t end = rdtsc() + tsc_freq / 1000;

		while (rdtsc() < end)
			cpu_spinwait();
		test_page.out_cons++;
	}
}

static void
test_setup(void)
{
	memset(&test_page, 0, sizeof(test_page));
	test_notified = 0;
	test_slow_backend = false;
	xencons_ring_init(&test_ring, &test_page, test_notify, NULL);
}

/*
 * Prints n characters; returns the total and the longest call in us.  Each
 * call runs with interrupts off, as under the console lock, so that only
 * the ring code's own time is counted.
 */
static uint64_t
put_n(u_int n, uint64_t *longest_us)
{
	uint64_t total = 0, longest = 0, cost = UINT64_MAX;

	/*
	 * What the two TSC reads of a call cost by themselves: next to
	 * nothing natively, tens of microseconds where Xen emulates RDTSC
	 * (dom0 here), which would swamp what the ring code spends.
	 */
	for (int i = 0; i < 16; i++) {
		uint64_t t = rdtsc();

		cost = MIN(cost, rdtsc() - t);
	}

	for (u_int i = 0; i < n; i++) {
		register_t rf = intr_disable();
		uint64_t c0 = rdtsc(), dt;

		(void)xencons_ring_putc(&test_ring, 'a' + (int)(i % 26), PUTC_WAIT);
		dt = rdtsc() - c0;
		intr_restore(rf);
		total += dt > cost ? dt - cost : 0;
		longest = MAX(longest, dt);
	}
	*longest_us = tsc_us(longest);
	return (tsc_us(total));
}

KTEST(xencons_stalled_backend_bounded)
{
	uint64_t total, longest;

	KT_ASSERT(tsc_freq != 0, "TSC not calibrated");
	for (int try = 0; try < TRIES; try++) {
		test_setup();
		total = put_n(OUT_SIZE + 1000, &longest);
		if (longest <= CALL_MAX_US && total <= TOTAL_MAX_US)
			break;
	}
	KT_ASSERT(test_ring.dropped == 1000, "dropped %lu, want 1000",
	    test_ring.dropped);
	KT_ASSERT(test_page.out_prod == OUT_SIZE, "out_prod %u",
	    test_page.out_prod);
	KT_ASSERT(longest <= CALL_MAX_US, "one character waited %lu us", longest);
	KT_ASSERT(total <= TOTAL_MAX_US, "%u characters took %lu us",
	    OUT_SIZE + 1000, total);
	/* The backend drains half the ring: output flows again. */
	test_page.out_cons = OUT_SIZE / 2;
	KT_ASSERT(xencons_ring_putc(&test_ring, '!', PUTC_WAIT),
	    "no output after the backend drained");
	KT_ASSERT(test_page.out[MASK_XENCONS_IDX(OUT_SIZE, test_page.out)] == '!' &&
	    test_page.out_prod == OUT_SIZE + 1, "character not queued in order");
	KT_ASSERT(test_ring.dropped == 1000, "dropped changed to %lu",
	    test_ring.dropped);
	KT_NOTE("%u chars to a stalled ring in %lu us, longest %lu us",
	    OUT_SIZE + 1000, total, longest);
}

KTEST(xencons_slow_backend_bounded)
{
	uint64_t total, longest;
	const u_int n = 300;

	KT_ASSERT(tsc_freq != 0, "TSC not calibrated");
	for (int try = 0; try < TRIES; try++) {
		test_setup();
		(void)put_n(OUT_SIZE, &longest);
		KT_ASSERT(test_ring.dropped == 0, "dropped filling an empty ring");
		test_slow_backend = true;
		total = put_n(n, &longest);
		if (longest <= CALL_MAX_US && total <= TOTAL_MAX_US)
			break;
	}
	KT_ASSERT(longest <= CALL_MAX_US, "one character waited %lu us", longest);
	KT_ASSERT(total <= TOTAL_MAX_US, "%u characters to a slow backend took "
	    "%lu us", n, total);
	KT_ASSERT(test_ring.dropped > 0 && test_ring.dropped < n,
	    "dropped %lu of %u", test_ring.dropped, n);
	KT_ASSERT(test_page.out_prod - test_page.out_cons <= OUT_SIZE,
	    "ring overfilled");
	KT_NOTE("%u chars to a 1 ms/char backend in %lu us, %lu dropped", n,
	    total, test_ring.dropped);
}

KTEST(xencons_backend_rewrites_indexes)
{
	test_setup();
	KT_ASSERT(xencons_ring_putc(&test_ring, 'x', PUTC_WAIT), "first putc");
	/* The backend rewinds the producer index that is ours. */
	test_page.out_prod = 0;
	KT_ASSERT(xencons_ring_putc(&test_ring, 'y', PUTC_WAIT), "second putc");
	KT_ASSERT(test_page.out_prod == 2 && test_page.out[0] == 'x' &&
	    test_page.out[1] == 'y', "rewound out_prod reused: prod %u \"%c%c\"",
	    test_page.out_prod, test_page.out[0], test_page.out[1]);
	/* A consumer ahead of what we produced. */
	test_page.out_cons = 10;
	KT_ASSERT(!xencons_ring_putc(&test_ring, 'z', PUTC_WAIT),
	    "output into a corrupt ring");
	KT_ASSERT(test_ring.corrupt == 1 && test_ring.dropped == 1,
	    "corrupt %lu dropped %lu", test_ring.corrupt, test_ring.dropped);
	/* Input: one character, then a producer a ring and more ahead. */
	test_page.in[0] = 'k';
	test_page.in_prod = 1;
	KT_ASSERT(xencons_ring_getc(&test_ring) == 'k', "getc");
	test_page.in_cons = 0;	/* rewound: must not give 'k' again */
	KT_ASSERT(xencons_ring_getc(&test_ring) == -1, "old input read again");
	test_page.in_prod = 1 + (XENCONS_RING_IDX)sizeof(test_page.in) + 1;
	KT_ASSERT(xencons_ring_getc(&test_ring) == -1, "corrupt input read");
	KT_ASSERT(test_ring.corrupt == 2 && test_page.in_cons == test_page.in_prod,
	    "corrupt %lu, in_cons %u", test_ring.corrupt, test_page.in_cons);
}
