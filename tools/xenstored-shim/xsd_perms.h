/* permissions (perms.c) */
#ifndef XSD_PERMS_H
#define XSD_PERMS_H

#include "xsd_types.h"

int perms_parse(const char *s, struct xsd_perm *out);
int perms_format(const struct xsd_perm *p, char *out, size_t outlen);
/* Effective access of domid (with its target) to a node's perms. */
unsigned perms_access(uint32_t domid, bool priv, int32_t target,
    const struct xsd_perm *p, uint32_t n);

#endif
