/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Exceptions: a caught trap resumes at its catch point; anything else is
 * reported with the registers and a backtrace, then panics.  Page faults
 * at user addresses in a process go to vm_fault first; a trap from user
 * mode that nothing resolves becomes the faulting thread's signal.  Every
 * return to user mode passes through userret (signals, time slices).
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>
#include <machine/md_var.h>
#include <machine/trap.h>
#include <machine/pmap.h>
#include <machine/vmparam.h>

#include <vm/vm_map.h>

#include <asm/signal.h>
#include <asm/siginfo.h>

#include "../../kern/kern_proc_priv.h"

#define PGEX_P		0x01	/* protection violation (page present) */
#define PGEX_W		0x02
#define PGEX_I		0x10	/* instruction fetch */

static const char *const trap_names[32] = {
	[T_DIVIDE] = "divide error", [T_DEBUG] = "debug",
	[T_NMI] = "NMI", [T_BPTFLT] = "breakpoint", [T_OFLOW] = "overflow",
	[T_BOUND] = "bound range", [T_PRIVINFLT] = "invalid opcode (#UD)",
	[T_DNA] = "device not available", [T_DOUBLEFLT] = "double fault",
	[T_TSSFLT] = "invalid TSS", [T_SEGNPFLT] = "segment not present",
	[T_STKFLT] = "stack fault", [T_PROTFLT] = "general protection (#GP)",
	[T_PAGEFLT] = "page fault (#PF)", [16] = "x87 FPU error",
	[17] = "alignment check", [T_MCHK] = "machine check",
	[T_XMM] = "SIMD exception", [20] = "virtualization exception",
	[21] = "control protection",
};

void
trap_catch_set(struct trap_catch *tc)
{
	struct thread *td = curthread;

	tc->tc_trapno = -1;
	tc->tc_depth = intr_nesting();
	tc->tc_prev = td->td_onfault;
	td->td_onfault = tc;
}

void
trap_catch_disarm(void)
{
	struct thread *td = curthread;
	struct trap_catch *tc = td->td_onfault;

	KASSERT(tc != NULL, ("trap_catch_disarm: no catch armed"));
	KASSERT(tc->tc_depth == intr_nesting(), ("trap_catch_disarm at "
	    "interrupt depth %u, armed at %u", intr_nesting(), tc->tc_depth));
	td->td_onfault = tc->tc_prev;
}

struct trap_catch *
trap_catch_pending(void)
{
	struct thread *td = curthread;
	struct trap_catch *tc = td != NULL ? td->td_onfault : NULL;

	if (tc == NULL || tc->tc_depth != intr_nesting())
		return (NULL);
	return (tc);
}

static bool
kernel_addr(uint64_t a)
{
	return (a >= (uint64_t)kernel_start && a < (uint64_t)kernel_end) ||
	    (a >= DMAP_MIN_ADDRESS && a < DMAP_MAX_ADDRESS) ||
	    (a >= KSTACK_MIN_ADDRESS && a < KSTACK_MAX_ADDRESS);
}

void
db_backtrace(uint64_t rbp, int maxframes)
{
	printf("backtrace:\n");
	for (int i = 0; i < maxframes && rbp != 0; i++) {
		uint64_t *fp = (uint64_t *)rbp;

		/* Stop at anything that is not a sane kernel stack address. */
		if (!kernel_addr(rbp) || (rbp & 7) != 0)
			break;
		if (fp[1] == 0)
			break;
		printf("  #%d %#lx\n", i, fp[1]);
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}

static void
trap_report(struct trapframe *tf)
{
	const char *name = tf->tf_trapno < 32 && trap_names[tf->tf_trapno] ?
	    trap_names[tf->tf_trapno] : "reserved";

	printf("\nfatal trap %lu: %s on cpu %u\n", tf->tf_trapno, name,
	    curcpu);
	printf("rip %#lx err %#lx rflags %#lx cs %#lx\n", tf->tf_rip, tf->tf_err,
	    tf->tf_rflags, tf->tf_cs);
	if (tf->tf_trapno == T_PAGEFLT)
		printf("fault address (cr2) %#lx\n", rcr2());
	printf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->tf_rax,
	    tf->tf_rbx, tf->tf_rcx, tf->tf_rdx);
	printf("rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->tf_rsi,
	    tf->tf_rdi, tf->tf_rbp, tf->tf_rsp);
	printf("r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->tf_r8,
	    tf->tf_r9, tf->tf_r10, tf->tf_r11);
	printf("r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->tf_r12,
	    tf->tf_r13, tf->tf_r14, tf->tf_r15);
	printf("  #- %#lx (trap)\n", tf->tf_rip);
	db_backtrace(tf->tf_rbp, 16);
}

