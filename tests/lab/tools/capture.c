/*
 * capture: AF_PACKET receive side of the lab's checksum checks.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

#define CAP_BUF		(NC_IP_MAX + 1)
#define CAP_RCVBUF	(16 << 20)

int
cap_open(struct capture *c, const char *ifname)
{
	struct sockaddr_ll sll;
	int one = 1, rb = CAP_RCVBUF;
	unsigned idx;

	c->c_fd = -1;
	c->c_reasm = malloc(sizeof(*c->c_reasm));
	c->c_buf = malloc(CAP_BUF);
	if (c->c_reasm == NULL || c->c_buf == NULL) {
		fprintf(stderr, "capture: out of memory\n");
		return (-1);
	}
	nc_init(c->c_reasm);
	memset(&c->c_st, 0, sizeof(c->c_st));
	idx = if_nametoindex(ifname);
	if (idx == 0) {
		fprintf(stderr, "capture: no interface %s\n", ifname);
		return (-1);
	}
	c->c_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (c->c_fd < 0) {
		fprintf(stderr, "capture: AF_PACKET socket: %s\n",
		    strerror(errno));
		return (-1);
	}
	/* Root may go past rmem_max; a lost capture is a missed check. */
	if (setsockopt(c->c_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb,
	    sizeof(rb)) != 0)
		(void)setsockopt(c->c_fd, SOL_SOCKET, SO_RCVBUF, &rb,
		    sizeof(rb));
	if (setsockopt(c->c_fd, SOL_PACKET, PACKET_AUXDATA, &one,
	    sizeof(one)) != 0) {
		fprintf(stderr, "capture: PACKET_AUXDATA: %s\n",
		    strerror(errno));
		return (-1);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = (int)idx;
	if (bind(c->c_fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		fprintf(stderr, "capture: bind %s: %s\n", ifname,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

static void
cap_one(struct capture *c, size_t len, int flags, bool partial)
{
	struct nc_dgram d;

	if (flags & MSG_TRUNC) {
		c->c_st.truncated++;
		return;
	}
	if (nc_input(c->c_reasm, c->c_buf, len, partial, &d) != NC_DGRAM)
		return;
	if ((c->c_peer != 0 && d.d_src != c->c_peer) ||
	    (c->c_sport != 0 && d.d_sport != c->c_sport) ||
	    (c->c_dport != 0 && d.d_dport != c->c_dport))
		return;
	c->c_st.seen++;
	c->c_st.by[d.d_csum]++;
	if (d.d_frags > c->c_st.frags_max)
		c->c_st.frags_max = d.d_frags;
	if (d.d_csum == NC_CSUM_BAD || d.d_csum == NC_CSUM_ZERO ||
	    c->c_verbose)
		printf("CAPTURE len=%zu frags=%u id=%u csum=%s\n", d.d_len,
		    d.d_frags, d.d_id, nc_csum_name(d.d_csum));
}

void
cap_drain(struct capture *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->c_fd, .events = POLLIN };
	union {
		struct cmsghdr	align;
		char		b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cb;
	struct sockaddr_ll from;
	struct cmsghdr *cm;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;
	bool partial;

	if (c->c_fd < 0)
		return;
	if (poll(&pfd, 1, wait_ms) <= 0)
		return;
	for (;;) {
		iov.iov_base = c->c_buf;
		iov.iov_len = CAP_BUF;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cb.b;
		mh.msg_controllen = sizeof(cb.b);
		n = recvmsg(c->c_fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			break;
		/* Our own transmissions are checked by their receiver. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		partial = false;
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		    cm = CMSG_NXTHDR(&mh, cm)) {
			struct tpacket_auxdata aux;

			if (cm->cmsg_level != SOL_PACKET ||
			    cm->cmsg_type != PACKET_AUXDATA)
				continue;
			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			partial = (aux.tp_status & TP_STATUS_CSUMNOTREADY) != 0;
		}
		cap_one(c, (size_t)n, mh.msg_flags, partial);
	}
}

void
cap_close(struct capture *c)
{
	if (c->c_fd >= 0)
		close(c->c_fd);
	c->c_fd = -1;
	free(c->c_reasm);
	free(c->c_buf);
	c->c_reasm = NULL;
	c->c_buf = NULL;
}
