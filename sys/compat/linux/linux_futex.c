/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux futexes: WAIT, WAKE and their BITSET forms, REQUEUE and
 * CMP_REQUEUE (what glibc's mutexes, condition variables and
 * pthread_join use).  A futex is named by the physical address of its
 * word, so private and shared ones work alike and across processes.
 * Waiters hang on one list under futex_mtx; the value check and the
 * queueing happen under it, so a wake between them cannot be lost.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <vm/vm_map.h>

#include <asm/unistd_64.h>
#include <linux/futex.h>
#include <linux/time.h>

#include <compat/linux/linux_syscall.h>

struct futex_waiter {
	TAILQ_ENTRY(futex_waiter) fw_link;
	vm_paddr_t	fw_key;
	uint32_t	fw_bitset;
	bool		fw_woken;
};

static struct mtx	futex_mtx;
static TAILQ_HEAD(, futex_waiter) futex_waiters =
    TAILQ_HEAD_INITIALIZER(futex_waiters);

static void
futex_init(void *arg __unused)
{
	mtx_init(&futex_mtx, "futex", NULL, MTX_DEF);
}
SYSINIT(futex, SI_SUB_LOCK, SI_ORDER_ANY, futex_init, NULL);

static int
futex_key(struct proc *p, uint64_t uaddr, vm_paddr_t *keyp)
{
	vm_paddr_t pa;
	int error;

	if ((uaddr & 3) != 0)
		return (EINVAL);
	if ((error = vm_fault(p->p_vmspace, uaddr, VM_PROT_READ, &pa)) != 0)
		return (error);
	*keyp = pa + (uaddr & PAGE_MASK);
	return (0);
}

/* Wakes up to n waiters on key (bitset matching); futex_mtx held. */
static int
futex_wake_locked(vm_paddr_t key, int n, uint32_t bitset)
{
	struct futex_waiter *fw;
	int woken = 0;

	TAILQ_FOREACH(fw, &futex_waiters, fw_link) {
		if (woken >= n)
			break;
		if (fw->fw_key != key || fw->fw_woken ||
		    (fw->fw_bitset & bitset) == 0)
			continue;
		fw->fw_woken = true;
		wakeup(fw);
		woken++;
	}
	return (woken);
}

void	futex_wake_addr(struct proc *p, uint64_t uaddr, int n);

/* For CLONE_CHILD_CLEARTID at thread exit. */
void
futex_wake_addr(struct proc *p, uint64_t uaddr, int n)
{
	vm_paddr_t key;

	if (futex_key(p, uaddr, &key) != 0)
		return;
	mtx_lock(&futex_mtx);
	futex_wake_locked(key, n, FUTEX_BITSET_MATCH_ANY);
	mtx_unlock(&futex_mtx);
}

/* Wakes n waiters on the futex at physical address key (robust lists). */
void	futex_wake_key(vm_paddr_t key, int n);

void
futex_wake_key(vm_paddr_t key, int n)
{
	mtx_lock(&futex_mtx);
	futex_wake_locked(key, n, FUTEX_BITSET_MATCH_ANY);
	mtx_unlock(&futex_mtx);
}

static int
futex_wait(struct thread *td, uint64_t uaddr, uint32_t val, sbintime_t timo,
    bool absolute, uint32_t bitset)
{
	struct futex_waiter fw;
	uint32_t cur;
	int error;

	if (bitset == 0)
		return (EINVAL);
	memset(&fw, 0, sizeof(fw));
	fw.fw_bitset = bitset;
	if ((error = futex_key(td->td_proc, uaddr, &fw.fw_key)) != 0)
		return (error);
	if (absolute) {
		sbintime_t now = sbinuptime();

		if (timo <= now)
			return (ETIMEDOUT);
		timo -= now;
	}
	mtx_lock(&futex_mtx);
	if ((error = copyin((void *)uaddr, &cur, sizeof(cur))) != 0) {
		mtx_unlock(&futex_mtx);
		return (error);
	}
	if (cur != val) {
		mtx_unlock(&futex_mtx);
		return (EAGAIN);
	}
	TAILQ_INSERT_TAIL(&futex_waiters, &fw, fw_link);
	error = 0;
	while (!fw.fw_woken && error == 0)
		error = msleep_sig(&fw, &futex_mtx, "futex", timo);
	TAILQ_REMOVE(&futex_waiters, &fw, fw_link);
	mtx_unlock(&futex_mtx);
	if (fw.fw_woken)
		return (0);
	return (error == EWOULDBLOCK ? ETIMEDOUT : error);
}

