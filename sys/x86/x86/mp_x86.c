/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Application processors: enumeration and start-up at SI_SUB_SMP through
 * cpu_ops, the per-CPU resources each AP needs before it runs, the native
 * real-mode trampoline, and IPI delivery through apic_ops.
 *
 * CPUs are started one at a time.  A CPU that does not check in within a
 * bounded time is reported and skipped; cpu IDs stay dense (0 .. mp_ncpus-1)
 * because only CPUs that came up are numbered.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/smp.h>
#include <sys/systm.h>
#include <sys/timeet.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>
#include <machine/md_var.h>
#include <machine/segments.h>
#include <machine/vmparam.h>

#include <x86/apicvar.h>
#include <x86/x86_smp.h>

/* Generous: an emulated CPU on a loaded host takes its time. */
#define AP_START_TIMEOUT_US	2000000
#define STOP_TIMEOUT_US		100000

MALLOC_DEFINE(M_SMP, "smp", "per-CPU structures of application processors");

volatile bool	smp_started;
u_int		mp_enumerated = 1;

/* Layout known to mpboot.S: stack top at 0, entry at 8. */
struct mp_boot_args {
	uint64_t	rsp;
	void		(*entry)(struct mp_boot_args *);
	struct pcpu	*pc;
};
CTASSERT(__builtin_offsetof(struct mp_boot_args, rsp) == 0);
CTASSERT(__builtin_offsetof(struct mp_boot_args, entry) == 8);

extern char	mpboot_start[], mpboot_end[], mpboot_gdt[], mpboot_gdtdesc[];
extern char	mpboot_32[], mpboot_64[], mpboot_jmp32[], mpboot_jmp64[];
extern char	mpboot_cr3[], mpboot_ticket[];

static vm_paddr_t	mpboot_pa;
static volatile u_int	cpus_stopped;

/* Symbols of one assembled blob; compare addresses, not C objects. */
#define MPBOOT_OFF(sym)							\
	((size_t)((uintptr_t)(sym) - (uintptr_t)mpboot_start))

int
cpu_alloc_tables(struct pcpu *pc)
{
	char *df, *nmi;

	pc->pc_gdt = malloc(NGDT * sizeof(uint64_t), M_SMP, M_WAITOK | M_ZERO);
	pc->pc_tss = malloc(sizeof(struct amd64tss), M_SMP, M_WAITOK | M_ZERO);
	df = malloc(IST_STACK_SIZE, M_SMP, M_WAITOK | M_ZERO);
	nmi = malloc(IST_STACK_SIZE, M_SMP, M_WAITOK | M_ZERO);
	if (pc->pc_gdt == NULL || pc->pc_tss == NULL || df == NULL ||
	    nmi == NULL)
		return (ENOMEM);
	/* The CPU pushes the fault frame at the top: 16-byte aligned. */
	pc->pc_tss->tss_ist[IST_DOUBLEFAULT - 1] =
	    (uint64_t)(df + IST_STACK_SIZE) & ~15UL;
	pc->pc_tss->tss_ist[IST_NMI - 1] =
	    (uint64_t)(nmi + IST_STACK_SIZE) & ~15UL;
	return (0);
}

static bool
memmap_is_ram(vm_paddr_t pa, vm_size_t len)
{
	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		if (e->type == MEMMAP_RAM && pa >= e->base &&
		    pa + len <= e->base + e->len)
			return (true);
	}
	return (false);
}

static void
patch32(vm_paddr_t pa, size_t off, uint32_t v)
{
	memcpy((void *)PHYS_TO_DMAP(pa + off), &v, sizeof(v));
}

/*
 * Puts the trampoline on a RAM page below 1 MiB (a STARTUP IPI can only name
 * one there).  The page allocator never hands out the first 1 MiB, so
 * nothing else owns it; 0x8000 is tried first, then the rest of low memory
 * above the BIOS data area.
 */
