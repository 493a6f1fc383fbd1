/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Console registry: output goes to every active console.
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

#define CONS_MAX	4

static struct consdev	*cons_tab[CONS_MAX];
static volatile bool	cons_in_emergency;
static struct consdev	*volatile cons_captor;
static volatile u_int	cons_owner = ~0u;	/* CPU holding the output lock */
static u_int		cons_depth;

int
cons_register(struct consdev *cd)
{
	for (int i = 0; i < CONS_MAX; i++) {
		if (cons_tab[i] == cd) {
			cd->cn_active = true;
			return (0);
		}
	}
	for (int i = 0; i < CONS_MAX; i++) {
		if (cons_tab[i] == NULL) {
			cd->cn_active = true;
			cons_tab[i] = cd;
			return (0);
		}
	}
	return (ENOSPC);
}

/*
 * Retiring keeps the console on file: in an emergency (a fatal trap or a
 * panic) every console ever registered prints again, so the last words
 * reach the most robust path too (a ring the peer may never drain cannot be
 * the only one).
 */
void
cons_unregister(struct consdev *cd)
{
	cd->cn_active = false;
}

void
cons_flush(void)
{
	for (int i = 0; i < CONS_MAX; i++) {
		struct consdev *cd = cons_tab[i];

		if (cd != NULL && cd->cn_active && cd->cn_flush != NULL)
			cd->cn_flush(cd);
	}
}

void
cons_emergency(void)
{
	cons_in_emergency = true;
}

void
cons_capture(struct consdev *cd)
{
	cons_lock();
	cons_captor = cd;
	cons_unlock();
}

void
cons_putc(int c)
{
	struct consdev *captor = cons_captor;

	if (captor != NULL && !cons_in_emergency) {
		captor->cn_putc(captor, c);
		return;
	}
	for (int i = 0; i < CONS_MAX; i++) {
		struct consdev *cd = cons_tab[i];

		if (cd != NULL && (cd->cn_active || cons_in_emergency))
			cd->cn_putc(cd, c);
	}
}

int
cons_getc(void)
{
	for (int i = 0; i < CONS_MAX; i++) {
		struct consdev *cd = cons_tab[i];
		int c;

		if (cd != NULL && cd->cn_active && cd->cn_getc != NULL &&
		    (c = cd->cn_getc(cd)) >= 0)
			return (c);
	}
	return (-1);
}

/*
 * A recursive spin lock keyed on the CPU, so a panic or trap while printing
 * on the same CPU still gets its message out.  A panicking system gives up
 * waiting after a while rather than staying silent.  Before the per-CPU
 * data exists (first lines of boot) there is one CPU with interrupts off
 * and nothing to lock against.
 */
void
cons_lock(void)
{
	u_int me;

	if (get_pcpu() == NULL)
		return;
	spinlock_enter();
	me = curcpu;
	if (cons_owner == me) {
		cons_depth++;
		return;
	}
	for (long spins = 0; !atomic_cmpset_int(&cons_owner, ~0u, me); spins++) {
		if (panicstr != NULL && spins > 50000000L) {
			cons_owner = me;
			break;
		}
		cpu_spinwait();
	}
	cons_depth = 1;
}

void
cons_unlock(void)
{
	if (get_pcpu() == NULL)
		return;
	/* A panicking CPU may have taken the lock over (see above). */
	KASSERT(cons_owner == curcpu || panicstr != NULL,
	    ("cons_unlock: owned by cpu%u", cons_owner));
	if (cons_owner == curcpu && --cons_depth == 0)
		atomic_store_rel_int(&cons_owner, ~0u);
	spinlock_exit();
}
