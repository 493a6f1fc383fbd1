/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Machine-dependent start of the boot processor: descriptor tables, the
 * platform probes, the memory map through init_ops, then mi_startup().
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/segments.h>
#include <machine/vmparam.h>

#include <x86/init.h>
#include <x86/uart.h>
#include <x86/x86_smp.h>

struct bootinfo	bootinfo;
struct memmap	phys_memmap;
struct pcpu	pcpu0 __aligned(64);
struct pcpu	*cpuid_to_pcpu[MAXCPU] = { &pcpu0 };
u_int		mp_ncpus = 1;
u_int		mp_maxid = 0;
const char	*platform_name = "native";

extern char	idt_stubs[];
extern char	syscall_entry[];

CTASSERT(__builtin_offsetof(struct pcpu, pc_rsp0) == PC_RSP0_OFF);
CTASSERT(__builtin_offsetof(struct pcpu, pc_uscratch) == PC_USCRATCH_OFF);

#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_TS		0x00000008
#define CR0_NE		0x00000020
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400
/* Cleared on SYSCALL: interrupts, trap, direction, alignment check, NT. */
#define SYSCALL_RFLAGS_MASK	0x47700UL
extern char	boot_stack[];
static struct gate_descriptor idt[256] __aligned(16);
static uint64_t	gdt0[NGDT] __aligned(16);
static struct amd64tss tss0 __aligned(16);
static char	dfstack0[IST_STACK_SIZE] __aligned(16);
static char	nmistack0[IST_STACK_SIZE] __aligned(16);

SET_DECLARE(early_probe_set, struct early_probe);

static void
idt_set(int vec, int ist)
{
	uintptr_t off = (uintptr_t)idt_stubs + (uintptr_t)vec * 16;
	struct gate_descriptor *gd = &idt[vec];

	gd->gd_looffset = off & 0xffff;
	gd->gd_selector = GSEL_KCODE;
	gd->gd_ist = ist;
	gd->gd_type = 0x8e;		/* present, DPL 0, interrupt gate */
	gd->gd_midoffset = (off >> 16) & 0xffff;
	gd->gd_hioffset = (uint32_t)(off >> 32);
	gd->gd_rsvd = 0;
}

static void
idt_init(void)
{
	for (int i = 0; i < 256; i++)
		idt_set(i, 0);
	/* Faults that may come with a broken stack get stacks of their own. */
	idt_set(8, IST_DOUBLEFAULT);
	idt_set(2, IST_NMI);
}

/*
 * Loads the CPU's GDT (with its TSS), the shared IDT and %gs.  The caller
 * has filled pc_gdt, pc_tss and the fault stacks.
 */
