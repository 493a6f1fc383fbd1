/*
 * xsnull: the cheapest possible xenstored, for measuring what a synchronous
 * libxenstore client (xsbench) can reach at all.  A single-threaded
 * Unix-socket server that answers every request at once with a canned reply
 * of the right type, echoing req_id and tx_id, and does nothing else: no
 * tree, no permissions, no transactions, no watches.
 *
 *   READ              -> "0"  (a short value, no terminating nul, as
 *                              xenstored sends values)
 *   TRANSACTION_START -> "1"
 *   DIRECTORY         -> ""   (no children)
 *   anything else     -> "OK"
 *
 * usage: xsnull SOCKET   (foreground; SIGTERM/SIGINT remove SOCKET and exit)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define MAXCONN 64

struct client {
	int fd;
	size_t have;	/* bytes buffered, starting at a message boundary */
	char buf[2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)];
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The canned reply to one request. */
static int
reply(int fd, const struct xsd_sockmsg *req)
{
	struct {
		struct xsd_sockmsg hdr;
		char body[4];
	} out;
	const char *body;
	uint32_t len;

	switch (req->type) {
	case XS_READ:
		body = "0";
		len = 1;
		break;
	case XS_TRANSACTION_START:
		body = "1";
		len = 2;
		break;
	case XS_DIRECTORY:
		body = "";
		len = 0;
		break;
	default:
		body = "OK";
		len = 3;
		break;
	}
	out.hdr.type = req->type;
	out.hdr.req_id = req->req_id;
	out.hdr.tx_id = req->tx_id;
	out.hdr.len = len;
	memcpy(out.body, body, len);
	return write_all(fd, &out, sizeof(out.hdr) + len);
}

/*
 * One read of whatever the socket has; answers every complete message in
 * the buffer.
 */
static int
serve(struct client *c)
{
	struct xsd_sockmsg hdr;
	size_t off = 0;
	ssize_t r;

	r = read(c->fd, c->buf + c->have, sizeof(c->buf) - c->have);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (r == 0)
		return -1;
	c->have += (size_t)r;
	while (c->have - off >= sizeof(hdr)) {
		memcpy(&hdr, c->buf + off, sizeof(hdr));
		if (hdr.len > XENSTORE_PAYLOAD_MAX)
			return -1;
		if (c->have - off < sizeof(hdr) + hdr.len)
			break;
		if (reply(c->fd, &hdr) < 0)
			return -1;
		off += sizeof(hdr) + hdr.len;
	}
	if (off > 0) {
		memmove(c->buf, c->buf + off, c->have - off);
		c->have -= off;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct client cl[MAXCONN];
	struct pollfd pfd[MAXCONN + 1];
	struct sockaddr_un sun;
	struct sigaction sa;
	int ls, ncl = 0, i;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: xsnull SOCKET\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0) {
		perror("xsnull: socket");
		return 1;
	}
	unlink(argv[1]);
	if (bind(ls, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(ls, 16) < 0) {
		perror("xsnull: bind/listen");
		return 1;
	}
	while (!stop) {
		pfd[0].fd = ls;
		pfd[0].events = POLLIN;
		for (i = 0; i < ncl; i++) {
			pfd[i + 1].fd = cl[i].fd;
			pfd[i + 1].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)ncl + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("xsnull: poll");
			break;
		}
		for (i = ncl - 1; i >= 0; i--) {
			if (pfd[i + 1].revents == 0)
				continue;
			if (serve(&cl[i]) < 0) {
				close(cl[i].fd);
				cl[i] = cl[--ncl];
			}
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

			if (fd < 0)
				continue;
			if (ncl == MAXCONN) {
				close(fd);
				continue;
			}
			cl[ncl].fd = fd;
			cl[ncl].have = 0;
			ncl++;
		}
	}
	unlink(argv[1]);
	return 0;
}
