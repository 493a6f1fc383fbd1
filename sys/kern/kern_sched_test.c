/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The scheduler the tests see is the steady-state one: CPU0 has an idle
 * thread of its own before the tests run, and thread0 blocking switches to
 * it rather than halting in place.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include "kern_priv.h"

KTEST(sched_cpu0_has_idle_thread)
{
	struct thread *idle = sched_idle_thread(0);

	KT_ASSERT(curcpu == 0 && curthread == &thread0,
	    "tests run on cpu%u in %s", curcpu, curthread->td_name);
	KT_ASSERT(idle != NULL, "cpu0 has no idle thread");
	KT_ASSERT(idle != curthread, "cpu0's idle thread is the test thread");
	KT_ASSERT(idle->td_flags & TDF_IDLE, "%s lacks TDF_IDLE",
	    idle->td_name);
	KT_ASSERT(idle->td_cpu == 0, "%s bound to cpu%d", idle->td_name,
	    idle->td_cpu);
	KT_ASSERT(pcpu_find(0)->pc_idlethread == idle,
	    "pc_idlethread %p, run queue's %p", pcpu_find(0)->pc_idlethread,
	    idle);
}

KTEST(sched_sleep_switches_to_idle)
{
	static int chan;
	uint64_t before;
	int error;

	if (et_current() == NULL)
		KT_SKIP("no event timer registered");
	before = sched_idle_switches(0);
	error = tsleep(&chan, "ktidle", 5 * SBT_1MS);
	KT_ASSERT(error == EWOULDBLOCK, "tsleep returned %d", error);
	KT_ASSERT(sched_idle_switches(0) > before,
	    "thread0 slept without switching to cpu0's idle thread");
	KT_NOTE("%lu switches to idle0 so far", sched_idle_switches(0));
}
