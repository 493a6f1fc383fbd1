/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The C side of SYSCALL: Linux's x86-64 convention (number in %rax,
 * arguments in %rdi %rsi %rdx %r10 %r8 %r9, result or -errno in %rax).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/pcb.h>
#include <machine/pmap.h>
#include <machine/segments.h>
#include <machine/trap.h>

#include <compat/linux/linux_syscall.h>
#include <compat/linux/linux_dispatch.h>

#include <asm/unistd_64.h>

#include "../../kern/kern_proc_priv.h"

/* Flags SYSRET may load: the user ones and IF, nothing privileged. */
#define SYSRET_RFLAGS_OK	(0x254dd5UL | 0x2UL | PSL_I)

/*
 * Whether the frame can be resumed with SYSRET: a plain return to the
 * instruction after the syscall, with %rcx/%r11 what SYSRET loads into
 * %rip/%rflags (anything else, e.g. a signal frame or rt_sigreturn's
 * context, needs iretq to restore %rcx and %r11 exactly); the address in
 * user space (a non-canonical one would fault in the kernel).
 */
static int
sysret_ok(const struct trapframe *tf)
{
	return (tf->tf_rcx == tf->tf_rip && tf->tf_r11 == tf->tf_rflags &&
	    tf->tf_rip < VM_MAXUSER_ADDRESS &&
	    (tf->tf_rflags & ~SYSRET_RFLAGS_OK) == 0 &&
	    (tf->tf_rflags & PSL_I) != 0 &&
	    tf->tf_cs == (GSEL_UCODE | SEL_UPL) &&
	    tf->tf_ss == (GSEL_UDATA | SEL_UPL));
}

int
syscall_handler(struct trapframe *tf)
{
	struct thread *td = curthread;
	uint64_t args[6], nr;
	int64_t rv = 0;
	int error;

	KASSERT(td->td_proc != NULL && td->td_frame == tf,
	    ("syscall from %s with frame %p (td_frame %p)", td->td_name,
	    tf, td->td_frame));
	args[0] = tf->tf_rdi;
	args[1] = tf->tf_rsi;
	args[2] = tf->tf_rdx;
	args[3] = tf->tf_r10;
	args[4] = tf->tf_r8;
	args[5] = tf->tf_r9;
	nr = tf->tf_rax;
	error = linux_syscall_dispatch(td, nr, args, &rv);
	/* A handler with SA_RESTART runs the call again (postsig decides). */
	if (error == EINTR && nr != __NR_pause && nr != __NR_rt_sigsuspend &&
	    nr < 4096)
		td->td_sysrestart = (int)nr + 1;
	if (error != EJUSTRETURN)
		tf->tf_rax = error != 0 ? (uint64_t)-(int64_t)linux_errno(error) :
		    (uint64_t)rv;
	userret(td, tf);
	td->td_sysrestart = 0;
	return (sysret_ok(tf));
}

void
cpu_syscall_restart(struct trapframe *tf, int nr)
{
	tf->tf_rip -= 2;		/* syscall is 0f 05 */
	tf->tf_rax = (uint64_t)nr;
}
