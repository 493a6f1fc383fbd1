/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Name and path checks for xenbus (see xenbus_path.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xen.h>
#include <xen/xenbus/xenbus_path.h>

bool
xenbus_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= XENBUS_NAME_MAX)
		return (false);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return (false);
	}
	return (true);
}

bool
xenbus_path_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n >= XENBUS_PATH_MAX || s[0] != '/' || s[n - 1] == '/')
		return (false);
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || (s[i] == '/' && s[i + 1] == '/'))
			return (false);
	return (true);
}

int
xenbus_domid_parse(const char *s, u_int *domid)
{
	u_int v = 0;
	size_t n = strlen(s);

	/* Five digits hold every id below DOMID_FIRST_RESERVED (0x7ff0). */
	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return (EINVAL);
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (EINVAL);
		v = v * 10 + (u_int)(s[i] - '0');
	}
	if (v >= DOMID_FIRST_RESERVED)
		return (EINVAL);
	*domid = v;
	return (0);
}

/* Copies the component at *p (up to '/' or the end) into buf; advances *p. */
static bool
xenbus_next_component(const char **p, char *buf, size_t size)
{
	const char *s = *p, *e = strchr(s, '/');
	size_t n = e != NULL ? (size_t)(e - s) : strlen(s);

	if (n == 0 || n >= size)
		return (false);
	memcpy(buf, s, n);
	buf[n] = '\0';
	*p = e != NULL ? e + 1 : s + n;
	/* A trailing '/' would leave an empty component. */
	return (e == NULL || e[1] != '\0');
}

enum xenbus_back_where
xenbus_back_path_split(const char *root, const char *path,
    struct xenbus_back_triple *t)
{
	size_t rlen = strlen(root);
	char fe[XENBUS_NAME_MAX];
	const char *p;

	if (!xenbus_path_ok(path) || strncmp(path, root, rlen) != 0)
		return (XBP_OUTSIDE);
	if (path[rlen] == '\0')
		return (XBP_ABOVE);
	if (path[rlen] != '/')
		return (XBP_OUTSIDE);
	p = path + rlen + 1;
	if (!xenbus_next_component(&p, t->type, sizeof(t->type)) ||
	    !xenbus_name_ok(t->type))
		return (XBP_OUTSIDE);
	if (*p == '\0')
		return (XBP_ABOVE);
	if (!xenbus_next_component(&p, fe, sizeof(fe)) ||
	    xenbus_domid_parse(fe, &t->frontid) != 0)
		return (XBP_OUTSIDE);
	if (*p == '\0')
		return (XBP_ABOVE);
	if (!xenbus_next_component(&p, t->devid, sizeof(t->devid)) ||
	    !xenbus_name_ok(t->devid))
		return (XBP_OUTSIDE);
	return (*p == '\0' ? XBP_DEVICE : XBP_INSIDE);
}
