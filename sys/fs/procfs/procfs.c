/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * procfs: /proc/self and /proc/<pid>/{stat,status,cmdline,comm,exe}, what
 * glibc and busybox read, in Linux's formats.  Nodes are made per lookup
 * and freed with their last reference (only the root is permanent), so
 * the file system keeps no state; a file's text is made from struct proc
 * under the proctree lock when it is read.  A process gone since the
 * lookup reads as ESRCH.
 *
 * maps and fd/ (one link per open descriptor) are the reader's own
 * process's only (EACCES for another's): its address space and file table
 * cannot go or be replaced while one of its threads is in a system call
 * (exit and execve wait for the others), another process's can.  A
 * descriptor's link names a pipe or socket Linux's way ("pipe:[ino]") and
 * a directory by its path; other files have no name kept (ENOENT, which
 * glibc's ttyname answers by searching /dev).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <machine/atomic.h>

#include <vm/vm_map.h>

#include <kern/kern_proc_priv.h>

MALLOC_DEFINE(M_PROCFS, "procfs", "procfs nodes");

enum pfstype { PFS_ROOT, PFS_SELF, PFS_PIDDIR, PFS_STAT, PFS_STATUS,
    PFS_CMDLINE, PFS_COMM, PFS_EXE, PFS_MAPS, PFS_FDDIR, PFS_FD };

struct pfsnode {
	enum pfstype	pn_type;
	pid_t		pn_pid;
	int		pn_fd;		/* PFS_FD */
};

static const struct {
	const char	*name;
	enum pfstype	type;
} procfs_files[] = {
	{ "stat", PFS_STAT },
	{ "status", PFS_STATUS },
	{ "cmdline", PFS_CMDLINE },
	{ "comm", PFS_COMM },
	{ "exe", PFS_EXE },	/* a link: the program's path */
	{ "maps", PFS_MAPS },
	{ "fd", PFS_FDDIR },
};

#define PFS_TEXT_MAX	512
#define PFS_NS_PER_TICK	10000000ULL	/* clock ticks: AT_CLKTCK, 100 Hz */
#define PFS_INO(pid, t)	((uint64_t)(pid) << 4 | (uint64_t)(t))
/* A descriptor's link: above every per-pid number (pids are below 2^31). */
#define PFS_FD_INO(pid, fd) \
	(1ULL << 40 | (uint64_t)(pid) << 20 | (uint64_t)(fd))
#define PFS_MAPS_LINE	128	/* one maps line at most */

static const struct vop_vector procfs_vnops;

static enum vtype
procfs_vtype(enum pfstype type)
{
	if (type == PFS_ROOT || type == PFS_PIDDIR || type == PFS_FDDIR)
		return (VDIR);
	if (type == PFS_SELF || type == PFS_EXE || type == PFS_FD)
		return (VLNK);
	return (VREG);
}

static struct vnode *
procfs_node(struct mount *mp, enum pfstype type, pid_t pid, int fd)
{
	struct pfsnode *pn = malloc(sizeof(*pn), M_PROCFS, M_WAITOK);

	pn->pn_type = type;
	pn->pn_pid = pid;
	pn->pn_fd = fd;
	return (vnode_alloc(mp, &procfs_vnops, procfs_vtype(type), pn));
}

/* The reader's own file table, if pn is about the reader's process. */
static struct filedesc *
procfs_own_fd(const struct pfsnode *pn)
{
	struct proc *p = curthread->td_proc;

	if (p == NULL || p->p_pid != pn->pn_pid)
		return (NULL);
	return (p->p_fd);
}

/* Numeric name: the number, or -1. */
static int64_t
procfs_number(const char *name, size_t len)
{
	int64_t v = 0;

	if (len == 0)
		return (-1);
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9' || v > INT32_MAX / 10)
			return (-1);
		v = v * 10 + (name[i] - '0');
	}
	return (v);
}

static bool
procfs_pid_exists(pid_t pid)
{
	struct proc *p;

	proctree_lock();
	p = pfind_locked(pid);
	proctree_unlock();
	return (p != NULL);
}

