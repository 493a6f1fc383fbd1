/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4)'s negotiation arithmetic (sys/dev/xen/netfront/
 * netfront_negotiate.c) against what Linux 6.1's netback writes and reads:
 * each backend value absent and present, queue counts clamped to
 * multi-queue-max-queues, split event channels, MTU bounds, and the
 * frontend's nodes checked against literal lists written from netif.h and
 * netback's reading of them.  The mac parser on good and bad strings.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_negotiate.h>
#include <dev/xen/netfront/netfront_ring.h>

#include "kunit.h"

/* Linux 6.1 netback on a 2-CPU dom0, libxl without an mtu setting. */
static const struct nfneg_backend linux61 = {
	.rx_copy = true, .sg = true, .split = true, .ipv6_csum = true,
	.has_max_queues = true, .max_queues = 2,
};
static const struct nfneg_ours ours = {
	.queues = 4, .sg = true, .rx_csum = true, .split = true,
};
static struct nfneg n;
static struct nfneg_node nodes[NFNEG_MAX_NODES];
static u_int count;

static void
expect_nodes(const char *const *want, u_int nwant)
{
	KU_ASSERT(count == nwant, "%u nodes, want %u", count, nwant);
	for (u_int i = 0; i < nwant; i++) {
		char got[NFNEG_PATH_MAX + NFNEG_VALUE_MAX + 2];

		snprintf(got, sizeof(got), "%s=%s", nodes[i].path,
		    nodes[i].value);
		KU_ASSERT(strcmp(got, want[i]) == 0, "node %u: %s, want %s", i,
		    got, want[i]);
	}
}

static const struct nfneg_queue qv[4] = {
	{ 8, 9, 30, 31 }, { 10, 11, 32, 33 }, { 12, 13, 34, 35 },
	{ 14, 15, 36, 37 },
};

KUNIT_TEST(nfneg_linux61_two_queues_split)
{
	static const char *const want[] = {
		"queue-0/tx-ring-ref=8", "queue-0/rx-ring-ref=9",
		"queue-0/event-channel-tx=30", "queue-0/event-channel-rx=31",
		"queue-1/tx-ring-ref=10", "queue-1/rx-ring-ref=11",
		"queue-1/event-channel-tx=32", "queue-1/event-channel-rx=33",
		"multi-queue-num-queues=2", "request-rx-copy=1",
		"feature-rx-notify=1", "feature-sg=1",
		"feature-no-csum-offload=0", "feature-ipv6-csum-offload=0",
		"feature-gso-tcpv4=0",
	};

	KU_ASSERT(nfneg_negotiate(&ours, &linux61, &n) == 0, "refused");
	KU_ASSERT(n.queues == 2 && n.write_num_queues && n.split && n.tx_sg &&
	    n.tx_max_slots == 18 && n.rx_sg && n.rx_csum && n.mtu == 1500 &&
	    !n.mtu_clamped, "q %u split %d sg %d slots %u mtu %u", n.queues,
	    n.split, n.tx_sg, n.tx_max_slots, n.mtu);
	KU_ASSERT(nfneg_nodes(&n, qv, nodes, NFNEG_MAX_NODES, &count) == 0,
	    "nodes");
	expect_nodes(want, nitems(want));
}

KUNIT_TEST(nfneg_one_queue_flat_shared_port)
{
	/* A backend with one queue, no split channels, no SG, no csum. */
	static const struct nfneg_backend be = {
		.rx_copy = true, .has_max_queues = true, .max_queues = 1,
	};
	static const struct nfneg_ours o = { .queues = 2, .sg = true,
		.rx_csum = false, .split = true };
	static const char *const want[] = {
		"tx-ring-ref=8", "rx-ring-ref=9", "event-channel=30",
		"multi-queue-num-queues=1", "request-rx-copy=1",
		"feature-rx-notify=1", "feature-sg=1",
		"feature-no-csum-offload=1", "feature-ipv6-csum-offload=0",
		"feature-gso-tcpv4=0",
	};

	KU_ASSERT(nfneg_negotiate(&o, &be, &n) == 0, "refused");
	KU_ASSERT(n.queues == 1 && !n.split && !n.tx_sg && n.tx_max_slots == 1,
	    "q %u split %d sg %d", n.queues, n.split, n.tx_sg);
	KU_ASSERT(nfneg_nodes(&n, qv, nodes, NFNEG_MAX_NODES, &count) == 0,
	    "nodes");
	expect_nodes(want, nitems(want));
}

