/*
 * xenstored-shim: command line, start-up and the single-threaded event
 * loop.  Each loop turn reads and handles what peers sent, makes the
 * journal durable, and only then writes replies and events out, so no
 * peer ever sees an acknowledgement for a change that could be lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xsd.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: xenstored-shim [options]\n"
	    "  -s, --socket PATH         listen on PATH (created mode 0600)\n"
	    "  -D, --no-domains          socket only: no hypervisor, no rings\n"
	    "  -d, --db FILE             keep the store in FILE (+ FILE.journal)\n"
	    "  -N, --foreground          do not daemonize\n"
	    "  -F, --pid-file FILE       write the daemon's pid to FILE\n"
	    "  -T, --trace FILE          trace every message to FILE\n"
	    "  -E, --entry-nb N          nodes per domain (1000)\n"
	    "  -S, --entry-size N        bytes per node (2048)\n"
	    "  -W, --watch-nb N          watches per connection (128)\n"
	    "  -t, --transaction N       transactions per connection (10)\n"
	    "  -A, --perm-nb N           permissions per node (5)\n"
	    "  -O, --outstanding N       unanswered requests per connection (20)\n"
	    "  -M, --memory N            bytes of nodes per domain (2097152)\n"
	    "  -e, --watch-events N      unread watch events per connection (1024)\n"
	    "  -w, --timeout watch-event=SECONDS\n"
	    "                            drop a peer whose events stay unread (20)\n"
	    "  -Q, --quota WHAT=N        nodes, node-size, watches, transactions,\n"
	    "                            permissions, outstanding, memory,\n"
	    "                            watch-events, watch-event-timeout,\n"
	    "                            transaction-nodes\n"
	    "  -V, --verbose             log more\n"
	    "  -h, --help                show this help\n");
}

static void
die_opt(const char *opt, const char *arg, const char *why)
{
	if (arg != NULL)
		fprintf(stderr, "xenstored-shim: option %s: %s: %s\n", opt,
		    arg, why);
	else
		fprintf(stderr, "xenstored-shim: option %s: %s\n", opt, why);
	fprintf(stderr, "Try 'xenstored-shim --help'.\n");
	exit(2);
}

static void
set_uint(const char *opt, const char *arg, unsigned *out)
{
	if (quota_parse_uint(arg, out) != 0)
		die_opt(opt, arg, "expected a non-negative integer");
}

static int
write_pid_file(const char *path, pid_t who)
{
	char pid[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)who);
	if (write(fd, pid, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * The parent writes the pid file (with the daemon's pid) before it exits,
 * so whoever started us finds the file, like the socket, in place as soon
 * as we return.
 */
static void
daemonize(const char *pid_file)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		perror("xenstored-shim: fork");
		exit(1);
	}
	if (pid > 0) {
		if (pid_file != NULL && write_pid_file(pid_file, pid) != 0) {
			fprintf(stderr, "xenstored-shim: --pid-file %s: %s\n",
			    pid_file, strerror(errno));
			kill(pid, SIGTERM);
			_exit(1);
		}
		_exit(0);
	}
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
}

#define MAXPOLL 4096

