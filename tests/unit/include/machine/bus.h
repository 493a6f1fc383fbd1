/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted stand-in: the bus-space types, for code that only names them
 * (the PCI helpers under test decode values; they never touch a device).
 * An access is a bug in the test and panics.
 */
#ifndef _MACHINE_BUS_H_
#define _MACHINE_BUS_H_

#include <sys/types.h>
#include <sys/systm.h>

typedef int		bus_space_tag_t;
typedef uint64_t	bus_space_handle_t;
typedef uint64_t	bus_size_t;
typedef uint64_t	bus_addr_t;

#define BUS_SPACE_TAG_IO	0
#define BUS_SPACE_TAG_MEM	1

#define BUS_SPACE_RW(w, type)						\
static inline type							\
bus_space_read_##w(bus_space_tag_t t, bus_space_handle_t h, bus_size_t o) \
{									\
	panic("hosted bus_space_read_" #w "(%d, %#lx, %#lx)", t,	\
	    (u_long)h, (u_long)o);					\
}									\
static inline void							\
bus_space_write_##w(bus_space_tag_t t, bus_space_handle_t h, bus_size_t o, \
    type v)								\
{									\
	panic("hosted bus_space_write_" #w "(%d, %#lx, %#lx, %#lx)", t,	\
	    (u_long)h, (u_long)o, (u_long)v);				\
}
BUS_SPACE_RW(1, uint8_t)
BUS_SPACE_RW(2, uint16_t)
BUS_SPACE_RW(4, uint32_t)
#undef BUS_SPACE_RW

#endif /* !_MACHINE_BUS_H_ */
