/* @introduceDomain / @releaseDomain permissions (special.c) */
#ifndef XSD_SPECIAL_H
#define XSD_SPECIAL_H

#include "xsd_types.h"

bool special_may_read(const struct conn *c, const char *name);
/* EINVAL for an unknown name, EACCES without write and owner access. */
int special_set_perms(const struct conn *c, const char *name,
    const struct xsd_perm *p, uint32_t n);
void special_forget_domid(uint32_t domid);

#endif
