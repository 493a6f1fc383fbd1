/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-kernel UDP source and sink of bench/net ("netbench=" on the
 * command line), speaking the datagrams of bench/net/netbench.c and
 * printing its lines, so that bench/net/run reads our kernel, dom0 and the
 * Linux domU alike.  A datagram starts with, in network order, uint32
 * magic "NBN1", uint32 kind (0 data, 1 end), uint64 sequence number (data)
 * or datagrams sent (end).
 */
#ifndef _NETINET_UDP_BENCH_H_
#define _NETINET_UDP_BENCH_H_

#include <sys/types.h>
#include <sys/time.h>
#include <netinet/in.h>

#define NB_MAGIC	0x4e424e31u
#define NB_KIND_DATA	0
#define NB_KIND_END	1
#define NB_HDR		16
#define NB_PORT		7778
#define NB_MAXACTS	8

void	nb_msg_put(uint8_t *b, uint32_t kind, uint64_t v);
/* False unless b holds at least a header with the magic. */
bool	nb_msg_get(const uint8_t *b, size_t len, uint32_t *kind, uint64_t *v);

struct nb_act {
	bool		na_send;
	uint32_t	na_rounds;	/* recv */
	uint32_t	na_size;	/* send: payload bytes, NB_HDR .. 65507 */
	uint32_t	na_ms;		/* send */
};
/* "recv:R;send:S:MS;..."; returns the count, or -1 (why set). */
int	nb_parse(const char *spec, struct nb_act *acts, int max,
	    const char **why);

/* One receiving round (one datagram size) as the sink counts it. */
struct nb_round {
	uint64_t	nr_pkts;
	uint64_t	nr_maxseq;
	uint64_t	nr_reord;
	uint64_t	nr_sent;	/* from the end datagram */
	size_t		nr_size;
	sbintime_t	nr_first;
	sbintime_t	nr_last;
	bool		nr_end;
};

/*
 * The sink: a round ends at its first end datagram, at a data datagram of
 * another size (which starts the next round), or when idle; data of the
 * size just finished at or below its last sequence number came late and
 * are not counted.  Finished rounds wait in ss_fin for nb_sink_take().
 * Pure; the caller serializes.
 */
#define NB_FIN		4
struct nb_sink_state {
	struct nb_round	ss_cur;
	struct nb_round	ss_fin[NB_FIN];
	int		ss_nfin;
	size_t		ss_prev_size;
	uint64_t	ss_prev_max;
	uint64_t	ss_overflow;	/* finished rounds nobody took */
};
void	nb_sink_input(struct nb_sink_state *, const uint8_t *hdr, size_t len,
	    sbintime_t now);
void	nb_sink_idle(struct nb_sink_state *, sbintime_t now, sbintime_t idle);
bool	nb_sink_take(struct nb_sink_state *, struct nb_round *out);

/* "NETBENCH-RECV ..." or, with send, "NETBENCH-SEND ..." for pkts of
 * size over us microseconds. */
void	nb_format_recv(char *buf, size_t len, const struct nb_round *);
void	nb_format_send(char *buf, size_t len, size_t size, uint64_t pkts,
	    uint64_t us, uint64_t errors);

#endif /* !_NETINET_UDP_BENCH_H_ */
