/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Early-boot hooks.  The native implementations are installed statically;
 * an early platform probe (see EARLY_PROBE) may replace any of them before
 * the machine-dependent start uses them.
 */
#ifndef _X86_INIT_H_
#define _X86_INIT_H_

#include <sys/linker_set.h>
#include <sys/types.h>

struct bootinfo;
struct memmap;

struct init_ops {
	/* Fills the raw physical memory map. */
	int	(*parse_memmap)(struct bootinfo *, struct memmap *);
	/* Prepares the early clock used by early_delay (before timers). */
	void	(*early_clock_source_init)(void);
	void	(*early_delay)(int usec);
	/* Returns the TSC frequency in Hz, or 0 if unknown. */
	uint64_t (*tsc_freq)(void);
};
extern struct init_ops	init_ops;
/* The native hooks, kept for comparison and for platforms that reuse some. */
extern const struct init_ops native_init_ops;

/* Ways to stop the machine. */
struct power_ops {
	void	(*poweroff)(int status) __dead2;	/* status 0: success */
	void	(*reboot)(void) __dead2;
};
extern struct power_ops	power_ops;

/*
 * Early platform probes run before the first hook is used.  A probe that
 * recognises its platform installs its hooks and returns true; the first
 * probe to do so wins.
 */
struct early_probe {
	const char	*name;
	int		order;		/* lower runs first */
	bool		(*probe)(struct bootinfo *);
};
#define EARLY_PROBE(sym)	DATA_SET(early_probe_set, sym)

/* Name of the platform found by an early probe, or "native". */
extern const char	*platform_name;

#endif /* !_X86_INIT_H_ */
