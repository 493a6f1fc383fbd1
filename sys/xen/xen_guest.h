/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the kernel knows about the hypervisor it runs on.  Filled by the
 * early Xen probe; everything is zero/false on bare metal.
 */
#ifndef _XEN_XEN_GUEST_H_
#define _XEN_XEN_GUEST_H_

#include <sys/types.h>

struct xen_guest_info {
	bool		present;	/* running on Xen */
	bool		initial_domain;	/* dom0 */
	bool		hvm;		/* HVM domU (device model), not PVH */
	bool		hypercall_page_ok;
	u_int		cpuid_base;	/* 0x40000000 + n*0x100 */
	u_int		version_major;
	u_int		version_minor;
	uint64_t	tsc_khz;	/* from CPUID, 0 if not given */
	bool		tsc_emulated;	/* Xen intercepts RDTSC */
	u_int		tsc_mode;	/* the domain's tsc_mode */
	/*
	 * Found by xenhvm.ko's probe, after the boot: the memory map and the
	 * early delay stayed the firmware's and the TSC's.
	 */
	bool		late;
};

extern struct xen_guest_info	xen_guest;

struct shared_info;
struct vcpu_info;
/* Mapped by the platform code at SI_SUB_HYPERVISOR; NULL before. */
extern struct shared_info	*HYPERVISOR_shared_info;
/* This CPU's (or another CPU's) registered vcpu_info. */
struct vcpu_info *xen_vcpu_info(u_int cpu);
/*
 * Makes this vCPU take another event upcall once interrupts are on again
 * (for a scan that left events pending); provided by the platform.
 */
void	xen_upcall_rearm(void);

static inline bool
xen_domain(void)
{
	return (xen_guest.present);
}

static inline bool
xen_initial_domain(void)
{
	return (xen_guest.initial_domain);
}

/* XENVER_get_features flags (XENFEAT_*), read at SI_SUB_HYPERVISOR. */
bool	xen_has_feature(u_int flag);
bool	xen_features_valid(void);

/*
 * True if xen.refuse names this feature ("fifo", "percpu"): the kernel then
 * acts as if Xen had answered its request with -ENOSYS.
 */
bool	xen_refused(const char *what);
/* True if the comma list names WHAT (the parser behind xen_refused()). */
bool	xen_refuse_listed(const char *list, const char *what);

/* Maps a negative Xen error number to an errno value (0 for >= 0). */
int	xen_to_errno(long xerr);

/* The early console (debug port / console_io); retired by the PV console. */
struct consdev;
extern struct consdev	*xen_early_consdev;

/* Writes to the earliest Xen console (port 0xe9 in a domU, console_io in dom0). */
void	xen_early_puts(const char *s, size_t len);

#endif /* !_XEN_XEN_GUEST_H_ */
