/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * "netbench=<act>[;<act>...]" on the command line: after start-up a thread
 * waits (netbench.wait seconds) until netbench.peer is reachable, then runs
 * bench/net's actions in order and powers off, status 0 if all ran:
 *
 *	recv:R		sink: R rounds of datagrams on port netbench.port
 *			(7778), one NETBENCH-RECV line each
 *	send:S:MS	source: S-byte datagrams to the peer for MS ms,
 *			then five end datagrams; one NETBENCH-SEND line
 *
 * The lines and datagrams are those of bench/net/netbench.c (udp_bench.h).
 * A round (one datagram size) ends at its first end datagram, at data of
 * another size, or netbench.idle ms after its last data datagram.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/udp_bench.h>
#include <netinet/udp_kern.h>

static char	nb_spec[256];
TUNABLE_STR("netbench", nb_spec, sizeof(nb_spec),
    "bench/net actions after start-up: recv:R;send:SIZE:MS;...");
static char	nb_peer_s[INET_ADDRSTRLEN];
TUNABLE_STR("netbench.peer", nb_peer_s, sizeof(nb_peer_s),
    "bench/net's peer (dotted quad): the sender's destination");
static int	nb_port = NB_PORT;
TUNABLE_INT("netbench.port", &nb_port, "bench/net's UDP port");
static int	nb_wait_s = 30;
TUNABLE_INT("netbench.wait", &nb_wait_s,
    "seconds netbench= waits for a route to its peer");
static int	nb_idle_ms = 2000;
TUNABLE_INT("netbench.idle", &nb_idle_ms,
    "ms without data that end a netbench receiving round");

MALLOC_DEFINE(M_NETBENCH, "netbench", "bench/net source and sink");

/* The sink's round: written by the UDP callback, read by the thread. */
struct nb_sink {
	struct mtx		ns_lock;
	struct nb_sink_state	ns_st;
};

static void
nb_sink_cb(struct udp_sock *so __unused, struct mbuf *m,
    const struct udp_from *from __unused, void *arg)
{
	struct nb_sink *ns = arg;
	uint8_t hdr[NB_HDR];
	size_t len = (size_t)m->m_pkthdr.len;
	sbintime_t now = sbinuptime();

	if (len >= NB_HDR) {
		m_copydata(m, 0, NB_HDR, hdr);
		mtx_lock(&ns->ns_lock);
		nb_sink_input(&ns->ns_st, hdr, len, now);
		if (ns->ns_st.ss_nfin > 0)
			wakeup(ns);
		mtx_unlock(&ns->ns_lock);
	}
	m_freem(m);
}

static bool
nb_recv(struct udp_sock *so __unused, struct nb_sink *ns, uint32_t rounds)
{
	struct nb_round r;
	sbintime_t idle = (sbintime_t)nb_idle_ms * SBT_1MS;
	sbintime_t limit = sbinuptime() + 120 * SBT_1S;
	char line[200];
	uint32_t done = 0;

	while (done < rounds && sbinuptime() < limit) {
		bool got;

		mtx_lock(&ns->ns_lock);
		if (ns->ns_st.ss_nfin == 0)
			msleep(ns, &ns->ns_lock, "nbrecv", 20 * SBT_1MS);
		nb_sink_idle(&ns->ns_st, sbinuptime(), idle);
		got = nb_sink_take(&ns->ns_st, &r);
		mtx_unlock(&ns->ns_lock);
		if (!got)
			continue;
		nb_format_recv(line, sizeof(line), &r);
		printf("%s\n", line);
		done++;
	}
	printf("NETBENCH-RECV-DONE rounds=%u\n", done);
	return (done == rounds);
}

