/* Test helpers shared by the ATF programs of tests/xenstored. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define MAXD 4
static pid_t live[MAXD];

static void
kill_all(void)
{
	int i;

	for (i = 0; i < MAXD; i++)
		if (live[i] > 0) {
			kill(live[i], SIGKILL);
			waitpid(live[i], NULL, 0);
			live[i] = 0;
		}
}

const char *
xsd_binary(const atf_tc_t *tc)
{
	static char path[PATH_MAX];
	const char *env = getenv("XENSTORED_SHIM");
	const char *src;

	if (env != NULL)
		return env;
	src = atf_tc_has_config_var(tc, "srcdir") ?
	    atf_tc_get_config_var(tc, "srcdir") : ".";
	snprintf(path, sizeof(path), "%s/../../bin/xenstored-shim", src);
	return path;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void
xsd_start(struct xsd_daemon *d, const atf_tc_t *tc, const char *const *extra)
{
	static bool registered;
	const char *argv[64];
	char cwd[PATH_MAX];
	int n = 0, i, fd;
	pid_t pid;

	memset(d, 0, sizeof(*d));
	if (!registered) {
		atexit(kill_all);
		registered = true;
	}
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(d->sock, sizeof(d->sock), "%s/sock", cwd);
	snprintf(d->log, sizeof(d->log), "%s/daemon.log", cwd);
	argv[n++] = xsd_binary(tc);
	argv[n++] = "--socket";
	argv[n++] = d->sock;
	argv[n++] = "--no-domains";
	argv[n++] = "--foreground";
	for (i = 0; extra != NULL && extra[i] != NULL && n < 62; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	ATF_REQUIRE_MSG(access(argv[0], X_OK) == 0, "no daemon at %s", argv[0]);
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	d->pid = pid;
	for (i = 0; i < MAXD; i++)
		if (live[i] == 0) {
			live[i] = pid;
			break;
		}
	setenv("XENSTORED_PATH", d->sock, 1);
	/* Bounded wait until the socket accepts connections. */
	for (i = 0; i < 1000; i++) {
		int st, c;

		if (waitpid(pid, &st, WNOHANG) == pid) {
			for (n = 0; n < MAXD; n++)
				if (live[n] == pid)
					live[n] = 0;
			atf_tc_fail("daemon exited early (status %d)", st);
		}
		c = raw_connect(d->sock);
		if (c >= 0) {
			close(c);
			return;
		}
		sleep_ms(10);
	}
	atf_tc_fail("daemon socket %s never accepted a connection", d->sock);
}

void
xsd_kill(struct xsd_daemon *d, int sig)
{
	int i;

	if (d->pid <= 0)
		return;
	kill(d->pid, sig);
	waitpid(d->pid, NULL, 0);
	for (i = 0; i < MAXD; i++)
		if (live[i] == d->pid)
			live[i] = 0;
	d->pid = 0;
}

bool
xsd_log_has(const struct xsd_daemon *d, const char *s)
{
	FILE *f = fopen(d->log, "r");
	char line[4096];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, s) != NULL;
	fclose(f);
	return found;
}

struct xs_handle *
xsd_open(void)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);

	ATF_REQUIRE_MSG(h != NULL, "xs_open: %s", strerror(errno));
	return h;
}

void
xsd_restrict(struct xs_handle *h, unsigned domid)
{
	char id[16];
	char *r;

	snprintf(id, sizeof(id), "%u", domid);
	r = xs_control_command(h, "restrict", id, strlen(id) + 1);
	ATF_REQUIRE_MSG(r != NULL, "restrict: %s", strerror(errno));
	free(r);
}

int
raw_connect(const char *sock)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void
raw_send(int fd, uint32_t type, uint32_t req, uint32_t tx, const void *p,
    size_t len)
{
	struct xsd_sockmsg h = { type, req, tx, (uint32_t)len };

	ATF_REQUIRE(send(fd, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h));
	if (len > 0)
		ATF_REQUIRE(send(fd, p, len, MSG_NOSIGNAL) == (ssize_t)len);
}

static bool
read_full(int fd, void *p, size_t n, int timeout_ms)
{
	size_t got = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t r;

	while (got < n) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		r = read(fd, (char *)p + got, n - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

bool
raw_recv(int fd, struct xsd_sockmsg *h, char *buf, size_t cap, int timeout_ms)
{
	if (!read_full(fd, h, sizeof(*h), timeout_ms))
		return false;
	ATF_REQUIRE_MSG(h->len <= XENSTORE_PAYLOAD_MAX,
	    "reply payload %u over the limit", h->len);
	ATF_REQUIRE(h->len < cap);
	if (!read_full(fd, buf, h->len, timeout_ms))
		return false;
	buf[h->len] = '\0';
	return true;
}

uint32_t
raw_call(int fd, uint32_t type, uint32_t tx, const void *p, size_t len,
    char *out, size_t cap, uint32_t *outlen)
{
	static uint32_t req = 100;
	struct xsd_sockmsg h;
	uint32_t id = ++req;

	raw_send(fd, type, id, tx, p, len);
	for (;;) {
		ATF_REQUIRE_MSG(raw_recv(fd, &h, out, cap, 5000),
		    "no reply to %u", type);
		if (h.type == XS_WATCH_EVENT)
			continue;
		ATF_REQUIRE_EQ(h.req_id, id);
		if (outlen != NULL)
			*outlen = h.len;
		return h.type;
	}
}

size_t
raw_args(char *out, size_t cap, const char *const *args)
{
	size_t n = 0, l;
	int i;

	for (i = 0; args[i] != NULL; i++) {
		l = strlen(args[i]) + 1;
		ATF_REQUIRE(n + l <= cap);
		memcpy(out + n, args[i], l);
		n += l;
	}
	return n;
}

bool
raw_closed(int fd, int timeout_ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char b[256];
	ssize_t r;

	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		r = read(fd, b, sizeof(b));
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return true;
		if (r < 0)
			return false;
	}
}
