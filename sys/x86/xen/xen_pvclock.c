/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV clock: Xen publishes, per vCPU, a TSC reading and the system time
 * at that reading with a scale; the guest extrapolates with its own TSC.
 * The version field is odd while Xen updates the record, so a read retries
 * until it sees the same even version before and after.
 */
#include <sys/param.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

#include <x86/xen/xen_hooks.h>
#include <x86/xen/xen_pvclock_raw.h>

#include <xen/xen.h>
#include <xen/xen_guest.h>

static volatile uint64_t pvclock_last;	/* the latest value handed out */
static uint64_t		pvclock_retries;

uint64_t
xen_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return ((uint64_t)(((unsigned __int128)delta * mul) >> 32));
}

/* Nanoseconds of Xen system time seen from this CPU's record. */
static uint64_t
pvclock_read_local(uint8_t *flagsp)
{
	struct vcpu_time_info *ti = &xen_vcpu_info(curcpu)->time;
	uint32_t ver;
	uint64_t tsc, stamp, sys;
	uint32_t mul;
	int8_t shift;
	uint8_t flags;

	for (;;) {
		ver = __atomic_load_n(&ti->version, __ATOMIC_ACQUIRE);
		stamp = ti->tsc_timestamp;
		sys = ti->system_time;
		mul = ti->tsc_to_system_mul;
		shift = ti->tsc_shift;
		flags = ti->flags;
		tsc = rdtsc_ordered();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if ((ver & 1) == 0 && ver == __atomic_load_n(&ti->version,
		    __ATOMIC_ACQUIRE))
			break;
		pvclock_retries++;
		cpu_spinwait();
	}
	*flagsp = flags;
	return (sys + xen_pvclock_scale(tsc - stamp, mul, shift));
}

uint64_t
xen_pvclock_raw_ns(void)
{
	register_t rf = intr_disable();
	uint8_t flags;
	uint64_t now = pvclock_read_local(&flags);

	intr_restore(rf);
	return (now);
}

uint64_t
xen_pvclock_ns(void)
{
	register_t rf = intr_disable();	/* stay on this CPU's record */
	uint8_t flags;
	uint64_t now = pvclock_read_local(&flags), last;

	intr_restore(rf);
	if (flags & XEN_PVCLOCK_TSC_STABLE_BIT)
		return (now);
	/* Records of different vCPUs may disagree slightly: never go back. */
	last = __atomic_load_n(&pvclock_last, __ATOMIC_ACQUIRE);
	do {
		if (now <= last)
			return (last);
	} while (!__atomic_compare_exchange_n(&pvclock_last, &last, now, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	return (now);
}

void
xen_pvclock_delay(int usec)
{
	uint64_t end = xen_pvclock_ns() + (uint64_t)usec * 1000;

	while (xen_pvclock_ns() < end)
		cpu_spinwait();
}
