/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#define CHECK_FMT(want, ...) do {					\
	char buf[64];							\
	int n = snprintf(buf, sizeof(buf), __VA_ARGS__);		\
	KT_ASSERT(strcmp(buf, want) == 0 && n == (int)strlen(want),	\
	    "format gave \"%s\" (%d), want \"%s\"", buf, n, want);	\
} while (0)

KTEST(printf_formats)
{
	char small[5];

	CHECK_FMT("42 -7 +3", "%d %d %+d", 42, -7, 3);
	CHECK_FMT("   -5|-5   |-0005", "%5d|%-5d|%05d", -5, -5, -5);
	CHECK_FMT("0x00ff 0XAB ff", "%#06x %#X %lx", 0xff, 0xab, 0xffUL);
	CHECK_FMT("18446744073709551615", "%lu", (u_long)UINT64_MAX);
	CHECK_FMT("-9223372036854775808", "%ld", (long)INT64_MIN);
	CHECK_FMT("ab  |  ab|a", "%-4s|%4s|%.1s", "ab", "ab", "ab");
	{
		/* Through a variable, so the compiler cannot see it is NULL. */
		const char *volatile nul = NULL;

		/* printf prints "(null)" for it: that is what is tested. */
		/* cppcheck-suppress nullPointer */
		CHECK_FMT("(null) % c", "%s %% %c", nul, 'c');
	}
	CHECK_FMT("007", "%.3u", 7U);
	/* Truncation still terminates and reports the full length. */
	KT_ASSERT(snprintf(small, sizeof(small), "%s", "truncated") == 9 &&
	    strcmp(small, "trun") == 0, "truncation gave \"%s\"", small);
}
