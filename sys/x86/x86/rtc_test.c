/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The RTC's conversions against dates computed elsewhere (Python's
 * datetime), and the wall clock it gives natively.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <x86/rtc.h>

KTEST(rtc_civil_days)
{
	static const struct { int y, m, d; int64_t days; } t[] = {
		{ 1970, 1, 1, 0 }, { 2000, 2, 29, 11016 }, { 2000, 3, 1, 11017 },
		{ 2024, 12, 31, 20088 }, { 1969, 12, 31, -1 },
		{ 2100, 3, 1, 47541 },
	};

	for (size_t i = 0; i < nitems(t); i++)
		KT_ASSERT(rtc_days_from_civil(t[i].y, t[i].m, t[i].d) ==
		    t[i].days, "%d-%02d-%02d: %ld days, want %ld", t[i].y,
		    t[i].m, t[i].d, (long)rtc_days_from_civil(t[i].y, t[i].m,
		    t[i].d), (long)t[i].days);
	KT_NOTE("%zu dates", nitems(t));
}

KTEST(rtc_decode_formats)
{
	/* 2026-12-02 14:05:09 and 1999-07-04 21:30:00 (9:30 pm). */
	static const uint8_t bcd24[7] = { 0x09, 0x05, 0x14, 0x02, 0x12, 0x26,
	    0x20 };
	static const uint8_t bin24[7] = { 9, 5, 14, 2, 12, 26, 20 };
	static const uint8_t bcd12[7] = { 0x00, 0x30, 0x89, 0x04, 0x07, 0x99,
	    0x19 };
	static const uint8_t none[7] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff };
	int64_t s = 0;

	KT_ASSERT(rtc_decode(bcd24, 0x02, &s) == 0 && s == 1796220309,
	    "BCD 24 h: %ld", (long)s);
	KT_ASSERT(rtc_decode(bin24, 0x06, &s) == 0 && s == 1796220309,
	    "binary 24 h: %ld", (long)s);
	KT_ASSERT(rtc_decode(bcd12, 0x00, &s) == 0 && s == 931123800,
	    "BCD 12 h pm: %ld", (long)s);
	KT_ASSERT(rtc_decode(none, 0x02, &s) == EINVAL, "all ones accepted");
	KT_ASSERT(rtc_decode(none, 0x06, &s) == EINVAL,
	    "all ones accepted as binary");
	KT_NOTE("BCD, binary, 12 h; no clock refused");
}
