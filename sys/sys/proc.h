/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel threads, the scheduler and sleep/wakeup.
 *
 * Scheduling is per CPU and non-preemptive: a thread runs until it sleeps,
 * yields or exits.  Interrupt handlers may call wakeup(); the woken thread
 * runs when its CPU next switches (the idle thread switches at once).
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/queue.h>
#include <sys/types.h>
#include <machine/pcb.h>

enum td_state { TDS_INACTIVE, TDS_RUNQ, TDS_RUNNING, TDS_SLEEPING, TDS_DEAD };

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
};

#define TDF_IDLE	0x0001

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
void	wakeup(const void *chan);
/* Gives the CPU to another runnable thread of this CPU, if any. */
void	kern_yield(void);
/* Runs in an idle thread once its CPU can schedule; never returns. */
void	sched_idle_loop(void) __dead2;
/* thread0, once start-up is done: sleeps for good (idle0 idles CPU0). */
void	thread0_park(void) __dead2;

extern struct thread	thread0;

#endif /* !_SYS_PROC_H_ */
