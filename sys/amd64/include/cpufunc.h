/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Inline wrappers for x86-64 instructions.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

#define PSL_I		0x200	/* interrupt enable flag */

static inline void outb(u_int port, uint8_t v) { __asm__ __volatile__("outb %0, %w1" :: "a"(v), "Nd"(port)); }
static inline void outw(u_int port, uint16_t v) { __asm__ __volatile__("outw %0, %w1" :: "a"(v), "Nd"(port)); }
static inline void outl(u_int port, uint32_t v) { __asm__ __volatile__("outl %0, %w1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(u_int port) { uint8_t v; __asm__ __volatile__("inb %w1, %0" : "=a"(v) : "Nd"(port)); return (v); }
static inline uint16_t inw(u_int port) { uint16_t v; __asm__ __volatile__("inw %w1, %0" : "=a"(v) : "Nd"(port)); return (v); }
static inline uint32_t inl(u_int port) { uint32_t v; __asm__ __volatile__("inl %w1, %0" : "=a"(v) : "Nd"(port)); return (v); }

static inline void
do_cpuid(u_int leaf, u_int *p)
{
	__asm__ __volatile__("cpuid" : "=a"(p[0]), "=b"(p[1]), "=c"(p[2]), "=d"(p[3])
	    : "0"(leaf), "2"(0));
}

static inline void
cpuid_count(u_int leaf, u_int sub, u_int *p)
{
	__asm__ __volatile__("cpuid" : "=a"(p[0]), "=b"(p[1]), "=c"(p[2]), "=d"(p[3])
	    : "0"(leaf), "2"(sub));
}

static inline uint64_t
rdmsr(u_int msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (((uint64_t)hi << 32) | lo);
}

static inline void
wrmsr(u_int msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (((uint64_t)hi << 32) | lo);
}

/* rdtsc ordered against earlier loads (lfence is dispatch-serialising on x86-64). */
static inline uint64_t
rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return (rdtsc());
}

static inline register_t
read_rflags(void)
{
	register_t rf;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(rf));
	return (rf);
}

static inline void disable_intr(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void enable_intr(void) { __asm__ __volatile__("sti" ::: "memory"); }
static inline void halt(void) { __asm__ __volatile__("hlt" ::: "memory"); }
/* Enables interrupts and halts atomically: a pending interrupt ends the halt. */
static inline void sti_hlt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }
static inline void cpu_spinwait(void) { __asm__ __volatile__("pause" ::: "memory"); }
static inline void mfence(void) { __asm__ __volatile__("mfence" ::: "memory"); }

static inline register_t
intr_disable(void)
{
	register_t rf = read_rflags();

	disable_intr();
	return (rf);
}

static inline void
intr_restore(register_t rf)
{
	if (rf & PSL_I)
		enable_intr();
}

static inline uint64_t rcr0(void) { uint64_t v; __asm__ __volatile__("movq %%cr0, %0" : "=r"(v)); return (v); }
static inline uint64_t rcr2(void) { uint64_t v; __asm__ __volatile__("movq %%cr2, %0" : "=r"(v)); return (v); }
static inline uint64_t rcr3(void) { uint64_t v; __asm__ __volatile__("movq %%cr3, %0" : "=r"(v)); return (v); }
static inline uint64_t rcr4(void) { uint64_t v; __asm__ __volatile__("movq %%cr4, %0" : "=r"(v)); return (v); }
static inline void load_cr3(uint64_t v) { __asm__ __volatile__("movq %0, %%cr3" :: "r"(v) : "memory"); }
static inline void load_cr4(uint64_t v) { __asm__ __volatile__("movq %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(vm_offset_t va) { __asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory"); }

#endif /* !_MACHINE_CPUFUNC_H_ */