/* Resolves a page fault at a user address; true if the access may retry. */
static bool
trap_pfault(struct thread *td, struct trapframe *tf, uint64_t va, int *errp)
{
	int prot;

	prot = (tf->tf_err & PGEX_W) ? VM_PROT_WRITE :
	    (tf->tf_err & PGEX_I) ? VM_PROT_EXEC : VM_PROT_READ;
	/* Interrupts as the faulting code had them: vm_fault may block. */
	if (tf->tf_rflags & PSL_I)
		enable_intr();
	*errp = vm_fault(td->td_proc->p_vmspace, va, prot, NULL);
	disable_intr();
	return (*errp == 0);
}

static int	trap_user_log;
TUNABLE_INT("debug.user_traps", &trap_user_log,
    "print each trap of user code that becomes a signal (2: and the map)");

/* A trap in user code nothing resolved: the thread's signal. */
static void
trap_user(struct thread *td, struct trapframe *tf, uint64_t va, int pferr)
{
	int sig, code;

	if (trap_user_log) {
		printf("user trap %lu: %s (pid %d tid %d) rip %#lx addr %#lx "
		    "err %#lx rsp %#lx fault error %d\n", tf->tf_trapno,
		    td->td_proc->p_comm, td->td_proc->p_pid, td->td_utid,
		    tf->tf_rip, va, tf->tf_err, tf->tf_rsp, pferr);
		if (trap_user_log > 1 && tf->tf_trapno == T_PAGEFLT)
			vm_map_print_near(td->td_proc->p_vmspace, va);
	}

	switch (tf->tf_trapno) {
	case T_PAGEFLT:
		sig = pferr == ENOMEM || pferr == EIO ? SIGBUS : SIGSEGV;
		code = (tf->tf_err & PGEX_P) ? SEGV_ACCERR : SEGV_MAPERR;
		break;
	case T_PRIVINFLT:
		sig = SIGILL;
		code = ILL_ILLOPN;
		va = tf->tf_rip;
		break;
	case T_DIVIDE:
		sig = SIGFPE;
		code = FPE_INTDIV;
		va = tf->tf_rip;
		break;
	case T_XMM:
	case 16:
		sig = SIGFPE;
		code = 0;
		va = tf->tf_rip;
		break;
	case T_BPTFLT:
	case T_DEBUG:
		sig = SIGTRAP;
		code = SI_KERNEL;
		va = 0;
		break;
	default:
		/* #GP and the rest: privileged instruction, bad segment... */
		sig = SIGSEGV;
		code = SI_KERNEL;
		va = 0;
		break;
	}
	enable_intr();
	trapsignal(td, sig, code, va);
}

void
trap_dispatch(struct trapframe *tf)
{
	struct thread *td;
	struct trap_catch *tc;
	uint64_t va = 0;
	int pferr = 0;

	if (tf->tf_trapno >= 32) {
		intr_dispatch(tf);
		if (TRAPF_USERMODE(tf))
			userret(curthread, tf);
		return;
	}

	td = curthread;
	if (tf->tf_trapno == T_PAGEFLT && td != NULL && td->td_proc != NULL &&
	    (va = rcr2()) < VM_MAXUSER_ADDRESS) {
		if (trap_pfault(td, tf, va, &pferr)) {
			if (TRAPF_USERMODE(tf))
				userret(td, tf);
			return;
		}
	}
	if (TRAPF_USERMODE(tf) && tf->tf_trapno != T_NMI &&
	    tf->tf_trapno != T_DOUBLEFLT && tf->tf_trapno != T_MCHK) {
		KASSERT(td->td_proc != NULL, ("user trap on kernel thread %s",
		    td->td_name));
		if (tf->tf_trapno != T_PAGEFLT)
			va = 0;
		trap_user(td, tf, va, pferr);
		userret(td, tf);
		return;
	}
	tc = trap_catch_pending();
	if (tc != NULL && tf->tf_trapno != T_DOUBLEFLT && tf->tf_trapno != T_NMI) {
		/* Expected trap: record it and resume at the catch point. */
		td->td_onfault = tc->tc_prev;
		tc->tc_trapno = (int)tf->tf_trapno;
		tc->tc_err = tf->tf_err;
		tc->tc_rip = tf->tf_rip;
		tc->tc_addr = tf->tf_trapno == T_PAGEFLT ? rcr2() : 0;
		tf->tf_rip = (uint64_t)klongjmp;
		tf->tf_rdi = (uint64_t)&tc->tc_jb;
		tf->tf_rsi = 1;
		/* klongjmp switches stacks itself; keep interrupts as they were. */
		return;
	}

	if (!ktest_recovers_panic())
		cons_emergency();
	trap_report(tf);
	panic("trap %lu (%s) at rip %#lx", tf->tf_trapno,
	    tf->tf_trapno < 32 && trap_names[tf->tf_trapno] ?
	    trap_names[tf->tf_trapno] : "reserved", tf->tf_rip);
}
