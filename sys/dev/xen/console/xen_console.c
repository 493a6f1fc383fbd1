/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV console: a ring page shared with xenconsoled (HVM parameters
 * CONSOLE_PFN and CONSOLE_EVTCHN).  Once attached it becomes the kernel
 * console and the early debug port is retired.  The ring itself is
 * xencons_ring.c: the backend is not trusted, and one that stops draining
 * costs bounded waiting, after which output is dropped and counted.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/vmparam.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/hvm_param.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>
#include <xen/xenpv.h>

#include "xencons_ring.h"

/*
 * Longest a character waits for ring space.  The console lock is a spin
 * lock, so this is time with interrupts off; XENCONS_STALL_BUDGET (in
 * xencons_ring.h) bounds the sum of such waits before output is dropped.
 */
#define XENCONS_PUTC_WAIT	(2 * SBT_1MS)
/*
 * Before the domain stops, give xenconsoled the chance to read what is in
 * the ring: the toolstack tears the ring down with the domain.  Bounded:
 * a backend that does not drain costs at most XENCONS_FLUSH_US.
 */
#define XENCONS_FLUSH_US	3000000

struct xencons_softc {
	struct xencons_ring	ring;
	evtchn_handle_t		evtchn;
	struct consdev		cons;
};

static struct xencons_softc *xencons_sc;

static void
xencons_notify(void *arg)
{
	struct xencons_softc *sc = arg;

	evtchn_notify(sc->evtchn);
}

static void
xencons_putc(struct consdev *cd, int c)
{
	struct xencons_softc *sc = cd->cn_arg;

	(void)xencons_ring_putc(&sc->ring, c, XENCONS_PUTC_WAIT);
}

static void
xencons_flush(struct consdev *cd)
{
	struct xencons_softc *sc = cd->cn_arg;

	(void)xencons_ring_flush(&sc->ring, XENCONS_FLUSH_US);
}

static int
xencons_getc(struct consdev *cd)
{
	struct xencons_softc *sc = cd->cn_arg;

	return (xencons_ring_getc(&sc->ring));
}

static void
xencons_intr(void *arg __unused)
{
	/* Input is polled by cn_getc; the event only says the backend moved. */
}

static int
xencons_probe(device_t dev)
{
	uint64_t pfn = 0;

	if (!xen_domain() || xen_hvm_param_get(HVM_PARAM_CONSOLE_PFN, &pfn) != 0 ||
	    pfn == 0)
		return (ENXIO);
	device_set_desc(dev, "Xen PV console");
	return (BUS_PROBE_SPECIFIC);
}

static int
xencons_attach(device_t dev)
{
	struct xencons_softc *sc = device_get_softc(dev);
	uint64_t pfn, port;
	int error;

	if ((error = xen_hvm_param_get(HVM_PARAM_CONSOLE_PFN, &pfn)) != 0 ||
	    (error = xen_hvm_param_get(HVM_PARAM_CONSOLE_EVTCHN, &port)) != 0)
		return (error);
	if (ptoa(pfn) >= DMAP_BOOT_SIZE)
		return (ERANGE);
	error = evtchn_bind_existing((evtchn_port_t)port, xencons_intr, sc, 0,
	    &sc->evtchn);
	if (error != 0)
		return (error);
	xencons_ring_init(&sc->ring,
	    (struct xencons_interface *)PHYS_TO_DMAP(ptoa(pfn)), xencons_notify, sc);
	sc->cons.cn_name = "xencons";
	sc->cons.cn_putc = xencons_putc;
	sc->cons.cn_getc = xencons_getc;
	sc->cons.cn_flush = xencons_flush;
	sc->cons.cn_arg = sc;
	xencons_sc = sc;
	cons_register(&sc->cons);
	device_printf(dev, "ring at pfn %#lx, event channel %lu; now the console\n",
	    pfn, port);
	if (xen_early_consdev != NULL)
		cons_unregister(xen_early_consdev);
	return (0);
}

/* Characters dropped because the backend stopped draining (for tests). */
uint64_t
xencons_dropped(void)
{
	return (xencons_sc != NULL ? xencons_sc->ring.dropped : 0);
}

bool
xencons_attached(void)
{
	return (xencons_sc != NULL);
}

static const struct device_method xencons_methods[] = {
	DEVMETHOD(device_probe, xencons_probe),
	DEVMETHOD(device_attach, xencons_attach),
	DEVMETHOD_END
};

static driver_t xencons_driver = {
	"xencons", xencons_methods, sizeof(struct xencons_softc)
};
DRIVER_MODULE(xencons, xenpv, xencons_driver, NULL, NULL);
