/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the xbd ktests share (blkfront_test.c, blkfront_pgrant_test.c).
 */
#ifndef _DEV_XEN_BLKFRONT_BLKFRONT_KTEST_H_
#define _DEV_XEN_BLKFRONT_BLKFRONT_KTEST_H_

#include <dev/xen/blkfront/blkfront_var.h>

/*
 * A softc with one queue and its ring, for the ktests that play the
 * device themselves (no xenbus, no backend): *scp is always set (M_TEMP);
 * returns the ring allocation's error.
 */
int	xbdt_softc_new(domid_t dom, struct xbd_softc **scp);

#endif /* !_DEV_XEN_BLKFRONT_BLKFRONT_KTEST_H_ */
