/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4) negotiation arithmetic (see netfront_negotiate.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_negotiate.h>
#include <dev/xen/netfront/netfront_ring.h>

int
nfneg_negotiate(const struct nfneg_ours *o, const struct nfneg_backend *be,
    struct nfneg *n)
{
	u_int maxmtu, q;

	memset(n, 0, sizeof(*n));
	if (!be->rx_copy)
		return (EOPNOTSUPP);
	q = MAX(o->queues, 1);
	q = MIN(q, NFNEG_MAX_QUEUES);
	/* Without the node, netback has one queue and no idea of more. */
	if (be->has_max_queues) {
		q = MIN(q, MAX(be->max_queues, 1));
		n->write_num_queues = true;
	} else
		q = 1;
	n->queues = q;
	n->split = o->split && be->split;
	n->tx_sg = o->sg && be->sg;
	n->tx_max_slots = n->tx_sg ? NF_TX_MAX_SLOTS : 1;
	n->rx_sg = o->sg;
	n->rx_csum = o->rx_csum;
	maxmtu = n->tx_sg ? NFNEG_MAX_MTU_SG : NFNEG_DEFAULT_MTU;
	n->mtu = NFNEG_DEFAULT_MTU;
	if (be->has_mtu) {
		if (be->mtu < NFNEG_MIN_MTU || be->mtu > maxmtu)
			n->mtu_clamped = true;
		n->mtu = MAX(MIN(be->mtu, maxmtu), NFNEG_MIN_MTU);
	}
	return (0);
}

static int
add(struct nfneg_node *out, u_int max, u_int *count, const char *prefix,
    const char *name, uint64_t v)
{
	struct nfneg_node *nd;

	if (*count >= max)
		return (ENOSPC);
	nd = &out[(*count)++];
	if ((size_t)snprintf(nd->path, sizeof(nd->path), "%s%s", prefix,
	    name) >= sizeof(nd->path) ||
	    (size_t)snprintf(nd->value, sizeof(nd->value), "%ju",
	    (uintmax_t)v) >= sizeof(nd->value))
		return (ENOSPC);
	return (0);
}

int
nfneg_nodes(const struct nfneg *n, const struct nfneg_queue *q,
    struct nfneg_node *out, u_int max, u_int *countp)
{
	char prefix[16];
	u_int c = 0;
	int error = 0;

	*countp = 0;
	if (n->queues == 0 || n->queues > NFNEG_MAX_QUEUES ||
	    (n->queues > 1 && !n->write_num_queues))
		return (EINVAL);
	for (u_int i = 0; i < n->queues && error == 0; i++) {
		prefix[0] = '\0';
		if (n->queues > 1)
			(void)snprintf(prefix, sizeof(prefix), "queue-%u/", i);
		error = add(out, max, &c, prefix, "tx-ring-ref", q[i].tx_ref);
		if (error == 0)
			error = add(out, max, &c, prefix, "rx-ring-ref",
			    q[i].rx_ref);
		if (error == 0 && n->split) {
			error = add(out, max, &c, prefix, "event-channel-tx",
			    q[i].tx_port);
			if (error == 0)
				error = add(out, max, &c, prefix,
				    "event-channel-rx", q[i].rx_port);
		} else if (error == 0)
			error = add(out, max, &c, prefix, "event-channel",
			    q[i].tx_port);
	}
	if (error == 0 && n->write_num_queues)
		error = add(out, max, &c, "", "multi-queue-num-queues",
		    n->queues);
	if (error == 0)
		error = add(out, max, &c, "", "request-rx-copy", 1);
	if (error == 0)
		error = add(out, max, &c, "", "feature-rx-notify", 1);
	if (error == 0)
		error = add(out, max, &c, "", "feature-sg", n->rx_sg ? 1 : 0);
	if (error == 0)
		error = add(out, max, &c, "", "feature-no-csum-offload",
		    n->rx_csum ? 0 : 1);
	/* IPv6 frames with a blank checksum: we would not fill them. */
	if (error == 0)
		error = add(out, max, &c, "", "feature-ipv6-csum-offload", 0);
	/* No GSO: every received frame fits the MTU. */
	if (error == 0)
		error = add(out, max, &c, "", "feature-gso-tcpv4", 0);
	if (error != 0)
		return (error);
	*countp = c;
	return (0);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

int
nfneg_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	int hi, lo;

	for (u_int i = 0; i < 6; i++) {
		if ((hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0)
			return (EINVAL);
		m[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return (EINVAL);
	}
	if (*s != '\0' || (m[0] & 1) != 0 ||
	    (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0)
		return (EINVAL);
	memcpy(mac, m, 6);
	return (0);
}
