/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The first user process.  Once start-up is done (after the ktests and
 * the boot-time tools, which power off themselves) the kernel runs
 * init=PATH, /init by default, through the VFS's exec_file_open, or a
 * boot module taken as the program with init=module:N (no file system
 * needed).  Its parent is the kernel: a kernel thread waits for it and
 * powers the machine off with its status when it ends, 0 for a clean
 * exit (init ending is the end of the system).
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include "kern_proc_priv.h"

/* Until the VFS is linked in there is no file table. */
#pragma weak fdinit
#pragma weak fdfree

#define INIT_PATH_MAX	256

static char	init_path[INIT_PATH_MAX];
TUNABLE_STR("init", init_path, sizeof(init_path),
    "first user program: a path, or module:N for boot module N");

static char *init_argv[] = { NULL, NULL };
static char *init_envp[] = { "HOME=/", "TERM=linux",
    "PATH=/sbin:/bin:/usr/sbin:/usr/bin", NULL };

struct modimg {
	const char	*mi_base;
	uint64_t	mi_len;
};

static int
module_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct modimg *mi = arg;

	if (off > mi->mi_len || len > mi->mi_len - off)
		return (ENOEXEC);
	memcpy(buf, mi->mi_base + off, len);
	return (0);
}

/* Waits for init; its end is the system's. */
static void
initwait_main(void *arg)
{
	struct proc *p = arg;
	int st = 0, code;

	proc_wait(p, &st, 0);
	code = W_TERMSIG(st) != 0 ? 128 + W_TERMSIG(st) : W_EXITSTATUS(st);
	printf("init: exited with status %d%s\n", code,
	    W_TERMSIG(st) != 0 ? " (killed by a signal)" : "");
	kern_poweroff(code);
}

static int
init_from_module(struct proc *p, const char *spec, const char **whatp)
{
	struct modimg mi;
	struct exec_image img;
	uint64_t n;

	if (parse_uint64(spec, &n) != 0 || n >= (uint64_t)bootinfo.nmods)
		return (ENOENT);
	mi.mi_base = (const char *)PHYS_TO_DMAP(bootinfo.mods[n].paddr);
	mi.mi_len = bootinfo.mods[n].size;
	img.ei_read = module_read;
	img.ei_arg = &mi;
	img.ei_size = mi.mi_len;
	img.ei_path = "init";
	*whatp = "boot module";
	return (exec_spawn(p, &img, init_argv, init_envp));
}

static int
init_from_path(struct proc *p, const char *path)
{
	struct exec_image img;
	struct thread *td;
	int error;

	if (exec_file_open == NULL)
		return (ENOENT);
	/* The open runs on behalf of the new process (its root and cwd). */
	if ((error = uthread_create(p, &td)) != 0)
		return (error);
	td->td_utid = p->p_pid;
	error = exec_file_open(td, path, &img);
	if (error == 0) {
		img.ei_path = path;
		error = exec_image_activate(p, td, &img, init_argv, init_envp);
		if (exec_file_close != NULL)
			exec_file_close(&img);
	}
	if (error != 0) {
		uthread_destroy_unstarted(td);
		return (error);
	}
	proctree_lock();
	p->p_state = PRS_NORMAL;
	proctree_unlock();
	uthread_run(td);
	return (0);
}

static void
init_start(void *arg __unused)
{
	const char *path = init_path[0] != '\0' ? init_path : "/init";
	const char *what = "file";
	struct proc *p;
	int error;

	/* Without a file system nothing can be started unless asked to. */
	if (init_path[0] == '\0' && exec_file_open == NULL)
		return;
	if ((error = proc_create(NULL, "init", &p)) != 0) {
		printf("init: cannot make a process: error %d\n", error);
		return;
	}
	if (p->p_fd == NULL && fdinit != NULL)
		p->p_fd = fdinit();
	init_argv[0] = (char *)(uintptr_t)path;
	if (strncmp(path, "module:", 7) == 0)
		error = init_from_module(p, path + 7, &what);
	else
		error = init_from_path(p, path);
	if (error != 0) {
		printf("init: cannot start %s: error %d\n", path, error);
		proctree_lock();
		if (p->p_fd != NULL && fdfree != NULL)
			fdfree(p->p_fd);
		proc_free_locked(p);
		proctree_unlock();
		return;
	}
	initproc = p;
	printf("init: started %s (%s), pid %d\n", path, what, p->p_pid);
	if (kthread_add(initwait_main, p, NULL, 0, "initwait") != 0)
		printf("init: nobody waits for it\n");
}
/* After the ktests and boot tools (SI_SUB_LAST, SI_ORDER_ANY) had their say. */
SYSINIT(init_start, SI_SUB_LAST, SI_ORDER_ANY, init_start, NULL);
