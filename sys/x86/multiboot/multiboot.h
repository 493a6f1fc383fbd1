/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The parts of the Multiboot (version 1) information structure the kernel
 * reads, as the specification lays them out.
 */
#ifndef _X86_MULTIBOOT_MULTIBOOT_H_
#define _X86_MULTIBOOT_MULTIBOOT_H_

#include <sys/types.h>

#define MBI_CMDLINE	0x00000004	/* cmdline is valid */
#define MBI_MODS	0x00000008	/* mods_count, mods_addr are valid */
#define MBI_MMAP	0x00000040	/* mmap_length, mmap_addr are valid */

struct mb_info {
	uint32_t	flags;
	uint32_t	mem_lower;
	uint32_t	mem_upper;
	uint32_t	boot_device;
	uint32_t	cmdline;
	uint32_t	mods_count;
	uint32_t	mods_addr;
	uint32_t	syms[4];
	uint32_t	mmap_length;
	uint32_t	mmap_addr;
} __packed;

struct mb_module {
	uint32_t	mod_start;
	uint32_t	mod_end;	/* one past the last byte */
	uint32_t	string;
	uint32_t	reserved;
} __packed;

/* 'size' counts the bytes after itself, so entries may grow. */
struct mb_mmap_entry {
	uint32_t	size;
	uint64_t	base;
	uint64_t	len;
	uint32_t	type;
} __packed;

#endif /* !_X86_MULTIBOOT_MULTIBOOT_H_ */
