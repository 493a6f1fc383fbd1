/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * mi_startup(): runs every SYSINIT in (subsystem, order) order, then the
 * boot thread parks (CPU0 idles in idle0, see kern_sched.c).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

SET_DECLARE(sysinit_set, struct sysinit);

struct thread	thread0;

#define SYSINIT_MAX	512
static const struct sysinit *sysinit_order[SYSINIT_MAX];
static int	sysinit_count;
static int	sysinit_next;		/* the next one mi_startup runs */
static bool	sysinit_done;		/* mi_startup has run them all */

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

/*
 * A module's SYSINITs (kld(4)), taken in (subsystem, order) order: those
 * whose place in the start-up run has passed (all of them once start-up
 * is over) run at once; the others join the run, each after every
 * remaining entry that sorts before or with it.
 */
int
sysinit_link(struct sysinit *const *set, size_t n)
{
	const struct sysinit **order;
	int merged = 0;

	order = mallocarray(MAX(n, 1), sizeof(*order), M_TEMP, M_WAITOK);
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = i; j > 0 && sysinit_before(set[i], order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = set[i];
	}
	for (size_t k = 0; k < n; k++) {
		const struct sysinit *si = order[k];
		int j = sysinit_next;

		if (sysinit_done || sysinit_count == SYSINIT_MAX ||
		    (j > 0 && sysinit_before(si, sysinit_order[j - 1]))) {
			si->func((void *)(uintptr_t)si->udata);
			continue;
		}
		while (j < sysinit_count && !sysinit_before(si, sysinit_order[j]))
			j++;
		memmove(&sysinit_order[j + 1], &sysinit_order[j],
		    (size_t)(sysinit_count - j) * sizeof(sysinit_order[0]));
		sysinit_order[j] = si;
		sysinit_count++;
		merged++;
	}
	free(order, M_TEMP);
	return (merged);
}

/* Forgets the entries of a module that joined the run (all run by now). */
void
sysinit_remove(struct sysinit *const *set, size_t n)
{
	int k = 0, next = sysinit_next;

	for (int i = 0; i < sysinit_count; i++) {
		bool mine = false;

		for (size_t j = 0; j < n; j++)
			mine |= sysinit_order[i] == set[j];
		KASSERT(!mine || i < next,
		    ("sysinit_remove: %s has not run", sysinit_order[i]->name));
		if (!mine)
			sysinit_order[k++] = sysinit_order[i];
		else
			sysinit_next--;
	}
	sysinit_count = k;
}

void
mi_startup(void)
{
	sysinit_sort();
	while (sysinit_next < sysinit_count) {
		const struct sysinit *si = sysinit_order[sysinit_next++];

		if (bootverbose)
			printf("sysinit %#x/%#x %s\n", si->subsystem, si->order,
			    si->name);
		si->func((void *)(uintptr_t)si->udata);
	}
	sysinit_done = true;
	/* Uptime by the kernel's own time counter; bench/boot reads it. */
	printf("startup complete: %ld ms uptime\n", (long)sbttoms(sbinuptime()));
	thread0_park();
}
