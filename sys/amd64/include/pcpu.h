/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_PCPU_H_
#define _MACHINE_PCPU_H_

/* Offsets of pc_rsp0 and pc_uscratch, for exception.S (checked in machdep.c). */
#define PC_RSP0_OFF	152
#define PC_USCRATCH_OFF	160

#ifndef __ASSEMBLER__
#include <sys/types.h>

struct amd64tss;
struct pcpu;
struct user_segment_descriptor;

/*
 * pc_rsp0 (kernel stack of the user thread running here, also in the TSS)
 * and pc_uscratch (user %rsp during syscall entry) are used by the
 * syscall entry in exception.S at the offsets below, checked in
 * machdep.c.  pc_fpthread: the user thread whose FPU state is loaded.
 */
#define PCPU_MD_FIELDS							\
	struct amd64tss	*pc_tss;					\
	uint64_t	*pc_gdt;					\
	uint64_t	pc_tsc_freq_hz;					\
	uint64_t	pc_rsp0;					\
	uint64_t	pc_uscratch;					\
	struct thread	*pc_fpthread

/* Fields are read through the %gs segment, which points at the CPU's pcpu. */
#define __pcpu_type(name)	__typeof(((struct pcpu *)0)->pc_##name)
#define PCPU_GET(name)	(*(__pcpu_type(name) __seg_gs *)__builtin_offsetof(struct pcpu, pc_##name))
#define PCPU_SET(name, v) \
	(*(__pcpu_type(name) __seg_gs *)__builtin_offsetof(struct pcpu, pc_##name) = (v))
/*
 * pc_self is at offset 0, and GCC takes a load through (T __seg_gs *)0 for
 * a null dereference and drops the code that uses it: read it in asm.
 */
static inline struct pcpu *
get_pcpu(void)
{
	struct pcpu *pc;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(pc));
	return (pc);
}
#define PCPU_PTR(name)	(&get_pcpu()->pc_##name)
#endif /* !__ASSEMBLER__ */

#endif /* !_MACHINE_PCPU_H_ */
