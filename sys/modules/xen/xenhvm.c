/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenhvm.ko (xenhvm(4)): the Xen layer (sys/xen, sys/x86/xen) and the PV
 * drivers (sys/dev/xen) as one module for the kernel built without them.
 *
 * In that kernel nothing of Xen ran at boot: the early probe is read
 * before any module is linked, so the linker does not run the one this
 * module carries.  This late probe runs the same detection and installs
 * the same machine hooks (the port 0xe9 console, apic_ops, cpu_ops and
 * power_ops of xen_early.c) at SI_SUB_HYPERVISOR_PROBE: still before the
 * interrupt controllers (SI_SUB_INTR), the clocks and the APs (SI_SUB_SMP)
 * come up, so every CPU is started by VCPUOP_up and registers its
 * vcpu_info and upcall vector as in the kernel built with Xen, the IPIs
 * go over event channels, the Xen timer is the event timer, and a power-off
 * (the control driver's xl shutdown) is SCHEDOP_shutdown.  What only the
 * early probe can do stays native: the memory map (the firmware's, as an
 * HVM guest has one) and the early delay.  Without Xen, or in a guest that
 * is not an HVM domU, everything stays idle: the Xen nexus and the PV
 * drivers are registered but attach to nothing.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

#include <x86/xen/xen_hooks.h>

#include <xen/xen_guest.h>

MODULE_VERSION(xenhvm, 1);
MODULE_DEPEND(xenhvm, kernel, 1, 1);

static void
xenhvm_probe(void *arg __unused)
{
	if (xen_guest.present)
		return;		/* the early probe found it: Xen is built in */
	if (!xen_guest_detect(&bootinfo)) {
		printf("xenhvm: no Xen hypervisor (CPUID): nothing attaches\n");
		return;
	}
	if (!xen_guest.hypercall_page_ok || !xen_guest.hvm) {
		printf("xenhvm: Xen %u.%u, but %s: staying idle\n",
		    xen_guest.version_major, xen_guest.version_minor,
		    !xen_guest.hypercall_page_ok ?
		    "the hypercall page was not written" : "not an HVM domU");
		/* The MSR write is harmless; nothing else was changed yet. */
		memset(&xen_guest, 0, sizeof(xen_guest));
		return;
	}
	xen_guest.late = true;
	xen_guest_hooks_install();
	printf("xenhvm: Xen %u.%u (CPUID base %#x), hypercall page installed, "
	    "Xen machine hooks in place\n", xen_guest.version_major,
	    xen_guest.version_minor, xen_guest.cpuid_base);
}
SYSINIT(xenhvm_probe, SI_SUB_HYPERVISOR_PROBE, SI_ORDER_FIRST, xenhvm_probe,
    NULL);
