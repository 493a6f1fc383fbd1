/* Unix socket transport: a listening socket and one conn per client. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xsd_conn.h"
#include "xsd_log.h"
#include "xsd_sock.h"

static long
sock_read(struct conn *c, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(c->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		return (long)r;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1; /* EOF or error */
}

static long
sock_write(struct conn *c, const void *p, size_t n)
{
	ssize_t r;

	do
		r = send(c->fd, p, n, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return (long)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	return -1;
}

static long
sock_writev(struct conn *c, const struct iovec *iov, int n)
{
	struct msghdr mh;
	ssize_t r;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = (struct iovec *)(uintptr_t)iov;
	mh.msg_iovlen = (size_t)n;
	do
		r = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return (long)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	return -1;
}

static void
sock_destroy(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

const struct transport_ops sock_ops = {
	.name = "socket",
	.read = sock_read,
	.write = sock_write,
	.destroy = sock_destroy,
	.kick = NULL,
	.writev = sock_writev,
};

int
sock_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, probe;
	mode_t old;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path %s is longer than %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen,
			    "socket path %s exists and is not a socket", path);
			return -1;
		}
		/* Refuse to steal the socket of a live daemon. */
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sun,
				      sizeof(sun)) == 0) {
			close(probe);
			snprintf(err, errlen,
			    "socket path %s is in use by a running daemon",
			    path);
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		snprintf(err, errlen, "cannot bind socket %s: %s", path,
		    strerror(errno));
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) != 0 || listen(fd, 64) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path,
		    strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

void
sock_accept(int lfd)
{
	int fd;
	unsigned i;

	/* Bounded so that a connect storm cannot starve existing peers. */
	for (i = 0; i < 32; i++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		/* Socket peers are the privileged toolstack (dom0). */
		if (conn_new(&sock_ops, NULL, fd, 0) == NULL) {
			xsd_log("no memory for a new connection");
			close(fd);
		}
	}
}
