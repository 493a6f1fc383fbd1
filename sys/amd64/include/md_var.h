/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_MD_VAR_H_
#define _MACHINE_MD_VAR_H_

#include <sys/types.h>

struct bootinfo;
struct pcpu;
struct trapframe;

void	hammer_time(struct bootinfo *) __dead2;
void	boot_entry(uint32_t loader_info_pa) __dead2;
/* Allocates the GDT, TSS and fault stacks of an AP's pcpu. */
int	cpu_alloc_tables(struct pcpu *pc);
struct memmap;
/* Reads and sanitises the memory map through init_ops.parse_memmap. */
int	machdep_memmap_read(struct memmap *);
void	trap_dispatch(struct trapframe *);
void	intr_dispatch(struct trapframe *);
/* Prints a frame-pointer backtrace starting at rbp. */
void	db_backtrace(uint64_t rbp, int maxframes);
/* Switches to the stack ending at top and calls fn there, for good. */
void	cpu_run_on_stack(void *top, void (*fn)(void)) __dead2;
/* Puts every other CPU in a halt loop (panic path). */
void	cpu_stop_others(void);

extern char	kernel_start[], kernel_end[];
extern uint64_t	boot_pml4[];
/* 2 MiB entries for the first 4 GiB, shared by the identity and direct maps. */
extern uint64_t	boot_pd[];
extern struct pcpu	pcpu0;
extern uint64_t	tsc_freq;

#endif /* !_MACHINE_MD_VAR_H_ */