void
cpu_setup_tables(struct pcpu *pc)
{
	uint64_t *gdt = pc->pc_gdt;
	uintptr_t tss = (uintptr_t)pc->pc_tss;
	struct region_descriptor rd;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;		/* 64-bit kernel code */
	gdt[2] = 0x00cf92000000ffffULL;		/* kernel data */
	gdt[3] = 0x00cffa000000ffffULL;		/* 32-bit user code (unused) */
	gdt[4] = 0x00cff2000000ffffULL;		/* user data */
	gdt[5] = 0x00affa000000ffffULL;		/* 64-bit user code */
	/* 16-byte available 64-bit TSS descriptor. */
	gdt[6] = (sizeof(struct amd64tss) - 1) | ((uint64_t)(tss & 0xffffff) << 16) |
	    (0x89ULL << 40) | ((uint64_t)((tss >> 24) & 0xff) << 56);
	gdt[7] = tss >> 32;
	pc->pc_tss->tss_iobase = sizeof(struct amd64tss);

	rd.rd_limit = NGDT * 8 - 1;
	rd.rd_base = (uint64_t)gdt;
	__asm__ __volatile__("lgdt %0" :: "m"(rd));
	__asm__ __volatile__(
	    "movl %0, %%ds; movl %0, %%es; movl %0, %%ss;"
	    "pushq %1; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
	    :: "r"(GSEL_KDATA), "i"(GSEL_KCODE) : "rax", "memory");
	__asm__ __volatile__("ltr %w0" :: "r"(GSEL_TSS));

	rd.rd_limit = sizeof(idt) - 1;
	rd.rd_base = (uint64_t)idt;
	__asm__ __volatile__("lidt %0" :: "m"(rd));

	pc->pc_self = pc;
	wrmsr(MSR_GSBASE, (uint64_t)pc);
	wrmsr(MSR_KGSBASE, 0);

	/* System calls enter at syscall_entry on the kernel selectors. */
	wrmsr(MSR_STAR, ((uint64_t)GSEL_UCODE32 << 48) |
	    ((uint64_t)GSEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, SYSCALL_RFLAGS_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);

	/*
	 * SSE for user code (the kernel itself never touches the FPU, it is
	 * built with -mgeneral-regs-only): fxsave/fxrstor state, no XSAVE, so
	 * user programs see no AVX and the state stays 512 bytes.
	 */
	__asm__ __volatile__("movq %0, %%cr0" :: "r"((rcr0() & ~(CR0_EM | CR0_TS)) |
	    CR0_MP | CR0_NE) : "memory");
	load_cr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit");
	pc->pc_fpthread = NULL;
}

/* Reads the memory map through the current hook and sanitises it. */
int
machdep_memmap_read(struct memmap *mm)
{
	mm->count = 0;
	if (init_ops.parse_memmap(&bootinfo, mm) != 0 || mm->count == 0)
		return (ENXIO);
	memmap_sanitize(mm);
	return (0);
}

static void
memmap_setup(void)
{
	if (machdep_memmap_read(&phys_memmap) != 0)
		panic("no usable memory map from %s", platform_name);
	if (bootverbose) {
		for (int i = 0; i < phys_memmap.count; i++)
			printf("memmap %#014lx-%#014lx type %u\n",
			    phys_memmap.ent[i].base, phys_memmap.ent[i].base +
			    phys_memmap.ent[i].len, phys_memmap.ent[i].type);
	}
}

void
hammer_time(struct bootinfo *bi)
{
	struct early_probe **pp, *best;

	(void)bi;
	/* BSP tables first, so any fault from here on is reported. */
	idt_init();
	pcpu0.pc_gdt = gdt0;
	pcpu0.pc_tss = &tss0;
	tss0.tss_ist[IST_DOUBLEFAULT - 1] = (uint64_t)(dfstack0 + sizeof(dfstack0));
	tss0.tss_ist[IST_NMI - 1] = (uint64_t)(nmistack0 + sizeof(nmistack0));
	cpu_setup_tables(&pcpu0);
	pcpu0.pc_cpuid = 0;
	pcpu0.pc_curthread = &thread0;
	pcpu0.pc_start_method = 0;
	thread0.td_kstack = boot_stack;		/* until hammer_time's end */
	thread0.td_kstack_size = 16384;
	thread0.td_state = TDS_RUNNING;
	strlcpy(thread0.td_name, "thread0", sizeof(thread0.td_name));

	uart_early_init();

	/*
	 * A platform probe may replace the native hooks before first use.
	 * Probes run in ascending order; the first to claim the machine wins.
	 */
	best = NULL;
	for (int last = -1;;) {
		struct early_probe *next = NULL;

		SET_FOREACH(pp, early_probe_set) {
			if ((*pp)->order > last &&
			    (next == NULL || (*pp)->order < next->order))
				next = *pp;
		}
		if (next == NULL)
			break;
		last = next->order;
		if (next->probe(&bootinfo)) {
			best = next;
			platform_name = best->name;
			break;
		}
	}
	printf("platform: %s\n", platform_name);

	memmap_setup();
	init_ops.early_clock_source_init();
	/*
	 * Off the boot stack (in .bss, with kernel data right below it) onto
	 * a stack with a guard page under it, for the rest of thread0's life.
	 */
	thread0.td_kstack = kstack_bootstrap();
	thread0.td_kstack_size = KSTACK_SIZE;
	cpu_run_on_stack((char *)thread0.td_kstack + KSTACK_SIZE, mi_startup);
}
