/* Diagnostics and the optional request trace (--trace FILE). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "xsd_conn.h"
#include "xsd_log.h"
#include "xsd_proto.h"

FILE *xsd_trace;
int xsd_verbose;
int xsd_quiet;

void
xsd_log(const char *fmt, ...)
{
	va_list ap;

	if (xsd_quiet)
		return;
	va_start(ap, fmt);
	fputs("xenstored-shim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (xsd_trace != NULL) {
		va_start(ap, fmt);
		fputs("LOG ", xsd_trace);
		vfprintf(xsd_trace, fmt, ap);
		fputc('\n', xsd_trace);
		va_end(ap);
		fflush(xsd_trace);
	}
}

void
trace_msg(const struct conn *c, const char *dir, const struct xsd_sockmsg *h,
    const uint8_t *p)
{
	uint32_t i, n;

	if (xsd_trace == NULL)
		return;
	fprintf(xsd_trace, "%s conn=%llu dom=%u %s req=%u tx=%u len=%u \"",
	    dir, (unsigned long long)c->id, c->domid,
	    proto_typename(h->type), h->req_id, h->tx_id, h->len);
	/* Payloads are peer data: print them escaped and bounded. */
	n = h->len > 256 ? 256 : h->len;
	for (i = 0; i < n; i++) {
		if (p[i] == 0)
			fputs("\\0", xsd_trace);
		else if (isprint(p[i]) && p[i] != '"' && p[i] != '\\')
			fputc(p[i], xsd_trace);
		else
			fprintf(xsd_trace, "\\x%02x", p[i]);
	}
	fprintf(xsd_trace, "%s\"\n", h->len > n ? "..." : "");
	fflush(xsd_trace);
}
