/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _XEN_HVM_PARAM_H_
#define _XEN_HVM_PARAM_H_

#include <sys/types.h>

/* Reads an HVM parameter of this domain; returns 0 or an errno. */
int	xen_hvm_param_get(u_int index, uint64_t *value);

#endif /* !_XEN_HVM_PARAM_H_ */
