/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the PCI and interrupt ktests share: QEMU's edu device
 * (docs/specs/edu.txt) and the rule for a missing test device.
 */
#ifndef _DEV_PCI_PCI_TEST_H_
#define _DEV_PCI_PCI_TEST_H_

#include <sys/bus.h>
#include <sys/ktest.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_ID			0x00
#define EDU_LIVENESS		0x04
#define EDU_FACTORIAL		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_COMPUTING	0x01
#define EDU_INTR_STATUS		0x24
#define EDU_INTR_RAISE		0x60
#define EDU_INTR_ACK		0x64

/*
 * Finds the device, or records why not: SKIP when the boot did not add
 * QEMU's test devices, FAIL when it said it did (ktest.pci_qemu=1).
 * 0 or ENOENT (then the test must return).
 */
int	pci_test_want(struct ktest_ctx *, uint16_t vendor, uint16_t device,
	    device_t *);

#endif /* !_DEV_PCI_PCI_TEST_H_ */
