/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Native local APIC: the apic_ops table for x2APIC (MSR access) or xAPIC
 * (memory-mapped registers).  x2APIC is used whenever CPUID offers it, unless
 * "x2apic=0" is on the command line; every CPU runs in the mode the BSP chose.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/intr.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#include <x86/apicvar.h>

#define MSR_APICBASE		0x01b
#define APICBASE_X2APIC		0x400
#define APICBASE_ENABLE		0x800
#define APICBASE_ADDR		0x000ffffffffff000ULL
#define MSR_X2APIC_BASE		0x800

#define CPUID1_ECX_X2APIC	(1U << 21)
#define CPUID1_EDX_APIC		(1U << 9)

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + off / 16. */
#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ESR		0x280
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_ICR		0x380
#define LAPIC_TIMER_CCR		0x390
#define LAPIC_TIMER_DCR		0x3e0

#define SVR_ENABLE		0x100
#define LVT_MASKED		0x10000
#define LVT_DM_NMI		0x400
#define ICR_DM_INIT		0x500
#define ICR_DM_STARTUP		0x600
#define ICR_DELIVERY_PENDING	0x1000
#define ICR_LEVEL_ASSERT	0x4000
#define ICR_TRIGGER_LEVEL	0x8000
#define DCR_DIVIDE_BY_1		0xb

#define PIC_MASTER_IMR		0x21
#define PIC_SLAVE_IMR		0xa1

/* Page-table bits for the boot page directory entry of the xAPIC page. */
#define PG_PWT			0x008
#define PG_PCD			0x010

static int	x2apic_wanted = 1;
TUNABLE_INT("x2apic", &x2apic_wanted,
    "use x2APIC mode when offered (0: force xAPIC)");

static bool	lapic_x2apic;
static volatile uint32_t *lapic_mmio;
static uint64_t	lapic_timer_hz;

bool
lapic_is_x2apic(void)
{
	return (lapic_x2apic);
}

static uint32_t
lapic_read(u_int reg)
{
	if (lapic_x2apic)
		return ((uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4)));
	return (lapic_mmio[reg / 4]);
}

static void
lapic_write(u_int reg, uint32_t v)
{
	if (lapic_x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		lapic_mmio[reg / 4] = v;
}

/* Puts this CPU's APIC in the chosen mode. */
static void
lapic_enable_mode(void)
{
	uint64_t base = rdmsr(MSR_APICBASE);

	/* x2APIC may only be entered from the enabled xAPIC state. */
	if ((base & APICBASE_ENABLE) == 0) {
		base |= APICBASE_ENABLE;
		wrmsr(MSR_APICBASE, base);
	}
	if (lapic_x2apic && (base & APICBASE_X2APIC) == 0)
		wrmsr(MSR_APICBASE, base | APICBASE_X2APIC);
}

static void
native_lapic_setup_cpu(void)
{
	u_int maxlvt;

	lapic_enable_mode();
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IDT_SPURIOUS);
	/*
	 * Nothing here drives the 8259: a masked LINT0 keeps stray legacy
	 * interrupts out.  LINT1 carries NMI on PC wiring.
	 */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_DM_NMI);
	maxlvt = (lapic_read(LAPIC_VERSION) >> 16) & 0xff;
	if (maxlvt >= 3)
		lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DCR, DCR_DIVIDE_BY_1);
	lapic_write(LAPIC_TIMER_ICR, 0);
	/* The ESR latches on write; two writes clear stale errors. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_EOI, 0);
}

static void
native_lapic_init(void)
{
	u_int regs[4];
	vm_paddr_t pa;

	do_cpuid(1, regs);
	if ((regs[3] & CPUID1_EDX_APIC) == 0)
		panic("lapic: CPU has no local APIC");
	lapic_x2apic = (regs[2] & CPUID1_ECX_X2APIC) != 0 && x2apic_wanted != 0;
	/* Firmware may have left x2APIC on; there is no way back from it. */
	if ((rdmsr(MSR_APICBASE) & APICBASE_X2APIC) != 0)
		lapic_x2apic = true;

	/*
	 * The 8259s are not used.  Firmware leaves them running (the PIT on
	 * IRQ 0); mask them so their output line drops and nothing can reach
	 * LINT0 in virtual-wire mode before it is masked below.
	 */
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);

	if (!lapic_x2apic) {
		pa = rdmsr(MSR_APICBASE) & APICBASE_ADDR;
		if (pa >= DMAP_BOOT_SIZE)
			panic("lapic: xAPIC page %#lx outside the direct map",
			    pa);
		/*
		 * The boot tables map this 2 MiB region write-back; device
		 * registers must not be cached.  The identity map and the
		 * direct map share boot_pd, so one entry covers both.
		 */
		boot_pd[pa >> 21] |= PG_PCD | PG_PWT;
		invlpg(PHYS_TO_DMAP(pa));
		invlpg((vm_offset_t)pa);
		lapic_mmio = (volatile uint32_t *)PHYS_TO_DMAP(pa);
	}
	native_lapic_setup_cpu();
	printf("lapic: %s mode, BSP APIC ID %u\n",
	    lapic_x2apic ? "x2APIC" : "xAPIC", apic_ops.id());
}

