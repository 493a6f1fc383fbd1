/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _MACHINE_SEGMENTS_H_
#define _MACHINE_SEGMENTS_H_

/*
 * The order is SYSCALL/SYSRET's: kernel code then kernel data; 32-bit
 * user code, user data, then 64-bit user code (STAR's user base is the
 * 32-bit code selector).
 */
#define GSEL_KCODE	0x08
#define GSEL_KDATA	0x10
#define GSEL_UCODE32	0x18
#define GSEL_UDATA	0x20
#define GSEL_UCODE	0x28
#define GSEL_TSS	0x30
#define SEL_UPL		3	/* requested privilege level of user selectors */
#define NGDT		8	/* null, five segments, the TSS (two slots) */

#define IST_DOUBLEFAULT	1
#define IST_NMI		2
#define IST_STACK_SIZE	8192

#ifndef __ASSEMBLER__
#include <sys/types.h>

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

#endif /* !__ASSEMBLER__ */

#define MSR_EFER	0xc0000080
#define EFER_SCE	0x00000001	/* SYSCALL/SYSRET */
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KGSBASE	0xc0000102

#endif /* !_MACHINE_SEGMENTS_H_ */