static int
procfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct pfsnode *dn = dvp->v_data;
	struct filedesc *fdp;
	struct file *fp;
	int64_t n;

	if (dn->pn_type == PFS_ROOT) {
		if (len == 4 && memcmp(name, "self", 4) == 0) {
			*vpp = procfs_node(dvp->v_mount, PFS_SELF, 0, 0);
			return (0);
		}
		n = procfs_number(name, len);
		if (n <= 0 || !procfs_pid_exists((pid_t)n))
			return (ENOENT);
		*vpp = procfs_node(dvp->v_mount, PFS_PIDDIR, (pid_t)n, 0);
		return (0);
	}
	if (dn->pn_type == PFS_FDDIR) {
		if ((fdp = procfs_own_fd(dn)) == NULL)
			return (EACCES);
		n = procfs_number(name, len);
		if (n < 0 || fget(fdp, (int)n, &fp) != 0)
			return (ENOENT);
		(void)fdrop(fp);
		*vpp = procfs_node(dvp->v_mount, PFS_FD, dn->pn_pid, (int)n);
		return (0);
	}
	for (size_t i = 0; i < nitems(procfs_files); i++) {
		if (strlen(procfs_files[i].name) == len &&
		    memcmp(procfs_files[i].name, name, len) == 0) {
			*vpp = procfs_node(dvp->v_mount, procfs_files[i].type,
			    dn->pn_pid, 0);
			return (0);
		}
	}
	return (ENOENT);
}

static char
procfs_state(const struct proc *p)
{
	const struct thread *td;

	if (p->p_state == PRS_ZOMBIE)
		return ('Z');
	TAILQ_FOREACH(td, &p->p_threads, td_plist) {
		if (td->td_state == TDS_RUNNING || td->td_state == TDS_RUNQ)
			return ('R');
	}
	return ('S');
}

/* The file's text for process pid; ESRCH if it is gone. */
static int
procfs_text(const struct pfsnode *pn, char *buf, size_t len, size_t *outlen)
{
	struct proc *p;
	pid_t pgid, sid;
	int n = 0;
	char st;

	proctree_lock();
	p = pfind_locked(pn->pn_pid);
	if (p == NULL) {
		proctree_unlock();
		return (ESRCH);
	}
	pgid = p->p_pgrp != NULL ? p->p_pgrp->pg_id : 0;
	sid = p->p_pgrp != NULL && p->p_pgrp->pg_session != NULL ?
	    p->p_pgrp->pg_session->s_sid : 0;
	st = procfs_state(p);
	switch (pn->pn_type) {
	case PFS_STAT: {
		uint64_t total, sys;

		/*
		 * Fields 1-24 of proc(5); CPU times in clock ticks (100 Hz),
		 * the children's once reaped; memory not counted yet.
		 */
		proc_cputime(p, &total, &sys);
		n = snprintf(buf, len, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 "
		    "%lu %lu %lu %lu 20 0 %d 0 0 0 0\n", p->p_pid, p->p_comm,
		    st, p->p_ppid, pgid, sid,
		    (u_long)((total - sys) / PFS_NS_PER_TICK),
		    (u_long)(sys / PFS_NS_PER_TICK),
		    (u_long)((p->p_cruntime - MIN(p->p_csystime,
		    p->p_cruntime)) / PFS_NS_PER_TICK),
		    (u_long)(p->p_csystime / PFS_NS_PER_TICK), p->p_numthreads);
		break;
	}
	case PFS_STATUS:
		n = snprintf(buf, len, "Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\n"
		    "Pid:\t%d\nPPid:\t%d\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
		    "Threads:\t%d\n", p->p_comm, st,
		    st == 'R' ? "running" : st == 'Z' ? "zombie" : "sleeping",
		    p->p_pid, p->p_pid, p->p_ppid, p->p_numthreads);
		break;
	case PFS_CMDLINE:
		/* The argument strings live in the process's memory: the name. */
		n = snprintf(buf, len, "%s", p->p_comm) + 1;
		break;
	case PFS_COMM:
		n = snprintf(buf, len, "%s\n", p->p_comm);
		break;
	default:
		break;
	}
	proctree_unlock();
	*outlen = n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
	return (0);
}

