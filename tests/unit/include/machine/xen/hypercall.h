/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted: the hypercalls machine-independent Xen code makes, answered by
 * the fake hypervisor of the test program that links them (fake_xen.c).
 */
#ifndef _MACHINE_XEN_HYPERCALL_H_
#define _MACHINE_XEN_HYPERCALL_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

int	HYPERVISOR_event_channel_op(int cmd, void *arg);
int	HYPERVISOR_grant_table_op(u_int cmd, void *ops, u_int count);
int	HYPERVISOR_memory_op(u_int cmd, void *arg);

#endif /* !_MACHINE_XEN_HYPERCALL_H_ */
