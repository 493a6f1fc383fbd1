/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel ping KPI (ip_icmp.h): echo requests one at a time, each reply
 * matched by identifier and sequence and its data checked byte for byte.
 * One ping runs at a time (callers queue on ping_busy).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/udp_var.h>

static struct {
	bool		busy;
	in_addr_t	dst;
	uint16_t	id;
	uint16_t	seq;
	int		datalen;
	bool		got;
	bool		bad;
} ping_st;
static uint16_t	ping_id = 0x4b50;

static uint8_t
ping_byte(uint16_t seq, int i)
{
	return ((uint8_t)(seq + i * 7));
}

/* net_lock held (from icmp_input). */
static void
ping_reply(struct mbuf *m, int hlen)
{
	const struct ip *ip = mtod(m, const struct ip *);
	struct icmp_echo ic;
	uint8_t buf[64];
	int len = m->m_pkthdr.len - hlen - ICMP_MINLEN;

	m_copydata(m, hlen, sizeof(ic), &ic);
	if (!ping_st.busy || ip->ip_src != ping_st.dst ||
	    ntohs(ic.icmp_id) != ping_st.id ||
	    ntohs(ic.icmp_seq) != ping_st.seq || ping_st.got)
		return;
	ping_st.got = true;
	if (len != ping_st.datalen)
		ping_st.bad = true;
	for (int off = 0; !ping_st.bad && off < len; off += (int)sizeof(buf)) {
		int n = MIN(len - off, (int)sizeof(buf));

		m_copydata(m, hlen + ICMP_MINLEN + off, n, buf);
		for (int i = 0; i < n; i++) {
			if (buf[i] != ping_byte(ping_st.seq, off + i)) {
				ping_st.bad = true;
				break;
			}
		}
	}
	wakeup(&ping_st);
}

static struct mbuf *
ping_build(uint16_t id, uint16_t seq, int datalen)
{
	struct icmp_echo *ic;
	struct mbuf *m;
	uint8_t buf[64];

	m = m_getm(datalen + ICMP_MINLEN + 64, M_NOWAIT, MT_DATA, M_PKTHDR);
	if (m == NULL)
		return (NULL);
	m->m_data += 64;	/* room for the IP and Ethernet headers */
	ic = mtod(m, struct icmp_echo *);
	ic->icmp_type = ICMP_ECHO;
	ic->icmp_code = 0;
	ic->icmp_cksum = 0;
	ic->icmp_id = htons(id);
	ic->icmp_seq = htons(seq);
	m->m_len = m->m_pkthdr.len = ICMP_MINLEN;
	for (int off = 0; off < datalen; off += (int)sizeof(buf)) {
		int n = MIN(datalen - off, (int)sizeof(buf));

		for (int i = 0; i < n; i++)
			buf[i] = ping_byte(seq, off + i);
		if (!m_append(m, n, buf)) {
			m_freem(m);
			return (NULL);
		}
	}
	ic->icmp_cksum = in_cksum_mbuf(m, 0, m->m_pkthdr.len);
	return (m);
}

int
ping(in_addr_t dst, int count, int datalen, sbintime_t timeout,
    struct ping_stats *ps)
{
	int error = 0, lost = 0;

	memset(ps, 0, sizeof(*ps));
	if (datalen < 0 || datalen > IP_MAXPACKET - 20 - ICMP_MINLEN)
		return (EMSGSIZE);
	NET_LOCK();
	while (ping_st.busy)
		msleep(&ping_st.busy, &net_lock, "pingbusy", 0);
	ping_st.busy = true;
	ping_st.dst = dst;
	ping_st.id = ping_id++;
	ping_st.datalen = datalen;
	icmp_reply_hook = ping_reply;
	for (int i = 0; i < count; i++) {
		struct mbuf *m;
		sbintime_t t0, deadline;

		ping_st.seq = (uint16_t)i;
		ping_st.got = ping_st.bad = false;
		m = ping_build(ping_st.id, ping_st.seq, datalen);
		if (m == NULL) {
			error = ENOBUFS;
			break;
		}
		t0 = sbinuptime();
		deadline = t0 + timeout;
		error = ip_output(m, INADDR_ANY, dst, IPPROTO_ICMP, 0);
		if (error != 0)
			break;
		ps->ps_sent++;
		while (!ping_st.got) {
			sbintime_t now = sbinuptime();

			if (now >= deadline)
				break;
			msleep(&ping_st, &net_lock, "ping", deadline - now);
		}
		if (!ping_st.got) {
			lost++;
			continue;
		}
		if (ping_st.bad) {
			ps->ps_bad++;
			continue;
		}
		t0 = sbinuptime() - t0;
		ps->ps_received++;
		ps->ps_rtt_sum += t0;
		if (ps->ps_rtt_min == 0 || t0 < ps->ps_rtt_min)
			ps->ps_rtt_min = t0;
		if (t0 > ps->ps_rtt_max)
			ps->ps_rtt_max = t0;
	}
	icmp_reply_hook = NULL;
	ping_st.busy = false;
	wakeup(&ping_st.busy);
	NET_UNLOCK();
	if (error == 0 && (lost > 0 || ps->ps_bad > 0))
		error = ETIMEDOUT;
	return (error);
}
