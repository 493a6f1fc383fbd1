/*
 * rawinject: malformed Ethernet frames for the lab's robustness scenario.
 *
 *	rawinject -i IF -d DSTMAC -s SRCIP -t DSTIP [-p PORT] [-n COUNT]
 *	    [-l LEN] [-L] KIND...
 *
 * Sends COUNT (default 1) frames of each KIND on interface IF (AF_PACKET,
 * raw), from IF's own MAC to DSTMAC, IPv4 from SRCIP to DSTIP, UDP to PORT
 * (default 7777, the echo port, so a receiver that wrongly accepts one
 * answers it).  KINDs:
 *
 *	short		Ethernet header only (no IP header at all)
 *	runt-ip		an IP header cut after 10 bytes
 *	oversized	a valid UDP datagram in an IP packet of -l LEN bytes
 *			(default 1504: over a 1500-byte MTU); IF's own MTU
 *			must allow it (raise it first), else it is skipped
 *	bad-version	IP version 6 in an IPv4 frame
 *	ihl-small	IHL 4 (16-byte header)
 *	ihl-big		IHL 15, more than the packet
 *	iplen-long	total length past the end of the frame
 *	iplen-short	total length below the header length
 *	bad-ipcsum	wrong IP header checksum
 *	bad-udpcsum	wrong UDP checksum
 *	udplen-long	UDP length past the end of the IP payload
 *	overlap-first	overlapping fragments; UDP checksum right if the
 *			first copy of the overlap wins
 *	overlap-last	the same, right if the last copy wins
 *	frag-flood	COUNT*16 first fragments that never complete
 *	frag-huge	fragments reaching past 65535 bytes
 *	arp-junk	ARP with wrong hardware/protocol lengths, an unknown
 *			opcode, and a truncated ARP
 *
 * With -L the tool listens on the source port (PORT + 1) for 500 ms
 * afterwards and counts whatever comes back: a datagram answered is one the
 * receiver should have dropped.  Prints one "RAWINJECT kind=K frames=N"
 * line per kind and "RAWINJECT-DONE frames=N echoes=N".
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck.h"

struct ri {
	int		fd;
	int		ifindex;
	int		mtu;
	uint8_t		src_mac[6];
	uint8_t		dst_mac[6];
	uint32_t	src_ip;		/* network order */
	uint32_t	dst_ip;
	uint16_t	port;
	uint16_t	id;
	unsigned	sent;
	unsigned	failed;
	unsigned	skipped;
	size_t		big;		/* IP length of "oversized" */
	uint8_t		f[9216 + 64];
};

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
ri_send(struct ri *ri, size_t len)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ri->ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, ri->dst_mac, 6);
	if (sendto(ri->fd, ri->f, len, 0, (struct sockaddr *)&sll,
	    sizeof(sll)) == (ssize_t)len) {
		ri->sent++;
	} else {
		ri->failed++;
		fprintf(stderr, "rawinject: send %zu bytes: %s\n", len,
		    strerror(errno));
	}
}

static void
ri_eth(struct ri *ri, uint16_t type)
{
	memcpy(ri->f, ri->dst_mac, 6);
	memcpy(ri->f + 6, ri->src_mac, 6);
	wr16(ri->f + 12, type);
}

/* IPv4 header at f+14 with a right checksum; returns its address. */
static uint8_t *
ri_ip(struct ri *ri, uint16_t total, uint16_t frag)
{
	uint8_t *ip = ri->f + 14;

	ri_eth(ri, ETH_P_IP);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	wr16(ip + 2, total);
	wr16(ip + 4, ri->id);
	wr16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &ri->src_ip, 4);
	memcpy(ip + 16, &ri->dst_ip, 4);
	wr16(ip + 10, (uint16_t)~nc_fold(nc_sum(ip, 20, 0)));
	return (ip);
}

static void
ri_ipsum(uint8_t *ip)
{
	size_t hl = (size_t)(ip[0] & 0xf) * 4;

	wr16(ip + 10, 0);
	wr16(ip + 10, (uint16_t)~nc_fold(nc_sum(ip, hl, 0)));
}

