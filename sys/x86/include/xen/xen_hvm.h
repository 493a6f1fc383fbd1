/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Xen HVM guests: detection, the legacy platform, the unplug protocol
 * (sys/x86/xen/xen_hvm.c).
 */
#ifndef _X86_XEN_XEN_HVM_H_
#define _X86_XEN_XEN_HVM_H_

#include <sys/types.h>

struct bootinfo;

/* Unplug mask bits (Xen's docs/misc/hvm-emulated-unplug). */
#define XEN_UNPLUG_IDE_DISKS	0x1
#define XEN_UNPLUG_NICS		0x2
#define XEN_UNPLUG_AUX_IDE	0x4
#define XEN_UNPLUG_VALID	0x7

struct xen_hvm_unplug {
	bool	magic_seen;	/* the platform device answered */
	u_int	protocol;	/* its protocol version */
	bool	blacklisted;	/* the host refused our product/build */
	bool	done;		/* the mask was written */
	u_int	mask;
};
extern struct xen_hvm_unplug	xen_hvm_unplug;

/* True in an HVM domU (the emulated RTC answers); see xen_hvm.c. */
bool	xen_hvm_detect(const struct bootinfo *bi);
/* Early HVM set-up, before interrupts: masks the 8259s. */
void	xen_hvm_early(void);
/* The unplug handshake and mask; 0, ENXIO, EPROTONOSUPPORT or EPERM. */
int	xen_hvm_unplug_run(int mask);

#endif /* !_X86_XEN_XEN_HVM_H_ */
