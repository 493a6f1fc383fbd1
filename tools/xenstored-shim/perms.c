/* Permission strings (n/r/w/b<domid>) and access decisions. */
#include <errno.h>
#include <stdio.h>

#include "xsd_perms.h"
#include "xsd_proto.h"

int
perms_parse(const char *s, struct xsd_perm *out)
{
	uint32_t id;

	switch (s[0]) {
	case 'n':
		out->mode = XSD_PERM_NONE;
		break;
	case 'r':
		out->mode = XSD_PERM_READ;
		break;
	case 'w':
		out->mode = XSD_PERM_WRITE;
		break;
	case 'b':
		out->mode = XSD_PERM_READ | XSD_PERM_WRITE;
		break;
	default:
		return EINVAL;
	}
	if (proto_parse_u32(s + 1, 0xffff, &id) != 0)
		return EINVAL;
	out->id = id;
	return 0;
}

int
perms_format(const struct xsd_perm *p, char *out, size_t outlen)
{
	static const char letters[4] = { 'n', 'r', 'w', 'b' };
	int n = snprintf(out, outlen, "%c%u", letters[p->mode & 3], p->id);

	return (n < 0 || (size_t)n >= outlen) ? EINVAL : 0;
}

/*
 * The first entry names the owner and the access of everyone not listed;
 * later entries grant specific domains.  A domain acting for a target
 * (SET_TARGET) gets the target's rights as well as its own.
 */
unsigned
perms_access(uint32_t domid, bool priv, int32_t target,
    const struct xsd_perm *p, uint32_t n)
{
	uint32_t i;

	if (priv)
		return XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER;
	if (n == 0)
		return 0;
	if (p[0].id == domid || (target >= 0 && p[0].id == (uint32_t)target))
		return XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER;
	/* The first entry naming the domain (or its target) decides, as in
	 * C xenstored; entries are not added up. */
	for (i = 1; i < n; i++)
		if (p[i].id == domid ||
		    (target >= 0 && p[i].id == (uint32_t)target))
			return p[i].mode;
	return p[0].mode;
}
