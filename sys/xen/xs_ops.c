/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The typed xenstore calls of xenstore.h, built on xs_talk().
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xenstore.h>
#include <xen/xs_client.h>

/* Joins dir and node into a malloc'd path. */
static char *
xs_join(const char *dir, const char *node)
{
	size_t dl = strlen(dir), nl = strlen(node), size = dl + nl + 2;
	char *p = malloc(size, M_XENSTORE, M_WAITOK);

	strlcpy(p, dir, size);
	if (dl != 0 && nl != 0)
		strlcat(p, "/", size);
	strlcat(p, node, size);
	return (p);
}

/* One request whose payload is a path (plus optional data after it). */
static int
xs_path_op(uint32_t type, xs_tx_t tx, const char *dir, const char *node,
    const void *data, size_t dlen, bool data_nul, char **reply, size_t *len)
{
	char *path = xs_join(dir, node);
	struct xs_iov iov[2];
	u_int n = 1;
	int error;

	iov[0].base = path;
	iov[0].len = strlen(path) + 1;
	if (data != NULL) {
		iov[1].base = data;
		iov[1].len = dlen + (data_nul ? 1 : 0);
		n = 2;
	}
	error = xs_talk(type, tx, iov, n, reply, len);
	free(path, M_XENSTORE);
	return (error);
}

int
xs_read(xs_tx_t tx, const char *dir, const char *node, char **result, size_t *len)
{
	return (xs_path_op(XS_READ, tx, dir, node, NULL, 0, false, result, len));
}

int
xs_write(xs_tx_t tx, const char *dir, const char *node, const char *str)
{
	/* The value follows the path without a terminating NUL. */
	return (xs_path_op(XS_WRITE, tx, dir, node, str, strlen(str), false, NULL,
	    NULL));
}

int
xs_mkdir(xs_tx_t tx, const char *dir, const char *node)
{
	return (xs_path_op(XS_MKDIR, tx, dir, node, NULL, 0, false, NULL, NULL));
}

int
xs_rm(xs_tx_t tx, const char *dir, const char *node)
{
	return (xs_path_op(XS_RM, tx, dir, node, NULL, 0, false, NULL, NULL));
}

int
xs_exists(xs_tx_t tx, const char *dir, const char *node)
{
	u_int n;
	const char **list;

	if (xs_directory(tx, dir, node, &n, &list) != 0)
		return (0);
	free(list, M_XENSTORE);
	return (1);
}

int
xs_directory(xs_tx_t tx, const char *dir, const char *node, u_int *num,
    const char ***result)
{
	char *body, *p;
	size_t len;
	u_int count = 0;
	const char **list;
	int error;

	error = xs_path_op(XS_DIRECTORY, tx, dir, node, NULL, 0, false, &body, &len);
	if (error != 0)
		return (error);
	/* Entries are NUL-terminated names; the reply body is NUL-padded by us. */
	for (size_t i = 0; i < len; i++)
		if (body[i] == '\0')
			count++;
	if (len > 0 && body[len - 1] != '\0')
		count++;	/* tolerate a missing final NUL */
	list = malloc(sizeof(*list) * (count + 1) + len + 1, M_XENSTORE, M_WAITOK);
	p = (char *)(list + count + 1);
	memcpy(p, body, len);
	p[len] = '\0';
	free(body, M_XENSTORE);
	for (u_int i = 0; i < count; i++) {
		list[i] = p;
		p += strlen(p) + 1;
	}
	list[count] = NULL;
	*num = count;
	*result = list;
	return (0);
}

int
xs_get_perms(xs_tx_t tx, const char *dir, const char *node, char **result,
    size_t *len)
{
	return (xs_path_op(XS_GET_PERMS, tx, dir, node, NULL, 0, false, result, len));
}

int
xs_set_perms(xs_tx_t tx, const char *dir, const char *node, const char *perms,
    size_t len)
{
	return (xs_path_op(XS_SET_PERMS, tx, dir, node, perms, len, false, NULL,
	    NULL));
}

int
xs_printf(xs_tx_t tx, const char *dir, const char *node, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return (ENAMETOOLONG);
	return (xs_write(tx, dir, node, buf));
}

int
xs_read_uint(xs_tx_t tx, const char *dir, const char *node, uint64_t *v)
{
	char *s;
	int error;

	if ((error = xs_read(tx, dir, node, &s, NULL)) != 0)
		return (error);
	error = parse_uint64(s, v) == 0 ? 0 : EINVAL;
	free(s, M_XENSTORE);
	return (error);
}

int
xs_get_domain_path(u_int domid, char **result)
{
	char id[16];
	struct xs_iov iov = { id, 0 };

	snprintf(id, sizeof(id), "%u", domid);
	iov.len = strlen(id) + 1;
	return (xs_talk(XS_GET_DOMAIN_PATH, XST_NIL, &iov, 1, result, NULL));
}

int
xs_domid(u_int *domid)
{
	uint64_t v;
	int error;

	if ((error = xs_read_uint(XST_NIL, "", "domid", &v)) != 0)
		return (error);
	*domid = (u_int)v;
	return (0);
}

int
xs_transaction_start(xs_tx_t *txp)
{
	struct xs_iov iov = { "", 1 };
	char *id;
	uint64_t v;
	int error;

	if ((error = xs_talk(XS_TRANSACTION_START, XST_NIL, &iov, 1, &id, NULL)) != 0)
		return (error);
	error = parse_uint64(id, &v);
	free(id, M_XENSTORE);
	if (error != 0 || v == 0 || v > UINT32_MAX)
		return (EPROTO);
	*txp = (xs_tx_t)v;
	return (0);
}

int
xs_transaction_end(xs_tx_t tx, bool abort)
{
	struct xs_iov iov = { abort ? "F" : "T", 2 };

	return (xs_talk(XS_TRANSACTION_END, tx, &iov, 1, NULL, NULL));
}

int
xs_transaction_run(int (*fn)(xs_tx_t, void *), void *arg, int max_tries)
{
	int error = EAGAIN;

	for (int i = 0; i < max_tries && error == EAGAIN; i++) {
		xs_tx_t tx;

		if ((error = xs_transaction_start(&tx)) != 0)
			return (error);
		error = fn(tx, arg);
		if (error != 0) {
			(void)xs_transaction_end(tx, true);
			if (error != EAGAIN)
				return (error);
			continue;
		}
		error = xs_transaction_end(tx, false);
	}
	return (error);
}
