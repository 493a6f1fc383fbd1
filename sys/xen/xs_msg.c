/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenstore message checks (see xs_msg.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xs_msg.h>

int
xs_msg_header_check(const struct xsd_sockmsg *hdr)
{
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return (EMSGSIZE);
	if (hdr->type >= XS_TYPE_COUNT)
		return (EPROTO);
	return (0);
}

int
xs_msg_watch_event(const char *body, size_t len, const char **path,
    const char **token)
{
	size_t plen, tlen;

	plen = strnlen(body, len);
	if (plen == 0 || plen == len)
		return (EPROTO);
	tlen = strnlen(body + plen + 1, len - plen - 1);
	if (tlen == len - plen - 1)
		return (EPROTO);	/* token not terminated inside the body */
	*path = body;
	*token = body + plen + 1;
	return (0);
}

int
xs_msg_error(const char *body, size_t len)
{
	for (size_t i = 0; i < nitems(xsd_errors); i++) {
		size_t n = strlen(xsd_errors[i].errstring);

		if (len >= n && strncmp(body, xsd_errors[i].errstring, n) == 0 &&
		    (len == n || body[n] == '\0'))
			return (xsd_errors[i].errnum);
	}
	return (EIO);
}