KUNIT_TEST(nfneg_absent_nodes)
{
	/* Only feature-rx-copy: one queue, no num-queues node at all. */
	static const struct nfneg_backend be = { .rx_copy = true };
	static const struct nfneg_backend none = { 0 };

	KU_ASSERT(nfneg_negotiate(&ours, &be, &n) == 0, "refused");
	KU_ASSERT(n.queues == 1 && !n.write_num_queues && !n.split,
	    "q %u write %d", n.queues, n.write_num_queues);
	KU_ASSERT(nfneg_nodes(&n, qv, nodes, NFNEG_MAX_NODES, &count) == 0,
	    "nodes");
	for (u_int i = 0; i < count; i++)
		KU_ASSERT(strncmp(nodes[i].path, "multi-queue", 11) != 0 &&
		    strncmp(nodes[i].path, "queue-", 6) != 0,
		    "multi-queue node %s without the backend's", nodes[i].path);
	/* Netback always copies; without the node it is not netback. */
	KU_ASSERT(nfneg_negotiate(&ours, &none, &n) == EOPNOTSUPP,
	    "no rx-copy accepted");
}

KUNIT_TEST(nfneg_queue_counts)
{
	struct nfneg_backend be = linux61;
	struct nfneg_ours o = ours;

	be.max_queues = 0;	/* present but zero: one queue */
	KU_ASSERT(nfneg_negotiate(&o, &be, &n) == 0 && n.queues == 1,
	    "max 0: %u", n.queues);
	be.max_queues = 8;
	o.queues = 0;
	KU_ASSERT(nfneg_negotiate(&o, &be, &n) == 0 && n.queues == 1,
	    "ours 0: %u", n.queues);
	o.queues = 100;
	be.max_queues = 0xffffffff;
	KU_ASSERT(nfneg_negotiate(&o, &be, &n) == 0 &&
	    n.queues == NFNEG_MAX_QUEUES, "huge: %u", n.queues);
	KU_ASSERT(nfneg_nodes(&n, qv, nodes, 4, &count) == ENOSPC,
	    "4 nodes held 8 queues");
	n.queues = 2;
	n.write_num_queues = false;
	KU_ASSERT(nfneg_nodes(&n, qv, nodes, NFNEG_MAX_NODES, &count) == EINVAL,
	    "two queues without multi-queue-num-queues");
}

KUNIT_TEST(nfneg_mtu)
{
	struct nfneg_backend be = linux61;

	be.has_mtu = true;
	be.mtu = 9000;
	KU_ASSERT(nfneg_negotiate(&ours, &be, &n) == 0 && n.mtu == 9000 &&
	    !n.mtu_clamped, "9000: %u", n.mtu);
	be.mtu = 70000;
	KU_ASSERT(nfneg_negotiate(&ours, &be, &n) == 0 && n.mtu == 65521 &&
	    n.mtu_clamped, "70000: %u", n.mtu);
	be.mtu = 10;
	KU_ASSERT(nfneg_negotiate(&ours, &be, &n) == 0 && n.mtu == 68 &&
	    n.mtu_clamped, "10: %u", n.mtu);
	be.sg = false;
	be.mtu = 9000;
	KU_ASSERT(nfneg_negotiate(&ours, &be, &n) == 0 && n.mtu == 1500 &&
	    n.mtu_clamped, "9000 without SG: %u", n.mtu);
}

KUNIT_TEST(nfneg_mac)
{
	uint8_t m[6] = { 0 };
	static const char *const bad[] = {
		"", "00:16:3e:01:02", "00:16:3e:01:02:03:04", "00-16-3e-01-02-03",
		"00:16:3e:01:02:0g", "0:16:3e:01:02:03", "01:16:3e:01:02:03",
		"00:00:00:00:00:00", "00:16:3e:01:02:03 ", "ff:ff:ff:ff:ff:ff",
	};

	KU_ASSERT(nfneg_parse_mac("00:16:3E:5a:0b:ff", m) == 0, "good mac");
	KU_ASSERT(m[0] == 0x00 && m[1] == 0x16 && m[2] == 0x3e && m[3] == 0x5a &&
	    m[4] == 0x0b && m[5] == 0xff, "parsed %02x:%02x:%02x:%02x:%02x:%02x",
	    m[0], m[1], m[2], m[3], m[4], m[5]);
	for (u_int i = 0; i < nitems(bad); i++) {
		memset(m, 0x77, sizeof(m));
		KU_ASSERT(nfneg_parse_mac(bad[i], m) == EINVAL, "'%s' accepted",
		    bad[i]);
		KU_ASSERT(m[0] == 0x77, "'%s' wrote the mac", bad[i]);
	}
}
