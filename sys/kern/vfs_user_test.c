/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The file system from user mode: programs from the test initramfs run in
 * an empty directory with their output in a file (ur_out, absolute), and must print what
 * they printed on the build host (the .expected files, made by running the
 * same binaries there, mk/vfs.mk).  They are loaded through
 * exec_file_open and their calls go through the Linux handlers of
 * sys/compat/linux.  Skip without the initramfs.
 *  - /bin/fsconf (tests/vfs/user/fsconf.c, static glibc): file calls.
 *  - Debian's busybox sh running tests/vfs/user/shtest.sh: pipes,
 *    redirection, subshells, background jobs, the usual applets.
 *  - /bin/ttysig (tests/vfs/user/ttysig.c): the console as a controlling
 *    terminal, TIOCSTI input, ^C as SIGINT; its expected lines are
 *    written from the rules (there is no terminal for a host run).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/imgact_elf.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "kern_proc_priv.h"

#define FSCONF_OUT_MAX	16384

static int
read_whole(struct filedesc *fdp, const char *path, char *buf, size_t max,
    size_t *lenp)
{
	struct iovec iov;
	struct uio uio;
	int fd, error;

	error = kern_openat(fdp, AT_FDCWD, path, UIO_SYSSPACE, O_RDONLY, 0, &fd);
	if (error != 0)
		return (error);
	uio_init_sys(&uio, &iov, buf, max - 1, 0, UIO_READ);
	error = kern_read(fdp, fd, &uio);
	*lenp = max - 1 - (size_t)uio.uio_resid;
	buf[*lenp] = '\0';
	(void)kern_close(fdp, fd);
	return (error);
}

/* Line n (from 1) of buf into line (NUL-terminated); false past the end. */
static bool
nth_line(const char *buf, int n, char *line, size_t linelen)
{
	const char *s = buf, *e;

	for (int i = 1; i < n; i++) {
		s = strchr(s, '\n');
		if (s == NULL)
			return (false);
		s++;
	}
	if (*s == '\0')
		return (false);
	e = strchr(s, '\n');
	if (e == NULL)
		e = s + strlen(s);
	if ((size_t)(e - s) >= linelen)
		e = s + linelen - 1;
	memcpy(line, s, (size_t)(e - s));
	line[e - s] = '\0';
	return (true);
}

struct user_run {
	const char	*ur_prog;	/* in the initramfs */
	char *const	*ur_argv;
	const char	*ur_dir;	/* made empty; the program's cwd */
	const char	*ur_out;	/* its stdout and stderr */
	const char	*ur_expected;
};

