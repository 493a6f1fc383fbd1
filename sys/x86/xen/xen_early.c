/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Early Xen detection (CPUID leaves), the hypercall page, the early console
 * and the power hooks.  Registered as an early platform probe: on bare metal
 * it claims nothing and the native hooks stay.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/cons.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#include <x86/apicvar.h>
#include <x86/init.h>
#include <x86/x86_smp.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_cpuid.h>
#include <x86/xen/xen_hooks.h>
#include <x86/xen/xen_hvm.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/xen_guest.h>

#define XEN_DEBUG_PORT	0xe9

struct xen_guest_info	xen_guest;

static void
cpuid_insn(void *arg __unused, u_int leaf, u_int regs[4])
{
	do_cpuid(leaf, regs);
}

/* Xen wrote the page if the first stub is no longer our -ENOSYS filler. */
static bool
hypercall_page_written(void)
{
	static const uint8_t filler[] = { 0x48, 0xc7, 0xc0, 0xda, 0xff, 0xff, 0xff, 0xc3 };

	return (memcmp(hypercall_page, filler, sizeof(filler)) != 0);
}

static void
xen_cons_putc(struct consdev *cd __unused, int c)
{
	char ch = (char)c;

	xen_early_puts(&ch, 1);
}

static struct consdev xen_early_cons = {
	.cn_name = "xen_early",
	.cn_putc = xen_cons_putc,
};
/* The PV console retires this one once it attaches. */
struct consdev	*xen_early_consdev = &xen_early_cons;

void
xen_early_puts(const char *s, size_t len)
{
	if (xen_guest.initial_domain && xen_guest.hypercall_page_ok) {
		/* Debian's release Xen refuses console_io to a domU, not dom0. */
		HYPERVISOR_console_io(CONSOLEIO_write, (u_int)len, s);
		return;
	}
	for (size_t i = 0; i < len; i++)
		outb(XEN_DEBUG_PORT, (uint8_t)s[i]);
}

static void __dead2
xen_poweroff(int status)
{
	struct sched_shutdown ss;

	printf("powering off (status %d)\n", status);
	cons_flush();
	/* A panic (status >= 2) is reported as a crash so the toolstack can keep it. */
	ss.reason = status >= 2 ? SHUTDOWN_crash : SHUTDOWN_poweroff;
	HYPERVISOR_sched_op(SCHEDOP_shutdown, &ss);
	disable_intr();
	for (;;)
		halt();
}

static void __dead2
xen_reboot(void)
{
	struct sched_shutdown ss = { .reason = SHUTDOWN_reboot };

	printf("rebooting\n");
	cons_flush();
	HYPERVISOR_sched_op(SCHEDOP_shutdown, &ss);
	disable_intr();
	for (;;)
		halt();
}

static uint64_t
xen_tsc_freq(void)
{
	return (xen_guest.tsc_khz * 1000);
}

/*
 * Early clock: map shared_info now (the memory map is known) so the boot
 * CPU can read the PV clock from its legacy vcpu_info slot; it moves to its
 * registered vcpu_info at SI_SUB_HYPERVISOR.  DELAY() then waits on the PV
 * clock.  The TSC rate is the one Xen states.
 */
static void
xen_early_clock_init(void)
{
	extern uint64_t tsc_freq;

	tsc_freq = xen_tsc_freq();
	printf("TSC: %lu Hz (from Xen, tsc_mode %u%s)\n", tsc_freq,
	    xen_guest.tsc_mode, xen_guest.tsc_emulated ? ", RDTSC emulated" : "");
	if (xen_shared_info_map() != 0) {
		printf("xen: no shared_info yet: early delays use the TSC\n");
		return;
	}
	pcpu0.pc_vcpu_info = &HYPERVISOR_shared_info->vcpu_info[0];
	init_ops.early_delay = xen_pvclock_delay;
}

bool
xen_guest_detect(const struct bootinfo *bi)
{
	u_int regs[4], max_leaf = 0;

	xen_guest.cpuid_base = xen_cpuid_scan(cpuid_insn, NULL, &max_leaf);
	if (xen_guest.cpuid_base == 0)
		return (false);
	xen_guest.present = true;
	xen_guest.initial_domain = (bi->loader_flags & SIF_INITDOMAIN) != 0;
	xen_guest.hvm = xen_hvm_detect(bi);
	if (xen_guest.hvm)
		xen_hvm_early();

	do_cpuid(xen_guest.cpuid_base + 1, regs);
	xen_guest.version_major = regs[0] >> 16;
	xen_guest.version_minor = regs[0] & 0xffff;

	do_cpuid(xen_guest.cpuid_base + 2, regs);
	wrmsr(regs[1], KVA_TO_PHYS((vm_offset_t)hypercall_page));
	xen_guest.hypercall_page_ok = hypercall_page_written();

	/* Leaf 3 (TSC) is there only if the base leaf's EAX says so. */
	if (xen_cpuid_has_leaf(xen_guest.cpuid_base, max_leaf, 3)) {
		cpuid_count(xen_guest.cpuid_base + 3, 0, regs);
		xen_guest.tsc_khz = regs[2];
		/* EAX bit 0: Xen traps and emulates every RDTSC of this guest. */
		xen_guest.tsc_emulated = (regs[0] & 1) != 0;
		xen_guest.tsc_mode = regs[1];
	}
	return (true);
}

void
xen_guest_hooks_install(void)
{
	cons_register(&xen_early_cons);
	printf("Xen %u.%u detected (CPUID base %#x), %s %s, hypercall page %s\n",
	    xen_guest.version_major, xen_guest.version_minor,
	    xen_guest.cpuid_base, xen_guest.hvm ? "HVM" : "PVH",
	    xen_guest.initial_domain ? "dom0" : "domU",
	    xen_guest.hypercall_page_ok ? "installed" : "NOT written by Xen");

	/* Kept for an HVM guest whose upcall is the PCI INTx (xen_apic_intx.c). */
	xen_native_apic_ops = apic_ops;
	apic_ops = xen_apic_ops;
	cpu_ops = xen_cpu_ops;
	power_ops.poweroff = xen_poweroff;
	power_ops.reboot = xen_reboot;
}

static bool
xen_probe(struct bootinfo *bi)
{
	if (!xen_guest_detect(bi))
		return (false);
	xen_guest_hooks_install();
	/* What only a probe this early can still change. */
	init_ops.parse_memmap = xen_parse_memmap;
	init_ops.early_clock_source_init = xen_early_clock_init;
	if (xen_guest.tsc_khz != 0)
		init_ops.tsc_freq = xen_tsc_freq;
	return (true);
}

static struct early_probe xen_early_probe = {
	.name = "xen",
	.order = 10,
	.probe = xen_probe,
};
EARLY_PROBE(xen_early_probe);
