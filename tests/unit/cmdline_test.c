/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * cmdline_apply(): values of every kind, and each kind of problem counted
 * and reported by name.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include "kunit.h"

static int	t_int;
static u_long	t_ulong;
static bool	t_bool;
static char	t_str[8];

static struct tunable tun_int = { "t.int", TUNABLE_KIND_INT, &t_int, sizeof(int), "" };
static struct tunable tun_ulong = { "t.ulong", TUNABLE_KIND_ULONG, &t_ulong, sizeof(u_long), "" };
static struct tunable tun_bool = { "t.bool", TUNABLE_KIND_BOOL, &t_bool, sizeof(bool), "" };
static struct tunable tun_str = { "t.str", TUNABLE_KIND_STR, t_str, sizeof(t_str), "" };
static struct tunable *const tbl[] = { &tun_int, &tun_ulong, &tun_bool, &tun_str };

static char	warnings[8][160];
static int	nwarn;

static void
collect(void *arg __unused, const char *msg)
{
	if (nwarn < (int)nitems(warnings))
		strlcpy(warnings[nwarn], msg, sizeof(warnings[0]));
	nwarn++;
}

static int
apply(const char *cl)
{
	nwarn = 0;
	return (cmdline_apply(cl, tbl, nitems(tbl), collect, NULL));
}

KUNIT_TEST(cmdline_values)
{
	KU_ASSERT(apply("  t.int=-42\tt.ulong=0x10 t.bool t.str=abc ") == 0,
	    "problems: %s", warnings[0]);
	KU_ASSERT(t_int == -42, "int %d", t_int);
	KU_ASSERT(t_ulong == 16, "ulong %lu", t_ulong);
	KU_ASSERT(t_bool, "bare bool not true");
	KU_ASSERT(strcmp(t_str, "abc") == 0, "str %s", t_str);
	KU_ASSERT(apply("") == 0 && apply("   ") == 0, "empty line");
}

KUNIT_TEST(cmdline_bool_forms)
{
	static const char *const yes[] = { "t.bool=1", "t.bool=yes",
	    "t.bool=on", "t.bool=true", "t.bool" };
	static const char *const no[] = { "t.bool=0", "t.bool=no",
	    "t.bool=off", "t.bool=false" };

	for (size_t i = 0; i < nitems(yes); i++) {
		t_bool = false;
		KU_ASSERT(apply(yes[i]) == 0 && t_bool, "%s", yes[i]);
	}
	for (size_t i = 0; i < nitems(no); i++) {
		t_bool = true;
		KU_ASSERT(apply(no[i]) == 0 && !t_bool, "%s", no[i]);
	}
	t_bool = true;
	KU_ASSERT(apply("t.bool=maybe") == 1 && t_bool, "bad bool accepted");
}

KUNIT_TEST(cmdline_unknown)
{
	KU_ASSERT(apply("nosuch=1 t.int=5") == 1, "%d problems", nwarn);
	KU_ASSERT(strstr_simple(warnings[0], "nosuch") != NULL, "warning: %s",
	    warnings[0]);
	KU_ASSERT(t_int == 5, "known option after an unknown one not applied");
}

KUNIT_TEST(cmdline_malformed)
{
	KU_ASSERT(apply("=5") == 1, "'=5' accepted");
	KU_ASSERT(strstr_simple(warnings[0], "malformed") != NULL, "warning: %s",
	    warnings[0]);
}

KUNIT_TEST(cmdline_bad_values)
{
	t_int = 7;
	KU_ASSERT(apply("t.int=abc") == 1 && t_int == 7, "bad int");
	KU_ASSERT(apply("t.int=99999999999") == 1 && t_int == 7, "int overflow");
	KU_ASSERT(apply("t.int") == 1, "int without value");
	KU_ASSERT(apply("t.ulong=-1") == 1, "negative ulong");
	KU_ASSERT(apply("t.str=12345678") == 1, "string longer than its buffer");
	KU_ASSERT(apply("t.str=1234567") == 0 && strcmp(t_str, "1234567") == 0,
	    "string that just fits");
	KU_ASSERT(strstr_simple(warnings[0], "t.str") == NULL || nwarn == 0,
	    "warning for a good value");
}

KUNIT_TEST(cmdline_too_long)
{
	char line[600];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	KU_ASSERT(apply(line) == 1, "%d problems", nwarn);
	KU_ASSERT(strstr_simple(warnings[0], "too long") != NULL, "warning: %s",
	    warnings[0]);
}
