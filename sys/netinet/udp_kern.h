/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-kernel UDP KPI (udp_kern(9)): a socket-like endpoint bound to a
 * local port, with a receive callback.
 *
 * - udp_sock_open(): binds port (host order; 0 picks an ephemeral port).
 *   Only one endpoint per port (EADDRINUSE).  Thread context.
 * - The callback runs in the stack's netisr thread, without the stack's
 *   lock held: it may call udp_sock_send() (an echo server does), must not
 *   sleep for long, and owns the mbuf it is given (payload only, a packet
 *   header with m_pkthdr.len = payload length; free it with m_freem()).
 *   Datagrams whose checksum is wrong never reach it.
 * - udp_sock_send(): takes the payload chain m (freed in every case);
 *   payload up to UDP_MAXPAYLOAD (65507) bytes, fragmented to the MTU.
 *   Returns 0, EMSGSIZE, EHOSTUNREACH (no route), ENOBUFS (no memory or
 *   the driver's queue full, or the ARP queue of the next hop full).
 *   Any thread context, including the callback.
 * - udp_sock_close(): unbinds and waits until no callback of it runs;
 *   never from its own callback.
 */
#ifndef _NETINET_UDP_KERN_H_
#define _NETINET_UDP_KERN_H_

#include <sys/types.h>
#include <netinet/in.h>

struct mbuf;
struct ifnet;
struct udp_sock;

struct udp_from {
	in_addr_t	uf_src;		/* sender */
	in_port_t	uf_sport;	/* sender's port, host order */
	in_addr_t	uf_dst;		/* our address it was sent to */
	struct ifnet	*uf_ifp;	/* interface it came in on */
};

typedef void udp_input_t(struct udp_sock *, struct mbuf *m,
    const struct udp_from *from, void *arg);

int	udp_sock_open(struct udp_sock **sop, in_port_t port, udp_input_t *cb,
	    void *arg);
int	udp_sock_send(struct udp_sock *, in_addr_t dst, in_port_t dport,
	    struct mbuf *m);
/* Copies len bytes from buf into a new packet and sends it. */
int	udp_sock_sendbuf(struct udp_sock *, in_addr_t dst, in_port_t dport,
	    const void *buf, size_t len);
void	udp_sock_close(struct udp_sock *);
in_port_t udp_sock_port(const struct udp_sock *);

#endif /* !_NETINET_UDP_KERN_H_ */
