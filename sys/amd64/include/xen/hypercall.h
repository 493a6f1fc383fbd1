/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Machine-independent Xen code reaches hypercalls through <machine/xen/...>.
 */
#include <x86/xen/hypercall.h>
