/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * An in-memory xenstore behind the API of sys/xen/xenstore.h, for code
 * built on that API (the xenbus bus).  Watches fire as xenstored's do (once
 * when registered, then on every change at or below their node), but only
 * when the test runs them with fxs_run(), as the watch thread would, outside
 * the caller's locks.  Every write is logged, to check what was written and
 * in which order.
 */
#ifndef _FAKE_XS_H_
#define _FAKE_XS_H_

#include <sys/types.h>

#define FXS_DOMID	3
#define FXS_HOME	"/local/domain/3"

/* Empties the store, the watch queue and the write log. */
void	fxs_reset(void);
/* Test-side access (paths absolute or relative to FXS_HOME). */
void	fxs_set(const char *path, const char *value);
void	fxs_del(const char *path);
/* The value, or NULL if the node does not exist. */
const char *fxs_get(const char *path);
/* Delivers queued watch events until none is left; returns how many. */
int	fxs_run(void);
/* How many watches are registered. */
int	fxs_watches(void);
/* How many times the code under test wrote path, and the i-th value. */
int	fxs_writes(const char *path);
const char *fxs_write_value(const char *path, int i);
/* Makes every xs_directory fail with this error (0: normal). */
extern int fxs_directory_error;

#endif /* !_FAKE_XS_H_ */
