/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PC's battery-backed clock (MC146818-compatible CMOS RTC) as a
 * wall-clock source, read once at SI_SUB_CLOCKS, after the sources that
 * register first (SI_ORDER_FIRST).  When a better one is already there
 * (a hypervisor's) the ports are not touched at all: a PVH guest has no
 * legacy devices, and each access would be a trip to the hypervisor.
 * Where no clock answers (all ones) it gives up at once; values out of
 * range register nothing.  The RTC is taken to keep UTC, as QEMU's does
 * by default.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include <x86/rtc.h>

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUSA	0x0a
#define  RTCSA_UIP	0x80		/* update in progress: values move */
#define RTC_STATUSB	0x0b
#define  RTCSB_24H	0x02
#define  RTCSB_BINARY	0x04
#define RTC_CENTURY	0x32		/* where ACPI's FADT usually says */
#define RTC_QUALITY	100

#define RTC_NREGS	7
static const uint8_t rtc_regs[RTC_NREGS] = { RTC_SEC, RTC_MIN, RTC_HOUR,
    RTC_DAY, RTC_MONTH, RTC_YEAR, RTC_CENTURY };

static uint8_t
rtc_read(uint8_t reg)
{
	outb(RTC_INDEX, reg);
	return (inb(RTC_DATA));
}

int64_t
rtc_days_from_civil(int y, int m, int d)
{
	/* Years start in March, so the leap day is the last of its year. */
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);	/* 719468: 0000-03-01 to 1970 */
}

/* A register value as a number: -1 if it is not valid BCD. */
static int
rtc_value(uint8_t v, bool binary)
{
	if (binary)
		return (v);
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return (-1);
	return ((v >> 4) * 10 + (v & 0x0f));
}

int
rtc_decode(const uint8_t raw[RTC_NREGS], uint8_t statusb, int64_t *secs)
{
	bool bin = (statusb & RTCSB_BINARY) != 0;
	bool pm = (statusb & RTCSB_24H) == 0 && (raw[2] & 0x80) != 0;
	int sec = rtc_value(raw[0], bin), min = rtc_value(raw[1], bin);
	int hour = rtc_value((statusb & RTCSB_24H) ? raw[2] : raw[2] & 0x7f,
	    bin);
	int day = rtc_value(raw[3], bin), mon = rtc_value(raw[4], bin);
	int year = rtc_value(raw[5], bin), cent = rtc_value(raw[6], bin);

	if ((statusb & RTCSB_24H) == 0 && hour >= 1 && hour <= 12)
		hour = hour % 12 + (pm ? 12 : 0);
	if (sec < 0 || sec > 59 || min < 0 || min > 59 || hour < 0 ||
	    hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 ||
	    year < 0 || year > 99)
		return (EINVAL);
	/* No century register (or a strange one): this century. */
	if (cent < 19 || cent > 99)
		cent = 20;
	*secs = rtc_days_from_civil(cent * 100 + year, mon, day) * 86400 +
	    hour * 3600 + min * 60 + sec;
	return (0);
}

/* Reads the time registers outside an update, twice the same. */
static bool
rtc_snapshot(uint8_t raw[RTC_NREGS])
{
	uint8_t again[RTC_NREGS];

	/* No device: the bus reads all ones (and UIP would look stuck). */
	if (rtc_read(RTC_STATUSA) == 0xff)
		return (false);
	for (int tries = 0; tries < 5; tries++) {
		/* An update lasts about 2 ms; each read is about 1 us. */
		for (int i = 0; i < 20000 && (rtc_read(RTC_STATUSA) & RTCSA_UIP);
		    i++)
			;
		for (int i = 0; i < RTC_NREGS; i++)
			raw[i] = rtc_read(rtc_regs[i]);
		for (int i = 0; i < RTC_NREGS; i++)
			again[i] = rtc_read(rtc_regs[i]);
		if (memcmp(raw, again, sizeof(again)) == 0)
			return (true);
	}
	return (false);
}

static void
rtc_wallclock_init(void *arg __unused)
{
	uint8_t raw[RTC_NREGS];
	int64_t secs;

	if (wallclock_quality() >= RTC_QUALITY)
		return;
	if (!rtc_snapshot(raw) ||
	    rtc_decode(raw, rtc_read(RTC_STATUSB), &secs) != 0)
		return;
	wallclock_register("rtc", RTC_QUALITY, secs * 1000000000LL);
}
SYSINIT(rtc_wallclock, SI_SUB_CLOCKS, SI_ORDER_ANY, rtc_wallclock_init, NULL);