/* One maps line for e into buf (PFS_MAPS_LINE), Linux's columns. */
static size_t
procfs_maps_line(const struct vmspace *vs, const struct vm_map_entry *e,
    char *buf)
{
	const char *name = "";
	int n;

	if (e->me_flags & MAP_ENTRY_STACK)
		name = "[stack]";
	else if (e->me_pager == NULL &&
	    e->me_start >= round_page(vs->vm_brk_base) &&
	    e->me_end <= round_page(vs->vm_brk))
		name = "[heap]";	/* brk's entries, one per move up */
	/* Device and inode: not kept with a mapping (0, as anonymous). */
	n = snprintf(buf, PFS_MAPS_LINE, "%08lx-%08lx %c%c%c%c %08lx 00:00 0",
	    (u_long)e->me_start, (u_long)e->me_end,
	    (e->me_prot & VM_PROT_READ) ? 'r' : '-',
	    (e->me_prot & VM_PROT_WRITE) ? 'w' : '-',
	    (e->me_prot & VM_PROT_EXEC) ? 'x' : '-',
	    (e->me_flags & MAP_ENTRY_SHARED) || e->me_shared != NULL ?
	    's' : 'p', e->me_pager != NULL ? (u_long)e->me_offset : 0UL);
	if (*name != '\0')
		n += snprintf(buf + n, PFS_MAPS_LINE - (size_t)n, "%*s%s",
		    MAX(73 - n, 1), "", name);
	n += snprintf(buf + n, PFS_MAPS_LINE - (size_t)n, "\n");
	return (MIN((size_t)n, (size_t)PFS_MAPS_LINE - 1));
}

/*
 * /proc/<own pid>/maps.  The text is made whole (its size bounded by
 * VM_MAX_ENTRIES lines) and the read's window copied from it.
 */
static int
procfs_maps_read(const struct pfsnode *pn, struct uio *uio)
{
	struct proc *p = curthread->td_proc;
	struct vmspace *vs;
	struct vm_map_entry *e;
	size_t cap, len = 0;
	char *buf;
	int error;

	if (p == NULL || p->p_pid != pn->pn_pid || p->p_vmspace == NULL)
		return (EACCES);
	vs = p->p_vmspace;
	/*
	 * No allocation under vm_mtx: room for the entries there are now and
	 * a few more (another thread's mmap meanwhile); past that the text
	 * ends early, as a snapshot.
	 */
	cap = (size_t)(MIN(vs->vm_nentries, VM_MAX_ENTRIES) + 8) *
	    PFS_MAPS_LINE;
	buf = malloc(cap, M_PROCFS, M_WAITOK);
	if (buf == NULL)
		return (ENOMEM);
	mtx_lock(&vs->vm_mtx);
	TAILQ_FOREACH(e, &vs->vm_entries, me_link) {
		if (len + PFS_MAPS_LINE > cap)
			break;
		len += procfs_maps_line(vs, e, buf + len);
	}
	mtx_unlock(&vs->vm_mtx);
	error = uiomove_frombuf(buf, len, uio);
	free(buf, M_PROCFS);
	return (error);
}

static int
procfs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	char buf[PFS_TEXT_MAX];
	size_t len;
	int error;

	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? EISDIR : EINVAL);
	if (((struct pfsnode *)vp->v_data)->pn_type == PFS_MAPS)
		return (procfs_maps_read(vp->v_data, uio));
	error = procfs_text(vp->v_data, buf, sizeof(buf), &len);
	if (error == 0)
		error = uiomove_frombuf(buf, len, uio);
	return (error);
}

static int
procfs_getattr(struct vnode *vp, struct vattr *vap)
{
	struct pfsnode *pn = vp->v_data;

	vap->va_type = vp->v_type;
	vap->va_mode = vp->v_type == VDIR ? S_IFDIR | 0555 :
	    vp->v_type == VLNK ? S_IFLNK | 0777 : S_IFREG | 0444;
	vap->va_nlink = vp->v_type == VDIR ? 2 : 1;
	vap->va_ino = pn->pn_type == PFS_FD ? PFS_FD_INO(pn->pn_pid,
	    pn->pn_fd) : PFS_INO(pn->pn_pid, pn->pn_type);
	vap->va_fsid = vp->v_mount->mnt_fsid;
	vap->va_blksize = PAGE_SIZE;
	return (0);
}

