/* Path syntax rules of the xenstore protocol; pure functions. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xsd_path.h"

bool
path_chars_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		char ch = *s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
		    ch == '_' || ch == '@')
			continue;
		return false;
	}
	return true;
}

/*
 * Length of a "/local/domain/<id>/" prefix, as C xenstored 4.17 measures
 * it (the id is what scanf's %5u takes: a sign and digits, 5 characters
 * at most), else 0.  Paths are limited to XENSTORE_REL_PATH_MAX bytes
 * after it, so a guest's home does not eat into its own paths' budget.
 */
static size_t
path_home_len(const char *p)
{
	static const char pre[] = "/local/domain/";
	size_t i = sizeof(pre) - 1, start, digits = 0;

	if (strncmp(p, pre, i) != 0)
		return 0;
	start = i;
	if (p[i] == '+' || p[i] == '-')
		i++;
	while (p[i] >= '0' && p[i] <= '9' && i - start < 5) {
		i++;
		digits++;
	}
	if (digits == 0 || p[i] != '/')
		return 0;
	return i + 1;
}

int
path_check(const char *p)
{
	size_t len = strlen(p);

	if (len == 0 || p[0] != '/' || len > XENSTORE_ABS_PATH_MAX ||
	    len > path_home_len(p) + XENSTORE_REL_PATH_MAX)
		return EINVAL;
	if (!path_chars_ok(p))
		return EINVAL;
	if (strstr(p, "//") != NULL)
		return EINVAL;
	if (len > 1 && p[len - 1] == '/')
		return EINVAL;
	return 0;
}

bool
path_is_special(const char *p)
{
	return p[0] == '@';
}

int
path_canon(uint32_t domid, const char *in, char *out, size_t outlen)
{
	int n;

	if (in[0] == '/') {
		size_t l = strlen(in);

		if (l >= outlen)
			return EINVAL;
		memcpy(out, in, l + 1);
		return path_check(out);
	} else {
		/* "@..." names are not relative paths (watches handle them
		 * before this). */
		if (in[0] == '\0' || in[0] == '@' ||
		    strlen(in) > XENSTORE_REL_PATH_MAX)
			return EINVAL;
		n = snprintf(out, outlen, "/local/domain/%u/%s", domid, in);
	}
	if (n < 0 || (size_t)n >= outlen)
		return EINVAL;
	return path_check(out);
}

bool
path_is_child(const char *child, const char *parent)
{
	size_t pl = strlen(parent);

	if (strcmp(parent, "/") == 0)
		return child[0] == '/';
	if (strncmp(child, parent, pl) != 0)
		return false;
	return child[pl] == '\0' || child[pl] == '/';
}

size_t
path_parent_len(const char *p)
{
	const char *s = strrchr(p, '/');

	if (s == NULL || s == p)
		return 1;
	return (size_t)(s - p);
}

const char *
path_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}
