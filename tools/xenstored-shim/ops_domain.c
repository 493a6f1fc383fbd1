/*
 * Domain requests: INTRODUCE, RELEASE, RESUME, GET_DOMAIN_PATH,
 * IS_DOMAIN_INTRODUCED, SET_TARGET.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_domain.h"
#include "xsd_proto.h"

#include <xen/xen.h> /* DOMID_SELF */

int
op_introduce(struct req *r)
{
	const char *argv[3];
	uint32_t domid, port;
	unsigned long long mfn;
	char *end;
	int err;

	if (proto_split(r->p, r->len, argv, 3, 3, NULL, NULL) != 3 ||
	    parse_domid(argv[0], &domid) != 0 || domid == 0 ||
	    domid > XSD_DOMID_MAX ||
	    proto_parse_u32(argv[2], 0xffffffffu, &port) != 0 || port == 0) {
		err = EINVAL;
		goto fail;
	}
	errno = 0;
	mfn = strtoull(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0') {
		err = EINVAL;
		goto fail;
	}
	if ((err = domain_introduce(domid, (unsigned long)mfn, port)) != 0)
		goto fail;
	reply_str(r, "OK");
	return 0;
fail:
	return err;
}

int
op_domid_cmd(struct req *r)
{
	const char *a;
	uint32_t domid;
	struct domain *d;
	int err = 0;
	char path[40];

	if (one_arg(r, &a) != 0)
		return EINVAL;
	/* These two read the id as C xenstored does, with atoi(): "z" is 0
	 * and a big number wraps. */
	if (r->h->type == XS_GET_DOMAIN_PATH ||
	    r->h->type == XS_IS_DOMAIN_INTRODUCED)
		domid = (uint32_t)atoi(a);
	else if (parse_domid(a, &domid) != 0)
		return EINVAL;
	switch (r->h->type) {
	case XS_GET_DOMAIN_PATH:
		snprintf(path, sizeof(path), "/local/domain/%u", domid);
		reply_str(r, path);
		return 0;
	case XS_IS_DOMAIN_INTRODUCED:
		d = domain_find(domid);
		reply_str(r, domid == 0 || domid == DOMID_SELF || (d != NULL &&
		    d->introduced) ? "T" : "F");
		return 0;
	case XS_RELEASE:
		if (domid == 0) {
			err = EINVAL;
			break;
		}
		err = domain_release(domid);
		break;
	case XS_RESUME:
		d = domain_find(domid);
		if (d == NULL || !d->introduced)
			err = ENOENT;
		else
			d->released_sent = false;
		break;
	default:
		err = EINVAL;
	}
	if (err == 0)
		reply_str(r, "OK");
	return err;
}

static int
introduced_conn(uint32_t domid)
{
	const struct domain *d = domain_find(domid);

	/* --no-domains: guests are restricted sockets, never introduced;
	 * domain 0 is always there (C xenstored introduces it at start). */
	if (xsd_ring_backend == NULL || domid == 0)
		return 0;
	if (d == NULL || !d->introduced)
		return ENOENT;
	return d->conn == NULL ? EINVAL : 0;
}

int
op_set_target(struct req *r)
{
	const char *argv[2];
	uint32_t domid, target;
	size_t rl;
	int err;

	if (proto_split(r->p, r->len, argv, 2, 2, NULL, &rl) != 2) {
		err = EINVAL;
		goto fail;
	}
	/* As C xenstored: ids read with atoi(), both domains introduced
	 * (ENOENT) and connected (EINVAL). */
	domid = (uint32_t)atoi(argv[0]);
	target = (uint32_t)atoi(argv[1]);
	if ((err = introduced_conn(domid)) != 0 ||
	    (err = introduced_conn(target)) != 0 ||
	    (err = domain_set_target(domid, target)) != 0)
		goto fail;
	reply_str(r, "OK");
	return 0;
fail:
	return err;
}
