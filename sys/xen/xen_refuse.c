/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Playing an old Xen (as old as EC2's 4.2): xen.refuse=fifo,percpu makes
 * the kernel's own requests for FIFO event channels
 * (EVTCHNOP_init_control) and for the per-vCPU upcall vector
 * (HVMOP_set_evtchn_upcall_vector) fail as a Xen without them answers
 * (-ENOSYS), without asking Xen.  The fallbacks that then run are the ones
 * an old host forces: 2-level event channels and the domain-wide callback.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>

static char	xen_refuse_list[64];
TUNABLE_STR("xen.refuse", xen_refuse_list, sizeof(xen_refuse_list),
    "act as if Xen lacked these (comma list: fifo, percpu)");

bool
xen_refuse_listed(const char *list, const char *what)
{
	size_t n = strlen(what);

	for (const char *p = list; *p != '\0';) {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, what, n) == 0)
			return (true);
		if (end == NULL)
			break;
		p = end + 1;
	}
	return (false);
}

bool
xen_refused(const char *what)
{
	return (xen_refuse_listed(xen_refuse_list, what));
}
