/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Helpers for the Xen layer's in-kernel tests (see sys/ktest.h): the same
 * image runs them natively, where they skip with a reason.
 */
#ifndef _XEN_XEN_KTEST_H_
#define _XEN_XEN_KTEST_H_

#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>

/* Skips the test unless the kernel runs as a Xen guest. */
#define KT_REQUIRE_XEN() do {						\
	if (!xen_domain())						\
		KT_SKIP("not running on Xen");				\
} while (0)

/*
 * True if the command line's xen.refuse= word names WHAT: the tests' own
 * reading of the command line, apart from the kernel's (xen_refused()).
 */
static inline bool
kt_xen_refuse_asked(const char *what)
{
	const char *w = strstr_simple(kern_cmdline, "xen.refuse=");
	size_t n = strlen(what);

	if (w == NULL)
		return (false);
	for (w += strlen("xen.refuse="); *w != '\0' && *w != ' ';) {
		if (strncmp(w, what, n) == 0 && (w[n] == ',' || w[n] == ' ' ||
		    w[n] == '\0'))
			return (true);
		while (*w != '\0' && *w != ' ' && *w != ',')
			w++;
		if (*w == ',')
			w++;
	}
	return (false);
}

#endif /* !_XEN_XEN_KTEST_H_ */
