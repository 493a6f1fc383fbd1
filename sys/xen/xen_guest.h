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
	bool		hypercall_page_ok;
	u_int		cpuid_base;	/* 0x40000000 + n*0x100 */
	u_int		version_major;
	u_int		version_minor;
	uint64_t	tsc_khz;	/* from CPUID, 0 if not given */
};

extern struct xen_guest_info	xen_guest;

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

/* Writes to the earliest Xen console (port 0xe9 in a domU, console_io in dom0). */
void	xen_early_puts(const char *s, size_t len);

#endif /* !_XEN_XEN_GUEST_H_ */
