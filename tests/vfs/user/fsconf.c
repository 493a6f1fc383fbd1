/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * File-system conformance: file, directory, link, descriptor, pipe, poll
 * and mmap calls with their results and errno names printed one per line
 * ("fsconf: ..."), for output compared between this host (Linux) and our
 * kernel.  Only what both must agree on is printed: no inode numbers,
 * times or directory sizes; directory listings are sorted.  Runs in an
 * empty scratch directory (its current directory).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EEXIST: return "EEXIST";
	case ELOOP: return "ELOOP";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case EMFILE: return "EMFILE";
	case EPIPE: return "EPIPE";
	case EAGAIN: return "EAGAIN";
	case ESPIPE: return "ESPIPE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EXDEV: return "EXDEV";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	case EFAULT: return "EFAULT";
	case EADDRINUSE: return "EADDRINUSE";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENOTCONN: return "ENOTCONN";
	case ENOTSOCK: return "ENOTSOCK";
	default: return "other";
	}
}

#define T(what, expr) do {						\
	errno = 0;							\
	long r_ = (long)(expr);						\
	printf("fsconf: %s = %ld %s\n", what, r_ < 0 ? -1L : r_,	\
	    r_ < 0 ? ename(errno) : "ok");				\
} while (0)

static int
cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static void
list(const char *dir)
{
	char *names[64];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		printf("fsconf: opendir %s %s\n", dir, ename(errno));
		return;
	}
	while ((de = readdir(d)) != NULL && n < 64)
		names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("fsconf: ls %s:", dir);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static int
lk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = (short)whence,
	    .l_start = start, .l_len = len };

	return (fcntl(fd, cmd, &fl));
}

/* F_GETLK (or F_OFD_GETLK) on [start, start+len): what is in the way. */
static void
getlk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };
	int r = fcntl(fd, cmd, &fl);

	printf("fsconf: getlk %s %jd+%jd = %d: %s", type == F_RDLCK ? "rd" :
	    "wr", (intmax_t)start, (intmax_t)len, r, fl.l_type == F_UNLCK ?
	    "unlocked\n" : fl.l_type == F_RDLCK ? "rd" : "wr");
	if (r == 0 && fl.l_type != F_UNLCK)
		printf(" at %jd+%jd by %s\n", (intmax_t)fl.l_start,
		    (intmax_t)fl.l_len, fl.l_pid == -1 ? "an open file" :
		    fl.l_pid == getppid() ? "the parent" : fl.l_pid == getpid() ?
		    "me" : "someone else");
}

/* /proc/self/fd/FD's link into buf; its length or -1 (errno). */
static int
fdlink(int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	return ((int)n);
}

/* Whether /proc/self/fd lists fd, as a link. */
static int
fdlisted(int fd)
{
	char want[16];
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int found = 0;

	snprintf(want, sizeof(want), "%d", fd);
	while (d != NULL && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, want) == 0 && de->d_type == DT_LNK)
			found = 1;
	if (d != NULL)
		closedir(d);
	return (found);
}

/*
 * The /proc/self/maps line holding address a: its permissions and
 * offset columns and its name ("" if none) in perm, off and name.
 */
static int
mapsat(const void *a, char perm[8], unsigned long *off, char name[32])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;
		char *br;

		if (sscanf(line, "%lx-%lx %7s %lx", &lo, &hi, perm, off) != 4 ||
		    (uintptr_t)a < lo || (uintptr_t)a >= hi)
			continue;
		found = 1;
		br = strchr(line, '[');
		snprintf(name, 32, "%.*s", br != NULL ?
		    (int)strcspn(br, "\n") : 0, br != NULL ? br : "");
	}
	if (f != NULL)
		fclose(f);
	return (found);
}

