/* What xenstub (the LD_PRELOAD hypervisor stand-in) and its driver share. */
#ifndef XENSTUB_H
#define XENSTUB_H

#define XENSTUB_VIRQ_PORT 1000u /* VIRQ_DOM_EXC */
#define XENSTUB_PORT_BASE 2000u /* + domid: that domain's ring */
#define XENSTUB_DOM0_PORT 1u	/* dom0's ring, in xsd_port */

#endif
