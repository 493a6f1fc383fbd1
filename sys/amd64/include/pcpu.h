/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_PCPU_H_
#define _MACHINE_PCPU_H_

#include <sys/types.h>

struct amd64tss;
struct user_segment_descriptor;

#define PCPU_MD_FIELDS							\
	struct amd64tss	*pc_tss;					\
	uint64_t	*pc_gdt;					\
	uint64_t	pc_rsp0;					\
	void		*pc_dfstack;	/* double-fault stack */	\
	uint64_t	pc_tsc_freq_hz

/* Fields are read through the %gs segment, which points at the CPU's pcpu. */
#define __pcpu_type(name)	__typeof(((struct pcpu *)0)->pc_##name)
#define PCPU_GET(name)	(*(__pcpu_type(name) __seg_gs *)__builtin_offsetof(struct pcpu, pc_##name))
#define PCPU_SET(name, v) \
	(*(__pcpu_type(name) __seg_gs *)__builtin_offsetof(struct pcpu, pc_##name) = (v))
#define PCPU_PTR(name)	(&PCPU_GET(self)->pc_##name)
#define get_pcpu()	PCPU_GET(self)

#endif /* !_MACHINE_PCPU_H_ */
