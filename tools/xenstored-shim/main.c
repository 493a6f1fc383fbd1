/*
 * xenstored-shim: command line, start-up and the single-threaded event
 * loop.  Each loop turn reads and handles what peers sent, makes the
 * journal durable, and only then writes replies and events out, so no
 * peer ever sees an acknowledgement for a change that could be lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xsd_conn.h"
#include "xsd_db.h"
#include "xsd_domain.h"
#include "xsd_log.h"
#include "xsd_quota.h"
#include "xsd_sock.h"
#include "xsd_tree.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* What the command line sets, besides the quotas. */
static struct {
	const char *sock, *db, *pid, *trace;
	bool foreground, no_domains;
} cfg;

enum opt_kind {
	OPT_FLAG,    /* sets a bool */
	OPT_COUNT,   /* adds one to an int */
	OPT_STRING,  /* keeps the argument */
	OPT_UINT,    /* a non-negative integer */
	OPT_TIMEOUT, /* watch-event=SECONDS */
	OPT_QUOTA,   /* NAME=VALUE */
	OPT_HELP,
};

/*
 * Every option, once: getopt's tables and the help text are made from it.
 * An entry without a letter is another long name for the one before.
 */
static const struct opt {
	char ch;
	const char *name;
	enum opt_kind kind;
	void *dst;
	const char *arg;
	const char *help;
} opts[] = {
	{ 's', "socket", OPT_STRING, &cfg.sock, "PATH",
	    "listen on PATH (created mode 0600)" },
	{ 'D', "no-domains", OPT_FLAG, &cfg.no_domains, NULL,
	    "socket only: no hypervisor, no rings" },
	{ 'd', "db", OPT_STRING, &cfg.db, "FILE",
	    "keep the store in FILE (+ FILE.journal)" },
	{ 'N', "foreground", OPT_FLAG, &cfg.foreground, NULL,
	    "do not daemonize" },
	{ 0, "no-fork", OPT_FLAG, &cfg.foreground, NULL, NULL },
	{ 'F', "pid-file", OPT_STRING, &cfg.pid, "FILE",
	    "write the daemon's pid to FILE" },
	{ 'T', "trace", OPT_STRING, &cfg.trace, "FILE",
	    "trace every message to FILE" },
	{ 0, "trace-file", OPT_STRING, &cfg.trace, "FILE", NULL },
	{ 'E', "entry-nb", OPT_UINT, &xsd_quota.nodes, "N",
	    "nodes per domain (1000)" },
	{ 'S', "entry-size", OPT_UINT, &xsd_quota.node_size, "N",
	    "size of a node, as C xenstored counts it (2048)" },
	{ 'W', "watch-nb", OPT_UINT, &xsd_quota.watches, "N",
	    "watches per domain (128)" },
	{ 't', "transaction", OPT_UINT, &xsd_quota.transactions, "N",
	    "open transactions per connection (10)" },
	{ 'A', "perm-nb", OPT_UINT, &xsd_quota.perms, "N",
	    "permissions per node (5)" },
	{ 'O', "outstanding", OPT_UINT, &xsd_quota.outstanding, "N",
	    "unanswered requests per connection (20)" },
	{ 'M', "memory", OPT_UINT, &xsd_quota.memory, "N",
	    "bytes of nodes per domain (2097152)" },
	{ 'e', "watch-events", OPT_UINT, &xsd_quota.watch_events, "N",
	    "unread watch events per connection (1024)" },
	{ 'w', "timeout", OPT_TIMEOUT, &xsd_quota.event_timeout,
	    "watch-event=SECONDS",
	    "drop a peer whose events stay unread (20)" },
	{ 'Q', "quota", OPT_QUOTA, &xsd_quota, "WHAT=N",
	    "a quota by name (xenstored-shim(8))" },
	{ 'K', "keep-orphans", OPT_FLAG, &xsd_keep_orphans, NULL,
	    "keep a released domain's nodes (as dom0's)" },
	{ 'V', "verbose", OPT_COUNT, &xsd_verbose, NULL, "log more" },
	{ 'h', "help", OPT_HELP, NULL, NULL, "show this help" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: xenstored-shim [options]\n");
	for (i = 0; i < NOPTS; i++) {
		char left[64];

		if (opts[i].ch == 0)
			continue;
		snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].ch,
		    opts[i].name, opts[i].arg != NULL ? " " : "",
		    opts[i].arg != NULL ? opts[i].arg : "");
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s %s\n", left, "",
			    opts[i].help);
		else
			fprintf(f, "  %-26s %s\n", left, opts[i].help);
	}
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

