/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * mi_startup(): runs every SYSINIT in (subsystem, order) order, then the
 * boot thread parks (CPU0 idles in idle0, see kern_sched.c).
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

SET_DECLARE(sysinit_set, struct sysinit);

struct thread	thread0;

#define SYSINIT_MAX	512
static const struct sysinit *sysinit_order[SYSINIT_MAX];
static int	sysinit_count;

static bool
sysinit_before(const struct sysinit *a, const struct sysinit *b)
{
	if (a->subsystem != b->subsystem)
		return (a->subsystem < b->subsystem);
	return (a->order < b->order);
}

/* Stable insertion sort: equal keys keep link order. */
static void
sysinit_sort(void)
{
	struct sysinit **sipp;

	sysinit_count = 0;
	SET_FOREACH(sipp, sysinit_set) {
		int i;

		if (sysinit_count == SYSINIT_MAX)
			panic("more than %d SYSINITs", SYSINIT_MAX);
		for (i = sysinit_count; i > 0 &&
		    sysinit_before(*sipp, sysinit_order[i - 1]); i--)
			sysinit_order[i] = sysinit_order[i - 1];
		sysinit_order[i] = *sipp;
		sysinit_count++;
	}
}

int
sysinit_sorted(const struct sysinit **out, int max)
{
	int n = MIN(max, sysinit_count);

	for (int i = 0; i < n; i++)
		out[i] = sysinit_order[i];
	return (n);
}

void
mi_startup(void)
{
	sysinit_sort();
	for (int i = 0; i < sysinit_count; i++) {
		const struct sysinit *si = sysinit_order[i];

		if (bootverbose)
			printf("sysinit %#x/%#x %s\n", si->subsystem, si->order,
			    si->name);
		si->func((void *)(uintptr_t)si->udata);
	}
	/* Uptime by the kernel's own time counter; bench/boot reads it. */
	printf("startup complete: %ld ms uptime\n", (long)sbttoms(sbinuptime()));
	thread0_park();
}
