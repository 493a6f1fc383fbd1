/*
 * What the request handlers (ops*.c) share: the request being served, its
 * argument helpers, the lookup and disclosure policy (lookup.c), implicit
 * transactions (implicit.c) and the quota checks of a change
 * (ops_quota.c).  A handler returns 0 once it has queued its reply, or an
 * errno, which ops_dispatch() alone turns into the ERROR reply.
 */
#ifndef XSD_OPS_H
#define XSD_OPS_H

#include "xsd_conn.h"
#include "xsd_domain.h"
#include "xsd_tree.h"
#include "xsd_txn.h"

#define ABSBUF (XENSTORE_ABS_PATH_MAX + 1)
#define MAXARGS (XENSTORE_PAYLOAD_MAX / 2 + 2)

struct req {
	struct conn *c;
	const struct xsd_sockmsg *h;
	const uint8_t *p;
	uint32_t len;
};

/* ops.c */
void reply(struct req *r, const void *p, size_t len);
void reply_str(struct req *r, const char *s);
/* One NUL-terminated argument, nothing after it. */
int one_arg(struct req *r, const char **a);
int two_args(struct req *r, const char **argv);
int parse_domid(const char *s, uint32_t *d);

/* lookup.c */
unsigned access_of(const struct conn *c, const struct node *n);
void copy_parent(const char *path, char *out);
int disclose(struct txn *t, const char *abs, unsigned need, int err);
const struct node *lookup(struct txn *t, const char *abs, unsigned need,
    int *err);

/* implicit.c */
int txn_for(struct req *r, struct txn *tmp, struct txn **t);
int finish_change(struct txn *t, struct txn *tmp, int err);

/* ops_quota.c */
int quota_nodes_ok(struct txn *t, unsigned add, size_t mem);
int check_size(const struct conn *c, uint32_t nperms, size_t vlen,
    size_t kidslen);

/* The handlers, one per request type (ops_*.c). */
int op_read(struct req *r);
int op_write_plain(struct req *r);
int op_mkdir(struct req *r);
int op_rm(struct req *r);
int op_directory(struct req *r);
int op_directory_part(struct req *r);
int op_get_perms(struct req *r);
int op_set_perms(struct req *r);
int op_watch(struct req *r);
int op_unwatch(struct req *r);
int op_reset_watches(struct req *r);
int op_tx_start(struct req *r);
int op_tx_end(struct req *r);
int op_introduce(struct req *r);
int op_domid_cmd(struct req *r);
int op_set_target(struct req *r);
int op_control(struct req *r);

#endif
