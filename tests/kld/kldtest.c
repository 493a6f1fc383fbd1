/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * kldtest.ko: the module the kld(4) tests load.  It carries one of each
 * linker set a module may register: SYSINITs (declared out of order, so
 * their run order is the linker's doing), a tunable, a driver that
 * attaches under nexus, malloc types and ktests that check all of it
 * from inside the module once it is linked.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/linker.h>
#include <sys/malloc.h>
#include <sys/systm.h>

MODULE_VERSION(kldtest, 1);
MODULE_DEPEND(kldtest, kernel, 1, 1);

MALLOC_DEFINE(M_KLDTEST, "kldtest", "kld test module");

/* Read by the kernel's kld ktests through the module's symbols. */
int	kldtest_sysinit_seq[4];
int	kldtest_nsysinit;
int	kldtest_attached;
int	kldtest_value = -1;
TUNABLE_INT("kldtest.value", &kldtest_value, "a tunable of a module");

static void
kldtest_record(void *arg)
{
	if (kldtest_nsysinit < (int)nitems(kldtest_sysinit_seq))
		kldtest_sysinit_seq[kldtest_nsysinit] = (int)(uintptr_t)arg;
	kldtest_nsysinit++;
}
/* Declared last-first: the linker must sort them. */
SYSINIT(kldtest_third, SI_SUB_KTEST - 1, SI_ORDER_FIRST, kldtest_record,
    (void *)3);
SYSINIT(kldtest_second, SI_SUB_CONFIGURE, SI_ORDER_ANY, kldtest_record,
    (void *)2);
SYSINIT(kldtest_first, SI_SUB_DRIVERS, SI_ORDER_MIDDLE, kldtest_record,
    (void *)1);

/* A driver under nexus: identify adds its device, attach counts. */
static void
kldtest_identify(driver_t *driver, device_t parent)
{
	if (device_find_child(parent, "kldtest", 0) == NULL)
		(void)device_add_child(parent, "kldtest", 0);
}

static int
kldtest_probe(device_t dev)
{
	device_set_desc(dev, "kld test device");
	return (BUS_PROBE_SPECIFIC);
}

static int
kldtest_attach(device_t dev)
{
	kldtest_attached++;
	return (0);
}

static int
kldtest_detach(device_t dev)
{
	kldtest_attached--;
	return (0);
}

static const struct device_method kldtest_methods[] = {
	DEVMETHOD(device_identify, kldtest_identify),
	DEVMETHOD(device_probe, kldtest_probe),
	DEVMETHOD(device_attach, kldtest_attach),
	DEVMETHOD(device_detach, kldtest_detach),
	DEVMETHOD_END
};
static driver_t kldtest_driver = { "kldtest", kldtest_methods, 0 };
DRIVER_MODULE(kldtest, nexus, kldtest_driver, NULL, NULL);

/* Relocations of every kind the compiler made for this file. */
static const char kldtest_msg[] = "linked by kld";
static size_t (*const kldtest_fp)(const char *) = strlen;

KTEST(kldtest_relocated)
{
	char buf[64];
	void *p;

	KT_ASSERT(kldtest_fp(kldtest_msg) == sizeof(kldtest_msg) - 1,
	    "strlen through a relocated pointer gave %zu",
	    kldtest_fp(kldtest_msg));
	snprintf(buf, sizeof(buf), "%s %d", kldtest_msg, 42);
	KT_ASSERT(strcmp(buf, "linked by kld 42") == 0, "snprintf gave \"%s\"",
	    buf);
	p = malloc(100, M_KLDTEST, M_WAITOK | M_ZERO);
	KT_ASSERT(p != NULL, "malloc with the module's type failed");
	free(p, M_KLDTEST);
}

KTEST(kldtest_sysinits_in_order)
{
	KT_ASSERT(kldtest_nsysinit == 3, "%d SYSINITs ran, not 3",
	    kldtest_nsysinit);
	for (int i = 0; i < 3; i++)
		KT_ASSERT(kldtest_sysinit_seq[i] == i + 1,
		    "SYSINIT %d ran in place %d", kldtest_sysinit_seq[i], i + 1);
}

KTEST(kldtest_driver_attached)
{
	device_t nexus = device_find_child(root_bus, "nexus", 0);
	device_t dev;

	KT_ASSERT(nexus != NULL, "no nexus0");
	dev = device_find_child(nexus, "kldtest", 0);
	KT_ASSERT(dev != NULL && device_is_attached(dev),
	    "kldtest0 is not attached");
	KT_ASSERT(kldtest_attached == 1, "attach ran %d times net",
	    kldtest_attached);
	KT_ASSERT(strcmp(device_get_desc(dev), "kld test device") == 0,
	    "description \"%s\"", device_get_desc(dev));
}

KTEST(kldtest_tunable)
{
	KT_ASSERT(kldtest_value == 42, "kldtest.value is %d (the boot line "
	    "says kldtest.value=42)", kldtest_value);
}
