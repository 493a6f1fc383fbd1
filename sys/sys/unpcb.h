/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Local (AF_UNIX) stream sockets: connected pairs of byte streams, named
 * by a VSOCK node in the file system (bind) or unnamed (socketpair).  The
 * kern_* calls take a descriptor table like the file calls; names are
 * paths of at most UNP_PATH_MAX - 1 bytes in kernel memory.  Abstract
 * names (a leading NUL) are not supported yet.
 *
 * Descriptor passing (SCM_RIGHTS): a write can carry referenced files
 * (struct unp_rights), queued at the position of its first byte; the read
 * that takes that byte takes them and ends with that write's bytes.  Local
 * sockets cannot travel (EOPNOTSUPP): without them no file in flight can
 * hold up its own socket, so nothing needs collecting; at most
 * UNP_INFLIGHT_MAX files are in flight at once (ETOOMANYREFS).
 */
#ifndef _SYS_UNPCB_H_
#define _SYS_UNPCB_H_

#include <sys/types.h>

struct file;
struct filedesc;
struct uio;

#define UNP_PATH_MAX	108	/* Linux's UNIX_PATH_MAX, sun_path's size */
/* Bytes a socket buffers for reading before its writer waits. */
#define UNP_BUFSIZE	65536
#define UNP_RIGHTS_MAX	253	/* files one message carries (Linux's) */
#define UNP_INFLIGHT_MAX 4096	/* files in flight in all sockets */

struct unp_rights {
	struct unp_rights	*ur_next;
	uint64_t		ur_pos;		/* stream offset of byte 1 */
	uint64_t		ur_len;		/* bytes of the write */
	int			ur_nfds;
	struct file		*ur_files[];	/* referenced */
};

/* Room for nfds (1 to UNP_RIGHTS_MAX) files, none set yet. */
struct unp_rights *unp_rights_alloc(int nfds);
/* Drops the files set (ur_nfds of them) and frees r. */
void	unp_rights_free(struct unp_rights *r);
/*
 * Writes on socket fp; *rightsp (or NULL) goes with the first byte
 * queued, and is then NULL (a write that queued nothing leaves it to the
 * caller).  EOPNOTSUPP for a local socket among them, ETOOMANYREFS past
 * UNP_INFLIGHT_MAX.
 */
int	unp_send(struct file *fp, struct uio *uio, int ioflag,
	    struct unp_rights **rightsp);
/* Reads from socket fp; *rightsp: what came with the bytes read, or NULL. */
int	unp_recv(struct file *fp, struct uio *uio, int ioflag,
	    struct unp_rights **rightsp);

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
