/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_PCPU_H_
#define _MACHINE_PCPU_H_

#include <sys/types.h>

struct amd64tss;
struct pcpu;
struct user_segment_descriptor;

#define PCPU_MD_FIELDS							\
	struct amd64tss	*pc_tss;					\
	uint64_t	*pc_gdt;					\
	uint64_t	pc_tsc_freq_hz

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

#endif /* !_MACHINE_PCPU_H_ */
