/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_TRAP_H_
#define _MACHINE_TRAP_H_

#ifndef __ASSEMBLER__
#include <sys/types.h>
#include <machine/setjmp.h>
#endif

#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BPTFLT	3
#define T_OFLOW		4
#define T_BOUND		5
#define T_PRIVINFLT	6	/* #UD */
#define T_DNA		7
#define T_DOUBLEFLT	8
#define T_TSSFLT	10
#define T_SEGNPFLT	11
#define T_STKFLT	12
#define T_PROTFLT	13
#define T_PAGEFLT	14
#define T_MCHK		18
#define T_XMM		19
#define T_SYSCALL	512	/* not a vector: the frame of a SYSCALL */

#ifndef __ASSEMBLER__
/*
 * Trap recovery: a thread that expects a trap (a probe of a maybe-absent
 * MSR, a test that provokes #UD or #PF) arms a catch; the trap handler then
 * records the trap and resumes at the catch point instead of panicking.
 */
struct trap_catch {
	struct kjmpbuf	tc_jb;		/* where to continue */
	struct trap_catch *tc_prev;	/* catch armed before this one */
	u_int		tc_depth;	/* interrupt depth it was armed at */
	int		tc_trapno;	/* filled by the handler */
	uint64_t	tc_err;
	uint64_t	tc_addr;	/* CR2 for #PF */
	uint64_t	tc_rip;		/* faulting instruction */
};

/*
 * trap_catch_arm() evaluates to 0 when armed and to 1 when execution resumes
 * after a caught trap (setjmp-style, so it must be used in the frame that
 * stays live).  Disarm before the frame returns.  A catch only applies at
 * the interrupt depth it was armed at: a trap in an interrupt handler that
 * ran inside the armed window is fatal, not resumed in the thread (which
 * would abandon the interrupt frame).  Catches nest (a handler may arm its
 * own); disarming or catching a trap re-arms the previous one.
 */
void	trap_catch_set(struct trap_catch *);
void	trap_catch_disarm(void);
/* The catch a trap taken here and now would resume at, or NULL. */
struct trap_catch *trap_catch_pending(void);
#define trap_catch_arm(tc)	(trap_catch_set(tc), ksetjmp(&(tc)->tc_jb))

struct thread;
struct trapframe;
#define TRAPF_USERMODE(tf)	(((tf)->tf_cs & 3) != 0)
/* Leaves for user mode through the frame, interrupts off; never returns. */
void	user_enter(struct trapframe *) __dead2;
/* C side of syscall_entry: the dispatcher, then userret; 1: SYSRET may return. */
int	syscall_handler(struct trapframe *);
#endif /* !__ASSEMBLER__ */

#endif /* !_MACHINE_TRAP_H_ */
