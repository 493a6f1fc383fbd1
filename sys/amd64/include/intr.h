/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Interrupt vectors.  Vectors 32-255 are dispatched to registered handlers;
 * the handler acknowledges its source (LAPIC EOI etc.) itself.
 */
#ifndef _MACHINE_INTR_H_
#define _MACHINE_INTR_H_

#include <sys/types.h>

struct trapframe;
typedef void	intr_handler_t(struct trapframe *, void *arg);

#define IDT_IO_INTS	32
#define IDT_IPI_BASE	0xf0	/* IPI_* vectors: 0xf0 + IPI number */
#define IDT_APIC_TIMER	0xef
#define IDT_SPURIOUS	0xff

int	intr_setup_vector(u_int vector, intr_handler_t *handler, void *arg);
/* Finds a free vector in [IDT_IO_INTS, IDT_APIC_TIMER) and installs the handler. */
int	intr_alloc_vector(intr_handler_t *handler, void *arg, u_int *vectorp);
void	intr_free_vector(u_int vector);
/* Interrupt nesting depth of this CPU (0 in thread context). */
u_int	intr_nesting(void);
uint64_t intr_count(u_int vector);
/* Runs a vector's handler here, as if delivered (interrupts disabled). */
void	intr_execute_vector(u_int vector);

#endif /* !_MACHINE_INTR_H_ */