/* /proc/self/fd and /proc/self/maps: what both kernels agree on. */
static void
procself(void)
{
	char l0[256], l1[256], cwd[256], want[300], perm[8], name[32];
	int pp[2], sv[2], dfd, ffd, n;
	unsigned long off;
	char *a, *s, *m, *h;

	T("pipe for links", pipe(pp));
	T("socketpair for links", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	n = fdlink(pp[0], l0, sizeof(l0));
	fdlink(pp[1], l1, sizeof(l1));
	printf("fsconf: fd link of a pipe 'pipe:[N]' %d, both ends the same %d\n",
	    n > 7 && strncmp(l0, "pipe:[", 6) == 0 && l0[n - 1] == ']',
	    strcmp(l0, l1) == 0);
	n = fdlink(sv[0], l0, sizeof(l0));
	fdlink(sv[1], l1, sizeof(l1));
	printf("fsconf: fd link of a socket 'socket:[N]' %d, the ends differ "
	    "%d\n", n > 9 && strncmp(l0, "socket:[", 8) == 0 &&
	    l0[n - 1] == ']', strcmp(l0, l1) != 0);
	T("mkdir fdl", mkdir("fdl", 0755));
	T("open dir fdl", dfd = open("fdl", O_RDONLY | O_DIRECTORY));
	fdlink(dfd, l0, sizeof(l0));
	snprintf(want, sizeof(want), "%s/fdl", getcwd(cwd, sizeof(cwd)));
	printf("fsconf: fd link of a directory is its path %d\n",
	    strcmp(l0, want) == 0);
	printf("fsconf: fd listed: pipe %d socket %d dir %d\n", fdlisted(pp[0]),
	    fdlisted(sv[1]), fdlisted(dfd));
	/* Far above the lowest free number, which opendir itself takes. */
	T("dup2 dir to 40", dup2(dfd, 40));
	printf("fsconf: fd 40 listed %d\n", fdlisted(40));
	T("close dir", close(dfd));
	T("close 40", close(40));
	printf("fsconf: closed fd 40 listed %d\n", fdlisted(40));
	T("readlink closed fd", fdlink(40, l0, sizeof(l0)));
	T("readlink fd 999", fdlink(999, l0, sizeof(l0)));
	T("rmdir fdl", rmdir("fdl"));
	close(pp[0]);
	close(pp[1]);
	close(sv[0]);
	close(sv[1]);

	/* An mprotect in the middle splits the mapping in three lines. */
	a = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T("mmap 3 pages", a == MAP_FAILED ? -1 : 0);
	T("mprotect middle", mprotect(a + 4096, 4096, PROT_READ | PROT_WRITE));
	printf("fsconf: maps at the 3 pages:");
	for (int i = 0; i < 3; i++)
		printf(" %s", mapsat(a + i * 4096, perm, &off, name) ? perm : "none");
	printf("\n");
	T("munmap middle", munmap(a + 4096, 4096));
	printf("fsconf: maps of the hole %d\n", mapsat(a + 4096, perm, &off, name));
	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	printf("fsconf: maps of shared anonymous %s\n", mapsat(s, perm, &off,
	    name) ? perm : "none");
	T("open d/f for maps", ffd = open("d/f", O_RDONLY));
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ffd, 0);
	printf("fsconf: maps of a file %s offset %lu\n", mapsat(m, perm, &off,
	    name) ? perm : "none", off);
	close(ffd);
	printf("fsconf: maps of the stack %s\n", mapsat(&n, perm, &off, name) ?
	    name : "none");
	h = sbrk(4096);
	printf("fsconf: maps of the break %s %s\n", mapsat(h, perm, &off,
	    name) ? perm : "none", name);
}

/* sendmsg of len bytes of data with n descriptors from fds (SCM_RIGHTS). */
static long
sendfds(int s, const char *data, size_t len, const int *fds, int n)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 256)];
	} c;
	struct iovec iov = { (void *)data, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = n > 0 ? c.buf : NULL,
	    .msg_controllen = n > 0 ? CMSG_SPACE(sizeof(int) * n) : 0 };

	memset(&c, 0, sizeof(c));
	c.h.cmsg_len = CMSG_LEN(sizeof(int) * n);
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(&c.h), fds, sizeof(int) * n);
	return (sendmsg(s, &mh, 0));
}

/*
 * recvmsg into buf (len bytes) with room for room descriptors; prints
 * what came: bytes, flags, descriptors; the first one in *fdp (or -1).
 */
