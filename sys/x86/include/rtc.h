/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The CMOS RTC's conversions (rtc.c), visible for its tests.
 */
#ifndef _X86_RTC_H_
#define _X86_RTC_H_

#include <sys/types.h>

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
int64_t	rtc_days_from_civil(int year, int month, int day);
/*
 * Seconds since 1970 from the raw registers (seconds, minutes, hours,
 * day, month, year, century) as status register B says they are coded;
 * EINVAL for values no clock would hold.
 */
int	rtc_decode(const uint8_t raw[7], uint8_t statusb, int64_t *secs);

#endif /* !_X86_RTC_H_ */
