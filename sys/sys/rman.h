/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bus resources: a window of I/O ports or device memory that a bus handed
 * to a driver, read and written with bus_read_N()/bus_write_N() at an
 * offset into the window (checked against its size).
 */
#ifndef _SYS_RMAN_H_
#define _SYS_RMAN_H_

#include <sys/types.h>
#include <sys/systm.h>

#include <machine/bus.h>

#define SYS_RES_IRQ	1
#define SYS_RES_MEMORY	3
#define SYS_RES_IOPORT	4

#define RF_ACTIVE	0x0002		/* map it and enable decoding */

struct resource {
	int			r_type;		/* SYS_RES_* */
	int			r_rid;
	uint64_t		r_start;	/* bus address */
	uint64_t		r_size;
	bool			r_active;
	bus_space_tag_t		r_bustag;
	bus_space_handle_t	r_bushandle;
};

static inline uint64_t
rman_get_start(const struct resource *r)
{
	return (r->r_start);
}

static inline uint64_t
rman_get_size(const struct resource *r)
{
	return (r->r_size);
}

/* Kernel address of an active memory resource (NULL for ports). */
static inline void *
rman_get_virtual(const struct resource *r)
{
	return (r->r_bustag == BUS_SPACE_TAG_MEM ?
	    (void *)(uintptr_t)r->r_bushandle : NULL);
}

#define BUS_RES_CHECK(r, o, w)						\
	KASSERT((r)->r_active && (o) + (w) <= (r)->r_size,		\
	    ("bus access at %#lx+%d outside a %#lx-byte resource",	\
	    (u_long)(o), (w), (u_long)(r)->r_size))

static inline uint8_t
bus_read_1(struct resource *r, bus_size_t o)
{
	BUS_RES_CHECK(r, o, 1);
	return (bus_space_read_1(r->r_bustag, r->r_bushandle, o));
}

static inline uint16_t
bus_read_2(struct resource *r, bus_size_t o)
{
	BUS_RES_CHECK(r, o, 2);
	return (bus_space_read_2(r->r_bustag, r->r_bushandle, o));
}

static inline uint32_t
bus_read_4(struct resource *r, bus_size_t o)
{
	BUS_RES_CHECK(r, o, 4);
	return (bus_space_read_4(r->r_bustag, r->r_bushandle, o));
}

static inline void
bus_write_1(struct resource *r, bus_size_t o, uint8_t v)
{
	BUS_RES_CHECK(r, o, 1);
	bus_space_write_1(r->r_bustag, r->r_bushandle, o, v);
}

static inline void
bus_write_2(struct resource *r, bus_size_t o, uint16_t v)
{
	BUS_RES_CHECK(r, o, 2);
	bus_space_write_2(r->r_bustag, r->r_bushandle, o, v);
}

static inline void
bus_write_4(struct resource *r, bus_size_t o, uint32_t v)
{
	BUS_RES_CHECK(r, o, 4);
	bus_space_write_4(r->r_bustag, r->r_bushandle, o, v);
}

#endif /* !_SYS_RMAN_H_ */