static void
recvfds(const char *what, int s, int room, int flags, int *fdp)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 8)];
	} c;
	char data[16];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = room > 0 ? c.buf : NULL,
	    .msg_controllen = room > 0 ? CMSG_SPACE(sizeof(int) * room) : 0 };
	struct cmsghdr *h;
	long n;
	int got = 0;

	*fdp = -1;
	errno = 0;
	n = recvmsg(s, &mh, flags);
	for (h = CMSG_FIRSTHDR(&mh); n >= 0 && h != NULL; h = CMSG_NXTHDR(&mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		got += (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (*fdp < 0 && got > 0)
			memcpy(fdp, CMSG_DATA(h), sizeof(int));
	}
	printf("fsconf: %s: %ld bytes '%.*s' %s, %d fds, ctrunc %d\n", what, n,
	    (int)(n > 0 ? n : 0), data, n < 0 ? ename(errno) : "ok", got,
	    n >= 0 && (mh.msg_flags & MSG_CTRUNC) != 0);
}

/* SCM_RIGHTS over a stream socket pair, with its failure paths. */
static void
scmrights(void)
{
	int sv[2], pp[2], fds[256], rfd, fd2;
	char c = 0;

	T("socketpair for rights", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	T("pipe for rights", pipe(pp));
	T("sendmsg 1 byte + pipe write end", sendfds(sv[0], "x", 1, &pp[1], 1));
	recvfds("recvmsg", sv[1], 1, 0, &rfd);
	printf("fsconf: received fd is new %d\n", rfd >= 0 && rfd != pp[1]);
	T("write through received fd", write(rfd, "y", 1));
	T("read from the pipe", read(pp[0], &c, 1));
	printf("fsconf: pipe carried '%c'\n", c);
	T("F_GETFD received", fcntl(rfd, F_GETFD));
	close(rfd);

	T("sendmsg with cloexec wanted", sendfds(sv[0], "x", 1, &pp[1], 1));
	recvfds("recvmsg cmsg_cloexec", sv[1], 1, MSG_CMSG_CLOEXEC, &rfd);
	T("F_GETFD cloexec", fcntl(rfd, F_GETFD));
	close(rfd);

	/* Room for one of two: MSG_CTRUNC, the other is closed. */
	fds[0] = pp[1];
	fds[1] = pp[0];
	T("sendmsg 2 fds", sendfds(sv[0], "x", 1, fds, 2));
	recvfds("recvmsg room for 1", sv[1], 1, 0, &rfd);
	close(rfd);
	T("sendmsg again", sendfds(sv[0], "z", 1, fds, 1));
	recvfds("recvmsg without room", sv[1], 0, 0, &rfd);

	/* A read stops after the bytes sent with the files. */
	T("sendmsg ab + fd", sendfds(sv[0], "ab", 2, &pp[1], 1));
	T("write cd", write(sv[0], "cd", 2));
	recvfds("recvmsg at the rights", sv[1], 1, 0, &rfd);
	close(rfd);
	recvfds("recvmsg after", sv[1], 1, 0, &rfd);

	/* Nothing sent with no data; bad descriptors and headers. */
	T("sendmsg 0 bytes + fd", sendfds(sv[0], "", 0, &pp[1], 1));
	recvfds("recvmsg nothing", sv[1], 1, MSG_DONTWAIT, &rfd);
	fd2 = 999;
	T("sendmsg bad fd", sendfds(sv[0], "x", 1, &fd2, 1));
	for (int i = 0; i < 254; i++)
		fds[i] = pp[0];
	T("sendmsg 254 fds", sendfds(sv[0], "x", 1, fds, 254));
	T("sendmsg 253 fds", sendfds(sv[0], "x", 1, fds, 253));
	recvfds("recvmsg 253 with room for 8", sv[1], 8, 0, &rfd);
	for (int i = 0; i < 8; i++)
		close(rfd + i);
	{
		struct cmsghdr h = { .cmsg_len = 8, .cmsg_level = SOL_SOCKET,
		    .cmsg_type = SCM_RIGHTS };
		struct iovec iov = { "x", 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = &h, .msg_controllen = sizeof(h) };

		T("sendmsg short cmsg_len", sendmsg(sv[0], &mh, 0));
		h.cmsg_len = sizeof(h);
		h.cmsg_type = 99;
		T("sendmsg unknown type", sendmsg(sv[0], &mh, 0));
		mh.msg_control = (void *)16;
		mh.msg_controllen = sizeof(h);
		T("sendmsg control at a bad address", sendmsg(sv[0], &mh, 0));
	}

	/* A plain read closes what came: the pipe's last writer goes. */
	T("sendmsg to be read plainly", sendfds(sv[0], "w", 1, &pp[1], 1));
	T("close own write end", close(pp[1]));
	T("read plainly", read(sv[1], &c, 1));
	T("nonblocking pipe", fcntl(pp[0], F_SETFL, O_NONBLOCK));
	T("read pipe: end of file", read(pp[0], &c, 1));
	close(pp[0]);
	close(sv[0]);
	close(sv[1]);
}

/* close_range(2), through syscall(): which descriptors it leaves. */
static void
closerange(void)
{
	int fd;

	T("open /dev/null for close_range", fd = open("/dev/null", O_RDONLY));
	for (int i = 50; i <= 52; i++)
		dup2(fd, i);
	dup2(fd, 60);
	close(fd);
	T("close_range 50-52", syscall(SYS_close_range, 50, 52, 0));
	T("F_GETFD 51 after", fcntl(51, F_GETFD));
	T("F_GETFD 60 untouched", fcntl(60, F_GETFD));
	T("close_range 60 cloexec", syscall(SYS_close_range, 60, 60,
	    CLOSE_RANGE_CLOEXEC));
	T("F_GETFD 60 cloexec", fcntl(60, F_GETFD));
	T("close_range first > last", syscall(SYS_close_range, 61, 60, 0));
	T("close_range bad flags", syscall(SYS_close_range, 60, 60, 1));
	T("close_range nothing open", syscall(SYS_close_range, 70, ~0U, 0));
	T("close_range 60 to the end", syscall(SYS_close_range, 60, ~0U, 0));
	T("F_GETFD 60 after", fcntl(60, F_GETFD));
}

int
main(void)
{
	char buf[256], lbuf[64];
	struct stat st;
	int fd, fd2, p[2], n;

	/* The same starting point everywhere: 0-2 open, nothing else. */
	for (int i = 3; i < 64; i++)
		close(i);
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			open("/dev/null", O_RDWR);
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	signal(SIGPIPE, SIG_IGN);

	T("mkdir d", mkdir("d", 0755));
	T("mkdir d again", mkdir("d", 0755));
	T("open d/f creat", fd = open("d/f", O_CREAT | O_WRONLY | O_TRUNC, 0666));
	T("write", write(fd, "hello, world\n", 13));
	T("close", close(fd));
	T("close again", close(fd));
	T("stat d/f", stat("d/f", &st));
	printf("fsconf: d/f size %ld reg %d mode %o nlink %ld\n", (long)st.st_size,
	    S_ISREG(st.st_mode), st.st_mode & 07777, (long)st.st_nlink);
	T("stat d", stat("d", &st));
	printf("fsconf: d dir %d mode %o\n", S_ISDIR(st.st_mode), st.st_mode & 07777);

	T("open d/f rdonly", fd = open("d/f", O_RDONLY));
	T("read 5", read(fd, buf, 5));
	printf("fsconf: got '%.5s'\n", buf);
	T("lseek cur", lseek(fd, 0, SEEK_CUR));
	T("lseek end -6", lseek(fd, -6, SEEK_END));
	T("read rest", n = read(fd, buf, sizeof(buf)));
	printf("fsconf: got '%.*s'\n", n > 0 ? n - 1 : 0, buf);
	T("read at eof", read(fd, buf, sizeof(buf)));
	T("pread 0", pread(fd, buf, 5, 0));
	T("lseek negative", lseek(fd, -100, SEEK_SET));
	T("write on rdonly", write(fd, "x", 1));
	T("isatty file", isatty(fd));
	T("close", close(fd));

	T("open nope", open("nope", O_RDONLY));
	T("open d/f/x", open("d/f/x", O_RDONLY));
	T("open d/f/", open("d/f/", O_RDONLY));
	T("open excl", open("d/f", O_CREAT | O_EXCL | O_WRONLY, 0644));
	T("open dir wronly", open("d", O_WRONLY));
	T("open file O_DIRECTORY", open("d/f", O_RDONLY | O_DIRECTORY));
	T("symlink l1", symlink("l2", "l1"));
	T("symlink l2", symlink("l1", "l2"));
	T("open loop", open("l1", O_RDONLY));
	T("symlink lf", symlink("d/f", "lf"));
	T("open nofollow", open("lf", O_RDONLY | O_NOFOLLOW));
	T("readlink lf", n = readlink("lf", lbuf, sizeof(lbuf)));
	printf("fsconf: link '%.*s'\n", n > 0 ? n : 0, lbuf);
	T("readlink file", readlink("d/f", lbuf, sizeof(lbuf)));
	T("lstat lf", lstat("lf", &st));
	printf("fsconf: lf lnk %d size %ld\n", S_ISLNK(st.st_mode), (long)st.st_size);
	T("stat through lf", stat("lf", &st));
	printf("fsconf: size %ld\n", (long)st.st_size);
	memset(buf, 'n', 300 > sizeof(buf) ? sizeof(buf) - 1 : 299);
	buf[sizeof(buf) - 1] = '\0';
	T("open long name", open(buf, O_RDONLY));

	T("link d/f d/g", link("d/f", "d/g"));
	T("stat d/g", stat("d/g", &st));
	printf("fsconf: nlink %ld\n", (long)st.st_nlink);
	T("rename d/g d/h", rename("d/g", "d/h"));
	T("stat d/g gone", stat("d/g", &st));
	T("mkdir d/sub", mkdir("d/sub", 0700));
	T("rename d into d/sub", rename("d", "d/sub/x"));
	T("rename file over dir", rename("d/h", "d/sub"));
	T("rmdir non-empty", rmdir("d"));
	T("unlink dir", unlink("d/sub"));
	T("rmdir file", rmdir("d/f"));
	list("d");
	T("unlink d/h", unlink("d/h"));
	T("stat d/f", stat("d/f", &st));
	printf("fsconf: nlink %ld\n", (long)st.st_nlink);
	list(".");

	T("chdir d/sub", chdir("d/sub"));
	if (getcwd(lbuf, sizeof(lbuf)) != NULL) {
		char *s = strrchr(lbuf, '/');

		printf("fsconf: cwd ends %s\n", s != NULL ? s : lbuf);
	}
	T("getcwd small", getcwd(lbuf, 3) == NULL ? -1 : 0);
	T("chdir ../..", chdir("../.."));
	T("chdir file", chdir("d/f"));

	/* Descriptors. */
	T("open d/f append", fd = open("d/f", O_WRONLY | O_APPEND));
	T("write appended", write(fd, "more\n", 5));
	T("dup", fd2 = dup(fd));
	T("fcntl getfl", fcntl(fd2, F_GETFL) & (O_ACCMODE | O_APPEND));
	T("fcntl getfd", fcntl(fd2, F_GETFD));
	T("fcntl setfd", fcntl(fd2, F_SETFD, FD_CLOEXEC));
	T("fcntl getfd", fcntl(fd2, F_GETFD));
	T("dup2 to 20", dup2(fd, 20));
	T("dup2 same", dup2(20, 20));
	T("dup3 same", dup3(20, 20, 0));
	T("dup2 bad", dup2(99, 21));
	T("fcntl dupfd 30", fcntl(fd, F_DUPFD, 30));
	T("close 20", close(20));
	T("close 30", close(30));
	T("close fd2", close(fd2));
	T("close fd", close(fd));
	T("stat d/f", stat("d/f", &st));
	printf("fsconf: size %ld\n", (long)st.st_size);
	T("truncate 4", truncate("d/f", 4));
	T("stat d/f", stat("d/f", &st));
	printf("fsconf: size %ld\n", (long)st.st_size);

	/* A big file, read back and mapped. */
	{
		static char big[200000], back[200000];
		unsigned sum = 0, sum2 = 0;
		char *m;

		for (size_t i = 0; i < sizeof(big); i++) {
			big[i] = (char)(i * 13 + (i >> 9));
			sum = sum * 31 + (unsigned char)big[i];
		}
		fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0600);
		T("write big", write(fd, big, sizeof(big)));
		T("pread big", pread(fd, back, sizeof(back), 0));
		for (size_t i = 0; i < sizeof(back); i++)
			sum2 = sum2 * 31 + (unsigned char)back[i];
		printf("fsconf: big checksum same %d\n", sum == sum2);
		m = mmap(NULL, sizeof(big), PROT_READ, MAP_SHARED, fd, 0);
		T("mmap shared", m == MAP_FAILED ? -1 : 0);
		if (m != MAP_FAILED) {
			printf("fsconf: mapped same %d\n",
			    memcmp(m, big, sizeof(big)) == 0);
			T("pwrite 8192", pwrite(fd, "XY", 2, 8192));
			printf("fsconf: mapping sees write %d\n",
			    m[8192] == 'X' && m[8193] == 'Y');
			munmap(m, sizeof(big));
		}
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		T("mmap private", m == MAP_FAILED ? -1 : 0);
		if (m != MAP_FAILED) {
			m[0] = '!';
			T("pread 1", pread(fd, buf, 1, 0));
			printf("fsconf: private write stays private %d\n",
			    buf[0] == big[0]);
			munmap(m, 4096);
		}
		T("close big", close(fd));
		T("unlink big", unlink("big"));
	}

	/* Pipes. */
	T("pipe", pipe(p));
	T("write pipe", write(p[1], "abc", 3));
	{
		struct pollfd pf = { p[0], POLLIN, 0 };

		T("poll", poll(&pf, 1, 0));
		printf("fsconf: revents %x\n", pf.revents);
	}
	T("read pipe", read(p[0], buf, sizeof(buf)));
	T("lseek pipe", lseek(p[0], 0, SEEK_SET));
	{
		struct pollfd pf = { p[0], POLLIN, 0 };

		T("poll empty", poll(&pf, 1, 10));
	}
	{
		fd_set r;
		struct timeval tv = { 0, 1000 };

		FD_ZERO(&r);
		FD_SET(p[0], &r);
		T("select empty", select(p[0] + 1, &r, NULL, NULL, &tv));
		T("write pipe", write(p[1], "z", 1));
		FD_ZERO(&r);
		FD_SET(p[0], &r);
		T("select ready", select(p[0] + 1, &r, NULL, NULL, &tv));
		printf("fsconf: isset %d\n", FD_ISSET(p[0], &r) != 0);
		T("read pipe", read(p[0], buf, sizeof(buf)));
	}
	if (fork() == 0) {
		close(p[0]);
		write(p[1], "from child\n", 11);
		_exit(0);
	}
	T("close writer", close(p[1]));
	T("read child", n = read(p[0], buf, sizeof(buf)));
	printf("fsconf: got '%.*s'\n", n > 1 ? n - 1 : 0, buf);
	wait(NULL);
	T("read eof", read(p[0], buf, sizeof(buf)));
	T("close reader", close(p[0]));
	T("pipe2 nonblock", pipe2(p, O_NONBLOCK | O_CLOEXEC));
	T("read empty nonblock", read(p[0], buf, 1));
	T("fcntl getfd", fcntl(p[1], F_GETFD));
	T("close reader", close(p[0]));
	T("write no reader", write(p[1], "x", 1));
	T("close writer", close(p[1]));

	/* AF_UNIX stream sockets. */
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		socklen_t sl;
		int sv[2], ls, cs, as;

		T("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		T("send", send(sv[0], "ping", 4, 0));
		T("recv", n = recv(sv[1], buf, sizeof(buf), 0));
		printf("fsconf: got '%.*s'\n", n > 0 ? n : 0, buf);
		T("recv dontwait empty", recv(sv[1], buf, 1, MSG_DONTWAIT));
		T("shutdown wr", shutdown(sv[0], SHUT_WR));
		T("read after shutdown", read(sv[1], buf, 1));
		T("write after shutdown", write(sv[0], "x", 1));
		T("close", close(sv[0]));
		T("write to closed peer", write(sv[1], "x", 1));
		T("close", close(sv[1]));
		strcpy(sa.sun_path, "sock");
		T("socket", ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
		T("fcntl getfd", fcntl(ls, F_GETFD));
		T("connect nobody", (cs = socket(AF_UNIX, SOCK_STREAM, 0),
		    connect(cs, (struct sockaddr *)&sa, sizeof(sa))));
		T("bind", bind(ls, (struct sockaddr *)&sa, sizeof(sa)));
		T("bind again", bind(socket(AF_UNIX, SOCK_STREAM, 0),
		    (struct sockaddr *)&sa, sizeof(sa)));
		T("stat sock", stat("sock", &st));
		printf("fsconf: sock is socket %d\n", S_ISSOCK(st.st_mode));
		T("connect not listening", connect(cs, (struct sockaddr *)&sa,
		    sizeof(sa)));
		T("listen", listen(ls, 4));
		T("connect", connect(cs, (struct sockaddr *)&sa, sizeof(sa)));
		{
			struct pollfd pf = { ls, POLLIN, 0 };

			T("poll listener", poll(&pf, 1, 1000));
			printf("fsconf: revents %x\n", pf.revents);
		}
		T("accept", (as = accept(ls, NULL, NULL)) >= 0 ? 0 : -1);
		T("write client", write(cs, "hello server", 12));
		T("read server", n = read(as, buf, sizeof(buf)));
		printf("fsconf: got '%.*s'\n", n > 0 ? n : 0, buf);
		sl = sizeof(sa);
		T("getsockname", getsockname(ls, (struct sockaddr *)&sa, &sl));
		printf("fsconf: name '%s'\n", sa.sun_path);
		sl = sizeof(sa);
		T("getpeername", getpeername(cs, (struct sockaddr *)&sa, &sl));
		printf("fsconf: peer '%s'\n", sa.sun_path);
		if (fork() == 0) {
			write(as, "from child", 10);
			_exit(0);
		}
		wait(NULL);
		T("read client", n = read(cs, buf, sizeof(buf)));
		printf("fsconf: got '%.*s'\n", n > 0 ? n : 0, buf);
		T("close server", close(as));
		T("read eof", read(cs, buf, sizeof(buf)));
		T("close", close(cs));
		T("close", close(ls));
		T("unlink sock", unlink("sock"));
	}

	/* Devices. */
	T("open /dev/null", fd = open("/dev/null", O_RDWR));
	T("write null", write(fd, "gone", 4));
	T("read null", read(fd, buf, 4));
	T("close", close(fd));
	T("open /dev/zero", fd = open("/dev/zero", O_RDONLY));
	buf[0] = 1;
	T("read zero", read(fd, buf, 8));
	printf("fsconf: zero %d\n", buf[0] == 0 && buf[7] == 0);
	T("close", close(fd));

	/* procfs: what both kernels agree on, whatever the pid. */
	{
		char want[32], path[64], *s;
		int pid = getpid(), self = 0, mine = 0;
		DIR *d;
		struct dirent *de;

		snprintf(want, sizeof(want), "%d", pid);
		n = readlink("/proc/self", lbuf, sizeof(lbuf) - 1);
		lbuf[n > 0 ? n : 0] = '\0';
		printf("fsconf: /proc/self is my pid %d\n", strcmp(lbuf, want) == 0);
		fd = open("/proc/self/stat", O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		snprintf(path, sizeof(path), "%d (fsconf) R ", pid);
		printf("fsconf: stat starts '<pid> (fsconf) R' %d\n",
		    strncmp(buf, path, strlen(path)) == 0);
		close(fd);
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		s = strstr(buf, "\nPPid:");
		printf("fsconf: status name line %d, has PPid %d\n",
		    strncmp(buf, "Name:\tfsconf\n", 13) == 0, s != NULL);
		close(fd);
		d = opendir("/proc");
		while (d != NULL && (de = readdir(d)) != NULL) {
			self += strcmp(de->d_name, "self") == 0;
			mine += strcmp(de->d_name, want) == 0;
		}
		if (d != NULL)
			closedir(d);
		printf("fsconf: /proc lists self %d and my pid %d\n", self, mine);
		T("open /proc/0/stat", open("/proc/0/stat", O_RDONLY));
	}

	/* A named pipe: mkfifo, both ends opened by name, data through it. */
	{
		char buf[8];
		int rfd, wfd, n;

		T("mkfifo ff", mkfifo("ff", 0640));
		T("mkfifo ff again", mkfifo("ff", 0640));
		T("stat ff", stat("ff", &st));
		printf("fsconf: ff fifo %d mode %o\n", S_ISFIFO(st.st_mode),
		    st.st_mode & 07777);
		/* Non-blocking: the read end opens without a writer. */
		rfd = open("ff", O_RDONLY | O_NONBLOCK);
		wfd = open("ff", O_WRONLY);
		printf("fsconf: fifo ends open %d %d\n", rfd >= 0, wfd >= 0);
		T("write fifo", write(wfd, "fifo", 4));
		n = (int)read(rfd, buf, sizeof(buf));
		printf("fsconf: fifo got '%.*s'\n", n > 0 ? n : 0, buf);
		close(wfd);
		T("read fifo at eof", read(rfd, buf, sizeof(buf)));
		close(rfd);
		T("mknod reg", mknod("rf", S_IFREG | 0600, 0));
		T("unlink ff", unlink("ff"));
		T("unlink rf", unlink("rf"));
	}

	/* flock: shared by dup, excluding other opens, gone at last close. */
	{
		int a = open("d/f", O_RDONLY), b = open("d/f", O_RDONLY), c;
		int p2[2], st2;
		char ch = 0;
		pid_t pid = -1;

		T("flock a ex", flock(a, LOCK_EX));
		T("flock b ex nb", flock(b, LOCK_EX | LOCK_NB));
		T("flock b sh nb", flock(b, LOCK_SH | LOCK_NB));
		c = dup(a);
		T("flock dup ex nb", flock(c, LOCK_EX | LOCK_NB));
		T("flock a to sh", flock(a, LOCK_SH));
		T("flock b sh nb", flock(b, LOCK_SH | LOCK_NB));
		T("flock b ex nb", flock(b, LOCK_EX | LOCK_NB));
		T("flock bad op", flock(b, 0));
		close(a);
		T("flock b ex nb, a open", flock(b, LOCK_EX | LOCK_NB));
		close(c);
		T("flock b ex nb, a closed", flock(b, LOCK_EX | LOCK_NB));
		/* A child blocks on b's lock until it is unlocked. */
		if (pipe(p2) == 0 && (pid = fork()) == 0) {
			int d = open("d/f", O_RDONLY);

			close(p2[0]);
			if (flock(d, LOCK_EX) == 0)
				(void)write(p2[1], "L", 1);
			_exit(0);
		}
		close(p2[1]);
		(void)fcntl(p2[0], F_SETFL, O_NONBLOCK);
		T("child has no lock yet", read(p2[0], &ch, 1));
		T("flock b un", flock(b, LOCK_UN));
		(void)fcntl(p2[0], F_SETFL, 0);
		T("child locked", read(p2[0], &ch, 1));
		waitpid(pid, &st2, 0);
		close(p2[0]);
		close(b);
	}

	/*
	 * fcntl record locks: POSIX ones belong to the process (a fork
	 * child is another owner, any close drops them all), OFD ones to
	 * the open file; F_GETLK reports the lock in the way.
	 */
	{
		int a = open("d/f", O_RDWR), b, ro, p2[2], st2;
		char ch = 0;
		pid_t pid;

		T("setlk wr 0+10", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
		T("setlk rd 20-eof", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 20, 0));
		T("setlk own wr over rd", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 25, 1));
		T("setlk own rd back", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 25, 1));
		fflush(stdout);
		if ((pid = fork()) == 0) {
			T("child setlk wr 5", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
			getlk(a, F_GETLK, F_WRLCK, 5, 1);
			getlk(a, F_GETLK, F_RDLCK, 30, 1);
			getlk(a, F_GETLK, F_WRLCK, 30, 1);
			T("child setlk rd 12+2", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 12, 2));
			T("child setlk wr 10+10", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &st2, 0);
		T("unlock 0+5", lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 5));
		T("setlk wr 10 back 3", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 13, -3));
		fflush(stdout);
		if ((pid = fork()) == 0) {
			getlk(a, F_GETLK, F_WRLCK, 0, 5);
			getlk(a, F_GETLK, F_WRLCK, 6, 1);
			getlk(a, F_GETLK, F_WRLCK, 11, 1);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &st2, 0);
		/* Any descriptor of the file closed: every POSIX lock goes. */
		b = open("d/f", O_RDONLY);
		close(b);
		fflush(stdout);
		if ((pid = fork()) == 0) {
			getlk(a, F_GETLK, F_WRLCK, 0, 0);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &st2, 0);
		/* A child waits in F_SETLKW until the parent unlocks. */
		T("setlk wr all", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
		fflush(stdout);
		if (pipe(p2) == 0 && (pid = fork()) == 0) {
			close(p2[0]);
			if (lk(a, F_SETLKW, F_RDLCK, SEEK_SET, 0, 0) == 0)
				(void)write(p2[1], "L", 1);
			_exit(0);
		}
		close(p2[1]);
		(void)fcntl(p2[0], F_SETFL, O_NONBLOCK);
		T("child waits", read(p2[0], &ch, 1));
		T("unlock all", lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
		(void)fcntl(p2[0], F_SETFL, 0);
		T("child got it", read(p2[0], &ch, 1));
		waitpid(pid, &st2, 0);
		close(p2[0]);
		/* Open files as owners. */
		b = open("d/f", O_RDWR);
		T("ofd wr on a", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0));
		T("ofd wr on b", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0));
		T("posix wr on b", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
		getlk(b, F_OFD_GETLK, F_RDLCK, 3, 1);
		close(a);
		T("ofd wr on b, a closed", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0));
		/* What is refused. */
		ro = open("d/f", O_RDONLY);
		T("wr lock on rdonly", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
		T("bad type", lk(b, F_SETLK, 7, SEEK_SET, 0, 1));
		T("bad whence", lk(b, F_SETLK, F_RDLCK, 9, 0, 1));
		T("negative start", lk(b, F_SETLK, F_RDLCK, SEEK_SET, -4, 1));
		T("getlk unlck", lk(b, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
		{
			struct flock fl = { .l_type = F_RDLCK, .l_pid = 1 };

			T("ofd with a pid", fcntl(b, F_OFD_SETLK, &fl));
		}
		T("lock on a bad fd", lk(99, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
		close(ro);
		close(b);
	}

	/*
	 * Bad buffers: the bytes before an unmapped page are moved and
	 * counted, a buffer that runs past the end of user space is EFAULT
	 * before anything moves, one that starts unmapped is EFAULT.
	 */
	{
		long pg = sysconf(_SC_PAGESIZE);
		char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *end = (char *)0x7ffffffff000UL;	/* Linux's TASK_SIZE */
		int p3[2];

		munmap(two + pg, pg);
		memcpy(two + pg - 8, "partial\n", 8);
		T("open pw", fd = open("pw", O_CREAT | O_RDWR | O_TRUNC, 0644));
		T("write straddling", write(fd, two + pg - 8, 16));
		T("write unmapped", write(fd, two + pg, 8));
		T("write past user space", write(fd, end - 4, 8));
		T("pwrite straddling", pwrite(fd, two + pg - 8, 100, 8));
		T("fstat size", fstat(fd, &st) == 0 ? st.st_size : -1);
		T("pread into straddling", pread(fd, two + pg - 5, 16, 0));
		printf("fsconf: read back %.5s\n", two + pg - 5);
		T("pread into unmapped", pread(fd, two + pg, 16, 0));
		T("read past user space", read(fd, end - 4, 8));
		T("close pw", close(fd));
		T("unlink pw", unlink("pw"));
		/* A pipe takes none of a write that faults (Linux's too). */
		T("pipe2 nonblock", pipe2(p3, O_NONBLOCK));
		memcpy(two + pg - 8, "partial\n", 8);
		T("write pipe straddling", write(p3[1], two + pg - 8, 64));
		T("read pipe", read(p3[0], buf, sizeof(buf)));
		T("write pipe", write(p3[1], two + pg - 8, 8));
		T("read pipe into straddling", read(p3[0], two + pg - 3, 8));
		close(p3[0]);
		close(p3[1]);
		munmap(two, pg);
	}

	/*
	 * /proc/self/stat counts CPU time: after 100 ms on the CPU, fields
	 * 14 and 15 (utime, stime) hold at least 8 ticks of 10 ms.
	 */
	{
		struct timespec c0, c1;
		unsigned long ut = 0, stt = 0;
		volatile unsigned long spin = 0;
		char sb[512], *q;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		do {
			for (int i = 0; i < 100000; i++)
				spin += (unsigned long)i;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		} while ((c1.tv_sec - c0.tv_sec) * 1000000000L + c1.tv_nsec -
		    c0.tv_nsec < 100000000L);
		T("open /proc/self/stat", fd = open("/proc/self/stat", O_RDONLY));
		n = (int)read(fd, sb, sizeof(sb) - 1);
		close(fd);
		sb[n > 0 ? n : 0] = '\0';
		/* After the command name's ")": fields 3 onwards. */
		q = strrchr(sb, ')');
		if (q != NULL)
			(void)sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
			    "%*u %*u %lu %lu", &ut, &stt);
		printf("fsconf: stat utime+stime at least 8 ticks: %s\n",
		    ut + stt >= 8 ? "yes" : "no");
	}

	/* /proc/self/exe: a link to the program, the same in a fork child. */
	{
		char exe[512], cexe[512];
		ssize_t el;
		int ps[2], st3;
		pid_t pid = -1;

		el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[el > 0 ? el : 0] = '\0';
		printf("fsconf: /proc/self/exe absolute %s, names %s\n",
		    exe[0] == '/' ? "yes" : "no", strrchr(exe, '/') != NULL ?
		    strrchr(exe, '/') + 1 : exe);
		T("lstat /proc/self/exe is a link",
		    lstat("/proc/self/exe", &st) == 0 && S_ISLNK(st.st_mode) ?
		    0 : -1);
		if (pipe(ps) == 0 && (pid = fork()) == 0) {
			ssize_t cl = readlink("/proc/self/exe", cexe,
			    sizeof(cexe) - 1);

			(void)write(ps[1], cl == el && memcmp(cexe, exe,
			    (size_t)(el > 0 ? el : 0)) == 0 ? "y" : "n", 1);
			_exit(0);
		}
		close(ps[1]);
		n = (int)read(ps[0], buf, 1);
		printf("fsconf: the child's exe is the parent's: %s\n",
		    n == 1 && buf[0] == 'y' ? "yes" : "no");
		close(ps[0]);
		waitpid(pid, &st3, 0);
	}

	procself();
	closerange();
	scmrights();

	/* The descriptor limit. */
	{
		struct rlimit rl = { 16, 16 };
		int got = 0;

		T("setrlimit nofile 16", setrlimit(RLIMIT_NOFILE, &rl));
		for (;;) {
			errno = 0;
			if (open("d/f", O_RDONLY) < 0)
				break;
			got++;
		}
		printf("fsconf: opened %d then %s\n", got, ename(errno));
		T("dup at limit", dup(0));
	}
	return (0);
}
