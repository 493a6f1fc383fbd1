/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Validation of received IPv4 and ARP headers: pure functions over a copy
 * of the bytes, so the hosted tests and the fuzz target run them as the
 * stack does.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <net/ethernet.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

const char *const ip_bad_names[IP_BAD_COUNT] = {
	[IP_OK] = "ok",
	[IP_BAD_SHORT] = "short",
	[IP_BAD_VERSION] = "version",
	[IP_BAD_HLEN] = "header length",
	[IP_BAD_LEN] = "total length",
	[IP_BAD_SUM] = "header checksum",
	[IP_BAD_TTL] = "ttl 0",
	[IP_BAD_ADDR] = "source address",
	[IP_BAD_FRAG] = "fragment offset",
};

enum ip_bad
ip_hdr_check(const void *hdr, size_t len, bool sum_valid, int *hlenp,
    int *iplenp)
{
	const struct ip *ip = hdr;
	size_t hlen, iplen;
	uint32_t src;
	uint16_t off;

	if (len < IP_MINHLEN)
		return (IP_BAD_SHORT);
	if (IP_V(ip) != IPVERSION)
		return (IP_BAD_VERSION);
	hlen = (size_t)IP_HL(ip) << 2;
	if (hlen < IP_MINHLEN || hlen > len)
		return (IP_BAD_HLEN);
	iplen = ntohs(ip->ip_len);
	if (iplen < hlen || iplen > len)
		return (IP_BAD_LEN);
	if (!sum_valid && in_cksum_buf(ip, hlen) != 0)
		return (IP_BAD_SUM);
	if (ip->ip_ttl == 0)
		return (IP_BAD_TTL);
	src = ntohl(ip->ip_src);
	if (IN_MULTICAST(src) || IN_EXPERIMENTAL(src) || IN_LOOPBACK(src) ||
	    IN_ZERONET(src))
		return (IP_BAD_ADDR);
	off = ntohs(ip->ip_off);
	if (off & IP_RF)
		return (IP_BAD_FRAG);
	if ((size_t)(off & IP_OFFMASK) * 8 + iplen > IP_MAXPACKET)
		return (IP_BAD_FRAG);
	/* All fragments but the last carry a multiple of 8 bytes. */
	if ((off & IP_MF) && (iplen == hlen || (iplen - hlen) % 8 != 0))
		return (IP_BAD_FRAG);
	*hlenp = (int)hlen;
	*iplenp = (int)iplen;
	return (IP_OK);
}

enum arp_bad
arp_check(const void *p, size_t len, const uint8_t *ourmac)
{
	const struct ether_arp *ea = p;
	uint32_t spa;
	uint16_t op;

	if (len < sizeof(*ea))
		return (ARP_BAD_SHORT);
	if (ntohs(ea->ar_hrd) != ARPHRD_ETHER ||
	    ntohs(ea->ar_pro) != ETHERTYPE_IP ||
	    ea->ar_hln != ETHER_ADDR_LEN || ea->ar_pln != 4)
		return (ARP_BAD_FORMAT);
	op = ntohs(ea->ar_op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		return (ARP_BAD_OP);
	if (ETHER_IS_MULTICAST(ea->arp_sha) ||
	    (ourmac != NULL &&
	    memcmp(ea->arp_sha, ourmac, ETHER_ADDR_LEN) == 0))
		return (ARP_BAD_SHA);
	spa = be32dec(ea->arp_spa);
	if (spa == 0xffffffffU || IN_MULTICAST(spa) || IN_LOOPBACK(spa) ||
	    (spa == 0 && op != ARPOP_REQUEST))
		return (ARP_BAD_SPA);
	return (ARP_OK);
}
