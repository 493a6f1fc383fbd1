/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * PCI configuration space layout: the register offsets and bits of the
 * common header (types 0 and 1) and of the capability list that the bus
 * and its drivers use.
 */
#ifndef _DEV_PCI_PCIREG_H_
#define _DEV_PCI_PCIREG_H_

/* Geometry of the configuration address space. */
#define PCI_BUSMAX		255
#define PCI_SLOTMAX		31
#define PCI_FUNCMAX		7
#define PCI_REGMAX		255	/* conventional space: 256 bytes */

/* Common header. */
#define PCIR_VENDOR		0x00
#define PCIR_DEVICE		0x02
#define PCIR_COMMAND		0x04
#define PCIM_CMD_PORTEN		0x0001
#define PCIM_CMD_MEMEN		0x0002
#define PCIM_CMD_BUSMASTEREN	0x0004
#define PCIM_CMD_INTxDIS	0x0400
#define PCIR_STATUS		0x06
#define PCIM_STATUS_CAPPRESENT	0x0010
#define PCIM_STATUS_INTxSTATE	0x0008
#define PCIR_REVID		0x08
#define PCIR_PROGIF		0x09
#define PCIR_SUBCLASS		0x0a
#define PCIR_CLASS		0x0b
#define PCIR_CACHELNSZ		0x0c
#define PCIR_LATTIMER		0x0d
#define PCIR_HDRTYPE		0x0e
#define PCIM_HDRTYPE		0x7f
#define PCIM_HDRTYPE_NORMAL	0x00
#define PCIM_HDRTYPE_BRIDGE	0x01
#define PCIM_HDRTYPE_CARDBUS	0x02
#define PCIM_MFDEV		0x80
#define PCIR_BIST		0x0f

/* Base address registers (type 0: six, type 1: two). */
#define PCIR_BARS		0x10
#define PCIR_BAR(x)		(PCIR_BARS + (x) * 4)
#define PCI_MAXBARS_NORMAL	6
#define PCI_MAXBARS_BRIDGE	2
#define PCI_RID2BAR(rid)	(((rid) - PCIR_BARS) / 4)
#define PCIM_BAR_SPACE		0x00000001	/* 1: I/O */
#define PCIM_BAR_MEM_SPACE	0
#define PCIM_BAR_IO_SPACE	1
#define PCIM_BAR_MEM_TYPE	0x00000006
#define PCIM_BAR_MEM_32		0x00000000
#define PCIM_BAR_MEM_1MB	0x00000002	/* legacy, below 1 MiB */
#define PCIM_BAR_MEM_64		0x00000004
#define PCIM_BAR_MEM_PREFETCH	0x00000008
#define PCIM_BAR_MEM_BASE	0xfffffff0U
#define PCIM_BAR_IO_BASE	0xfffffffcU

/* Type 0 header. */
#define PCIR_SUBVEND_0		0x2c
#define PCIR_SUBDEV_0		0x2e
#define PCIR_CAP_PTR		0x34
#define PCIR_INTLINE		0x3c
#define PCIR_INTPIN		0x3d
#define PCI_INVALID_IRQ		255	/* interrupt line not routed */

/* Type 1 (PCI-to-PCI bridge) header. */
#define PCIR_PRIBUS_1		0x18
#define PCIR_SECBUS_1		0x19
#define PCIR_SUBBUS_1		0x1a

/* Classes the bus itself cares about. */
#define PCIC_BRIDGE		0x06
#define PCIS_BRIDGE_HOST	0x00
#define PCIS_BRIDGE_ISA		0x01
#define PCIS_BRIDGE_PCI		0x04

/* Capability list. */
#define PCICAP_ID		0x00
#define PCICAP_NEXTPTR		0x01
#define PCI_CAP_FIRST		0x40	/* lowest place a capability may sit */
#define PCIY_PMG		0x01
#define PCIY_MSI		0x05
#define PCIY_VENDOR		0x09
#define PCIY_EXPRESS		0x10
#define PCIY_MSIX		0x11

#endif /* !_DEV_PCI_PCIREG_H_ */
