/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_SEGMENTS_H_
#define _MACHINE_SEGMENTS_H_

#include <sys/types.h>

#define GSEL_KCODE	0x08
#define GSEL_KDATA	0x10
#define GSEL_TSS	0x18
#define NGDT		5	/* null, code, data, TSS (two slots) */

#define IST_DOUBLEFAULT	1
#define IST_NMI		2
#define IST_STACK_SIZE	8192

struct amd64tss {
	uint32_t	tss_rsvd0;
	uint64_t	tss_rsp0;
	uint64_t	tss_rsp1;
	uint64_t	tss_rsp2;
	uint64_t	tss_rsvd1;
	uint64_t	tss_ist[7];
	uint64_t	tss_rsvd2;
	uint16_t	tss_rsvd3;
	uint16_t	tss_iobase;
} __packed;

struct gate_descriptor {
	uint16_t	gd_looffset;
	uint16_t	gd_selector;
	uint8_t		gd_ist;
	uint8_t		gd_type;	/* P, DPL, type */
	uint16_t	gd_midoffset;
	uint32_t	gd_hioffset;
	uint32_t	gd_rsvd;
} __packed;

struct region_descriptor {
	uint16_t	rd_limit;
	uint64_t	rd_base;
} __packed;

#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KGSBASE	0xc0000102

#endif /* !_MACHINE_SEGMENTS_H_ */
