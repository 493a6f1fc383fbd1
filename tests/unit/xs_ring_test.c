/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenstore ring I/O of sys/xen/xs_ring.c against a ring page in memory
 * played by the test as the daemon, including a daemon that lies about its
 * indexes.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <xen/xs_ring.h>

#include "kunit.h"

static struct xenstore_domain_interface ring;
static struct xs_ring r;

KUNIT_TEST(xs_ring_roundtrip_wraps)
{
	char out[700], in[700];

	memset(&ring, 0, sizeof(ring));
	/* Start near the top of the index space to cross both wraps. */
	ring.req_prod = ring.req_cons = 0xfffffe00;
	ring.rsp_prod = ring.rsp_cons = 0xfffffe00;
	xs_ring_init(&r, &ring);
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < sizeof(out); i++)
			out[i] = (char)(i * 7 + round);
		KU_ASSERT(xs_ring_put(&r, out, sizeof(out)) == (ssize_t)sizeof(out),
		    "put round %d", round);
		/* Play the daemon: echo the request ring into the reply ring. */
		for (size_t i = 0; i < sizeof(out); i++) {
			ring.rsp[MASK_XENSTORE_IDX(ring.rsp_prod)] =
			    ring.req[MASK_XENSTORE_IDX(ring.req_cons)];
			ring.rsp_prod++;
			ring.req_cons++;
		}
		KU_ASSERT(xs_ring_avail(&r) == (ssize_t)sizeof(out), "avail");
		KU_ASSERT(xs_ring_get(&r, in, sizeof(in)) == (ssize_t)sizeof(in),
		    "get round %d", round);
		KU_ASSERT(memcmp(in, out, sizeof(in)) == 0, "data differs");
	}
}

KUNIT_TEST(xs_ring_full_is_partial)
{
	char buf[XENSTORE_RING_SIZE + 100];

	memset(&ring, 0, sizeof(ring));
	xs_ring_init(&r, &ring);
	memset(buf, 'x', sizeof(buf));
	KU_ASSERT(xs_ring_put(&r, buf, sizeof(buf)) == XENSTORE_RING_SIZE,
	    "a full ring took more than it holds");
	KU_ASSERT(xs_ring_space(&r) == 0, "space after filling");
	KU_ASSERT(xs_ring_put(&r, buf, 1) == 0, "put into a full ring");
	KU_ASSERT(xs_ring_get(&r, buf, 10) == 0, "get from an empty reply ring");
}

KUNIT_TEST(xs_ring_lying_daemon)
{
	char buf[16];

	memset(&ring, 0, sizeof(ring));
	xs_ring_init(&r, &ring);
	/* A producer claiming more than a ring's worth of replies. */
	ring.rsp_prod = XENSTORE_RING_SIZE + 1;
	KU_ASSERT(xs_ring_avail(&r) == -1, "oversized reply index accepted");
	KU_ASSERT(xs_ring_get(&r, buf, sizeof(buf)) == -1,
	    "read from a corrupt reply ring");
	KU_ASSERT(ring.rsp_cons == 0, "consumer moved on a corrupt ring");
	/* A consumer index ahead of what we produced. */
	memset(&ring, 0, sizeof(ring));
	xs_ring_init(&r, &ring);
	ring.req_cons = 5;
	KU_ASSERT(xs_ring_space(&r) == -1, "request consumer ahead accepted");
	KU_ASSERT(xs_ring_put(&r, "abc", 3) == -1,
	    "write into a corrupt request ring");
}

KUNIT_TEST(xs_ring_own_indexes_private)
{
	char buf[8];

	memset(&ring, 0, sizeof(ring));
	xs_ring_init(&r, &ring);
	/* A reply of 4 bytes, read by us. */
	memcpy(ring.rsp, "abcd", 4);
	ring.rsp_prod = 4;
	KU_ASSERT(xs_ring_get(&r, buf, sizeof(buf)) == 4, "first read");
	/* The daemon rewinds the consumer index that is ours. */
	ring.rsp_cons = 0;
	KU_ASSERT(xs_ring_avail(&r) == 0, "rewound rsp_cons made old data new");
	KU_ASSERT(xs_ring_get(&r, buf, sizeof(buf)) == 0, "re-read old data");
	KU_ASSERT(ring.rsp_cons == 4, "our consumer index not republished");
	/* And rewinds our producer index after consuming a request. */
	KU_ASSERT(xs_ring_put(&r, "wxyz", 4) == 4, "put");
	ring.req_cons = 4;
	ring.req_prod = 0;
	KU_ASSERT(xs_ring_space(&r) == XENSTORE_RING_SIZE,
	    "rewound req_prod changed our free space to %zd", xs_ring_space(&r));
	KU_ASSERT(xs_ring_put(&r, "12", 2) == 2, "put after rewind");
	KU_ASSERT(ring.req_prod == 6 && memcmp(&ring.req[4], "12", 2) == 0,
	    "request written at %u, not after our own data", ring.req_prod);
}
