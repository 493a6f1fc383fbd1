/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/xen/hypercall.h>

#include <xen/hvm/hvm_op.h>
#include <xen/hvm_param.h>
#include <xen/xen_guest.h>

int
xen_hvm_param_get(u_int index, uint64_t *value)
{
	struct xen_hvm_param hp = { .domid = DOMID_SELF, .index = index };
	int error;

	error = HYPERVISOR_hvm_op(HVMOP_get_param, &hp);
	if (error != 0)
		return (xen_to_errno(error));
	*value = hp.value;
	return (0);
}