/* fd/N: "pipe:[ino]", "socket:[ino]", or an open directory's path. */
static int
procfs_fd_readlink(const struct pfsnode *pn, struct uio *uio)
{
	struct filedesc *fdp = procfs_own_fd(pn);
	struct vnode *vp = NULL, *rdir;
	struct vattr va;
	struct file *fp;
	char *buf;
	int error;

	if (fdp == NULL)
		return (EACCES);
	if (fget(fdp, pn->pn_fd, &fp) != 0)
		return (ENOENT);	/* closed since the lookup */
	buf = malloc(PATH_MAX, M_PROCFS, M_WAITOK);
	if (buf == NULL) {
		(void)fdrop(fp);
		return (ENOMEM);
	}
	error = ENOENT;
	if (fp->f_type == DTYPE_PIPE || fp->f_type == DTYPE_SOCKET) {
		memset(&va, 0, sizeof(va));
		error = fp->f_ops->fo_stat != NULL ? fp->f_ops->fo_stat(fp,
		    &va) : ENOENT;
		if (error == 0)
			snprintf(buf, PATH_MAX, "%s:[%lu]", fp->f_type ==
			    DTYPE_PIPE ? "pipe" : "socket", (u_long)va.va_ino);
	} else if (fp->f_type == DTYPE_VNODE && fp->f_vnode != NULL &&
	    fp->f_vnode->v_type == VDIR) {
		vp = fp->f_vnode;
		vref(vp);
	}
	(void)fdrop(fp);
	if (vp != NULL) {
		mtx_lock(&fdp->fd_lock);
		rdir = fdp->fd_rdir;
		vref(rdir);
		mtx_unlock(&fdp->fd_lock);
		error = vn_dirpath(vp, rdir, buf, PATH_MAX);
	}
	if (error == 0)
		error = uiomove(buf, strlen(buf), uio);
	free(buf, M_PROCFS);
	return (error);
}

static int
procfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct pfsnode *pn = vp->v_data;
	struct proc *p = curthread->td_proc;
	char buf[16], *exe = NULL;
	size_t n = 0;
	int error;

	if (vp->v_type != VLNK)
		return (EINVAL);
	if (pn->pn_type == PFS_FD)
		return (procfs_fd_readlink(pn, uio));
	if (pn->pn_type == PFS_EXE) {
		/* Copied out of the lock: uiomove may fault. */
		proctree_lock();
		p = pfind_locked(pn->pn_pid);
		if (p != NULL && p->p_exe != NULL) {
			n = strlen(p->p_exe);
			exe = malloc(n + 1, M_PROCFS, M_NOWAIT);
			if (exe != NULL)
				memcpy(exe, p->p_exe, n + 1);
		}
		proctree_unlock();
		if (exe == NULL)
			return (p == NULL ? ESRCH : ENOENT);
		error = uiomove(exe, n, uio);
		free(exe, M_PROCFS);
		return (error);
	}
	if (p == NULL)
		return (ENOENT);	/* a kernel thread has no self */
	n = (size_t)snprintf(buf, sizeof(buf), "%d", p->p_pid);
	return (uiomove(buf, n, uio));
}

/* fd/: one entry per open descriptor; cookie 2 + fd resumes at fd. */
static int
procfs_fd_readdir(const struct pfsnode *pn, off_t *cookie,
    vop_dirent_cb_t *cb, void *arg)
{
	struct filedesc *fdp = procfs_own_fd(pn);
	char name[16];

	if (fdp == NULL)
		return (EACCES);
	for (;;) {
		int fd = -1;
		size_t n;

		/* The next open one, found under the lock, given without. */
		mtx_lock(&fdp->fd_lock);
		for (int i = (int)MIN(*cookie - 2, (off_t)INT32_MAX);
		    i <= fdp->fd_lastfile; i++) {
			if (fdp->fd_ofiles[i].fde_file != NULL) {
				fd = i;
				break;
			}
		}
		mtx_unlock(&fdp->fd_lock);
		if (fd < 0)
			return (0);
		n = (size_t)snprintf(name, sizeof(name), "%d", fd);
		if (cb(arg, name, n, PFS_FD_INO(pn->pn_pid, fd), VLNK,
		    (off_t)fd + 3))
			return (0);
		*cookie = (off_t)fd + 3;
	}
}