/* Runs ur to its end (60 s at most); compares its output with the host's. */
static void
user_run_compare(struct ktest_ctx *ktest_ctx, const struct user_run *ur)
{
	struct filedesc *kfd = fdinit(), *pfd;
	char *envp[] = { "HOME=/", "PATH=/bin", NULL };
	char *got = NULL, *want = NULL, gl[128], wl[128];
	struct exec_image img;
	struct vattr va;
	struct proc *p;
	size_t glen, wlen;
	int fd, error, st = -1, n;
	sbintime_t t0;

	if (kern_fstatat(kfd, AT_FDCWD, ur->ur_prog, UIO_SYSSPACE, 0, &va) != 0 ||
	    kern_fstatat(kfd, AT_FDCWD, ur->ur_expected, UIO_SYSSPACE, 0,
	    &va) != 0) {
		fdfree(kfd);
		KT_SKIP("no %s (boot with the test initramfs)", ur->ur_prog);
	}
	(void)kern_mkdirat(kfd, AT_FDCWD, "/tmp", UIO_SYSSPACE, 01777);
	(void)kern_mkdirat(kfd, AT_FDCWD, ur->ur_dir, UIO_SYSSPACE, 0755);

	/* The process's table: its cwd, 0 /dev/null, 1 and 2 the output. */
	pfd = fdinit();
	error = kern_chdir(pfd, ur->ur_dir, UIO_SYSSPACE);
	if (error == 0)
		error = kern_openat(pfd, AT_FDCWD, "/dev/null", UIO_SYSSPACE,
		    O_RDWR, 0, &fd);
	if (error == 0)
		error = kern_openat(pfd, AT_FDCWD, ur->ur_out, UIO_SYSSPACE,
		    O_CREAT | O_WRONLY | O_TRUNC, 0644, &fd);
	if (error == 0)
		error = kern_dup2(pfd, 1, 2, 0, false, &fd);
	if (!KT_CHECK(error == 0, "setting up the descriptors: %d", error)) {
		fdfree(pfd);
		goto out;
	}
	error = exec_file_open(curthread, ur->ur_prog, &img);
	if (!KT_CHECK(error == 0, "exec_file_open: %d", error)) {
		fdfree(pfd);
		goto out;
	}
	error = proc_create(NULL, ur->ur_argv[0], &p);
	if (error == 0) {
		p->p_fd = pfd;
		error = exec_spawn(p, &img, ur->ur_argv, envp);
		if (error != 0) {
			p->p_fd = NULL;
			proctree_lock();
			proc_free_locked(p);
			proctree_unlock();
		}
	}
	exec_file_close(&img);
	if (!KT_CHECK(error == 0, "spawn: %d", error)) {
		fdfree(pfd);
		goto out;
	}
	t0 = sbinuptime();
	error = proc_wait(p, &st, 60 * SBT_1S);
	if (!KT_CHECK(error == 0, "the program did not end in 60 s")) {
		kern_psignal(p, 9);
		(void)proc_wait(p, NULL, 5 * SBT_1S);
		goto out;
	}
	got = malloc(FSCONF_OUT_MAX, M_TEMP, M_WAITOK);
	want = malloc(FSCONF_OUT_MAX, M_TEMP, M_WAITOK);
	error = read_whole(kfd, ur->ur_out, got, FSCONF_OUT_MAX, &glen);
	if (!KT_CHECK(error == 0, "reading its output: %d", error))
		goto out;
	error = read_whole(kfd, ur->ur_expected, want, FSCONF_OUT_MAX, &wlen);
	if (!KT_CHECK(error == 0, "reading the host's: %d", error))
		goto out;
	for (n = 1;; n++) {
		bool g = nth_line(got, n, gl, sizeof(gl));
		bool w = nth_line(want, n, wl, sizeof(wl));

		if (!g && !w)
			break;
		if (!KT_CHECK(g && w && strcmp(gl, wl) == 0,
		    "line %d: got \"%s\", the host printed \"%s\"", n,
		    g ? gl : "(nothing)", w ? wl : "(nothing)"))
			goto out;
	}
	KT_CHECK(st == 0, "exit status %#x", st);
	KT_NOTE_OK("%d lines as %s says, %jd ms", n - 1, ur->ur_expected,
	    (intmax_t)sbttoms(sbinuptime() - t0));
out:
	free(got, M_TEMP);
	free(want, M_TEMP);
	fdfree(kfd);
}

KTEST(vfs_user_fsconf)
{
	static char *const argv[] = { "fsconf", NULL };
	static const struct user_run ur = { "/bin/fsconf", argv,
	    "/tmp/fsconf.run", "/tmp/fsconf.run/out", "/fsconf.expected" };

	user_run_compare(ktest_ctx, &ur);
}

KTEST(vfs_user_busybox_sh)
{
	static char *const argv[] = { "sh", "/shtest.sh", NULL };
	/* The host ran it in a directory named run, its output one level up. */
	static const struct user_run ur = { "/bin/busybox", argv,
	    "/tmp/shtest/run", "/tmp/shtest/out", "/shtest.expected" };
	struct filedesc *fdp = fdinit();

	(void)kern_mkdirat(fdp, AT_FDCWD, "/tmp", UIO_SYSSPACE, 01777);
	(void)kern_mkdirat(fdp, AT_FDCWD, "/tmp/shtest", UIO_SYSSPACE, 0755);
	fdfree(fdp);
	user_run_compare(ktest_ctx, &ur);
}

KTEST(vfs_user_tty_sigint)
{
	static char *const argv[] = { "ttysig", NULL };
	static const struct user_run ur = { "/bin/ttysig", argv,
	    "/tmp/ttysig.run", "/tmp/ttysig.run/out", "/ttysig.expected" };

	user_run_compare(ktest_ctx, &ur);
}
