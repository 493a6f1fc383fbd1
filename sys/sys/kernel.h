/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ordered start-up (SYSINIT) and boot tunables (TUNABLE_*).
 */
#ifndef _SYS_KERNEL_H_
#define _SYS_KERNEL_H_

#include <sys/linker_set.h>
#include <sys/types.h>

/* Subsystems start in ascending order of these values. */
enum sysinit_sub_id {
	SI_SUB_DUMMY		= 0x0000000,
	SI_SUB_TUNABLES		= 0x0700000,	/* command line parsed */
	SI_SUB_CONSOLE		= 0x0800000,
	SI_SUB_VM		= 0x1000000,	/* physical page allocator */
	SI_SUB_KMEM		= 0x1800000,	/* malloc(9) */
	SI_SUB_KLD		= 0x1900000,	/* boot modules linked (kld(4)) */
	SI_SUB_HYPERVISOR_PROBE = 0x1A00000,	/* a hypervisor found late (a module) */
	SI_SUB_HYPERVISOR	= 0x1A40000,	/* hypervisor services (shared info, events) */
	SI_SUB_LOCK		= 0x1B00000,
	SI_SUB_INTR		= 0x2800000,	/* interrupt vectors */
	SI_SUB_SCHED		= 0x2900000,	/* threads, run queues */
	SI_SUB_CLOCKS		= 0x2a00000,	/* time counters, event timers */
	SI_SUB_CALLOUT		= 0x2b00000,
	SI_SUB_SMP		= 0x2c00000,	/* application processors */
	SI_SUB_KTHREAD		= 0x2d00000,
	SI_SUB_DRIVERS		= 0x3100000,
	SI_SUB_CONFIGURE	= 0x3800000,	/* device tree: nexus and below */
	SI_SUB_VFS		= 0x4000000,	/* root tmpfs, initramfs, devfs */
	SI_SUB_KTEST		= 0xe000000,	/* in-kernel tests (ktest=) */
	SI_SUB_LAST		= 0xfffffff
};

enum sysinit_elem_order {
	SI_ORDER_FIRST		= 0x0000000,
	SI_ORDER_SECOND		= 0x0000001,
	SI_ORDER_THIRD		= 0x0000002,
	SI_ORDER_EARLY		= 0x0000010,
	SI_ORDER_MIDDLE		= 0x1000000,
	SI_ORDER_ANY		= 0xfffffff
};

struct sysinit {
	enum sysinit_sub_id	subsystem;
	enum sysinit_elem_order	order;
	void			(*func)(void *);
	const void		*udata;
	const char		*name;
};

#define SYSINIT(uniquifier, sub, order, func, ident)			\
	static struct sysinit uniquifier##_sys_init = {			\
		sub, order, (void (*)(void *))(func), (ident), #func	\
	};								\
	DATA_SET(sysinit_set, uniquifier##_sys_init)

/* Runs every SYSINIT in order; called once by the machine-dependent start. */
void	mi_startup(void) __dead2;
/*
 * A module's SYSINITs (kld(4)), in order: those whose place in the
 * start-up run has passed (all, after start-up) run at once, the others
 * join the run; returns how many joined.  sysinit_remove forgets those
 * at unload.
 */
int	sysinit_link(struct sysinit *const *set, size_t n);
void	sysinit_remove(struct sysinit *const *set, size_t n);
/* Sorted copy of the sysinit set, for tests that check the order. */
int	sysinit_sorted(const struct sysinit **out, int max);

/*
 * Boot tunables: "name=value" words of the kernel command line.  A word that
 * names no tunable, or whose value does not parse, is reported by name.
 */
enum tunable_kind { TUNABLE_KIND_INT, TUNABLE_KIND_ULONG, TUNABLE_KIND_BOOL, TUNABLE_KIND_STR };

struct tunable {
	const char		*name;
	enum tunable_kind	kind;
	void			*var;
	size_t			size;		/* TUNABLE_KIND_STR buffer size */
	const char		*descr;
};

#define TUNABLE_DEFINE2(sym, nm, kd, v, sz, d)				\
	static struct tunable sym = { nm, kd, v, sz, d };		\
	DATA_SET(tunable_set, sym)
#define TUNABLE_DEFINE(uniq, nm, kd, v, sz, d)				\
	TUNABLE_DEFINE2(__CONCAT(__tunable_, uniq), nm, kd, v, sz, d)
#define TUNABLE_INT(nm, v, d)	TUNABLE_DEFINE(__COUNTER__, nm, TUNABLE_KIND_INT, v, sizeof(int), d)
#define TUNABLE_ULONG(nm, v, d)	TUNABLE_DEFINE(__COUNTER__, nm, TUNABLE_KIND_ULONG, v, sizeof(u_long), d)
#define TUNABLE_BOOL(nm, v, d)	TUNABLE_DEFINE(__COUNTER__, nm, TUNABLE_KIND_BOOL, v, sizeof(bool), d)
#define TUNABLE_STR(nm, v, sz, d) TUNABLE_DEFINE(__COUNTER__, nm, TUNABLE_KIND_STR, v, sz, d)

/*
 * Applies a command line to a table of tunables.  Each problem (unknown name,
 * bad value, malformed word) is reported through warn(); returns the number
 * of problems.  Pure: used by boot and by the hosted unit tests.
 */
int	cmdline_apply(const char *cmdline, struct tunable *const *tbl, size_t n,
	    void (*warn)(void *, const char *msg), void *warnarg);
/*
 * Applies the boot command line to a module's tunables (kld(4)); returns
 * the number of bad values reported (words naming no tunable of the set
 * are not problems here).
 */
int	tunables_apply(struct tunable *const *set, size_t n);
/* The boot command line as given by the loader (empty string if none). */
#define KERN_CMDLINE_MAX	2048
extern char	kern_cmdline[KERN_CMDLINE_MAX];

#endif /* !_SYS_KERNEL_H_ */
