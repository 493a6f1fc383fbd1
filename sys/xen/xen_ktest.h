/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Helpers for the Xen layer's in-kernel tests (see sys/ktest.h): the same
 * image runs them natively, where they skip with a reason.
 */
#ifndef _XEN_XEN_KTEST_H_
#define _XEN_XEN_KTEST_H_

#include <sys/ktest.h>

#include <xen/xen_guest.h>

/* Skips the test unless the kernel runs as a Xen guest. */
#define KT_REQUIRE_XEN() do {						\
	if (!xen_domain())						\
		KT_SKIP("not running on Xen");				\
} while (0)

#endif /* !_XEN_XEN_KTEST_H_ */
