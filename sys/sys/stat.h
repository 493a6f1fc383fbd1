/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * File mode bits: Linux's (<linux/stat.h>), which are the historical Unix
 * values, plus the BSD groupings.
 */
#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <linux/stat.h>

#define ALLPERMS	(S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO)
#define ACCESSPERMS	(S_IRWXU | S_IRWXG | S_IRWXO)

#endif /* !_SYS_STAT_H_ */