static u_int
native_lapic_id(void)
{
	if (lapic_x2apic)
		return (lapic_read(LAPIC_ID));
	return (lapic_read(LAPIC_ID) >> 24);
}

static void
native_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/*
 * xAPIC: one command at a time.  The wait is bounded so a wedged APIC
 * cannot hang us.
 */
static void
xapic_icr_wait(void)
{
	for (int i = 0; i < 1000000; i++) {
		if ((lapic_read(LAPIC_ICR_LO) & ICR_DELIVERY_PENDING) == 0)
			return;
		cpu_spinwait();
	}
	printf("lapic: ICR stuck busy\n");
}

static void
lapic_send_icr(uint32_t lo, u_int apic_id)
{
	register_t rf;

	rf = intr_disable();
	if (lapic_x2apic) {
		/*
		 * A WRMSR to the x2APIC ICR is not ordered after earlier
		 * stores; the receiver must see what we wrote before the IPI.
		 */
		mfence();
		__asm__ __volatile__("lfence" ::: "memory");
		wrmsr(MSR_X2APIC_BASE + (LAPIC_ICR_LO >> 4),
		    ((uint64_t)apic_id << 32) | lo);
	} else {
		xapic_icr_wait();
		lapic_write(LAPIC_ICR_HI, apic_id << 24);
		lapic_write(LAPIC_ICR_LO, lo);
		xapic_icr_wait();
	}
	intr_restore(rf);
}

static void
native_lapic_ipi_vectored(u_int vector, u_int apic_id)
{
	lapic_send_icr(ICR_LEVEL_ASSERT | (vector & 0xff), apic_id);
}

/*
 * The architected start-up: INIT, a 10 ms settle, then two STARTUP IPIs
 * 200 us apart (the second covers a first one that was lost).
 */
static int
native_lapic_ipi_startup(u_int apic_id, vm_paddr_t trampoline)
{
	uint32_t vec;

	if ((trampoline & PAGE_MASK) != 0 || trampoline >= 0x100000)
		return (EINVAL);
	vec = (uint32_t)(trampoline >> PAGE_SHIFT);
	if (lapic_x2apic) {
		lapic_send_icr(ICR_DM_INIT | ICR_LEVEL_ASSERT, apic_id);
	} else {
		lapic_send_icr(ICR_DM_INIT | ICR_LEVEL_ASSERT |
		    ICR_TRIGGER_LEVEL, apic_id);
		/* Level de-assert, for processors that still need it. */
		lapic_send_icr(ICR_DM_INIT | ICR_TRIGGER_LEVEL, apic_id);
	}
	DELAY(10000);
	lapic_send_icr(ICR_DM_STARTUP | ICR_LEVEL_ASSERT | vec, apic_id);
	DELAY(200);
	lapic_send_icr(ICR_DM_STARTUP | ICR_LEVEL_ASSERT | vec, apic_id);
	DELAY(200);
	return (0);
}

/*
 * Measures the timer against the TSC: count down from the top with the
 * timer masked over a known number of TSC ticks.  Best of three windows.
 */
static uint64_t
native_lapic_timer_freq(void)
{
	uint64_t best = 0;
	register_t rf;

	if (lapic_timer_hz != 0)
		return (lapic_timer_hz);
	if (tsc_freq == 0)
		return (0);
	rf = intr_disable();
	for (int i = 0; i < 3; i++) {
		uint64_t t0, t1, hz;
		uint32_t c0, c1;

		lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IDT_APIC_TIMER);
		lapic_write(LAPIC_TIMER_DCR, DCR_DIVIDE_BY_1);
		lapic_write(LAPIC_TIMER_ICR, 0xffffffff);
		t0 = rdtsc_ordered();
		c0 = lapic_read(LAPIC_TIMER_CCR);
		DELAY(5000);
		c1 = lapic_read(LAPIC_TIMER_CCR);
		t1 = rdtsc_ordered();
		if (c1 >= c0 || t1 <= t0)
			continue;
		/* A 5 ms window keeps ticks * tsc_freq well inside 64 bits. */
		hz = (uint64_t)(c0 - c1) * tsc_freq / (t1 - t0);
		if (hz > best)
			best = hz;
	}
	lapic_write(LAPIC_TIMER_ICR, 0);
	intr_restore(rf);
	lapic_timer_hz = best;
	return (best);
}

static void
native_lapic_timer_oneshot(u_int vector, uint32_t count)
{
	lapic_write(LAPIC_LVT_TIMER, vector & 0xff);
	lapic_write(LAPIC_TIMER_DCR, DCR_DIVIDE_BY_1);
	lapic_write(LAPIC_TIMER_ICR, count == 0 ? 1 : count);
}

static void
native_lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IDT_APIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0);
}

struct apic_ops apic_ops = {
	.init = native_lapic_init,
	.setup_cpu = native_lapic_setup_cpu,
	.id = native_lapic_id,
	.eoi = native_lapic_eoi,
	.ipi_vectored = native_lapic_ipi_vectored,
	.ipi_startup = native_lapic_ipi_startup,
	.timer_freq = native_lapic_timer_freq,
	.timer_oneshot = native_lapic_timer_oneshot,
	.timer_stop = native_lapic_timer_stop,
	.name = "native",
};
