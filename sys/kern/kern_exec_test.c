/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Processes end to end: the programs of tests/user (carried in the image,
 * kern_exec_test_progs.S) run in user mode and the tests check what an
 * observer outside the program sees: its exit status through proc_wait,
 * and what it printed, captured from the console.
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include "kern_proc_priv.h"

#define USERPROG(name)							\
	extern const char user_prog_##name[], user_prog_##name##_end[]
USERPROG(hello);
USERPROG(uspin);
USERPROG(ufault);
USERPROG(uefault);
USERPROG(ghello);
#define PROG(name)	#name, user_prog_##name, user_prog_##name##_end

#define SIGKILL_NR	9
#define SIGSEGV_NR	11

struct memimg {
	const char	*mi_base;
	size_t		mi_len;
};

static int
memimg_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct memimg *mi = arg;

	if (off > mi->mi_len || len > mi->mi_len - off)
		return (ENOEXEC);
	memcpy(buf, mi->mi_base + off, len);
	return (0);
}

/* Starts a program from the image on cpu (-1: any); *pp to proc_wait. */
static int
spawn_prog(const char *name, const char *start, const char *end, int cpu,
    struct proc **pp)
{
	struct memimg mi = { start, (size_t)(end - start) };
	struct exec_image img = { memimg_read, &mi, mi.mi_len, name };
	char *argv[] = { (char *)(uintptr_t)name, NULL };
	char *envp[] = { "HOME=/", "TERM=dumb", NULL };
	struct proc *p;
	int error;

	if ((error = proc_create(NULL, name, &p)) != 0)
		return (error);
	if (cpu >= 0)
		p->p_cpu = cpu;
	if ((error = exec_spawn(p, &img, argv, envp)) != 0) {
		proctree_lock();
		proc_free_locked(p);
		proctree_unlock();
		return (error);
	}
	*pp = p;
	return (0);
}

/* Console capture: what the programs print reaches every console. */
static char		cap_buf[16384];
static volatile size_t	cap_len;

static void
cap_putc(struct consdev *cd __unused, int c)
{
	if (cap_len < sizeof(cap_buf) - 1)
		cap_buf[cap_len++] = (char)c;
}

static struct consdev cap_cons = { "ktestcap", cap_putc, NULL, NULL, NULL,
    false };

static void
cap_start(void)
{
	cap_len = 0;
	memset(cap_buf, 0, sizeof(cap_buf));
	cons_register(&cap_cons);
}

static void
cap_stop(void)
{
	cons_unregister(&cap_cons);
	cap_buf[cap_len] = '\0';
}

/* Runs a program to its end (5 s at most) with its output captured. */
static int
run_prog(const char *name, const char *start, const char *end, int *status)
{
	struct proc *p;
	int error;

	cap_start();
	error = spawn_prog(name, start, end, -1, &p);
	if (error == 0) {
		error = proc_wait(p, status, 5 * SBT_1S);
		if (error != 0) {
			kern_psignal(p, SIGKILL_NR);
			proc_wait(p, NULL, 2 * SBT_1S);
		}
	}
	cap_stop();
	return (error);
}

KTEST(proc_user_hello)
{
	int error, st = -1;

	error = run_prog(PROG(hello), &st);
	KT_ASSERT(error == 0, "run: error %d", error);
	KT_ASSERT(st == W_EXITCODE(7, 0), "wait status %#x, want exit 7", st);
	KT_ASSERT(strstr_simple(cap_buf, "hello from user mode\n") != NULL,
	    "console did not show the program's line (%zu bytes captured)",
	    cap_len);
	KT_NOTE("exit 7, printed its line");
}

KTEST(proc_user_segv)
{
	int error, st = -1;

	error = run_prog(PROG(ufault), &st);
	KT_ASSERT(error == 0, "run: error %d", error);
	KT_ASSERT(strstr_simple(cap_buf, "ufault: writing") != NULL,
	    "the program never ran");
	KT_ASSERT(st == W_EXITCODE(0, SIGSEGV_NR), "wait status %#x, want "
	    "signal %d", st, SIGSEGV_NR);
	KT_ASSERT(strstr_simple(cap_buf, "still alive") == NULL,
	    "the faulting store was resumed");
	KT_NOTE("killed by SIGSEGV");
}

KTEST(proc_user_efault)
{
	int error, st = -1;

	error = run_prog(PROG(uefault), &st);
	KT_ASSERT(error == 0, "run: error %d", error);
	KT_ASSERT(st == W_EXITCODE(0, 0), "wait status %#x: check %d failed",
	    st, W_EXITSTATUS(st));
	KT_ASSERT(strstr_simple(cap_buf, "uefault: ok") != NULL,
	    "no final line");
	KT_NOTE("bad user pointers: EFAULT");
}

KTEST(proc_user_glibc)
{
	int error, st = -1;

	error = run_prog(PROG(ghello), &st);
	KT_ASSERT(error == 0, "run: error %d", error);
	KT_ASSERT(strstr_simple(cap_buf,
	    "hello from glibc 42 argc=1 argv0=ghello\n") != NULL,
	    "output: %.100s", cap_buf);
	KT_ASSERT(st == W_EXITCODE(3, 0), "wait status %#x, want exit 3", st);
	KT_NOTE("glibc static start-up, malloc, stdio");
}

static volatile u_long	ticker_count;
static volatile bool	ticker_stop;
static volatile bool	ticker_done;

