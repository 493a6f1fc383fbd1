/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel threads, the scheduler and sleep/wakeup.
 *
 * Scheduling is per CPU and non-preemptive: a thread runs until it sleeps,
 * yields or exits.  Interrupt handlers may call wakeup(); the woken thread
 * runs when its CPU next switches (the idle thread switches at once).
 * Threads running user code are the exception: on their way back to user
 * mode they give the CPU up once their time slice is over (kern_yield).
 *
 * Processes: a struct proc owns an address space (struct vmspace, sys/vm),
 * a file table (struct filedesc, opaque here: the VFS creates, copies and
 * frees it), signal state and one or more threads.  Signal numbers are
 * Linux's (1-64): the kernel speaks that ABI to user space.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/callout.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <machine/pcb.h>

enum td_state { TDS_INACTIVE, TDS_RUNQ, TDS_RUNNING, TDS_SLEEPING, TDS_DEAD };

struct filedesc;
struct proc;
struct trapframe;
struct vmspace;

struct thread {
	struct pcb		td_pcb;		/* machine context (first) */
	char			td_name[MAXCOMLEN + 1];
	enum td_state		td_state;
	int			td_cpu;		/* CPU the thread is bound to */
	int			td_tid;
	void			*td_kstack;
	size_t			td_kstack_size;
	const void		*td_wchan;	/* sleeping on */
	const char		*td_wmesg;
	int			td_slpret;	/* 0, or EWOULDBLOCK on timeout */
	int			td_flags;
	TAILQ_ENTRY(thread)	td_runq;
	TAILQ_ENTRY(thread)	td_slpq;
	TAILQ_ENTRY(thread)	td_allq;
	void			(*td_func)(void *);
	void			*td_arg;
	void			*td_ktest;	/* ktest recovery point, if any */
	void			*td_onfault;	/* trap recovery, see machine/trap.h */
	/* User threads only (td_proc != NULL); kernel threads leave them 0. */
	struct proc		*td_proc;
	TAILQ_ENTRY(thread)	td_plist;	/* p_threads, under p_mtx */
	pid_t			td_utid;	/* Linux thread id (main: p_pid) */
	struct trapframe	*td_frame;	/* user registers, top of kstack */
	volatile u_int		td_ast;		/* TDA_*, set by anyone, atomics */
	ksigset_t		td_sigmask;	/* blocked signals */
	ksigset_t		td_siglist;	/* pending for this thread only */
	void			*td_fpusave;	/* user FPU/SSE state (fxsave) */
	uint64_t		td_fsbase;	/* user %fs base (TLS) */
	uint64_t		td_clear_tid;	/* set_tid_address: user pointer */
	uint64_t		td_robust_head;	/* set_robust_list: user pointer */
	ksigset_t		td_oldmask;	/* sigsuspend: mask to restore */
	bool			td_has_oldmask;
	int			td_sysrestart;	/* nr + 1 of a call that got EINTR */
	int			td_sifault;	/* trapsignal's signal, or 0 */
	int			td_sicode;	/* and its si_code, si_addr */
	uint64_t		td_siaddr;
	/* Pending here from tkill/tgkill (si_code SI_TKILL), and by whom. */
	ksigset_t		td_sitkill;
	pid_t			td_sitkill_pid[64];
	/* The signal being delivered: its si_code and si_pid. */
	int			td_sicur_code;
	pid_t			td_sicur_pid;
	/*
	 * CPU time (ns): td_runtime is charged by the switch, which alone
	 * writes it, on the thread's CPU; td_oncpu is when the thread last
	 * started to run.  td_syscycles, the part spent in system calls in
	 * TSC cycles (two rdtsc a call, not two clock reads: the getppid
	 * round trip), is written only by the thread itself; td_sysc0 is
	 * the cycle count when the current call started or the thread last
	 * resumed in it, 0 outside calls.  See thread_runtime() and
	 * thread_systime().
	 */
	uint64_t		td_runtime;
	uint64_t		td_oncpu;
	uint64_t		td_syscycles;
	uint64_t		td_sysc0;
};

#define TDF_IDLE	0x0001
#define TDF_SINTR	0x0002		/* in msleep_sig */
/* Exiting: never returns to user mode; its FPU area and address space go. */
#define TDF_USERGONE	0x0004

/* Work for a user thread before it returns to user mode (td_ast). */
#define TDA_RESCHED	0x0001		/* time slice over: yield */
#define TDA_SIGNAL	0x0002		/* a signal may be deliverable */
#define TDA_EXIT	0x0004		/* exit_group or a fatal signal: exit */

