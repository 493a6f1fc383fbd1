/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The fake xenstore daemon of fake_xsd.h.  It owns req_cons and rsp_prod
 * on the page and keeps its own stream parser, so a client that writes a
 * broken stream is seen the way a real daemon would see it.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <xen/xen_evtchn.h>
#include <xen/xs_client.h>

#include "fake_xsd.h"
#include "hosted_sched.h"
#include "kunit.h"

#define FXSD_PORT	7
#define FXSD_OUTBOX	(256 * 1024)

struct evtchn_binding {
	evtchn_port_t	port;
};

struct xenstore_domain_interface	fxsd_page;
struct fxsd_config	fxsd_cfg = { .react_to_notify = true };
struct fxsd_stats	fxsd_stats;
struct xsd_sockmsg	fxsd_last_req;

static struct evtchn_binding fxsd_binding;
static evtchn_handler_t	*fxsd_handler;
static void		*fxsd_handler_arg;
static bool		fxsd_running;	/* no re-entry from its own kick */

/* Request being assembled from the ring. */
static char		fxsd_in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
static size_t		fxsd_in_len;
/* Byte queue towards the reply ring. */
static char		*fxsd_out;
static size_t		fxsd_out_head, fxsd_out_tail, fxsd_out_held;
static uint64_t		fxsd_last_yields;

int
evtchn_bind_existing(evtchn_port_t port, evtchn_handler_t *handler, void *arg,
    int flags __unused, evtchn_handle_t *hp)
{
	KU_ASSERT(port == FXSD_PORT, "bound port %u", port);
	fxsd_binding.port = port;
	fxsd_handler = handler;
	fxsd_handler_arg = arg;
	*hp = &fxsd_binding;
	return (0);
}

void
evtchn_notify(evtchn_handle_t h)
{
	KU_ASSERT(h == &fxsd_binding, "notify on an unknown binding");
	fxsd_stats.notifies++;
	if (fxsd_cfg.react_to_notify)
		(void)fxsd_step();
}

void
fxsd_kick(void)
{
	if (fxsd_handler != NULL)
		fxsd_handler(fxsd_handler_arg);
}

void
fxsd_send(uint32_t type, uint32_t req_id, const void *body, size_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id,
	    .len = (uint32_t)len };

	KU_ASSERT(fxsd_out_tail + sizeof(hdr) + len <= FXSD_OUTBOX,
	    "fake daemon outbox full");
	memcpy(fxsd_out + fxsd_out_tail, &hdr, sizeof(hdr));
	memcpy(fxsd_out + fxsd_out_tail + sizeof(hdr), body, len);
	fxsd_out_tail += sizeof(hdr) + len;
	if (!fxsd_cfg.hold_replies)
		fxsd_out_held = fxsd_out_tail;
}

void
fxsd_send_event(const char *path, const char *token)
{
	char body[128];
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

	KU_ASSERT(pl + tl <= sizeof(body), "event too long");
	memcpy(body, path, pl);
	memcpy(body + pl, token, tl);
	fxsd_send(XS_WATCH_EVENT, 0, body, pl + tl);
}

void
fxsd_release(void)
{
	fxsd_cfg.hold_replies = false;
	fxsd_out_held = fxsd_out_tail;
	fxsd_kick();
}

static void
fxsd_answer(const struct xsd_sockmsg *hdr, const char *body)
{
	char reply[256];

	fxsd_stats.requests++;
	fxsd_last_req = *hdr;
	if (fxsd_cfg.silent)
		return;
	for (u_int i = 0; i < fxsd_cfg.unknown_before; i++)
		fxsd_send(hdr->type, hdr->req_id + 1000 + i, "OK", 3);
	if (fxsd_cfg.bad_header) {
		fxsd_cfg.bad_header = false;
		fxsd_send(hdr->type, hdr->req_id, "", 0);
		/* Rewrite the length of what was just queued. */
		((struct xsd_sockmsg *)(fxsd_out + fxsd_out_tail -
		    sizeof(struct xsd_sockmsg)))->len = XENSTORE_PAYLOAD_MAX + 1;
		return;
	}
	if (hdr->type == XS_READ) {
		/* The value of a node is its path reversed: checkable, not fixed. */
		size_t n = strnlen(body, hdr->len);

		KU_ASSERT(n < sizeof(reply), "path too long");
		for (size_t i = 0; i < n; i++)
			reply[i] = body[n - 1 - i];
		fxsd_send(XS_READ, hdr->req_id, reply, n);
	} else
		fxsd_send(hdr->type, hdr->req_id, "OK", 3);
}