/* UDP header and pattern payload at udp, checksum over ulen bytes. */
static void
ri_udp(struct ri *ri, uint8_t *udp, uint16_t ulen)
{
	uint8_t ph[12];
	uint16_t c;

	wr16(udp, (uint16_t)(ri->port + 1));
	wr16(udp + 2, ri->port);
	wr16(udp + 4, ulen);
	wr16(udp + 6, 0);
	nc_fill(udp + 8, ulen - 8u);
	memcpy(ph, &ri->src_ip, 4);
	memcpy(ph + 4, &ri->dst_ip, 4);
	ph[8] = 0;
	ph[9] = 17;
	wr16(ph + 10, ulen);
	c = (uint16_t)~nc_fold(nc_sum(udp, ulen, nc_sum(ph, 12, 0)));
	wr16(udp + 6, c == 0 ? 0xffff : c);
}

/* A valid IPv4/UDP frame with a payload of plen bytes; returns length. */
static size_t
ri_valid(struct ri *ri, size_t plen)
{
	uint8_t *ip = ri_ip(ri, (uint16_t)(28 + plen), 0);

	ri_udp(ri, ip + 20, (uint16_t)(8 + plen));
	return (14 + 28 + plen);
}

/*
 * Two fragments of one datagram whose bytes 16..23 of the UDP payload
 * overlap with different contents; the checksum is right for the first
 * copy (first_wins) or the last.
 */
static void
ri_overlap(struct ri *ri, bool first_wins)
{
	uint8_t dg[48], alt[48];
	uint8_t *ip;
	uint16_t c;
	uint8_t ph[12];

	/* The datagram as the winner sees it: 8 UDP + 40 payload. */
	memset(dg, 0, sizeof(dg));
	wr16(dg, (uint16_t)(ri->port + 1));
	wr16(dg + 2, ri->port);
	wr16(dg + 4, sizeof(dg));
	nc_fill(dg + 8, sizeof(dg) - 8);
	memcpy(alt, dg, sizeof(dg));
	memset(alt + 24, 0xee, 8);	/* the overlap, as the loser has it */
	memcpy(ph, &ri->src_ip, 4);
	memcpy(ph + 4, &ri->dst_ip, 4);
	ph[8] = 0;
	ph[9] = 17;
	wr16(ph + 10, sizeof(dg));
	c = (uint16_t)~nc_fold(nc_sum(dg, sizeof(dg), nc_sum(ph, 12, 0)));
	wr16(dg + 6, c == 0 ? 0xffff : c);
	wr16(alt + 6, c == 0 ? 0xffff : c);
	ri->id++;
	/* First fragment: bytes 0..31 (MF). */
	ip = ri_ip(ri, 20 + 32, 0x2000);
	memcpy(ip + 20, first_wins ? dg : alt, 32);
	ri_send(ri, 14 + 20 + 32);
	/* Second: bytes 24..47, overlapping 24..31. */
	ip = ri_ip(ri, 20 + 24, 24 / 8);
	memcpy(ip + 20, first_wins ? alt + 24 : dg + 24, 24);
	ri_send(ri, 14 + 20 + 24);
}

static void
ri_arp(struct ri *ri)
{
	uint8_t *a = ri->f + 14;
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t save[6];

	memcpy(save, ri->dst_mac, 6);
	memcpy(ri->dst_mac, bcast, 6);
	/* Wrong lengths: hlen 7, plen 5. */
	ri_eth(ri, ETH_P_ARP);
	memset(a, 0, 28);
	wr16(a, 1);
	wr16(a + 2, ETH_P_IP);
	a[4] = 7;
	a[5] = 5;
	wr16(a + 6, 1);
	memcpy(a + 8, ri->src_mac, 6);
	memcpy(a + 24, &ri->dst_ip, 4);
	ri_send(ri, 14 + 28);
	/* Unknown opcode, lengths right. */
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, 9);
	memcpy(a + 14, &ri->src_ip, 4);
	ri_send(ri, 14 + 28);
	/* Hardware type 6 (IEEE 802), otherwise a request. */
	wr16(a, 6);
	wr16(a + 6, 1);
	ri_send(ri, 14 + 28);
	/* A request cut short after the sender's MAC. */
	wr16(a, 1);
	ri_send(ri, 14 + 14);
	memcpy(ri->dst_mac, save, 6);
}