/* Creates a thread bound to a CPU (-1: the current CPU) and makes it runnable. */
int	kthread_add(void (*func)(void *), void *arg, struct thread **tdp,
	    int cpu, const char *fmt, ...) __printflike(5, 6);
void	kthread_exit(void) __dead2;

/*
 * Sleeps until wakeup(chan) or for at most timo (sbintime; 0 = forever).
 * msleep drops and retakes a MTX_DEF or MTX_SPIN lock around the sleep
 * without losing a wakeup.  Returns 0 or EWOULDBLOCK.  No other spin lock
 * may be held (a panic names it).
 */
struct mtx;
int	msleep(const void *chan, struct mtx *mtx, const char *wmesg, sbintime_t timo);
int	tsleep(const void *chan, const char *wmesg, sbintime_t timo);
/*
 * msleep that a signal (or the process's exit) interrupts: returns EINTR
 * then.  For sleeps on behalf of a user thread that may last (wait4,
 * reads of a pipe or a tty, futex waits); the caller returns EINTR to user
 * mode, where the signal is delivered.
 */
int	msleep_sig(const void *chan, struct mtx *mtx, const char *wmesg,
	    sbintime_t timo);
/* Ends td's interruptible sleep (msleep_sig) with EINTR, if it is in one. */
void	sleepq_abort(struct thread *td);
void	wakeup(const void *chan);
/* Gives the CPU to another runnable thread of this CPU, if any. */
void	kern_yield(void);
/*
 * CPU time (ns) td has used: everything charged at its switches, plus the
 * current run when td is curthread.  Exact for curthread and for threads
 * that are not running; a thread running on another CPU lags by its
 * current run.
 */
uint64_t	thread_runtime(struct thread *td);
uint64_t	thread_systime(const struct thread *td);
void		thread_syscall_charge(struct thread *td);
/*
 * A process's CPU time (ns), all threads with those gone, and the part in
 * system calls; takes p's spin lock.
 */
void	proc_cputime(struct proc *p, uint64_t *total, uint64_t *sys);
/* Runs in an idle thread once its CPU can schedule; never returns. */
void	sched_idle_loop(void) __dead2;
/* thread0, once start-up is done: sleeps for good (idle0 idles CPU0). */
void	thread0_park(void) __dead2;

extern struct thread	thread0;

/*
 * Process groups and sessions: enough for a shell's job control.  The
 * controlling terminal is the VFS's (s_ttyp, opaque here).
 */
struct session {
	pid_t			s_sid;
	struct proc		*s_leader;
	void			*s_ttyp;	/* controlling tty, or NULL */
	int			s_count;	/* process groups in it */
};

struct pgrp {
	pid_t			pg_id;
	struct session		*pg_session;
	LIST_HEAD(, proc)	pg_members;
	LIST_ENTRY(pgrp)	pg_hash;
};

/* Resource limits, indexed by Linux's RLIMIT_* numbers (<asm-generic/resource.h>). */
#define PROC_NLIMITS		16
#define PROC_RLIMIT_NOFILE	7	/* == RLIMIT_NOFILE, checked in kern_proc.c */
#define PROC_RLIM_INFINITY	(~0ULL)
struct plimit {
	uint64_t		pl_cur[PROC_NLIMITS];
	uint64_t		pl_max[PROC_NLIMITS];
};

enum p_state { PRS_NEW, PRS_NORMAL, PRS_ZOMBIE };

/* Linux's signal actions (rt_sigaction), one per signal number 1-64. */
#define PROC_NSIG	64
struct ksigaction {
	uint64_t		ksa_handler;	/* user address, or SIG_DFL/SIG_IGN */
	uint64_t		ksa_flags;
	uint64_t		ksa_restorer;
	ksigset_t		ksa_mask;
};