static void
ticker_main(void *arg __unused)
{
	while (!ticker_stop) {
		ticker_count++;
		tsleep((const void *)&ticker_done, "tick", SBT_1MS);
	}
	ticker_done = true;
}

uint64_t	slice_expiry_count(int cpu);

/*
 * A user busy loop shares its CPU with a kernel thread that wakes every
 * millisecond: without preemption at the user boundary the thread would
 * never run again.
 */
KTEST(proc_user_preempt)
{
	struct proc *p;
	struct thread *td;
	u_long c0, c1;
	uint64_t s0;
	int cpu, error, st = -1;

	if (mp_ncpus < 2)
		KT_SKIP("needs a second CPU for the spinner");
	cpu = (int)((curcpu + 1) % mp_ncpus);
	ticker_count = 0;
	ticker_stop = ticker_done = false;
	error = kthread_add(ticker_main, NULL, &td, cpu, "ticker");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	error = spawn_prog(PROG(uspin), cpu, &p);
	KT_ASSERT(error == 0, "spawn: %d", error);
	tsleep(&c0, "settle", 50 * SBT_1MS);
	c0 = ticker_count;
	s0 = slice_expiry_count(cpu);
	tsleep(&c0, "spin", 300 * SBT_1MS);
	c1 = ticker_count;
	KT_CHECK(c1 - c0 >= 5, "the kernel thread ran %lu times in 300 ms "
	    "beside the spinner", c1 - c0);
	KT_CHECK(slice_expiry_count(cpu) > s0, "no time slice ended");
	kern_psignal(p, SIGKILL_NR);
	error = proc_wait(p, &st, 2 * SBT_1S);
	KT_CHECK(error == 0 && st == W_EXITCODE(0, SIGKILL_NR),
	    "SIGKILL: error %d status %#x", error, st);
	ticker_stop = true;
	for (int i = 0; i < 100 && !ticker_done; i++)
		tsleep(&c1, "tstop", 10 * SBT_1MS);
	KT_NOTE_OK("kernel thread ran %lu times in 300 ms beside a user "
	    "spinner", c1 - c0);
}

/*
 * Conformance: a program's lines ("NAME: ...") in our kernel against the
 * ones it printed on the build host (tests/user/glibc, mk/proc.mk).
 */
#define CONF_LINE_MAX	160

/* The next line of buf starting with prefix, from *posp; false at the end. */
static bool
next_line(const char *buf, size_t len, size_t *posp, const char *prefix,
    char *line)
{
	size_t plen = strlen(prefix);

	while (*posp < len) {
		const char *s = buf + *posp;
		size_t n = 0;

		while (*posp + n < len && s[n] != '\n')
			n++;
		*posp += n + 1;
		if (n >= plen && memcmp(s, prefix, plen) == 0) {
			n = MIN(n, (size_t)CONF_LINE_MAX - 1);
			memcpy(line, s, n);
			line[n] = '\0';
			return (true);
		}
	}
	return (false);
}

static void
conf_check(struct ktest_ctx *ktest_ctx, const char *name, const char *start,
    const char *end, const char *exp, const char *exp_end)
{
	char prefix[32], got[CONF_LINE_MAX], want[CONF_LINE_MAX];
	size_t gpos = 0, wpos = 0;
	int error, st = -1, n = 0;
	bool g, w;

	snprintf(prefix, sizeof(prefix), "%s: ", name);
	/*
	 * The programs' lines go to the capture alone: a burst of them
	 * overflowed the PV console's ring on a busy lab host (dropped
	 * characters, KTEST lines lost).  A mismatch is reported below.
	 */
	cons_capture(&cap_cons);
	error = run_prog(name, start, end, &st);
	cons_capture(NULL);
	KT_ASSERT(error == 0, "run: error %d", error);
	for (;;) {
		g = next_line(cap_buf, cap_len, &gpos, prefix, got);
		w = next_line(exp, (size_t)(exp_end - exp), &wpos, prefix, want);
		if (!g && !w)
			break;
		n++;
		KT_ASSERT(g && w && strcmp(got, want) == 0,
		    "line %d: got \"%s\", the host printed \"%s\"", n,
		    g ? got : "(nothing)", w ? want : "(nothing)");
	}
	KT_ASSERT(n > 0, "no output at all");
	KT_ASSERT(st == W_EXITCODE(0, 0), "wait status %#x (the host: 0)", st);
	KT_NOTE("%d lines as on the host", n);
}

#define CONF_TEST(name)							\
	extern const char user_exp_##name[], user_exp_##name##_end[];	\
	KTEST(proc_conf_##name)						\
	{								\
		conf_check(ktest_ctx, #name, user_prog_##name,		\
		    user_prog_##name##_end, user_exp_##name,		\
		    user_exp_##name##_end);				\
	}

USERPROG(gfork);
USERPROG(gsignal);
USERPROG(gthread);
USERPROG(gmem);
USERPROG(gstop);
USERPROG(gsigregs);
USERPROG(gcancel);
USERPROG(gclock);
USERPROG(gefault);
USERPROG(grobust);
USERPROG(galarm);
USERPROG(gsys);
CONF_TEST(gfork)
CONF_TEST(gsignal)
CONF_TEST(gthread)
CONF_TEST(gmem)
CONF_TEST(gstop)
CONF_TEST(gsigregs)
CONF_TEST(gcancel)
CONF_TEST(gclock)
CONF_TEST(gefault)
CONF_TEST(grobust)
CONF_TEST(galarm)
CONF_TEST(gsys)
