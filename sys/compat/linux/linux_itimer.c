/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The real-time interval timer: setitimer and getitimer for ITIMER_REAL,
 * and alarm.  One callout per process sends SIGALRM at the deadline and
 * re-arms itself for an interval; a deadline missed by more than one
 * interval (a busy machine) fires once, as Linux counts overruns into one
 * signal.  Not inherited by fork, kept across execve, stopped before the
 * process becomes a zombie.  ITIMER_VIRTUAL and ITIMER_PROF (CPU-time
 * timers) are EINVAL.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <asm/unistd_64.h>
#include <linux/time.h>

#include <compat/linux/linux_syscall.h>

#define LINUX_SIGALRM	14
#define USEC_PER_SEC	1000000LL

void	itimer_proc_exit(struct proc *p);

static void
itreal_fire(void *arg)
{
	struct proc *p = arg;
	sbintime_t now = sbinuptime();
	bool send = false;

	mtx_lock_spin(p->p_spin_ptr);
	/* Disarmed or re-armed since this run was scheduled: not ours. */
	if (p->p_itreal_at != 0 && p->p_itreal_at <= now) {
		send = true;
		if (p->p_itreal_interval != 0) {
			p->p_itreal_at += p->p_itreal_interval;
			if (p->p_itreal_at <= now)
				p->p_itreal_at = now + p->p_itreal_interval;
		} else
			p->p_itreal_at = 0;
	}
	if (p->p_itreal_at != 0)
		callout_reset_sbt(&p->p_itreal, p->p_itreal_at - now,
		    itreal_fire, p);
	mtx_unlock_spin(p->p_spin_ptr);
	if (send)
		kern_psignal(p, LINUX_SIGALRM);
}

void
itimer_proc_exit(struct proc *p)
{
	mtx_lock_spin(p->p_spin_ptr);
	p->p_itreal_at = 0;
	callout_stop(&p->p_itreal);
	mtx_unlock_spin(p->p_spin_ptr);
	/* A run under way elsewhere sees it disarmed; wait for its end. */
	callout_drain(&p->p_itreal);
}

static int
timeval_in(const struct timeval *tv, sbintime_t *sbt)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= USEC_PER_SEC)
		return (EINVAL);
	/* Far futures are clamped (about 68 years). */
	if (tv->tv_sec >= INT32_MAX)
		*sbt = (sbintime_t)INT32_MAX * SBT_1S;
	else
		*sbt = tv->tv_sec * SBT_1S + ustosbt(tv->tv_usec);
	return (0);
}

static void
timeval_out(sbintime_t sbt, struct timeval *tv)
{
	/* To the nearest microsecond: sbintime is not a whole number of them. */
	int64_t us = (sbttons(sbt) + 500) / 1000;

	tv->tv_sec = us / USEC_PER_SEC;
	tv->tv_usec = us % USEC_PER_SEC;
}

/* Reads the timer (remaining time, interval); p_spin held. */
static void
itreal_get_locked(struct proc *p, sbintime_t now, struct itimerval *it)
{
	sbintime_t left = 0;

	if (p->p_itreal_at != 0) {
		left = p->p_itreal_at - now;
		/* Due but not yet delivered: Linux says one microsecond. */
		if (left < SBT_1US)
			left = SBT_1US;
	}
	timeval_out(left, &it->it_value);
	timeval_out(p->p_itreal_at != 0 ? p->p_itreal_interval : 0,
	    &it->it_interval);
}

/* Arms (value != 0) or disarms the timer; the old setting into *old. */
static void
itreal_set(struct proc *p, sbintime_t value, sbintime_t interval,
    struct itimerval *old)
{
	sbintime_t now = sbinuptime();

	mtx_lock_spin(p->p_spin_ptr);
	itreal_get_locked(p, now, old);
	callout_stop(&p->p_itreal);
	p->p_itreal_at = value != 0 ? now + value : 0;
	p->p_itreal_interval = interval;
	if (value != 0)
		callout_reset_sbt(&p->p_itreal, value, itreal_fire, p);
	mtx_unlock_spin(p->p_spin_ptr);
}

LINUX_SYSCALL(__NR_setitimer, setitimer);
int
linux_sys_setitimer(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct itimerval nv, ov;
	sbintime_t value, interval;
	int error;

	if (args[0] != ITIMER_REAL)
		return (EINVAL);
	/* A null new value disarms, as Linux still allows. */
	memset(&nv, 0, sizeof(nv));
	if (args[1] != 0 &&
	    (error = copyin((void *)args[1], &nv, sizeof(nv))) != 0)
		return (error);
	if ((error = timeval_in(&nv.it_value, &value)) != 0 ||
	    (error = timeval_in(&nv.it_interval, &interval)) != 0)
		return (error);
	itreal_set(td->td_proc, value, interval, &ov);
	if (args[2] != 0)
		return (copyout(&ov, (void *)args[2], sizeof(ov)));
	return (0);
}

LINUX_SYSCALL(__NR_getitimer, getitimer);
int
linux_sys_getitimer(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	struct itimerval it;

	if (args[0] != ITIMER_REAL)
		return (EINVAL);
	mtx_lock_spin(p->p_spin_ptr);
	itreal_get_locked(p, sbinuptime(), &it);
	mtx_unlock_spin(p->p_spin_ptr);
	return (copyout(&it, (void *)args[1], sizeof(it)));
}

LINUX_SYSCALL(__NR_alarm, alarm);
int
linux_sys_alarm(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct itimerval ov;
	uint64_t secs = (uint32_t)args[0];

	itreal_set(td->td_proc, secs != 0 ? (sbintime_t)secs * SBT_1S : 0, 0,
	    &ov);
	/* The old remainder in seconds, rounded, and never 0 if it was set. */
	*rv = ov.it_value.tv_sec;
	if ((ov.it_value.tv_sec == 0 && ov.it_value.tv_usec != 0) ||
	    ov.it_value.tv_usec >= 500000)
		(*rv)++;
	return (0);
}