/* Moves request bytes into the parser and answers whole requests. */
static bool
fxsd_consume(void)
{
	bool moved = false;

	for (;;) {
		XENSTORE_RING_IDX cons = fxsd_page.req_cons;
		XENSTORE_RING_IDX prod = __atomic_load_n(&fxsd_page.req_prod,
		    __ATOMIC_ACQUIRE);
		struct xsd_sockmsg hdr;
		size_t want;

		/* Indexes a test corrupted on purpose: wait for the client. */
		if (prod - cons > XENSTORE_RING_SIZE || prod == cons)
			return (moved);
		memcpy(&hdr, fxsd_in, sizeof(hdr));
		want = fxsd_in_len < sizeof(hdr) ? sizeof(hdr) - fxsd_in_len :
		    sizeof(hdr) + hdr.len - fxsd_in_len;
		if (fxsd_in_len >= sizeof(hdr))
			KU_ASSERT(hdr.len <= XENSTORE_PAYLOAD_MAX,
			    "client sent a %u-byte payload", hdr.len);
		want = MIN(want, prod - cons);
		for (size_t i = 0; i < want; i++)
			fxsd_in[fxsd_in_len++] =
			    fxsd_page.req[MASK_XENSTORE_IDX(cons + i)];
		__atomic_store_n(&fxsd_page.req_cons, cons + (XENSTORE_RING_IDX)want,
		    __ATOMIC_RELEASE);
		moved = true;
		memcpy(&hdr, fxsd_in, sizeof(hdr));
		if (fxsd_in_len >= sizeof(hdr) && fxsd_in_len == sizeof(hdr) + hdr.len) {
			fxsd_answer(&hdr, fxsd_in + sizeof(hdr));
			fxsd_in_len = 0;
		}
	}
}

/* Writes what the outbox releases into the reply ring. */
static bool
fxsd_produce(void)
{
	XENSTORE_RING_IDX prod = fxsd_page.rsp_prod;
	XENSTORE_RING_IDX used = prod - fxsd_page.rsp_cons;
	size_t n = 0;

	if (used > XENSTORE_RING_SIZE)
		return (false);	/* a test rewound the indexes on purpose */
	while (fxsd_out_head < fxsd_out_held && used + n < XENSTORE_RING_SIZE) {
		fxsd_page.rsp[MASK_XENSTORE_IDX(prod + n)] = fxsd_out[fxsd_out_head++];
		n++;
	}
	if (fxsd_out_head == fxsd_out_tail)
		fxsd_out_head = fxsd_out_tail = fxsd_out_held = 0;
	__atomic_store_n(&fxsd_page.rsp_prod, prod + (XENSTORE_RING_IDX)n,
	    __ATOMIC_RELEASE);
	return (n > 0);
}

/* Keeps the reply ring full of events nobody watches, while flood lasts. */
static void
fxsd_flood(void)
{
	struct thread *rx = hosted_sched_thread("xenstore_rx");
	uint64_t y = rx != NULL ? hosted_sched_yields(rx) : 0;
	static uint64_t burst;

	if (y != fxsd_last_yields) {
		fxsd_last_yields = y;
		burst = 0;
	}
	while (fxsd_cfg.flood > 0 && fxsd_out_tail - fxsd_out_head < 64) {
		fxsd_send_event("/flood", "nosuch");
		fxsd_cfg.flood--;
		fxsd_stats.flood_sent++;
		burst++;
		fxsd_stats.flood_max_burst = MAX(fxsd_stats.flood_max_burst, burst);
	}
}

bool
fxsd_step(void)
{
	bool moved = false;

	if (fxsd_running)
		return (false);
	fxsd_running = true;
	if (!fxsd_cfg.no_drain)
		moved |= fxsd_consume();
	fxsd_flood();
	moved |= fxsd_produce();
	fxsd_running = false;
	if (moved)
		fxsd_kick();
	return (moved);
}

void
fxsd_start(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
	hosted_sched_init();
	hosted_sched_set_idle(fxsd_step);
	fxsd_out = malloc(FXSD_OUTBOX, M_TEMP, M_WAITOK);
	KU_ASSERT(xs_attach_ring(&fxsd_page, FXSD_PORT) == 0, "attach");
	KU_ASSERT(xs_ready(), "client not ready after attach");
}
