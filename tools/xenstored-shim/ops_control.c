/*
 * XS_CONTROL and its subcommands, one table: each with its arguments'
 * help and how many it takes, checked here as C xenstored 4.17 checks
 * them (EINVAL otherwise); help lists the table in C xenstored's format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_buf.h"
#include "xsd_conn.h"
#include "xsd_db.h"
#include "xsd_domain.h"
#include "xsd_log.h"
#include "xsd_proto.h"
#include "xsd_quota.h"
#include "xsd_tree.h"

#define CTL_MAXARGS 8

static int
ctl_check(struct req *r, int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	reply_str(r, "OK");
	return 0;
}

static int
ctl_log(struct req *r, int argc, const char **argv)
{
	(void)argc;
	if (strcmp(argv[0], "on") == 0)
		xsd_verbose = 1;
	else if (strcmp(argv[0], "off") == 0)
		xsd_verbose = 0;
	else
		return EINVAL;
	reply_str(r, "OK");
	return 0;
}

/* The log goes to FILE from now on. */
static int
ctl_logfile(struct req *r, int argc, const char **argv)
{
	(void)argc;
	if (freopen(argv[0], "a", stderr) == NULL)
		return errno != 0 ? errno : EINVAL;
	setvbuf(stderr, NULL, _IOLBF, 0);
	reply_str(r, "OK");
	return 0;
}

/* What the store holds, to FILE (C xenstored's talloc report has no
 * counterpart here). */
static int
ctl_memreport(struct req *r, int argc, const char **argv)
{
	const struct domacct *a;
	FILE *f;

	(void)argc;
	f = fopen(argv[0], "a");
	if (f == NULL)
		return errno != 0 ? errno : EINVAL;
	fprintf(f, "store: %zu nodes, generation %llu\n", xsd_store.tab.n,
	    (unsigned long long)xsd_store.gen);
	for (a = xsd_store.acct; a != NULL; a = a->next)
		fprintf(f, "domain %u: %u nodes, %zu bytes\n", a->domid,
		    a->nodes, a->memory);
	if (fclose(f) != 0)
		return EIO;
	reply_str(r, "OK");
	return 0;
}

static int
ctl_print(struct req *r, int argc, const char **argv)
{
	(void)argc;
	xsd_log("print: %s", argv[0]);
	reply_str(r, "OK");
	return 0;
}

/*
 * The quotas C xenstored lists, in its order and words.  path-max is the
 * protocol's fixed XENSTORE_REL_PATH_MAX here: listed, not settable.
 */
static const struct qrow {
	const char *name;
	unsigned *val; /* NULL: fixed */
	const char *what;
	bool soft;
} qrows[] = {
	{ "nodes", &xsd_quota.nodes, "Nodes per domain", false },
	{ "watches", &xsd_quota.watches, "Watches per domain", false },
	{ "transactions", &xsd_quota.transactions, "Transactions per domain",
	    false },
	{ "outstanding", &xsd_quota.outstanding,
	    "Outstanding requests per domain", false },
	{ "transaction-nodes", &xsd_quota.tx_nodes,
	    "Max. number of accessed nodes per transaction", false },
	{ "memory", &xsd_quota.memory,
	    "Total Xenstore memory per domain (error level)", false },
	{ "node-size", &xsd_quota.node_size, "Max. size of a node", false },
	{ "path-max", NULL, "Max. length of a node path", false },
	{ "permissions", &xsd_quota.perms,
	    "Max. number of permissions per node", false },
	{ "memory", &xsd_quota.memory_soft,
	    "Total Xenstore memory per domain (warning level)", true },
};
#define NQROWS (sizeof(qrows) / sizeof(qrows[0]))

static unsigned
qrow_val(const struct qrow *q)
{
	return q->val != NULL ? *q->val : XENSTORE_REL_PATH_MAX;
}

static int
quota_list(struct req *r, bool soft)
{
	struct buf b = { 0 };
	size_t i;
	int err = buf_printf(&b, "Quota settings:\n");

	for (i = 0; i < NQROWS && err == 0; i++)
		if (qrows[i].soft == soft)
			err = buf_printf(&b, "%-17s: %8u %s\n", qrows[i].name,
			    qrow_val(&qrows[i]), qrows[i].what);
	if (err == 0 && (err = buf_add(&b, "", 1)) == 0)
		reply(r, b.p, b.len);
	buf_free(&b);
	return err != 0 ? ENOMEM : 0;
}

/* "set NAME VALUE": the value as atoi() reads it, at least 1. */
static int
quota_change(struct req *r, int argc, const char **argv, bool soft)
{
	size_t i;
	int v;

	if (argc != 3)
		return EINVAL;
	v = atoi(argv[2]);
	if (v < 1)
		return EINVAL;
	for (i = 0; i < NQROWS; i++) {
		if (qrows[i].soft != soft || qrows[i].val == NULL ||
		    strcmp(qrows[i].name, argv[1]) != 0)
			continue;
		*qrows[i].val = (unsigned)v;
		reply_str(r, "OK");
		return 0;
	}
	return EINVAL;
}

