/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hypervisor feature flags (XENVER_get_features), read once at
 * SI_SUB_HYPERVISOR before anything relies on them.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <machine/xen/hypercall.h>

#include <xen/version.h>
#include <xen/xen_guest.h>

static uint32_t	xen_feature_map[XENFEAT_NR_SUBMAPS];
static bool	xen_features_read;

bool
xen_has_feature(u_int flag)
{
	if (flag >= XENFEAT_NR_SUBMAPS * 32)
		return (false);
	return ((xen_feature_map[flag / 32] & (1U << (flag % 32))) != 0);
}

bool
xen_features_valid(void)
{
	return (xen_features_read);
}

static void
xen_features_init(void *arg __unused)
{
	if (!xen_domain())
		return;
	for (u_int i = 0; i < XENFEAT_NR_SUBMAPS; i++) {
		struct xen_feature_info fi = { .submap_idx = i };

		if (HYPERVISOR_xen_version(XENVER_get_features, &fi) != 0) {
			printf("xen: XENVER_get_features(%u) failed\n", i);
			return;
		}
		xen_feature_map[i] = fi.submap;
	}
	xen_features_read = true;
	printf("xen: features %#x%s%s%s\n", xen_feature_map[0],
	    xen_has_feature(XENFEAT_hvm_callback_vector) ? " callback-vector" : "",
	    xen_has_feature(XENFEAT_hvm_safe_pvclock) ? " safe-pvclock" : "",
	    xen_has_feature(XENFEAT_dom0) ? " dom0" : "");
}
/* Before the shared-info set-up (SI_ORDER_SECOND), which checks them. */
SYSINIT(xen_features, SI_SUB_HYPERVISOR, SI_ORDER_FIRST, xen_features_init, NULL);
