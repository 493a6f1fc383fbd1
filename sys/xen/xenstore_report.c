/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Xen part of the boot report (boot.report=1): the guest's own
 * xenstore subtree, /local/domain/<domid>, as the guest reads it.  The
 * values come from the toolstack: bounded in depth, count and length, and
 * printed with anything unprintable escaped.
 */
#include <sys/param.h>
#include <sys/bootreport.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>
#include <xen/xenstore.h>

#define XSR_MAX_DEPTH	8
#define XSR_MAX_NODES	256
#define XSR_MAX_VALUE	96	/* characters shown of one value */

static void
xsr_print_value(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < XSR_MAX_VALUE; i++) {
		u_char c = (u_char)v[i];

		if (c >= 0x20 && c < 0x7f)
			printf("%c", c);
		else
			printf("\\x%02x", c);
	}
	if (len > XSR_MAX_VALUE)
		printf("... (%zu bytes)", len);
}

static void
xsr_walk(const char *path, const char *name, int depth, u_int *nodes)
{
	const char **kids;
	char *val;
	size_t len;
	u_int n;

	if (++*nodes > XSR_MAX_NODES)
		return;
	printf("  %*s%s", depth * 2, "", name);
	if (xs_read(XST_NIL, path, "", &val, &len) == 0) {
		if (len != 0) {
			printf(" = \"");
			xsr_print_value(val, len);
			printf("\"");
		}
		free(val, M_XENSTORE);
	}
	printf("\n");
	if (depth >= XSR_MAX_DEPTH ||
	    xs_directory(XST_NIL, path, "", &n, &kids) != 0)
		return;
	for (u_int i = 0; i < n && *nodes <= XSR_MAX_NODES; i++) {
		char sub[256];

		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, kids[i]) >=
		    sizeof(sub))
			continue;
		xsr_walk(sub, kids[i], depth + 1, nodes);
	}
	free(kids, M_XENSTORE);
}

static bool
xenstore_report_applies(void)
{
	return (xen_domain());
}

static void
xenstore_report(void)
{
	char *home = NULL;
	u_int domid, nodes = 0;

	if (!xs_ready()) {
		printf("  (no xenstore in this domain)\n");
		return;
	}
	if (xs_domid(&domid) != 0 || xs_get_domain_path(domid, &home) != 0) {
		printf("  (domain id or home path unreadable)\n");
		return;
	}
	xsr_walk(home, home, 0, &nodes);
	if (nodes > XSR_MAX_NODES)
		printf("  ... (stopped after %d nodes)\n", XSR_MAX_NODES);
	free(home, M_XENSTORE);
}
BOOT_REPORT(xenstore_boot_report, "xenstore (this domain's own subtree)",
    xenstore_report_applies, xenstore_report);
