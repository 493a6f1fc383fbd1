/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event channels under the real hypervisor: a loopback pair (an unbound
 * port and an inter-domain port bound to it, both ours) carries events to
 * ourselves; the handler must run on the CPU its port is bound to.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include <xen/xen_evtchn.h>
#include <xen/xen_evtchn_loop.h>
#include <xen/xen_guest.h>
#include <xen/xen_ktest.h>

/* The unbound end of the latest pair (for the failure-path test). */
static evtchn_port_t	loop_last_port;

/*
 * A loopback pair: *a is an unbound port (with 'flags') whose handler counts
 * into 'seen'; *b is bound to it from our side, so notifying *b raises *a.
 */
static int
loop_pair(int flags, struct loop_seen *seen, struct loop_seen *dummy,
    evtchn_handle_t *a, evtchn_handle_t *b)
{
	int error;

	seen->count = 0;
	error = loop_pair_make(flags, NULL, seen, dummy, a, b);
	if (error == 0)
		loop_last_port = evtchn_port(*a);
	return (error);
}

/* The CPU the first event must arrive on; a test of the failure path moves it. */
static u_int	loop_first_cpu = 0;

KTEST(xen_evtchn_loopback)
{
	static struct loop_seen seen;
	evtchn_handle_t a = NULL, b = NULL;
	struct loop_seen dummy = { 0, 0 };
	u_int port;
	int error;

	KT_REQUIRE_XEN();
	error = loop_pair(0, &seen, &dummy, &a, &b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	/* The handles are NULL once unbound: name the port from this copy. */
	port = evtchn_port(a);

	evtchn_notify(b);
	if (!KT_CHECK(loop_wait(&seen, 1) && seen.cpu == loop_first_cpu,
	    "event on port %u: count %u cpu %u (want 1 on cpu%u)", port,
	    seen.count, seen.cpu, loop_first_cpu))
		goto out;
	if (mp_ncpus >= 2 && evtchn_cpu0_only) {
		/* INTx upcall: Xen would never signal cpu1 (xen_upcall.c). */
		error = evtchn_bind_cpu(a, 1);
		if (!KT_CHECK(error == EOPNOTSUPP, "rebinding port %u to cpu1 "
		    "with events for CPU 0 only: %d (want EOPNOTSUPP)", port,
		    error))
			goto out;
		evtchn_notify(b);
		KT_CHECK(loop_wait(&seen, 2) && seen.cpu == 0,
		    "after the refused rebinding of port %u: count %u, cpu %u",
		    port, seen.count, seen.cpu);
	} else if (mp_ncpus >= 2) {
		error = evtchn_bind_cpu(a, 1);
		if (!KT_CHECK(error == 0, "rebinding port %u to cpu1: %d", port,
		    error))
			goto out;
		evtchn_notify(b);
		KT_CHECK(loop_wait(&seen, 2) && seen.cpu == 1,
		    "after rebinding port %u to cpu1: count %u, cpu %u", port,
		    seen.count, seen.cpu);
	}
out:
	evtchn_unbind(&b);
	evtchn_unbind(&a);
	KT_CHECK(a == NULL && b == NULL, "a handle survived its unbind");
	KT_CHECK(dummy.count == 0, "the sending side's handler ran %u times",
	    dummy.count);
	KT_NOTE_OK("%s ABI, delivered on cpu0%s", evtchn_abi_name(),
	    mp_ncpus < 2 ? "" : evtchn_cpu0_only ?
	    " (cpu1 refused: CPU 0 only)" : " then cpu1");
}

/*
 * The loopback test's failure path: made to fail (the first event is
 * expected on a CPU that does not exist), it reports FAIL, names the port
 * it used and releases both handles, instead of reading the port through a
 * handle it had unbound (NULL: no fault here, page 0 is mapped, so the old
 * code reported "port 0").
 */
KTEST(xen_evtchn_loopback_fails_cleanly)
{
	struct ktest_ctx ctx;
	enum ktest_result r;
	char want[32];

	KT_REQUIRE_XEN();
	loop_first_cpu = 1000;
	r = ktest_run_one(&ktest_xen_evtchn_loopback, &ctx);
	loop_first_cpu = 0;
	KT_ASSERT(r == KTEST_FAIL, "result %d (want FAIL %d): %s", r, KTEST_FAIL,
	    ctx.detail);
	snprintf(want, sizeof(want), "event on port %u:", loop_last_port);
	KT_ASSERT(strstr_simple(ctx.detail, want) != NULL,
	    "detail \"%s\" does not name port %u", ctx.detail, loop_last_port);
	KT_NOTE("failed as it should: %s", ctx.detail);
}

/* Masked events stay pending and arrive on unmask. */
KTEST(xen_evtchn_mask_unmask)
{
	static struct loop_seen seen;
	evtchn_handle_t a = NULL, b = NULL;
	struct loop_seen dummy = { 0, 0 };
	bool early;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	error = loop_pair(EVTCHN_BIND_MASKED, &seen, &dummy, &a, &b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	evtchn_notify(b);
	DELAY(20000);
	early = seen.count != 0;
	evtchn_unmask(a);
	error = loop_wait(&seen, 1) ? 0 : ETIMEDOUT;
	evtchn_unbind(&b);
	evtchn_unbind(&a);
	KT_ASSERT(!early, "handler ran while the port was masked");
	KT_ASSERT(error == 0, "event lost across mask/unmask");
}

/*
 * The ABI in use is the one asked for (xen.evtchn=fifo|2l, default fifo),
 * or 2-level where xen.refuse=fifo plays a Xen without FIFO.
 */
KTEST(xen_evtchn_abi_selected)
{
	bool fifo = strstr_simple(kern_cmdline, "xen.evtchn=2l") == NULL &&
	    !kt_xen_refuse_asked("fifo");

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	KT_ASSERT(strcmp(evtchn_abi_name(), fifo ? "FIFO" : "2-level") == 0,
	    "ABI %s", evtchn_abi_name());
	KT_ASSERT(evtchn_max_ports() == (fifo ? 131072U : 4096U),
	    "%u ports", evtchn_max_ports());
	KT_NOTE("%s, %u ports", evtchn_abi_name(), evtchn_max_ports());
}

/*
 * Ports past the first 1024 (a second page of the FIFO event array, a
 * second word row of the 2-level bitmaps) carry events too.
 */
#define MANY_PORTS	1100

KTEST(xen_evtchn_high_ports)
{
	static evtchn_handle_t h[MANY_PORTS];
	static struct loop_seen seen;
	struct loop_seen dummy = { 0, 0 };
	evtchn_handle_t peer = NULL, top = NULL;
	int n, error = 0;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	seen.count = 0;
	for (n = 0; n < MANY_PORTS; n++) {
		error = evtchn_alloc_unbound(DOMID_SELF, loop_handler, &seen, 0,
		    &h[n]);
		if (error != 0)
			break;
		if (evtchn_port(h[n]) >= 1024) {
			top = h[n];
			break;
		}
	}
	if (top != NULL) {
		error = evtchn_bind_interdomain(DOMID_SELF, evtchn_port(top),
		    loop_handler, &dummy, 0, &peer);
		if (error == 0) {
			evtchn_notify(peer);
			if (!loop_wait(&seen, 1))
				error = ETIMEDOUT;
			evtchn_unbind(&peer);
		}
	}
	for (int i = 0; i <= n && i < MANY_PORTS; i++)
		evtchn_unbind(&h[i]);
	if (top == NULL && error == ENOSPC)
		KT_SKIP("the domain is limited to %d event channels", n);
	KT_ASSERT(top != NULL, "no port above 1023 after %d ports: error %d", n,
	    error);
	KT_ASSERT(error == 0 && seen.count == 1,
	    "event on a high port: error %d, count %u", error, seen.count);
	KT_NOTE("%d ports held, event delivered above port 1023", n + 1);
}

/* A late-EOI port stays quiet between an event and its EOI, and keeps what came meanwhile. */
KTEST(xen_evtchn_late_eoi)
{
	static struct loop_seen seen;
	evtchn_handle_t a = NULL, b = NULL;
	struct loop_seen dummy = { 0, 0 };
	u_int during;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	error = loop_pair(EVTCHN_BIND_LATE_EOI, &seen, &dummy, &a, &b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	evtchn_notify(b);
	if (!loop_wait(&seen, 1))
		error = ETIMEDOUT;
	/* A second event before the EOI must wait for it. */
	evtchn_notify(b);
	DELAY(20000);
	during = seen.count;
	evtchn_eoi(a);
	if (error == 0 && !loop_wait(&seen, 2))
		error = ETIMEDOUT;
	evtchn_unbind(&b);
	evtchn_unbind(&a);
	KT_ASSERT(error == 0, "events lost (count %u)", seen.count);
	KT_ASSERT(during == 1, "handler ran %u times before the EOI", during);
}
