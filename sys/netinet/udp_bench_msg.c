/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench/net's datagrams, the netbench= actions and the result lines: the
 * pure part of the in-kernel UDP source and sink (udp_bench.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <netinet/udp_bench.h>

#define NB_MAXSIZE	65507

void
nb_msg_put(uint8_t *b, uint32_t kind, uint64_t v)
{
	int i;

	for (i = 0; i < 4; i++) {
		b[i] = (uint8_t)(NB_MAGIC >> (24 - 8 * i));
		b[4 + i] = (uint8_t)(kind >> (24 - 8 * i));
	}
	for (i = 0; i < 8; i++)
		b[8 + i] = (uint8_t)(v >> (56 - 8 * i));
}

bool
nb_msg_get(const uint8_t *b, size_t len, uint32_t *kind, uint64_t *v)
{
	uint32_t m = 0, k = 0;
	uint64_t n = 0;
	int i;

	if (len < NB_HDR)
		return (false);
	for (i = 0; i < 4; i++) {
		m = m << 8 | b[i];
		k = k << 8 | b[4 + i];
	}
	for (i = 0; i < 8; i++)
		n = n << 8 | b[8 + i];
	if (m != NB_MAGIC)
		return (false);
	*kind = k;
	*v = n;
	return (true);
}

static const char *
nb_colon(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == ':')
			return (p);
	return (NULL);
}

/* The decimal number in s[0 .. len); false unless it is one. */
static bool
nb_num(const char *s, size_t len, uint64_t *out)
{
	char buf[24];

	if (len == 0 || len >= sizeof(buf))
		return (false);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return (parse_uint64(buf, out) == 0);
}

int
nb_parse(const char *spec, struct nb_act *acts, int max, const char **why)
{
	const char *p = spec, *end, *c1, *c2;
	uint64_t a, b;
	int n = 0;

	while (*p != '\0') {
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if (n == max) {
			*why = "too many actions";
			return (-1);
		}
		memset(&acts[n], 0, sizeof(acts[n]));
		c1 = nb_colon(p, end);
		if (c1 == NULL) {
			*why = "an action without ':'";
			return (-1);
		}
		if ((size_t)(c1 - p) == 4 && strncmp(p, "recv", 4) == 0) {
			if (!nb_num(c1 + 1, (size_t)(end - c1 - 1), &a) ||
			    a == 0 || a > 100) {
				*why = "recv:R wants 1 .. 100 rounds";
				return (-1);
			}
			acts[n].na_rounds = (uint32_t)a;
		} else if ((size_t)(c1 - p) == 4 &&
		    strncmp(p, "send", 4) == 0) {
			c2 = nb_colon(c1 + 1, end);
			if (c2 == NULL ||
			    !nb_num(c1 + 1, (size_t)(c2 - c1 - 1), &a) ||
			    !nb_num(c2 + 1, (size_t)(end - c2 - 1), &b) ||
			    a < NB_HDR || a > NB_MAXSIZE || b == 0 ||
			    b > 600000) {
				*why = "send:SIZE:MS wants 16 .. 65507 bytes "
				    "and 1 .. 600000 ms";
				return (-1);
			}
			acts[n].na_send = true;
			acts[n].na_size = (uint32_t)a;
			acts[n].na_ms = (uint32_t)b;
		} else {
			*why = "unknown action (recv:R or send:SIZE:MS)";
			return (-1);
		}
		n++;
		p = *end == ';' ? end + 1 : end;
	}
	if (n == 0)
		*why = "no action";
	return (n == 0 ? -1 : n);
}

static void
nb_sink_finish(struct nb_sink_state *st)
{
	if (st->ss_nfin < NB_FIN)
		st->ss_fin[st->ss_nfin++] = st->ss_cur;
	else
		st->ss_overflow++;
	st->ss_prev_size = st->ss_cur.nr_size;
	st->ss_prev_max = st->ss_cur.nr_maxseq;
	memset(&st->ss_cur, 0, sizeof(st->ss_cur));
}