static bool
ri_kind(struct ri *ri, const char *k)
{
	uint8_t *ip;
	size_t len;
	unsigned i;

	ri->id++;
	if (strcmp(k, "short") == 0) {
		ri_eth(ri, ETH_P_IP);
		ri_send(ri, 14);
	} else if (strcmp(k, "runt-ip") == 0) {
		ri_valid(ri, 16);
		ri_send(ri, 14 + 10);
	} else if (strcmp(k, "oversized") == 0) {
		/* AF_PACKET refuses frames over IF's own MTU. */
		if (ri->big > (size_t)ri->mtu) {
			ri->skipped++;
			return (true);
		}
		len = ri_valid(ri, ri->big - 28);
		ri_send(ri, len);
	} else if (strcmp(k, "bad-version") == 0) {
		len = ri_valid(ri, 16);
		ri->f[14] = 0x65;
		ri_ipsum(ri->f + 14);
		ri_send(ri, len);
	} else if (strcmp(k, "ihl-small") == 0) {
		len = ri_valid(ri, 16);
		ri->f[14] = 0x44;
		ri_ipsum(ri->f + 14);
		ri_send(ri, len);
	} else if (strcmp(k, "ihl-big") == 0) {
		len = ri_valid(ri, 16);
		ri->f[14] = 0x4f;
		ri_ipsum(ri->f + 14);
		ri_send(ri, len);
	} else if (strcmp(k, "iplen-long") == 0) {
		len = ri_valid(ri, 16);
		wr16(ri->f + 16, 1000);
		ri_ipsum(ri->f + 14);
		ri_send(ri, len);
	} else if (strcmp(k, "iplen-short") == 0) {
		len = ri_valid(ri, 16);
		wr16(ri->f + 16, 12);
		ri_ipsum(ri->f + 14);
		ri_send(ri, len);
	} else if (strcmp(k, "bad-ipcsum") == 0) {
		len = ri_valid(ri, 16);
		ri->f[14 + 10] ^= 0x5a;
		ri_send(ri, len);
	} else if (strcmp(k, "bad-udpcsum") == 0) {
		len = ri_valid(ri, 16);
		ri->f[14 + 20 + 6] ^= 0x5a;
		if (ri->f[14 + 26] == 0 && ri->f[14 + 27] == 0)
			ri->f[14 + 27] = 1;	/* 0 would mean "none" */
		ri_send(ri, len);
	} else if (strcmp(k, "udplen-long") == 0) {
		len = ri_valid(ri, 16);
		wr16(ri->f + 14 + 20 + 4, 200);
		ri_send(ri, len);
	} else if (strcmp(k, "overlap-first") == 0) {
		ri_overlap(ri, true);
	} else if (strcmp(k, "overlap-last") == 0) {
		ri_overlap(ri, false);
	} else if (strcmp(k, "frag-flood") == 0) {
		for (i = 0; i < 16; i++) {
			ri->id++;
			ip = ri_ip(ri, 20 + 512, 0x2000);
			memset(ip + 20, (int)i, 512);
			ri_send(ri, 14 + 20 + 512);
		}
	} else if (strcmp(k, "frag-huge") == 0) {
		/* Offset 65528 + 16 bytes: past the largest datagram. */
		ip = ri_ip(ri, 20 + 16, 65528 / 8);
		memset(ip + 20, 0x11, 16);
		ri_send(ri, 14 + 20 + 16);
		ip = ri_ip(ri, 20 + 16, 0x2000);
		ri_udp(ri, ip + 20, 16);
		ri_ipsum(ip);
		ri_send(ri, 14 + 20 + 16);
	} else if (strcmp(k, "arp-junk") == 0) {
		ri_arp(ri);
	} else {
		return (false);
	}
	return (true);
}

static int
ri_parse_mac(const char *s, uint8_t *mac)
{
	unsigned v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return (-1);
	for (i = 0; i < 6; i++) {
		if (v[i] > 0xff)
			return (-1);
		mac[i] = (uint8_t)v[i];
	}
	return (0);
}