static bool
nb_send(struct udp_sock *so, in_addr_t peer, const struct nb_act *a)
{
	uint8_t *buf;
	uint64_t seq = 0, errors = 0;
	sbintime_t t0, t1, dur = (sbintime_t)a->na_ms * SBT_1MS;
	char line[200];
	int error, i;

	buf = malloc(a->na_size, M_NETBENCH, M_WAITOK | M_ZERO);
	t0 = t1 = sbinuptime();
	while (t1 - t0 < dur) {
		nb_msg_put(buf, NB_KIND_DATA, seq);
		error = udp_sock_sendbuf(so, peer, (in_port_t)nb_port, buf,
		    a->na_size);
		if (error == 0) {
			seq++;
		} else if (error == ENOBUFS) {
			/*
			 * The driver's queue is full: let it drain, off the
			 * CPU.  Its queue and ring hold many ms of frames, so
			 * the ring never runs dry in 1 ms; trying again at
			 * once built and dropped a datagram per try, 70,000
			 * a second, on the vCPUs dom0's netback needs too.
			 */
			errors++;
			tsleep(buf, "nbfull", SBT_1MS);
		} else {
			printf("NETBENCH-SEND size=%u error=%d\n", a->na_size,
			    error);
			free(buf, M_NETBENCH);
			return (false);
		}
		t1 = sbinuptime();
	}
	for (i = 0; i < 5; i++) {
		nb_msg_put(buf, NB_KIND_END, seq);
		(void)udp_sock_sendbuf(so, peer, (in_port_t)nb_port, buf,
		    a->na_size);
		tsleep(buf, "nbend", 20 * SBT_1MS);
	}
	nb_format_send(line, sizeof(line), a->na_size, seq,
	    (uint64_t)sbttons(t1 - t0) / 1000, errors);
	printf("%s\n", line);
	free(buf, M_NETBENCH);
	return (true);
}

static bool
nb_reachable(in_addr_t peer)
{
	struct ifnet *ifp;
	in_addr_t nh;
	int error;

	NET_LOCK();
	error = in_route(peer, &ifp, &nh);
	NET_UNLOCK();
	return (error == 0);
}

static void
nb_thread(void *arg __unused)
{
	struct nb_act acts[NB_MAXACTS];
	struct nb_sink *ns;
	struct udp_sock *so = NULL;
	const char *why = NULL;
	in_addr_t peer;
	sbintime_t dl;
	bool clean = true;
	int n, i, error;

	n = nb_parse(nb_spec, acts, NB_MAXACTS, &why);
	if (n < 0) {
		printf("NETBENCH-DONE failed: netbench=\"%s\": %s\n", nb_spec,
		    why);
		kern_poweroff(1);
	}
	if (inet_pton4(nb_peer_s, &peer) != 1 || nb_port <= 0 ||
	    nb_port > 65535) {
		printf("NETBENCH-DONE failed: netbench.peer=\"%s\" port %d\n",
		    nb_peer_s, nb_port);
		kern_poweroff(1);
	}
	dl = sbinuptime() + (sbintime_t)nb_wait_s * SBT_1S;
	while (!nb_reachable(peer) && sbinuptime() < dl)
		tsleep(&peer, "nbwait", 50 * SBT_1MS);
	if (!nb_reachable(peer)) {
		printf("NETBENCH-DONE failed: no route to %s after %d s\n",
		    nb_peer_s, nb_wait_s);
		kern_poweroff(1);
	}
	ns = malloc(sizeof(*ns), M_NETBENCH, M_WAITOK | M_ZERO);
	mtx_init(&ns->ns_lock, "netbench", NULL, MTX_DEF);
	error = udp_sock_open(&so, (in_port_t)nb_port, nb_sink_cb, ns);
	if (error != 0) {
		printf("NETBENCH-DONE failed: port %d: error %d\n", nb_port,
		    error);
		kern_poweroff(1);
	}
	printf("NETBENCH-RECV-READY port=%d\n", nb_port);
	for (i = 0; i < n; i++) {
		if (acts[i].na_send)
			clean &= nb_send(so, peer, &acts[i]);
		else
			clean &= nb_recv(so, ns, acts[i].na_rounds);
	}
	udp_sock_close(so);
	printf("NETBENCH-DONE %s\n", clean ? "clean" : "failed");
	kern_poweroff(clean ? 0 : 1);
}

static void
nb_boot(void *arg __unused)
{
	int error;

	if (nb_spec[0] == '\0')
		return;
	error = kthread_add(nb_thread, NULL, NULL, 0, "netbench");
	if (error != 0)
		printf("netbench: no thread (%d)\n", error);
}
SYSINIT(nb_boot, SI_SUB_LAST, SI_ORDER_ANY, nb_boot, NULL);