static int
futex_requeue(struct thread *td, uint64_t uaddr, int nwake, int nmove,
    uint64_t uaddr2, bool cmp, uint32_t val, int64_t *rv)
{
	struct futex_waiter *fw;
	vm_paddr_t key, key2;
	uint32_t cur;
	int error, n;

	if ((error = futex_key(td->td_proc, uaddr, &key)) != 0 ||
	    (error = futex_key(td->td_proc, uaddr2, &key2)) != 0)
		return (error);
	mtx_lock(&futex_mtx);
	if (cmp) {
		if ((error = copyin((void *)uaddr, &cur, sizeof(cur))) != 0 ||
		    (cur != val && (error = EAGAIN) != 0)) {
			mtx_unlock(&futex_mtx);
			return (error);
		}
	}
	n = futex_wake_locked(key, nwake, FUTEX_BITSET_MATCH_ANY);
	TAILQ_FOREACH(fw, &futex_waiters, fw_link) {
		if (nmove <= 0)
			break;
		if (fw->fw_key == key && !fw->fw_woken) {
			fw->fw_key = key2;
			nmove--;
			n++;
		}
	}
	mtx_unlock(&futex_mtx);
	*rv = n;
	return (0);
}

static int
timeout_in(uint64_t uaddr, sbintime_t *sbtp)
{
	struct timespec ts;
	int error;

	*sbtp = 0;
	if (uaddr == 0)
		return (0);
	if ((error = copyin((void *)uaddr, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return (EINVAL);
	if (ts.tv_sec > (INT64_MAX >> 33))
		return (0);		/* as good as forever */
	*sbtp = ((sbintime_t)ts.tv_sec << 32) + nstosbt(ts.tv_nsec);
	if (*sbtp == 0)
		*sbtp = 1;
	return (0);
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
LINUX_SYSCALL(__NR_futex, futex);
int
linux_sys_futex(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	int op = (int)args[1] & FUTEX_CMD_MASK;
	uint32_t val = (uint32_t)args[2];
	sbintime_t timo;
	int error, n;

	switch (op) {
	case FUTEX_WAIT:
		if ((error = timeout_in(args[3], &timo)) != 0)
			return (error);
		return (futex_wait(td, args[0], val, timo, false,
		    FUTEX_BITSET_MATCH_ANY));
	case FUTEX_WAIT_BITSET:
		/* Absolute, on the monotonic clock (and realtime == uptime). */
		if ((error = timeout_in(args[3], &timo)) != 0)
			return (error);
		return (futex_wait(td, args[0], val, timo, timo != 0,
		    (uint32_t)args[5]));
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		vm_paddr_t key;

		if ((error = futex_key(td->td_proc, args[0], &key)) != 0)
			return (error);
		n = (int)MIN(val, (uint32_t)INT32_MAX);
		mtx_lock(&futex_mtx);
		*rv = futex_wake_locked(key, n, op == FUTEX_WAKE ?
		    FUTEX_BITSET_MATCH_ANY : (uint32_t)args[5]);
		mtx_unlock(&futex_mtx);
		return (0);
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return (futex_requeue(td, args[0], (int)MIN(val, INT32_MAX),
		    (int)MIN(args[3], (uint64_t)INT32_MAX), args[4],
		    op == FUTEX_CMP_REQUEUE, (uint32_t)args[5], rv));
	default:
		return (ENOSYS);
	}
}