static int
mpboot_install(void)
{
	size_t size = MPBOOT_OFF(mpboot_end);
	vm_paddr_t pa = 0;

	if (size > PAGE_SIZE)
		panic("mpboot: trampoline is %zu bytes", size);
	for (vm_paddr_t c = 0x8000; c < 0xa0000; c += PAGE_SIZE) {
		if (memmap_is_ram(c, PAGE_SIZE) &&
		    trunc_page(bootinfo.start_pa) != c) {
			pa = c;
			break;
		}
	}
	for (vm_paddr_t c = 0x1000; pa == 0 && c < 0x8000; c += PAGE_SIZE) {
		if (memmap_is_ram(c, PAGE_SIZE) &&
		    trunc_page(bootinfo.start_pa) != c)
			pa = c;
	}
	if (pa == 0) {
		printf("mpboot: no RAM page below 1 MiB for the trampoline\n");
		return (ENXIO);
	}
	memcpy((void *)PHYS_TO_DMAP(pa), mpboot_start, size);
	patch32(pa, MPBOOT_OFF(mpboot_gdtdesc) + 2,
	    (uint32_t)(pa + MPBOOT_OFF(mpboot_gdt)));
	patch32(pa, MPBOOT_OFF(mpboot_jmp32),
	    (uint32_t)(pa + MPBOOT_OFF(mpboot_32)));
	patch32(pa, MPBOOT_OFF(mpboot_jmp64),
	    (uint32_t)(pa + MPBOOT_OFF(mpboot_64)));
	patch32(pa, MPBOOT_OFF(mpboot_cr3), (uint32_t)KVA_TO_PHYS(boot_pml4));
	mpboot_pa = pa;
	if (bootverbose)
		printf("mpboot: trampoline at %#lx\n", pa);
	return (0);
}

/* First C code of a natively started AP, on its boot stack. */
static void __dead2
mpboot_entry(struct mp_boot_args *args)
{
	struct pcpu *pc = args->pc;

	/* Only the trampoline leads here: this CPU came up by INIT-SIPI. */
	pc->pc_start_method = CPU_START_INIT_SIPI;
	init_secondary(pc);
}

static bool
wait_started(struct pcpu *pc, int usec)
{
	for (int t = 0; t < usec; t += 10) {
		if (__atomic_load_n(&pc->pc_started, __ATOMIC_ACQUIRE))
			return (true);
		DELAY(10);
	}
	return (__atomic_load_n(&pc->pc_started, __ATOMIC_ACQUIRE));
}

int
mpboot_start_ap(struct pcpu *pc)
{
	struct mp_boot_args *args;
	uint64_t *ticket;
	int error;

	if (mpboot_pa == 0 && (error = mpboot_install()) != 0)
		return (error);
	/*
	 * Fresh arguments for every attempt, freed only once the AP is up:
	 * an AP that failed to check in in time may still be reading its own.
	 */
	if ((args = malloc(sizeof(*args), M_SMP, M_WAITOK | M_ZERO)) == NULL)
		return (ENOMEM);
	args->rsp = ((uint64_t)pc->pc_idlethread->td_kstack +
	    pc->pc_idlethread->td_kstack_size) & ~15UL;
	args->entry = mpboot_entry;
	args->pc = pc;
	ticket = (uint64_t *)PHYS_TO_DMAP(mpboot_pa +
	    MPBOOT_OFF(mpboot_ticket));
	atomic_store_rel_64(ticket, (uint64_t)args);

	if ((error = apic_ops.ipi_startup(pc->pc_apic_id, mpboot_pa)) != 0) {
		if (atomic_swap_long((volatile u_long *)ticket, 0) != 0)
			free(args, M_SMP);
		return (error);
	}
	if (wait_started(pc, AP_START_TIMEOUT_US)) {
		free(args, M_SMP);
		return (0);
	}
	/*
	 * Take the ticket back.  If it is still there the AP never reached
	 * long mode and, arriving later, will park itself.  If it is gone the
	 * AP is on its way: give it the same time again.
	 */
	if (atomic_swap_long((volatile u_long *)ticket, 0) != 0)
		return (ETIMEDOUT);
	if (!wait_started(pc, AP_START_TIMEOUT_US))
		return (ETIMEDOUT);
	free(args, M_SMP);
	return (0);
}

void
init_secondary(struct pcpu *pc)
{
	cpu_setup_tables(pc);
	apic_ops.setup_cpu();
	pc->pc_tsc_freq_hz = tsc_freq;
	et_cpu_start();
	__atomic_store_n(&pc->pc_started, true, __ATOMIC_RELEASE);
	/* Like the BSP, the idle loop is entered with interrupts on. */
	enable_intr();
	sched_idle_loop();
}

static struct pcpu *
mp_alloc_cpu(u_int cpu, u_int apic_id)
{
	struct pcpu *pc;
	struct thread *td;

	pc = malloc(sizeof(*pc), M_SMP, M_WAITOK | M_ZERO);
	td = malloc(sizeof(*td), M_SMP, M_WAITOK | M_ZERO);
	if (pc == NULL || td == NULL)
		return (NULL);
	/* Its boot stack too (native and hypervisor start alike). */
	td->td_kstack = kstack_alloc();
	if (td->td_kstack == NULL || cpu_alloc_tables(pc) != 0)
		return (NULL);
	td->td_kstack_size = KSTACK_SIZE;
	td->td_state = TDS_RUNNING;
	td->td_cpu = (int)cpu;
	td->td_flags = TDF_IDLE;
	snprintf(td->td_name, sizeof(td->td_name), "idle%u", cpu);
	pc->pc_self = pc;
	pc->pc_cpuid = cpu;
	pc->pc_apic_id = apic_id;
	pc->pc_curthread = td;
	pc->pc_idlethread = td;
	return (pc);
}

