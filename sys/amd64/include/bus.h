/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bus space on x86: a tag says port I/O or memory, a handle is the port
 * number or the kernel virtual address of the mapped window.
 */
#ifndef _MACHINE_BUS_H_
#define _MACHINE_BUS_H_

#include <sys/types.h>

#include <machine/cpufunc.h>

typedef int		bus_space_tag_t;
typedef uint64_t	bus_space_handle_t;
typedef uint64_t	bus_size_t;
typedef uint64_t	bus_addr_t;

#define X86_BUS_SPACE_IO	0
#define X86_BUS_SPACE_MEM	1
/* The same, for machine-independent code. */
#define BUS_SPACE_TAG_IO	X86_BUS_SPACE_IO
#define BUS_SPACE_TAG_MEM	X86_BUS_SPACE_MEM

/*
 * Maps [addr, addr + size) of the space: ports need no mapping, memory is
 * mapped uncached.  0 or an errno (ENXIO: cannot be mapped here).  Thread
 * context: a new memory mapping is flushed from every CPU's TLB.
 */
int	bus_space_map(bus_space_tag_t, bus_addr_t addr, bus_size_t size,
	    bus_space_handle_t *);
void	bus_space_unmap(bus_space_tag_t, bus_space_handle_t, bus_size_t size);

#define BUS_SPACE_RW(w, type, in, out)					\
static inline type							\
bus_space_read_##w(bus_space_tag_t t, bus_space_handle_t h, bus_size_t o) \
{									\
	if (t == X86_BUS_SPACE_IO)					\
		return (in((u_int)(h + o)));				\
	return (*(volatile type *)(uintptr_t)(h + o));			\
}									\
static inline void							\
bus_space_write_##w(bus_space_tag_t t, bus_space_handle_t h, bus_size_t o, \
    type v)								\
{									\
	if (t == X86_BUS_SPACE_IO)					\
		out((u_int)(h + o), v);					\
	else								\
		*(volatile type *)(uintptr_t)(h + o) = v;		\
}
BUS_SPACE_RW(1, uint8_t, inb, outb)
BUS_SPACE_RW(2, uint16_t, inw, outw)
BUS_SPACE_RW(4, uint32_t, inl, outl)
#undef BUS_SPACE_RW

#endif /* !_MACHINE_BUS_H_ */