/* What one domain uses: the domain as atoi() reads it, known or ENOENT. */
static int
quota_domain(struct req *r, const char *arg)
{
	int id = atoi(arg);
	const struct domacct *a;
	const struct conn *c;
	unsigned watches = 0, txns = 0, outstanding = 0;
	struct buf b = { 0 };
	int err;

	if (id < 0 || (id != 0 && domain_find((uint32_t)id) == NULL))
		return ENOENT;
	a = store_acct((uint32_t)id, false);
	for (c = xsd_conns; c != NULL; c = c->next) {
		if (c->domid != (uint32_t)id)
			continue;
		watches += c->nwatches;
		txns += c->ntxns;
		outstanding += c->out_replies;
	}
	err = buf_printf(&b,
	    "Domain %d:\n%-16s: %8u\n%-16s: %8u\n%-16s: %8u\n"
	    "%-16s: %8u\n%-16s: %8zu\n",
	    id, "nodes", a != NULL ? a->nodes : 0, "watches", watches,
	    "transactions", txns, "outstanding", outstanding, "memory",
	    a != NULL ? a->memory : 0);
	if (err == 0 && (err = buf_add(&b, "", 1)) == 0)
		reply(r, b.p, b.len);
	buf_free(&b);
	return err != 0 ? ENOMEM : 0;
}

static int
ctl_quota(struct req *r, int argc, const char **argv)
{
	if (argc == 0)
		return quota_list(r, false);
	if (strcmp(argv[0], "set") == 0)
		return quota_change(r, argc, argv, false);
	if (argc != 1)
		return EINVAL;
	return quota_domain(r, argv[0]);
}

static int
ctl_quota_soft(struct req *r, int argc, const char **argv)
{
	if (argc == 0)
		return quota_list(r, true);
	if (strcmp(argv[0], "set") == 0)
		return quota_change(r, argc, argv, true);
	return EINVAL;
}

static int
ctl_snapshot(struct req *r, int argc, const char **argv)
{
	int err = db_enabled() ? db_snapshot() : ENOENT;

	(void)argc;
	(void)argv;
	if (err != 0)
		return err;
	reply_str(r, "OK");
	return 0;
}

/*
 * Makes a socket connection act as an unprivileged domain, for good: the
 * way tests (and tools) check what a guest could do, without a
 * hypervisor.
 */
static int
ctl_restrict(struct req *r, int argc, const char **argv)
{
	struct conn *c = r->c;
	uint32_t domid;

	(void)argc;
	if (!c->can_restrict || parse_domid(argv[0], &domid) != 0 ||
	    domid == 0 || domid > XSD_DOMID_MAX)
		return EINVAL;
	reply_str(r, "OK");
	c->domid = domid;
	c->priv = false;
	c->can_restrict = false;
	c->target = domain_target(domid);
	return 0;
}

static int ctl_help(struct req *r, int argc, const char **argv);

static const struct ctl {
	const char *name;
	const char *args;
	int min, max;
	int (*fn)(struct req *r, int argc, const char **argv);
} ctls[] = {
	{ "check", "", 0, 0, ctl_check },
	{ "log", "on|off", 1, 1, ctl_log },
	{ "logfile", "<file>", 1, 1, ctl_logfile },
	{ "memreport", "<file>", 1, 1, ctl_memreport },
	{ "print", "<string>", 1, 1, ctl_print },
	{ "quota", "[set <name> <val>|<domid>]", 0, 3, ctl_quota },
	{ "quota-soft", "[set <name> <val>]", 0, 3, ctl_quota_soft },
	{ "restrict", "<domid>", 1, 1, ctl_restrict },
	{ "snapshot", "", 0, 0, ctl_snapshot },
	{ "help", "", 0, 0, ctl_help },
};
#define NCTLS (sizeof(ctls) / sizeof(ctls[0]))

static int
ctl_help(struct req *r, int argc, const char **argv)
{
	struct buf b = { 0 };
	size_t i;
	int err = 0;

	(void)argc;
	(void)argv;
	for (i = 0; i < NCTLS && err == 0; i++)
		err = buf_printf(&b, "%s\t%s\n", ctls[i].name, ctls[i].args);
	if (err == 0 && (err = buf_add(&b, "", 1)) == 0)
		reply(r, b.p, b.len);
	buf_free(&b);
	return err != 0 ? ENOMEM : 0;
}

int
op_control(struct req *r)
{
	const char *argv[CTL_MAXARGS + 1];
	int argc;
	size_t i;

	argc = proto_split(r->p, r->len, argv, 1, CTL_MAXARGS + 1, NULL,
	    NULL);
	if (argc < 1)
		return EINVAL;
	for (i = 0; i < NCTLS; i++) {
		if (strcmp(ctls[i].name, argv[0]) != 0)
			continue;
		if (argc - 1 < ctls[i].min || argc - 1 > ctls[i].max)
			return EINVAL;
		return ctls[i].fn(r, argc - 1, argv + 1);
	}
	return EINVAL;
}