/*
 * The loop waits in epoll, level-triggered: a connection over its quota
 * of unanswered requests leaves input unread in its socket, and level
 * triggering reports it again once EPOLLIN is asked for anew, with no
 * readiness of our own to remember.  The interest set changes only when
 * a connection's wants change (one epoll_ctl then), so a wake-up costs
 * nothing per idle connection, unlike poll's rebuilt array.
 */
#define MAXEV 256

/* Tags for the two fds that are not connections. */
static char tag_listen, tag_ring;

static int
ep_set(int epfd, int op, int fd, uint32_t mask, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = mask;
	ev.data.ptr = ptr;
	return epoll_ctl(epfd, op, fd, &ev);
}

/* Asks epoll for what c wants now, if that changed. */
static void
ep_update(int epfd, struct conn *c)
{
	uint32_t want;

	if (c->fd < 0 || c->dead)
		return;
	want = (conn_wants_input(c) ? EPOLLIN : 0) |
	    (conn_has_output(c) ? EPOLLOUT : 0);
	if (c->ep_added && want == c->ep_mask)
		return;
	if (ep_set(epfd, c->ep_added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd,
		want, c) != 0) {
		xsd_log("conn %llu: epoll_ctl: %s, disconnecting",
		    (unsigned long long)c->id, strerror(errno));
		conn_kill(c);
		return;
	}
	c->ep_added = true;
	c->ep_mask = want;
}

/*
 * Settles every busy connection: the dead are destroyed, the rest get
 * their epoll interest brought up to date, and only those with something
 * still pending stay busy for the next turn.
 */
static void
end_turn(int epfd)
{
	struct conn *c, *next, *list = xsd_busy;

	xsd_busy = NULL;
	for (c = list; c != NULL; c = next) {
		next = c->busy_next;
		c->busy = false;
		c->busy_next = NULL;
		if (!c->dead)
			ep_update(epfd, c);
		if (c->dead)
			conn_destroy(c);
		else if (conn_needs_turn(c))
			conn_busy(c);
	}
}