static void
ri_usage(void)
{
	fprintf(stderr, "usage: rawinject -i IF -d DSTMAC -s SRCIP -t DSTIP "
	    "[-p PORT] [-n COUNT] [-l LEN] [-L] KIND...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct ri *ri;
	struct ifreq ifr;
	struct sockaddr_in sin;
	struct pollfd pfd;
	const char *ifname = NULL, *dmac = NULL, *sip = NULL, *dip = NULL;
	unsigned long count = 1, n, before;
	unsigned echoes = 0;
	uint8_t buf[2048];
	int opt, a, lfd = -1;
	bool listen_back = false;

	ri = calloc(1, sizeof(*ri));
	if (ri == NULL)
		return (2);
	ri->port = 7777;
	ri->big = 1504;
	while ((opt = getopt(argc, argv, "i:d:s:t:p:n:l:L")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'd':
			dmac = optarg;
			break;
		case 's':
			sip = optarg;
			break;
		case 't':
			dip = optarg;
			break;
		case 'p':
			ri->port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 10);
			break;
		case 'l':
			ri->big = strtoul(optarg, NULL, 10);
			break;
		case 'L':
			listen_back = true;
			break;
		default:
			ri_usage();
		}
	}
	if (ifname == NULL || dmac == NULL || sip == NULL || dip == NULL ||
	    optind >= argc || ri_parse_mac(dmac, ri->dst_mac) != 0 ||
	    inet_pton(AF_INET, sip, &ri->src_ip) != 1 ||
	    inet_pton(AF_INET, dip, &ri->dst_ip) != 1 ||
	    strlen(ifname) >= IFNAMSIZ || ri->big < 29 || ri->big > 9000)
		ri_usage();
	ri->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (ri->fd < 0) {
		fprintf(stderr, "rawinject: socket: %s\n", strerror(errno));
		return (2);
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(ri->fd, SIOCGIFINDEX, &ifr) != 0) {
		fprintf(stderr, "rawinject: no interface %s\n", ifname);
		return (2);
	}
	ri->ifindex = ifr.ifr_ifindex;
	if (ioctl(ri->fd, SIOCGIFHWADDR, &ifr) != 0 ||
	    ioctl(ri->fd, SIOCGIFMTU, &ifr) != 0) {
		fprintf(stderr, "rawinject: %s: %s\n", ifname, strerror(errno));
		return (2);
	}
	ri->mtu = ifr.ifr_mtu;
	(void)ioctl(ri->fd, SIOCGIFHWADDR, &ifr);
	memcpy(ri->src_mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ri->mtu < 68 || ri->mtu > 9000) {
		fprintf(stderr, "rawinject: MTU %d of %s not handled\n",
		    ri->mtu, ifname);
		return (2);
	}
	if (listen_back) {
		lfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)(ri->port + 1));
		if (lfd < 0 ||
		    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
			fprintf(stderr, "rawinject: listen on %u: %s\n",
			    (unsigned)ri->port + 1, strerror(errno));
			return (2);
		}
	}
	ri->id = (uint16_t)(getpid() * 97);
	for (a = optind; a < argc; a++) {
		before = ri->sent;
		for (n = 0; n < count; n++) {
			if (!ri_kind(ri, argv[a])) {
				fprintf(stderr, "rawinject: unknown kind %s\n",
				    argv[a]);
				return (2);
			}
		}
		printf("RAWINJECT kind=%s frames=%lu%s\n", argv[a],
		    ri->sent - before,
		    ri->sent == before && ri->skipped > 0 ? " skipped" : "");
	}
	if (lfd >= 0) {
		pfd.fd = lfd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, 500) > 0) {
			ssize_t r = recv(lfd, buf, sizeof(buf), MSG_DONTWAIT);

			if (r >= 0) {
				echoes++;
				printf("RAWINJECT-ECHO len=%zd\n", r);
			}
		}
		close(lfd);
	}
	printf("RAWINJECT-DONE frames=%u failed=%u skipped=%u echoes=%u\n",
	    ri->sent, ri->failed, ri->skipped, echoes);
	close(ri->fd);
	return (ri->failed == 0 && echoes == 0 ? 0 : 1);
}
