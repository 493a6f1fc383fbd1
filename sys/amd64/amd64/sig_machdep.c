/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux signal frames on x86-64: what a handler finds on its stack
 * (return address = sa_restorer, then a ucontext and a siginfo, the FPU
 * state below them) and what rt_sigreturn takes back.  Layouts are
 * Linux's uapi ones (<asm/ucontext.h>, <asm/siginfo.h>).  Everything read
 * back from user memory is checked: segment selectors are forced to the
 * user ones, flags to those user code may change, the resume address to
 * user space, MXCSR to its defined bits.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/pcb.h>
#include <machine/pmap.h>
#include <machine/segments.h>

#include <linux/signal.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/ucontext.h>

#include "../../kern/kern_sig_priv.h"

#define FXSAVE_SIZE	512
#define REDZONE		128
/* CF PF AF ZF SF TF DF OF AC ID: what user code may set. */
#define RFLAGS_USER	0x254dd5UL
#define RFLAGS_ALWAYS	(0x2UL | PSL_I)
#define MXCSR_DEFINED	0xffffU

struct rt_sigframe {
	uint64_t	sf_pretcode;
	struct ucontext	sf_uc;
	siginfo_t	sf_info;
};

static void
frame_to_mcontext(const struct trapframe *tf, struct sigcontext *mc)
{
	mc->r8 = tf->tf_r8;
	mc->r9 = tf->tf_r9;
	mc->r10 = tf->tf_r10;
	mc->r11 = tf->tf_r11;
	mc->r12 = tf->tf_r12;
	mc->r13 = tf->tf_r13;
	mc->r14 = tf->tf_r14;
	mc->r15 = tf->tf_r15;
	mc->rdi = tf->tf_rdi;
	mc->rsi = tf->tf_rsi;
	mc->rbp = tf->tf_rbp;
	mc->rbx = tf->tf_rbx;
	mc->rdx = tf->tf_rdx;
	mc->rax = tf->tf_rax;
	mc->rcx = tf->tf_rcx;
	mc->rsp = tf->tf_rsp;
	mc->rip = tf->tf_rip;
	mc->eflags = tf->tf_rflags;
	mc->cs = (uint16_t)tf->tf_cs;
	mc->ss = (uint16_t)tf->tf_ss;
	mc->err = tf->tf_trapno < 32 ? tf->tf_err : 0;
	mc->trapno = tf->tf_trapno < 32 ? tf->tf_trapno : 0;
}

