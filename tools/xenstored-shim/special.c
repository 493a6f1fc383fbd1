/*
 * The special watch names @introduceDomain and @releaseDomain are not
 * nodes, but they have permissions of their own, as in C xenstored: the
 * toolstack may let a guest (a driver domain, say) watch them.  Read
 * access decides who hears their events; write and owner access who may
 * change them.  A released domain's entries go, as from nodes (XSA-322).
 */
#include <errno.h>
#include <string.h>

#include "xsd_conn.h"
#include "xsd_perms.h"
#include "xsd_special.h"

#define SPECIAL_PERMS_MAX 64 /* more than any quota lets a peer give */

struct special {
	const char *name;
	uint32_t n;
	struct xsd_perm p[SPECIAL_PERMS_MAX];
};

static struct special specials[] = {
	{ "@introduceDomain", 1, { { 0, XSD_PERM_NONE } } },
	{ "@releaseDomain", 1, { { 0, XSD_PERM_NONE } } },
};

static struct special *
special_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (strcmp(specials[i].name, name) == 0)
			return &specials[i];
	return NULL;
}

bool
special_may_read(const struct conn *c, const char *name)
{
	const struct special *s = special_find(name);

	return s != NULL &&
	    (perms_access(c->domid, c->priv, c->target, s->p, s->n) &
		XSD_PERM_READ);
}

int
special_set_perms(const struct conn *c, const char *name,
    const struct xsd_perm *p, uint32_t n)
{
	struct special *s = special_find(name);
	const unsigned need = XSD_PERM_WRITE | XSD_PERM_OWNER;

	if (s == NULL || n == 0 || n > SPECIAL_PERMS_MAX)
		return EINVAL;
	if ((perms_access(c->domid, c->priv, c->target, s->p, s->n) & need) !=
	    need)
		return EACCES;
	memcpy(s->p, p, n * sizeof(*p));
	s->n = n;
	return 0;
}

void
special_forget_domid(uint32_t domid)
{
	size_t i;
	uint32_t k, cnt;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		struct special *s = &specials[i];

		if (s->p[0].id == domid)
			s->p[0].id = 0;
		for (cnt = 1, k = 1; k < s->n; k++)
			if (s->p[k].id != domid)
				s->p[cnt++] = s->p[k];
		s->n = cnt;
	}
}
