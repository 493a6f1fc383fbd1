/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/systm.h>

/* SYSINITs run sorted by subsystem, then order; the services come up in turn. */
KTEST(sysinit_order_sorted)
{
	static const struct sysinit *si[512];
	int n = sysinit_sorted(si, nitems(si));
	int vm = -1, kmem = -1, configure = -1;

	KT_ASSERT(n > 5, "only %d SYSINITs", n);
	for (int i = 1; i < n; i++) {
		KT_ASSERT(si[i - 1]->subsystem < si[i]->subsystem ||
		    (si[i - 1]->subsystem == si[i]->subsystem &&
		    si[i - 1]->order <= si[i]->order),
		    "%s (%#x/%#x) before %s (%#x/%#x)", si[i - 1]->name,
		    si[i - 1]->subsystem, si[i - 1]->order, si[i]->name,
		    si[i]->subsystem, si[i]->order);
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(si[i]->name, "physmem_sysinit") == 0)
			vm = i;
		else if (strcmp(si[i]->name, "kmeminit") == 0)
			kmem = i;
		else if (strcmp(si[i]->name, "root_bus_configure") == 0)
			configure = i;
	}
	KT_ASSERT(vm >= 0 && kmem > vm && configure > kmem,
	    "physmem %d, kmem %d, configure %d", vm, kmem, configure);
	KT_NOTE("%d SYSINITs", n);
}