int
sendsig(struct thread *td, struct trapframe *tf, int sig,
    const struct ksigaction *ka)
{
	struct proc *p = td->td_proc;
	struct rt_sigframe sf;
	uint64_t sp, fpaddr, fa;
	bool onstack;

	if ((ka->ksa_flags & SA_RESTORER) == 0 || ka->ksa_restorer == 0)
		return (EFAULT);
	/* A handler outside user space (non-canonical: iretq would fault). */
	if (ka->ksa_handler >= VM_MAXUSER_ADDRESS)
		return (EFAULT);
	/* The alternate stack, unless already on it. */
	sp = tf->tf_rsp;
	onstack = p->p_sigaltstack[2] != 0 &&
	    sp - p->p_sigaltstack[0] < p->p_sigaltstack[2];
	if ((ka->ksa_flags & SA_ONSTACK) && p->p_sigaltstack[2] != 0 &&
	    (p->p_sigaltstack[1] & SS_DISABLE) == 0 && !onstack)
		sp = p->p_sigaltstack[0] + p->p_sigaltstack[2];
	else
		sp -= REDZONE;
	fpaddr = (sp - FXSAVE_SIZE) & ~63UL;
	/* Like a call: (frame + 8) 16-byte aligned at the handler's entry. */
	fa = ((fpaddr - sizeof(sf)) & ~15UL) - 8;

	memset(&sf, 0, sizeof(sf));
	sf.sf_pretcode = ka->ksa_restorer;
	sf.sf_uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	sf.sf_uc.uc_stack.ss_sp = (void *)p->p_sigaltstack[0];
	sf.sf_uc.uc_stack.ss_flags = onstack ? SS_ONSTACK :
	    (p->p_sigaltstack[2] != 0 ? 0 : SS_DISABLE);
	sf.sf_uc.uc_stack.ss_size = p->p_sigaltstack[2];
	frame_to_mcontext(tf, &sf.sf_uc.uc_mcontext);
	sf.sf_uc.uc_mcontext.oldmask = td->td_sigmask;
	sf.sf_uc.uc_mcontext.cr2 = td->td_sifault == sig ? td->td_siaddr : 0;
	sf.sf_uc.uc_mcontext.fpstate = (struct _fpstate *)fpaddr;
	sf.sf_uc.uc_sigmask = td->td_sigmask;
	sf.sf_info.si_signo = sig;
	if (td->td_sifault == sig) {
		sf.sf_info.si_code = td->td_sicode;
		sf.sf_info.si_addr = (void *)td->td_siaddr;
	} else {
		sf.sf_info.si_code = td->td_sicur_code;
		sf.sf_info.si_pid = td->td_sicur_pid;
	}

	fpu_save(td);
	if (copyout(td->td_fpusave, (void *)fpaddr, FXSAVE_SIZE) != 0 ||
	    copyout(&sf, (void *)fa, sizeof(sf)) != 0)
		return (EFAULT);
	tf->tf_rsp = fa;
	tf->tf_rip = ka->ksa_handler;
	tf->tf_rdi = (uint64_t)sig;
	tf->tf_rsi = fa + __builtin_offsetof(struct rt_sigframe, sf_info);
	tf->tf_rdx = fa + __builtin_offsetof(struct rt_sigframe, sf_uc);
	tf->tf_rax = 0;
	tf->tf_rflags &= ~(0x100UL | 0x400UL);	/* TF, DF */
	tf->tf_cs = GSEL_UCODE | SEL_UPL;
	tf->tf_ss = GSEL_UDATA | SEL_UPL;
	/* The handler starts with a clean FPU, as on Linux. */
	fpu_reset(td);
	return (0);
}

int
sigreturn(struct thread *td, struct trapframe *tf)
{
	/* ret popped sf_pretcode: the frame starts 8 bytes below %rsp. */
	uint64_t fa = tf->tf_rsp - 8;
	struct rt_sigframe sf;
	const struct sigcontext *mc = &sf.sf_uc.uc_mcontext;
	uint8_t fx[FXSAVE_SIZE] __aligned(16);

	if (copyin((void *)fa, &sf, sizeof(sf)) != 0)
		return (EFAULT);
	if (mc->rip >= VM_MAXUSER_ADDRESS || mc->rsp >= VM_MAXUSER_ADDRESS)
		return (EFAULT);
	if (mc->fpstate != NULL) {
		if (copyin(mc->fpstate, fx, sizeof(fx)) != 0)
			return (EFAULT);
		*(uint32_t *)(fx + 24) &= MXCSR_DEFINED;
		*(uint32_t *)(fx + 28) = 0;	/* MXCSR_MASK is read-only */
		fpu_save(td);
		memcpy(td->td_fpusave, fx, sizeof(fx));
		/* Reloaded from td_fpusave: load it now, we own the FPU. */
		fpu_load(td);
	}
	tf->tf_r8 = mc->r8;
	tf->tf_r9 = mc->r9;
	tf->tf_r10 = mc->r10;
	tf->tf_r11 = mc->r11;
	tf->tf_r12 = mc->r12;
	tf->tf_r13 = mc->r13;
	tf->tf_r14 = mc->r14;
	tf->tf_r15 = mc->r15;
	tf->tf_rdi = mc->rdi;
	tf->tf_rsi = mc->rsi;
	tf->tf_rbp = mc->rbp;
	tf->tf_rbx = mc->rbx;
	tf->tf_rdx = mc->rdx;
	tf->tf_rax = mc->rax;
	tf->tf_rcx = mc->rcx;
	tf->tf_rsp = mc->rsp;
	tf->tf_rip = mc->rip;
	tf->tf_rflags = (mc->eflags & RFLAGS_USER) | RFLAGS_ALWAYS;
	tf->tf_cs = GSEL_UCODE | SEL_UPL;
	tf->tf_ss = GSEL_UDATA | SEL_UPL;
	td->td_sigmask = sf.sf_uc.uc_sigmask & ~sig_cantmask();
	return (0);
}