/* Root entries: ".", "..", "self", then pids in increasing order. */
static int
procfs_readdir(struct vnode *vp, off_t *cookie, vop_dirent_cb_t *cb, void *arg)
{
	struct pfsnode *pn = vp->v_data;
	char name[16];

	if (vp->v_type != VDIR)
		return (ENOTDIR);
	if (*cookie == 0) {
		if (cb(arg, ".", 1, PFS_INO(pn->pn_pid, pn->pn_type), VDIR, 1))
			return (0);
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (cb(arg, "..", 2, PFS_INO(0, PFS_ROOT), VDIR, 2))
			return (0);
		*cookie = 2;
	}
	if (pn->pn_type == PFS_PIDDIR) {
		for (off_t i = *cookie - 2; i < (off_t)nitems(procfs_files); i++) {
			const char *f = procfs_files[i].name;

			if (cb(arg, f, strlen(f), PFS_INO(pn->pn_pid,
			    procfs_files[i].type),
			    procfs_vtype(procfs_files[i].type), i + 3))
				return (0);
			*cookie = i + 3;
		}
		return (0);
	}
	if (pn->pn_type == PFS_FDDIR)
		return (procfs_fd_readdir(pn, cookie, cb, arg));
	if (*cookie == 2) {
		if (cb(arg, "self", 4, PFS_INO(0, PFS_SELF), VLNK, 3))
			return (0);
		*cookie = 3;
	}
	/* Cookie 3 + pid: resume at the first pid not yet given. */
	for (;;) {
		struct proc *p, *next = NULL;
		pid_t want = (pid_t)(*cookie - 3), pid;
		size_t n;

		proctree_lock();
		LIST_FOREACH(p, &allproc, p_list) {
			if (p->p_pid >= want && p->p_state != PRS_NEW &&
			    (next == NULL || p->p_pid < next->p_pid))
				next = p;
		}
		pid = next != NULL ? next->p_pid : -1;
		proctree_unlock();
		if (pid < 0)
			return (0);
		n = (size_t)snprintf(name, sizeof(name), "%d", pid);
		if (cb(arg, name, n, PFS_INO(pid, PFS_PIDDIR), VDIR,
		    (off_t)pid + 4))
			return (0);
		*cookie = (off_t)pid + 4;
	}
}

static void
procfs_release(struct vnode *vp)
{
	struct pfsnode *pn = vp->v_data;

	/* Nothing else can find a per-lookup node: the count is ours. */
	if (atomic_fetchadd_int(&vp->v_usecount, -1) == 1 &&
	    pn->pn_type != PFS_ROOT) {
		free(pn, M_PROCFS);
		vp->v_data = NULL;
		vnode_free(vp);
	}
}

static int
procfs_parent(struct vnode *dvp, struct vnode **vpp)
{
	struct pfsnode *pn = dvp->v_data;

	if (pn->pn_type == PFS_FDDIR) {
		*vpp = procfs_node(dvp->v_mount, PFS_PIDDIR, pn->pn_pid, 0);
		return (0);
	}
	*vpp = dvp->v_mount->mnt_rootvp;
	vref(*vpp);
	return (0);
}

static const struct vop_vector procfs_vnops = {
	.vop_lookup = procfs_lookup,
	.vop_read = procfs_read,
	.vop_getattr = procfs_getattr,
	.vop_readdir = procfs_readdir,
	.vop_readlink = procfs_readlink,
	.vop_release = procfs_release,
	.vop_parent = procfs_parent,
};

static int
procfs_mount(struct mount *mp, const char *args)
{
	mp->mnt_rootvp = procfs_node(mp, PFS_ROOT, 0, 0);
	return (0);
}

static const struct vfsops procfs_vfsops = {
	.vfs_name = "procfs",
	.vfs_mount = procfs_mount,
};
VFS_REGISTER(procfs_vfsops);
