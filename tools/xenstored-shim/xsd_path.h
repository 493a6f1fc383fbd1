/* paths (path.c); pure */
#ifndef XSD_PATH_H
#define XSD_PATH_H

#include "xsd_types.h"

bool path_chars_ok(const char *s);
/* Validates an absolute path.  Returns 0 or EINVAL. */
int path_check(const char *p);
/*
 * Makes an absolute path from a client path: relative ones are relative
 * to /local/domain/<domid>.  out must hold XENSTORE_ABS_PATH_MAX + 1.
 */
int path_canon(uint32_t domid, const char *in, char *out, size_t outlen);
bool path_is_child(const char *child, const char *parent);
/* Length of the parent path of an absolute path (1 for "/x"). */
size_t path_parent_len(const char *p);
const char *path_basename(const char *p);
bool path_is_special(const char *p);

#endif
