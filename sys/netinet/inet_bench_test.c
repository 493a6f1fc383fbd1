/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Cost of the stack itself over ktap (no device): frames into a UDP sink,
 * and sends through the KPI, per datagram.  Every datagram must arrive;
 * the rates are notes for the log, not verdicts.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_ktap.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/inet_test_util.h>
#include <netinet/udp_kern.h>

#define BENCH_N		4096
#define BENCH_BATCH	256	/* below the netisr queue's bound */

static void
sink_cb(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	u_long *bytes = arg;

	*bytes += (u_long)m->m_pkthdr.len;
	m_freem(m);
}

KTEST(net_bench_input)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t *f = malloc(2048, M_TEMP, M_WAITOK);
	uint8_t payload[1472];
	struct udp_sock *so;
	u_long bytes = 0;
	sbintime_t t0, dt;
	size_t len;

	memset(payload, 0xa5, sizeof(payload));
	KT_ASSERT(udp_sock_open(&so, 5001, sink_cb, &bytes) == 0, "open");
	len = nt_udp(f, NT_PEER, NT_OURS, 5000, 5001, payload,
	    sizeof(payload), false);
	t0 = sbinuptime();
	for (int i = 0; i < BENCH_N; i += BENCH_BATCH) {
		for (int j = 0; j < BENCH_BATCH; j++)
			(void)ktap_inject(ifp, f, len, 0, 0, 0);
		netisr_drain();
	}
	dt = sbinuptime() - t0;
	udp_sock_close(so);
	free(f, M_TEMP);
	nt_teardown();
	KT_ASSERT(bytes == (u_long)BENCH_N * sizeof(payload),
	    "%lu of %lu bytes delivered", bytes,
	    (u_long)BENCH_N * sizeof(payload));
	KT_NOTE("%d x 1472 B in %ld us: %ld datagrams/s, %ld Mbit/s",
	    BENCH_N, (long)(dt / SBT_1US),
	    (long)((int64_t)BENCH_N * SBT_1S / (dt > 0 ? dt : 1)),
	    (long)((int64_t)BENCH_N * 1472 * 8 * (SBT_1S / 1000000) /
	    (dt > 0 ? dt : 1)));
}

KTEST(net_bench_output)
{
	struct ifnet *ifp = nt_setup(0, 0);
	static uint8_t payload[1472];
	struct udp_sock *so;
	int sent = 0, errors = 0;
	u_long bytes = 0;
	sbintime_t t0, dt;

	KT_ASSERT(udp_sock_open(&so, 0, sink_cb, &bytes) == 0, "open");
	if (!nt_prime_arp(ifp)) {
		udp_sock_close(so);
		nt_teardown();
		KT_FAIL("ARP priming");
	}
	t0 = sbinuptime();
	for (int i = 0; i < BENCH_N; i++) {
		if (udp_sock_sendbuf(so, htonl(NT_PEER), 9, payload,
		    sizeof(payload)) == 0)
			sent++;
		else
			errors++;
		if ((i + 1) % BENCH_BATCH == 0)
			ktap_purge(ifp);
	}
	dt = sbinuptime() - t0;
	ktap_purge(ifp);
	udp_sock_close(so);
	nt_teardown();
	KT_ASSERT(sent == BENCH_N, "%d sent, %d errors", sent, errors);
	KT_NOTE("%d x 1472 B in %ld us: %ld datagrams/s (software checksum)",
	    BENCH_N, (long)(dt / SBT_1US),
	    (long)((int64_t)BENCH_N * SBT_1S / (dt > 0 ? dt : 1)));
}
