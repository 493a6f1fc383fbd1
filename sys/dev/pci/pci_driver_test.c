/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A driver claims a PCI function by ID: "ktedu" probes for QEMU's edu
 * (1234:11e8, docs/specs/edu.txt) and attaches to it at boot when the
 * device is there.  The test checks the claim, then detaches and attaches
 * it again with the driver holding BAR 0 at detach: the bus must take the
 * BAR back, so the next owner can allocate it.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/rman.h>
#include <sys/systm.h>

#include <dev/pci/pci_test.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

static bool	ktedu_keep_bar;		/* attach takes BAR 0 and never frees it */
static u_int	ktedu_probes, ktedu_attaches;

static int
ktedu_probe(device_t dev)
{
	if (pci_get_vendor(dev) != EDU_VENDOR ||
	    pci_get_device(dev) != EDU_DEVICE)
		return (ENXIO);
	ktedu_probes++;
	device_set_desc(dev, "QEMU edu (ktest driver)");
	return (BUS_PROBE_DEFAULT);
}

static int
ktedu_attach(device_t dev)
{
	int rid = PCIR_BAR(0);

	ktedu_attaches++;
	if (ktedu_keep_bar &&
	    pci_alloc_resource(dev, SYS_RES_MEMORY, &rid, RF_ACTIVE) == NULL)
		return (ENXIO);
	return (0);
}

static const struct device_method ktedu_methods[] = {
	DEVMETHOD(device_probe, ktedu_probe),
	DEVMETHOD(device_attach, ktedu_attach),
	DEVMETHOD_END
};

static driver_t ktedu_driver = { "ktedu", ktedu_methods, 0 };
DRIVER_MODULE(ktedu, pci, ktedu_driver, NULL, NULL);

KTEST(pci_driver_by_id)
{
	struct resource *r;
	device_t d;
	u_int attaches;
	int rid = PCIR_BAR(0), error;

	if (pci_test_want(ktest_ctx, EDU_VENDOR, EDU_DEVICE, &d) != 0)
		return;
	KT_ASSERT(device_is_attached(d) && device_get_driver(d) ==
	    &ktedu_driver, "edu is %s, not claimed by ktedu",
	    device_get_nameunit(d));
	KT_ASSERT(ktedu_probes >= 1 && ktedu_attaches == 1, "%u probes, %u "
	    "attaches", ktedu_probes, ktedu_attaches);
	attaches = ktedu_attaches;
	ktedu_keep_bar = true;
	error = device_detach(d);
	KT_ASSERT(error == 0 && !device_is_attached(d), "detach: error %d",
	    error);
	error = device_probe_and_attach(d);
	KT_CHECK(error == 0 && ktedu_attaches == attaches + 1,
	    "re-attach holding BAR 0: error %d", error);
	KT_CHECK(pci_alloc_resource(d, SYS_RES_MEMORY, &rid, 0) == NULL,
	    "BAR 0 handed out while the driver holds it");
	ktedu_keep_bar = false;
	error = device_detach(d);
	KT_CHECK(error == 0, "second detach: error %d", error);
	/* The bus released what the driver left behind. */
	r = pci_alloc_resource(d, SYS_RES_MEMORY, &rid, RF_ACTIVE);
	KT_CHECK(r != NULL, "BAR 0 still taken after the driver detached");
	if (r != NULL) {
		KT_CHECK((bus_read_4(r, EDU_ID) & 0xffff) == 0x00ed,
		    "edu does not answer at BAR 0 after the re-attach");
		(void)pci_release_resource(d, SYS_RES_MEMORY, rid, r);
	}
	error = device_probe_and_attach(d);
	KT_CHECK(error == 0 && device_is_attached(d), "final attach: error %d",
	    error);
	KT_NOTE_OK("%s: <%s>, %u probes", device_get_nameunit(d),
	    device_get_desc(d) != NULL ? device_get_desc(d) : "", ktedu_probes);
}