static void
mp_start_aps(void *arg __unused)
{
	u_int ids[MAXCPU], bsp_id;
	int n, error;
	bool bsp_listed = false;

	bsp_id = apic_ops.id();
	pcpu0.pc_apic_id = bsp_id;
	pcpu0.pc_tsc_freq_hz = tsc_freq;
	__atomic_store_n(&pcpu0.pc_started, true, __ATOMIC_RELEASE);

	n = cpu_ops.enumerate(ids, MAXCPU);
	if (n < 1)
		n = 1;
	mp_enumerated = (u_int)n;
	for (int i = 0; i < n; i++) {
		struct pcpu *pc;
		u_int cpu = mp_ncpus;

		if (ids[i] == bsp_id) {
			bsp_listed = true;
			continue;
		}
		if (cpu >= MAXCPU)
			break;
		if ((pc = mp_alloc_cpu(cpu, ids[i])) == NULL) {
			printf("smp: no memory for APIC ID %u, skipped\n",
			    ids[i]);
			continue;
		}
		cpuid_to_pcpu[cpu] = pc;
		error = cpu_ops.start_ap(pc);
		if (error != 0) {
			/* Not reused: a late AP may still touch it. */
			printf("smp: APIC ID %u did not start (error %d), "
			    "skipped\n", ids[i], error);
			cpuid_to_pcpu[cpu] = NULL;
			continue;
		}
		mp_maxid = cpu;
		atomic_add_int(&mp_ncpus, 1);
	}
	if (!bsp_listed && n > 1)
		printf("smp: BSP APIC ID %u not in the %s list\n", bsp_id,
		    cpu_ops.name);
	printf("smp: %u of %d CPUs running (%s)\n", mp_ncpus, n, cpu_ops.name);
	smp_started = true;
}
SYSINIT(mp_start_aps, SI_SUB_SMP, SI_ORDER_FIRST, mp_start_aps, NULL);

void
ipi_cpu(int cpu, u_int ipi)
{
	struct pcpu *pc;

	if (cpu < 0 || cpu >= MAXCPU || ipi == 0 || ipi >= IPI_COUNT)
		return;
	if ((pc = cpuid_to_pcpu[cpu]) == NULL)
		return;
	apic_ops.ipi_vectored(IDT_IPI_BASE + ipi, pc->pc_apic_id);
}

void
ipi_all_but_self(u_int ipi)
{
	u_int self = curcpu, i;

	CPU_FOREACH(i) {
		if (i != self && cpuid_to_pcpu[i] != NULL &&
		    cpuid_to_pcpu[i]->pc_started)
			ipi_cpu((int)i, ipi);
	}
}

static void
ipi_rendezvous_intr(struct trapframe *tf __unused, void *arg __unused)
{
	apic_ops.eoi();
	smp_rendezvous_action();
}

static void
ipi_ast_intr(struct trapframe *tf __unused, void *arg __unused)
{
	apic_ops.eoi();
	sched_ipi_ast();
}

static void
ipi_stop_intr(struct trapframe *tf __unused, void *arg __unused)
{
	apic_ops.eoi();
	disable_intr();
	atomic_add_int(&cpus_stopped, 1);
	for (;;)
		halt();
}

static void
ipi_vectors_init(void *arg __unused)
{
	if (intr_setup_vector(IDT_IPI_BASE + IPI_RENDEZVOUS,
	    ipi_rendezvous_intr, NULL) != 0 ||
	    intr_setup_vector(IDT_IPI_BASE + IPI_AST, ipi_ast_intr,
	    NULL) != 0 ||
	    intr_setup_vector(IDT_IPI_BASE + IPI_STOP, ipi_stop_intr,
	    NULL) != 0)
		panic("smp: cannot install the IPI vectors");
}
SYSINIT(ipi_vectors, SI_SUB_INTR, SI_ORDER_MIDDLE, ipi_vectors_init, NULL);

/*
 * Panic path: interrupts may be off and locks held, so only IPIs and a
 * bounded wait.  CPUs that do not answer are left as they are.
 */
void
cpu_stop_others(void)
{
	u_int want;

	if (!smp_started || mp_ncpus < 2)
		return;
	want = mp_ncpus - 1;
	ipi_all_but_self(IPI_STOP);
	for (int t = 0; t < STOP_TIMEOUT_US && cpus_stopped < want; t += 10)
		DELAY(10);
	if (cpus_stopped < want)
		printf("cpu_stop_others: %u of %u CPUs stopped\n", cpus_stopped,
		    want);
}
