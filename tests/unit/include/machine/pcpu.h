/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted: one CPU whose per-CPU data is a plain global.
 */
#ifndef _MACHINE_PCPU_H_
#define _MACHINE_PCPU_H_

#define PCPU_MD_FIELDS	int pc_md_unused

extern struct pcpu	hosted_pcpu;
#define PCPU_GET(name)		(hosted_pcpu.pc_##name)
#define PCPU_SET(name, v)	(hosted_pcpu.pc_##name = (v))
#define PCPU_PTR(name)		(&hosted_pcpu.pc_##name)
#define get_pcpu()		(&hosted_pcpu)

#endif /* !_MACHINE_PCPU_H_ */