struct proc {
	struct mtx		*p_mtx_ptr;	/* sleep lock (keeps mutex.h out) */
	struct mtx		*p_spin_ptr;	/* signal state, interrupt-safe */
	pid_t			p_pid;
	pid_t			p_ppid;		/* p_pptr's pid, for getppid: atomics */
	struct proc		*p_pptr;	/* parent (init when orphaned) */
	LIST_HEAD(, proc)	p_children;
	LIST_ENTRY(proc)	p_sibling;	/* parent's p_children */
	LIST_ENTRY(proc)	p_list;		/* all processes */
	LIST_ENTRY(proc)	p_pglist;	/* p_pgrp's members */
	struct pgrp		*p_pgrp;
	enum p_state		p_state;
	int			p_flag;		/* P_* */
	int			p_xstat;	/* wait status once a zombie */
	int			p_exitsig;	/* to the parent at exit (SIGCHLD) */
	char			p_comm[MAXCOMLEN + 1];
	struct vmspace		*p_vmspace;
	struct filedesc		*p_fd;		/* VFS: fdinit/fdcopy/fdfree */
	struct plimit		p_limit;
	struct ksigaction	p_sigacts[PROC_NSIG];
	ksigset_t		p_siglist;	/* pending for the process */
	TAILQ_HEAD(, thread)	p_threads;
	int			p_numthreads;
	int			p_cpu;		/* every thread runs here */
	uint64_t		p_sigaltstack[3]; /* ss_sp, ss_flags, ss_size */
	int			p_stopsig;	/* the signal that stopped it */
	/* CPU time (ns) of its threads gone, under p_spin_ptr. */
	uint64_t		p_runtime_gone;
	uint64_t		p_systime_gone;
	/* Of its children reaped by wait (and theirs), under the proctree lock. */
	uint64_t		p_cruntime;
	uint64_t		p_csystime;
	/*
	 * ITIMER_REAL (setitimer, alarm): SIGALRM at p_itreal_at (uptime;
	 * 0: disarmed), then every p_itreal_interval; under p_spin_ptr.
	 */
	/* The program's path (/proc/<pid>/exe), malloc'd; proctree lock. */
	char			*p_exe;
	struct callout		p_itreal;
	sbintime_t		p_itreal_at;
	sbintime_t		p_itreal_interval;
};

#define P_EXITING	0x0001		/* exit_group or fatal signal under way */
#define P_EXECED	0x0002
#define P_CONTROLT	0x0004		/* has a controlling terminal */
#define P_NOWAITER	0x0008		/* orphan with no init: reaps itself */
#define P_STOPPED	0x0010		/* stopped by a stop signal */
#define P_WAITSTOP	0x0020		/* the stop is not reported to wait yet */
#define P_WAITCONT	0x0040		/* a continue not reported to wait yet */

/* Process lock: a sleep mutex allocated with the proc. */
#define PROC_LOCK(p)	mtx_lock((p)->p_mtx_ptr)
#define PROC_UNLOCK(p)	mtx_unlock((p)->p_mtx_ptr)
/* All processes, pids, groups and sessions. */
void	proctree_lock(void);
void	proctree_unlock(void);

/* Looks a process (not a zombie) or a process group up by id; proctree locked. */
struct proc	*pfind_locked(pid_t);
struct pgrp	*pgfind(pid_t);

/*
 * Sends sig (1-64) to a process (one thread that does not block it handles
 * it) or to every member of a process group.  kern_psignal may be called
 * from any context, interrupt handlers included (it only marks the signal
 * pending and wakes an interruptible sleeper); pgsignal needs the
 * proctree lock, so thread context.  Returns 0 or EINVAL.
 */
int	kern_psignal(struct proc *, int sig);
void	pgsignal(struct pgrp *, int sig);

/*
 * Process life cycle.  proc_create makes an empty process (no address
 * space, no threads) under parent (NULL: the kernel); proc_start runs its
 * first user thread.  Exit ends every thread and leaves a zombie for the
 * parent's wait4.  Status encoding as wait(2): W_EXITCODE/W_STOPCODE.
 */
int	proc_create(struct proc *parent, const char *comm, struct proc **pp);
/* Records the program's path (NULL: none); takes the proctree lock. */
void	proc_set_exe(struct proc *p, const char *path);
int	proc_wait(struct proc *child, int *statusp, sbintime_t timo);
void	exit1(struct thread *td, int xstat) __dead2;
#define W_EXITCODE(ret, sig)	((ret) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | 0x7f)
#define W_CONTINUED		0xffff
#define W_EXITSTATUS(st)	(((st) >> 8) & 0xff)
#define W_TERMSIG(st)		((st) & 0x7f)

/*
 * The VFS side of a process's file table (sys/sys/filedesc.h, owned by
 * the VFS): proc calls fdinit() for a new process with no parent table,
 * fdcopy() at fork (shared with CLONE_FILES), fdcloseexec() at execve and
 * fdfree() at exit.
 */
struct filedesc	*fdinit(void);
struct filedesc	*fdcopy(struct filedesc *);
struct filedesc	*fdshare(struct filedesc *);
void		fdcloseexec(struct filedesc *);
void		fdfree(struct filedesc *);

#endif /* !_SYS_PROC_H_ */
