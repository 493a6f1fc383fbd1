/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Signal internals shared by kern_sig.c, the machine's signal frame code
 * and the Linux signal calls.
 */
#ifndef _KERN_KERN_SIG_PRIV_H_
#define _KERN_KERN_SIG_PRIV_H_

#include <sys/types.h>

struct ksigaction;
struct thread;
struct trapframe;

bool		sig_valid(int sig);
ksigset_t	sig_bit(int sig);
/* SIGKILL and SIGSTOP: never blocked, caught or ignored. */
ksigset_t	sig_cantmask(void);
/* Sends sig to one thread (tgkill). */
int		kern_tdsignal(struct thread *td, int sig);
/* tkill/tgkill: the handler's siginfo says SI_TKILL and the sender's pid. */
int		kern_tdsignal_tkill(struct thread *td, int sig, pid_t sender);
/*
 * Machine part: builds the frame of a handler call for sig on the user
 * stack (alternate stack if asked) and points tf at the handler; returns
 * EFAULT when the frame cannot be written.  sigreturn undoes it from the
 * frame at the user stack (rt_sigreturn), checking what it restores.
 */
int		sendsig(struct thread *td, struct trapframe *tf, int sig,
		    const struct ksigaction *ka);
int		sigreturn(struct thread *td, struct trapframe *tf);

#endif /* !_KERN_KERN_SIG_PRIV_H_ */