static void
run_loop(int lfd)
{
	static struct pollfd pfd[MAXPOLL];
	static struct conn *pconn[MAXPOLL];
	struct conn *c;
	nfds_t n, i;
	int ring_fd, timeout;
	bool any_events;

	while (!stop_signal) {
		n = 0;
		pfd[n].fd = lfd;
		pfd[n].events = POLLIN;
		pconn[n++] = NULL;
		ring_fd = xsd_ring_backend != NULL ?
		    xsd_ring_backend->poll_fd() : -1;
		if (ring_fd >= 0) {
			pfd[n].fd = ring_fd;
			pfd[n].events = POLLIN;
			pconn[n++] = NULL;
		}
		any_events = false;
		for (c = xsd_conns; c != NULL && n < MAXPOLL; c = c->next) {
			if (c->fd < 0)
				continue;
			pfd[n].fd = c->fd;
			pfd[n].events = (short)((conn_wants_input(c) ? POLLIN : 0) |
			    (conn_has_output(c) ? POLLOUT : 0));
			pconn[n++] = c;
			if (c->out_events > 0)
				any_events = true;
		}
		timeout = any_events ? 1000 : -1;
		/* fd-less transports (rings) may hold input we left unread
		 * under backpressure: take it now that replies went out. */
		for (c = xsd_conns; c != NULL; c = c->next) {
			if (conn_wants_input(c) &&
			    (conn_has_stashed(c) ||
				(c->fd < 0 && c->ops->pending != NULL &&
				    c->ops->pending(c)))) {
				conn_handle_input(c);
				timeout = 0;
			}
		}
		if (poll(pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			xsd_log("poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN)
			sock_accept(lfd);
		if (ring_fd >= 0 && (pfd[1].revents & POLLIN))
			xsd_ring_backend->handle();
		for (i = 0; i < n; i++) {
			c = pconn[i];
			if (c == NULL || c->dead)
				continue;
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				conn_handle_input(c);
		}
		/* Durability first, then acknowledgements. */
		db_flush();
		for (c = xsd_conns; c != NULL; c = c->next)
			if (conn_has_output(c))
				conn_flush_output(c);
		conn_check_timeouts(time(NULL));
		conn_reap_dead();
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "no-domains", no_argument, NULL, 'D' },
		{ "db", required_argument, NULL, 'd' },
		{ "foreground", no_argument, NULL, 'N' },
		{ "no-fork", no_argument, NULL, 'N' },
		{ "pid-file", required_argument, NULL, 'F' },
		{ "trace", required_argument, NULL, 'T' },
		{ "trace-file", required_argument, NULL, 'T' },
		{ "entry-nb", required_argument, NULL, 'E' },
		{ "entry-size", required_argument, NULL, 'S' },
		{ "watch-nb", required_argument, NULL, 'W' },
		{ "transaction", required_argument, NULL, 't' },
		{ "perm-nb", required_argument, NULL, 'A' },
		{ "outstanding", required_argument, NULL, 'O' },
		{ "memory", required_argument, NULL, 'M' },
		{ "watch-events", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "quota", required_argument, NULL, 'Q' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock_path = NULL, *db_file = NULL, *pid_file = NULL;
	const char *trace_file = NULL;
	bool foreground = false, no_domains = false;
	char err[512];
	int ch, lfd, e;
	struct sigaction sa;

	quota_defaults(&xsd_quota);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:Dd:NF:T:E:S:W:t:A:O:M:e:w:Q:Vh",
		    longopts, NULL)) != -1) {
		char optname[40];
		const struct option *lo;

		/* Name the option by its long form, whatever was typed. */
		snprintf(optname, sizeof(optname), "-%c", ch);
		for (lo = longopts; lo->name != NULL; lo++)
			if (lo->val == ch) {
				snprintf(optname, sizeof(optname), "--%s",
				    lo->name);
				break;
			}

		switch (ch) {
		case 's':
			sock_path = optarg;
			break;
		case 'D':
			no_domains = true;
			break;
		case 'd':
			db_file = optarg;
			break;
		case 'N':
			foreground = true;
			break;
		case 'F':
			pid_file = optarg;
			break;
		case 'T':
			trace_file = optarg;
			break;
		case 'E':
			set_uint(optname, optarg, &xsd_quota.nodes);
			break;
		case 'S':
			set_uint(optname, optarg, &xsd_quota.node_size);
			break;
		case 'W':
			set_uint(optname, optarg, &xsd_quota.watches);
			break;
		case 't':
			set_uint(optname, optarg, &xsd_quota.transactions);
			break;
		case 'A':
			set_uint(optname, optarg, &xsd_quota.perms);
			break;
		case 'O':
			set_uint(optname, optarg, &xsd_quota.outstanding);
			break;
		case 'M':
			set_uint(optname, optarg, &xsd_quota.memory);
			break;
		case 'e':
			set_uint(optname, optarg, &xsd_quota.watch_events);
			break;
		case 'w':
			if (strncmp(optarg, "watch-event=", 12) != 0)
				die_opt(optname, optarg,
				    "expected watch-event=SECONDS");
			set_uint(optname, optarg + 12,
			    &xsd_quota.event_timeout);
			break;
		case 'Q':
			e = quota_set(&xsd_quota, optarg);
			if (e == ENOENT)
				die_opt(optname, optarg, "unknown quota name");
			if (e != 0)
				die_opt(optname, optarg,
				    "expected NAME=non-negative integer");
			break;
		case 'V':
			xsd_verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			die_opt(argv[optind - 1], NULL, "missing argument");
			break;
		default:
			die_opt(argv[optind - 1], NULL, "unknown option");
			break;
		}
	}
	if (optind < argc)
		die_opt(argv[optind], NULL, "unexpected argument");
	if (xsd_quota.outstanding == 0)
		die_opt("--outstanding", "0", "must be at least 1");
	if (sock_path == NULL) {
		sock_path = getenv("XENSTORED_PATH");
		if (sock_path == NULL)
			sock_path = "/run/xenstored/socket";
	}
	if (!no_domains) {
		xsd_ring_backend = ringdom_backend();
		if (xsd_ring_backend == NULL) {
			fprintf(stderr, "xenstored-shim: cannot reach the "
					"hypervisor for guest rings; use "
					"--no-domains for a socket-only daemon\n");
			return 1;
		}
	}
	if (trace_file != NULL) {
		xsd_trace = fopen(trace_file, "a");
		if (xsd_trace == NULL) {
			fprintf(stderr, "xenstored-shim: --trace %s: %s\n",
			    trace_file, strerror(errno));
			return 1;
		}
	}
	if (store_init() != 0) {
		fprintf(stderr, "xenstored-shim: out of memory\n");
		return 1;
	}
	if (db_file != NULL && (e = db_open(db_file)) != 0) {
		fprintf(stderr, "xenstored-shim: --db %s: %s\n", db_file,
		    strerror(e));
		return 1;
	}
	/* Our own kernel's ring (dom0's xenbus), if it offers one. */
	if (xsd_ring_backend != NULL && (e = domain_introduce(0, 0, 0)) != 0)
		xsd_log("no ring for dom0's own kernel (%s); socket clients "
			"only", strerror(e));
	lfd = sock_listen(sock_path, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "xenstored-shim: %s\n", err);
		return 1;
	}
	if (!foreground)
		daemonize(pid_file);
	else if (pid_file != NULL && write_pid_file(pid_file, getpid()) != 0) {
		fprintf(stderr, "xenstored-shim: --pid-file %s: %s\n",
		    pid_file, strerror(errno));
		unlink(sock_path);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	run_loop(lfd);

	db_close();
	close(lfd);
	unlink(sock_path);
	if (pid_file != NULL)
		unlink(pid_file);
	while (xsd_conns != NULL)
		conn_destroy(xsd_conns);
	store_fini();
	return 0;
}
