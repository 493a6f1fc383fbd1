/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * smp_rendezvous(): every CPU runs setup, action and teardown in lock step.
 * One rendezvous at a time; the initiator waits for every CPU to have left
 * before the next can reuse the shared state.
 */
#include <sys/param.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/smp.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

static volatile u_int	rv_lock;
static u_int		rv_ncpus;
static void		(*rv_setup)(void *);
static void		(*rv_action)(void *);
static void		(*rv_teardown)(void *);
static void		*rv_arg;
static volatile u_int	rv_waiters[3];
static volatile u_int	rv_done;

static void
rv_barrier(volatile u_int *count)
{
	atomic_add_int(count, 1);
	while (atomic_load_acq_int(count) < rv_ncpus)
		cpu_spinwait();
}

void
smp_rendezvous_action(void)
{
	void *arg = rv_arg;

	if (rv_setup != NULL)
		rv_setup(arg);
	rv_barrier(&rv_waiters[0]);
	if (rv_action != NULL)
		rv_action(arg);
	rv_barrier(&rv_waiters[1]);
	if (rv_teardown != NULL)
		rv_teardown(arg);
	/* Last touch of the shared state: the initiator may then reuse it. */
	atomic_add_int(&rv_done, 1);
}

void
smp_rendezvous(void (*setup)(void *), void (*action)(void *),
    void (*teardown)(void *), void *arg)
{
	register_t rf;
	u_int ncpus;

	ncpus = smp_started ? mp_ncpus : 1;
	if (ncpus == 1) {
		rf = intr_disable();
		if (setup != NULL)
			setup(arg);
		if (action != NULL)
			action(arg);
		if (teardown != NULL)
			teardown(arg);
		intr_restore(rf);
		return;
	}

	/*
	 * Wait for the lock with interrupts on: the holder needs this CPU to
	 * answer its IPI.
	 */
	while (!atomic_cmpset_int(&rv_lock, 0, 1))
		cpu_spinwait();
	rf = intr_disable();
	rv_ncpus = ncpus;
	rv_setup = setup;
	rv_action = action;
	rv_teardown = teardown;
	rv_arg = arg;
	rv_waiters[0] = rv_waiters[1] = 0;
	atomic_store_rel_int(&rv_done, 0);
	ipi_all_but_self(IPI_RENDEZVOUS);
	smp_rendezvous_action();
	while (atomic_load_acq_int(&rv_done) < ncpus)
		cpu_spinwait();
	atomic_store_rel_int(&rv_lock, 0);
	intr_restore(rf);
}