static void
run_loop(int lfd)
{
	static struct epoll_event evs[MAXEV];
	struct conn *c;
	int ring_fd, timeout, epfd, n, i;
	bool any_events;
	time_t last_check = 0, now;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || ep_set(epfd, EPOLL_CTL_ADD, lfd, EPOLLIN,
			    &tag_listen) != 0) {
		xsd_log("epoll: %s", strerror(errno));
		return;
	}
	ring_fd = xsd_ring_backend != NULL ? xsd_ring_backend->poll_fd() : -1;
	if (ring_fd >= 0 &&
	    ep_set(epfd, EPOLL_CTL_ADD, ring_fd, EPOLLIN, &tag_ring) != 0) {
		xsd_log("epoll: %s", strerror(errno));
		close(epfd);
		return;
	}
	while (!stop_signal) {
		any_events = false;
		timeout = -1;
		/* Conns marked busy by this walk's input go at the head,
		 * behind the cursor: the end of the turn takes them. */
		for (c = xsd_busy; c != NULL; c = c->busy_next) {
			ep_update(epfd, c);
			if (c->out_events > 0)
				any_events = true;
			/* fd-less transports (rings) may hold input we left
			 * unread under backpressure: take it now that
			 * replies went out. */
			if (conn_wants_input(c) &&
			    (conn_has_stashed(c) ||
				(c->fd < 0 && c->ops->pending != NULL &&
				    c->ops->pending(c)))) {
				conn_handle_input(c);
				timeout = 0;
			}
		}
		if (timeout != 0 && any_events)
			timeout = 1000;
		n = epoll_wait(epfd, evs, MAXEV, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			xsd_log("epoll_wait: %s", strerror(errno));
			break;
		}
		/* Every request each ready connection holds, then every
		 * reply of the turn in one write per connection. */
		for (i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &tag_listen) {
				sock_accept(lfd);
				continue;
			}
			if (p == &tag_ring) {
				xsd_ring_backend->handle();
				continue;
			}
			c = p;
			if (!c->dead &&
			    (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				conn_handle_input(c);
		}
		/* Durability first, then acknowledgements. */
		db_flush();
		for (c = xsd_busy; c != NULL; c = c->busy_next)
			if (conn_has_output(c))
				conn_flush_output(c);
		if (xsd_ring_backend != NULL)
			xsd_ring_backend->end_turn();
		now = time(NULL);
		if (any_events && now != last_check) {
			conn_check_timeouts(now);
			last_check = now;
		}
		end_turn(epfd);
	}
	close(epfd);
}

int
main(int argc, char **argv)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	const char *sock_path, *db_file, *pid_file, *trace_file;
	bool foreground, no_domains;
	char err[512];
	int ch, lfd, e;
	size_t i, n = 0;
	struct sigaction sa;

	quota_defaults(&xsd_quota);
	shortopts[n++] = ':';
	for (i = 0; i < NOPTS; i++) {
		longopts[i].name = opts[i].name;
		longopts[i].has_arg = opts[i].arg != NULL ? required_argument :
							  no_argument;
		longopts[i].flag = NULL;
		/* A long-only alias returns the index of its entry. */
		longopts[i].val = opts[i].ch != 0 ? opts[i].ch : 256 + (int)i;
		if (opts[i].ch != 0) {
			shortopts[n++] = opts[i].ch;
			if (opts[i].arg != NULL)
				shortopts[n++] = ':';
		}
	}
	memset(&longopts[NOPTS], 0, sizeof(struct option)); /* the end */
	shortopts[n] = '\0';
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		const struct opt *o = NULL;
		char optname[40];

		if (ch == ':')
			die_opt(argv[optind - 1], NULL, "missing argument");
		for (i = 0; i < NOPTS && o == NULL; i++)
			if (longopts[i].val == ch)
				o = &opts[i];
		if (o == NULL)
			die_opt(argv[optind - 1], NULL, "unknown option");
		/* Name the option by its long form, whatever was typed. */
		snprintf(optname, sizeof(optname), "--%s", o->name);
		switch (o->kind) {
		case OPT_FLAG:
			*(bool *)o->dst = true;
			break;
		case OPT_COUNT:
			(*(int *)o->dst)++;
			break;
		case OPT_STRING:
			*(const char **)o->dst = optarg;
			break;
		case OPT_UINT:
			set_uint(optname, optarg, o->dst);
			break;
		case OPT_TIMEOUT:
			if (strncmp(optarg, "watch-event=", 12) != 0)
				die_opt(optname, optarg,
				    "expected watch-event=SECONDS");
			set_uint(optname, optarg + 12, o->dst);
			break;
		case OPT_QUOTA:
			e = quota_set(o->dst, optarg);
			if (e == ENOENT)
				die_opt(optname, optarg, "unknown quota name");
			if (e != 0)
				die_opt(optname, optarg,
				    "expected NAME=non-negative integer");
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		}
	}
	sock_path = cfg.sock;
	db_file = cfg.db;
	pid_file = cfg.pid;
	trace_file = cfg.trace;
	foreground = cfg.foreground;
	no_domains = cfg.no_domains;
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
