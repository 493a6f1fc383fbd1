/* log / trace (log.c) */
#ifndef XSD_LOG_H
#define XSD_LOG_H

#include "xsd_types.h"

extern FILE *xsd_trace;
extern int xsd_verbose;
extern int xsd_quiet; /* no diagnostics (fuzzing) */
void xsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace_msg(const struct conn *c, const char *dir,
    const struct xsd_sockmsg *h, const uint8_t *p);

#endif
