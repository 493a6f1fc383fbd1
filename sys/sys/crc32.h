/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * CRC-32 (IEEE 802.3, the one of zlib and Ethernet).
 */
#ifndef _SYS_CRC32_H_
#define _SYS_CRC32_H_

#include <sys/types.h>

/*
 * The CRC of buf following crc, a previous result (0 to start):
 * crc32_update(crc32_update(0, a), b) is the CRC of a followed by b.
 */
uint32_t	crc32_update(uint32_t crc, const void *buf, size_t len);

#endif /* !_SYS_CRC32_H_ */
