/* request dispatch (ops.c) */
#ifndef XSD_DISPATCH_H
#define XSD_DISPATCH_H

#include "xsd_types.h"

void ops_dispatch(struct conn *c, const struct xsd_sockmsg *h,
    const uint8_t *payload);

#endif
