/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenstore client.  Calls sleep (thread context only) and return 0 or
 * an errno: the daemon's error names are mapped (EAGAIN for a transaction
 * conflict, ENOENT, EACCES, ...), ETIMEDOUT when no reply comes in time,
 * EPROTO when the reply is malformed.  Strings returned are malloc'd with
 * M_XENSTORE and NUL-terminated; the caller frees them.
 *
 * Paths: "dir" and "node" are joined with '/', either may be "" (relative
 * paths are relative to this domain's home, /local/domain/<id>).
 */
#ifndef _XEN_XENSTORE_H_
#define _XEN_XENSTORE_H_

#include <sys/malloc.h>
#include <sys/queue.h>
#include <sys/types.h>

MALLOC_DECLARE(M_XENSTORE);

typedef uint32_t	xs_tx_t;	/* 0: no transaction */
#define XST_NIL		0

int	xs_read(xs_tx_t, const char *dir, const char *node, char **result,
	    size_t *len);
int	xs_write(xs_tx_t, const char *dir, const char *node, const char *str);
int	xs_mkdir(xs_tx_t, const char *dir, const char *node);
int	xs_rm(xs_tx_t, const char *dir, const char *node);
/* Entries of a directory: *result is one allocation holding the array and strings. */
int	xs_directory(xs_tx_t, const char *dir, const char *node, u_int *num,
	    const char ***result);
int	xs_exists(xs_tx_t, const char *dir, const char *node);
/* Permissions in xenstore's string form, e.g. "n0\0r5\0" (owner first). */
int	xs_get_perms(xs_tx_t, const char *dir, const char *node, char **result,
	    size_t *len);
int	xs_set_perms(xs_tx_t, const char *dir, const char *node,
	    const char *perms, size_t len);
int	xs_printf(xs_tx_t, const char *dir, const char *node, const char *fmt, ...)
	    __printflike(4, 5);
/* Reads an unsigned number; EINVAL if the node does not hold one. */
int	xs_read_uint(xs_tx_t, const char *dir, const char *node, uint64_t *v);
int	xs_get_domain_path(u_int domid, char **result);

int	xs_transaction_start(xs_tx_t *);
/* Commits (abort false) or abandons; EAGAIN means "conflict: run it again". */
int	xs_transaction_end(xs_tx_t, bool abort);
/*
 * Runs fn inside a transaction, starting over on EAGAIN up to max_tries
 * times.  fn returns 0 to commit, an errno to abort with that error.
 */
int	xs_transaction_run(int (*fn)(xs_tx_t, void *), void *arg, int max_tries);

/*
 * Watches.  The callback runs in the xenstore watch thread (it may sleep and
 * call xenstore).  Events queue per watch up to max_pending (default
 * XS_WATCH_MAX_PENDING); beyond that they are dropped and counted, so a
 * peer writing in a loop cannot exhaust our memory (XSA-349).
 */
#define XS_WATCH_MAX_PENDING	64

struct xs_watch_event;

struct xs_watch {
	const char	*node;		/* full path, or a special '@...' name */
	void		(*callback)(struct xs_watch *, const char *path);
	void		*arg;
	u_int		max_pending;
	/* Owned by the client. */
	char		token[24];
	u_int		pending;
	uint64_t	dropped;
	uint64_t	delivered;
	STAILQ_HEAD(, xs_watch_event) events;
	LIST_ENTRY(xs_watch) link;
};

int	xs_register_watch(struct xs_watch *);
void	xs_unregister_watch(struct xs_watch *);

/* True once the client talks to a daemon. */
bool	xs_ready(void);
/* This domain's id as xenstore reports it (from "domid"). */
int	xs_domid(u_int *domid);

/* Client statistics, for tests. */
struct xs_stats {
	uint64_t	requests;
	uint64_t	replies;
	uint64_t	timeouts;
	uint64_t	bad_replies;	/* wrong length, unknown req_id, ... */
	uint64_t	watch_events;
	uint64_t	watch_dropped;
};
void	xs_get_stats(struct xs_stats *);

#endif /* !_XEN_XENSTORE_H_ */
