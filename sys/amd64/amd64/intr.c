/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Vector table for interrupts (vectors 32-255).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>
#include <machine/md_var.h>

struct intr_vec {
	intr_handler_t	*handler;
	void		*arg;
	uint64_t	count;
};

static struct intr_vec	intr_vecs[256];
static u_int		intr_depth[MAXCPU];
static volatile u_int	intr_alloc_lock;

int
intr_setup_vector(u_int vector, intr_handler_t *handler, void *arg)
{
	if (vector < IDT_IO_INTS || vector > 255 || handler == NULL)
		return (EINVAL);
	intr_vecs[vector].arg = arg;
	__atomic_store_n(&intr_vecs[vector].handler, handler, __ATOMIC_RELEASE);
	return (0);
}

int
intr_alloc_vector(intr_handler_t *handler, void *arg, u_int *vectorp)
{
	int error = ENOSPC;

	while (!atomic_cmpset_int(&intr_alloc_lock, 0, 1))
		cpu_spinwait();
	for (u_int v = IDT_IO_INTS; v < IDT_APIC_TIMER; v++) {
		if (intr_vecs[v].handler == NULL) {
			intr_setup_vector(v, handler, arg);
			*vectorp = v;
			error = 0;
			break;
		}
	}
	atomic_store_rel_int(&intr_alloc_lock, 0);
	return (error);
}

void
intr_free_vector(u_int vector)
{
	if (vector >= IDT_IO_INTS && vector <= 255)
		__atomic_store_n(&intr_vecs[vector].handler, NULL, __ATOMIC_RELEASE);
}

u_int
intr_nesting(void)
{
	return (intr_depth[curcpu]);
}

uint64_t
intr_count(u_int vector)
{
	return (vector < 256 ? intr_vecs[vector].count : 0);
}

void
intr_dispatch(struct trapframe *tf)
{
	struct intr_vec *iv = &intr_vecs[tf->tf_trapno & 0xff];
	intr_handler_t *h = __atomic_load_n(&iv->handler, __ATOMIC_ACQUIRE);
	u_int cpu = curcpu;

	__atomic_fetch_add(&iv->count, 1, __ATOMIC_RELAXED);
	if (h == NULL) {
		if (tf->tf_trapno != IDT_SPURIOUS)
			printf("cpu%u: stray interrupt vector %lu\n", cpu,
			    tf->tf_trapno);
		return;
	}
	intr_depth[cpu]++;
	h(tf, iv->arg);
	intr_depth[cpu]--;
}

/*
 * Runs a vector's handler as if the vector had been delivered, on this CPU,
 * from a platform's own interrupt source (e.g. IPIs that arrive by another
 * route).  Interrupts must be disabled.
 */
void
intr_execute_vector(u_int vector)
{
	struct trapframe tf;

	memset(&tf, 0, sizeof(tf));
	tf.tf_trapno = vector & 0xff;
	intr_dispatch(&tf);
}
