/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted: a fake kernel image whose physical place (KERNLOAD) the page
 * allocator must leave alone.
 */
#ifndef _MACHINE_MD_VAR_H_
#define _MACHINE_MD_VAR_H_

#define HOSTED_KIMAGE_SIZE	(256 * 1024)
extern char	hosted_kimage[];
#define kernel_start	(hosted_kimage)
#define kernel_end	(hosted_kimage + HOSTED_KIMAGE_SIZE)

#endif /* !_MACHINE_MD_VAR_H_ */
