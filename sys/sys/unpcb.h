/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Local (AF_UNIX) stream sockets: connected pairs of byte streams, named
 * by a VSOCK node in the file system (bind) or unnamed (socketpair).  The
 * kern_* calls take a descriptor table like the file calls; names are
 * paths of at most UNP_PATH_MAX - 1 bytes in kernel memory.  Abstract
 * names (a leading NUL) and descriptor passing are not supported yet.
 */
#ifndef _SYS_UNPCB_H_
#define _SYS_UNPCB_H_

#include <sys/types.h>

struct filedesc;

#define UNP_PATH_MAX	108	/* Linux's UNIX_PATH_MAX, sun_path's size */
/* Bytes a socket buffers for reading before its writer waits. */
#define UNP_BUFSIZE	65536

/* flags for kern_socket/kern_accept: O_CLOEXEC, O_NONBLOCK (sys/fcntl.h). */
int	kern_unix_socket(struct filedesc *fdp, int oflags, int *fdout);
int	kern_unix_socketpair(struct filedesc *fdp, int oflags, int fds[2]);
/* EADDRINUSE if the name exists; the node is made with the umask. */
int	kern_unix_bind(struct filedesc *fdp, int fd, const char *path);
int	kern_unix_listen(struct filedesc *fdp, int fd, int backlog);
/* ECONNREFUSED without a listener; ENOTSOCK for a file that is not one. */
int	kern_unix_connect(struct filedesc *fdp, int fd, const char *path);
int	kern_unix_accept(struct filedesc *fdp, int fd, int oflags, int *fdout);
/* how: 0 read, 1 write, 2 both (SHUT_RD, SHUT_WR, SHUT_RDWR). */
int	kern_unix_shutdown(struct filedesc *fdp, int fd, int how);
/* The socket's own (peer false) or its peer's name, "" if unnamed. */
int	kern_unix_getname(struct filedesc *fdp, int fd, bool peer, char *path,
	    size_t len);

#endif /* !_SYS_UNPCB_H_ */
