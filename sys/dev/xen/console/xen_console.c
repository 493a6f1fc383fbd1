/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV console: a ring page shared with xenconsoled (HVM parameters
 * CONSOLE_PFN and CONSOLE_EVTCHN).  Once attached it becomes the kernel
 * console and the early debug port is retired.  The backend is not trusted:
 * indexes are masked into the ring, and a backend that stops draining the
 * ring costs bounded waiting, after which output is dropped and counted.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/hvm_param.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>
#include <xen/xenpv.h>

/* How long output waits on a full ring before the backend counts as stalled. */
#define XENCONS_STALL_SBT	(5 * SBT_1S)

struct xencons_softc {
	struct xencons_interface *intf;
	evtchn_handle_t		evtchn;
	struct consdev		cons;
	uint64_t		dropped;
	bool			stalled;	/* backend stopped draining */
};

static struct xencons_softc *xencons_sc;

static void
xencons_putc(struct consdev *cd, int c)
{
	struct xencons_softc *sc = cd->cn_arg;
	struct xencons_interface *intf = sc->intf;
	XENCONS_RING_IDX cons, prod;
	sbintime_t deadline = 0;

	prod = intf->out_prod;
	for (;;) {
		cons = __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE);
		/* A backend claiming more than a ring's worth drained is lying. */
		if ((XENCONS_RING_IDX)(prod - cons) < sizeof(intf->out))
			break;
		if (deadline == 0)
			deadline = sbinuptime() + XENCONS_STALL_SBT;
		if (sc->stalled || sbinuptime() > deadline) {
			sc->stalled = true;
			sc->dropped++;
			return;
		}
		evtchn_notify(sc->evtchn);
		cpu_spinwait();
	}
	sc->stalled = false;
	intf->out[MASK_XENCONS_IDX(prod, intf->out)] = (char)c;
	__atomic_store_n(&intf->out_prod, prod + 1, __ATOMIC_RELEASE);
	/* One notification per line keeps the hypercall count down. */
	if (c == '\n')
		evtchn_notify(sc->evtchn);
}

/*
 * Before the domain stops, give xenconsoled the chance to read what is in
 * the ring: the toolstack tears the ring down with the domain.  Bounded:
 * a backend that does not drain costs at most XENCONS_FLUSH_US.
 */
#define XENCONS_FLUSH_US	3000000

static void
xencons_flush(struct consdev *cd)
{
	struct xencons_softc *sc = cd->cn_arg;
	struct xencons_interface *intf = sc->intf;

	evtchn_notify(sc->evtchn);
	for (int waited = 0; waited < XENCONS_FLUSH_US; waited += 1000) {
		if (__atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE) ==
		    intf->out_prod)
			return;
		DELAY(1000);
		evtchn_notify(sc->evtchn);
	}
}

static int
xencons_getc(struct consdev *cd)
{
	struct xencons_softc *sc = cd->cn_arg;
	struct xencons_interface *intf = sc->intf;
	XENCONS_RING_IDX cons = intf->in_cons;
	int c;

	if (cons == __atomic_load_n(&intf->in_prod, __ATOMIC_ACQUIRE))
		return (-1);
	c = (unsigned char)intf->in[MASK_XENCONS_IDX(cons, intf->in)];
	__atomic_store_n(&intf->in_cons, cons + 1, __ATOMIC_RELEASE);
	evtchn_notify(sc->evtchn);
	return (c);
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
	sc->intf = (struct xencons_interface *)PHYS_TO_DMAP(ptoa(pfn));
	error = evtchn_bind_existing((evtchn_port_t)port, xencons_intr, sc, 0,
	    &sc->evtchn);
	if (error != 0)
		return (error);
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
	return (xencons_sc != NULL ? xencons_sc->dropped : 0);
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