void
nb_sink_input(struct nb_sink_state *st, const uint8_t *hdr, size_t len,
    sbintime_t now)
{
	struct nb_round *r = &st->ss_cur;
	uint32_t kind;
	uint64_t v;

	if (!nb_msg_get(hdr, len >= NB_HDR ? NB_HDR : len, &kind, &v))
		return;
	if (kind == NB_KIND_END) {
		if (r->nr_pkts > 0 && len == r->nr_size) {
			r->nr_end = true;
			r->nr_sent = v;
			nb_sink_finish(st);
		}
		return;
	}
	if (kind != NB_KIND_DATA)
		return;
	if (r->nr_pkts == 0 && len == st->ss_prev_size && v <= st->ss_prev_max)
		return;
	if (r->nr_pkts > 0 && len != r->nr_size)
		nb_sink_finish(st);
	if (r->nr_pkts == 0) {
		r->nr_first = now;
		r->nr_size = len;
	} else if (v < r->nr_maxseq) {
		r->nr_reord++;
	}
	if (v > r->nr_maxseq)
		r->nr_maxseq = v;
	r->nr_pkts++;
	r->nr_last = now;
}

void
nb_sink_idle(struct nb_sink_state *st, sbintime_t now, sbintime_t idle)
{
	if (st->ss_cur.nr_pkts > 0 && now - st->ss_cur.nr_last > idle)
		nb_sink_finish(st);
}

bool
nb_sink_take(struct nb_sink_state *st, struct nb_round *out)
{
	int i;

	if (st->ss_nfin == 0)
		return (false);
	*out = st->ss_fin[0];
	for (i = 1; i < st->ss_nfin; i++)
		st->ss_fin[i - 1] = st->ss_fin[i];
	st->ss_nfin--;
	return (true);
}

/* "pps=P mbps=M.m" for pkts of size bytes over us, in integers. */
static void
nb_rates(char *buf, size_t len, uint64_t pkts, uint64_t size, uint64_t us)
{
	uint64_t pps = 0, m10 = 0;

	if (us > 0) {
		pps = pkts * 1000000 / us;
		m10 = pkts * size * 80 / us;
	}
	snprintf(buf, len, "pps=%lu mbps=%lu.%lu", (unsigned long)pps,
	    (unsigned long)(m10 / 10), (unsigned long)(m10 % 10));
}

void
nb_format_recv(char *buf, size_t len, const struct nb_round *r)
{
	uint64_t us;
	char rates[64], lost[24];

	us = r->nr_pkts > 0 ? (uint64_t)sbttons(r->nr_last - r->nr_first) /
	    1000 : 0;
	nb_rates(rates, sizeof(rates), r->nr_pkts, r->nr_size, us);
	if (r->nr_end)
		snprintf(lost, sizeof(lost), "%ld",
		    (long)(r->nr_sent - r->nr_pkts));
	else
		snprintf(lost, sizeof(lost), "-1");
	snprintf(buf, len, "NETBENCH-RECV size=%lu pkts=%lu ms=%lu %s "
	    "sent=%lu lost=%s reordered=%lu", (unsigned long)r->nr_size,
	    (unsigned long)r->nr_pkts, (unsigned long)(us / 1000), rates,
	    (unsigned long)r->nr_sent, lost, (unsigned long)r->nr_reord);
}

void
nb_format_send(char *buf, size_t len, size_t size, uint64_t pkts,
    uint64_t us, uint64_t errors)
{
	char rates[64];

	nb_rates(rates, sizeof(rates), pkts, size, us);
	snprintf(buf, len, "NETBENCH-SEND size=%lu pkts=%lu ms=%lu %s "
	    "errors=%lu", (unsigned long)size, (unsigned long)pkts,
	    (unsigned long)(us / 1000), rates, (unsigned long)errors);
}
