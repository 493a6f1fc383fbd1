/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libc half of the hosted shim: console output, memory for the fake
 * direct map, failure reporting, and an ATF main that makes one test case
 * of every KUNIT_TEST linked in.  The kernel objects' printf, malloc, free,
 * realloc ... are renamed (objcopy) so they never meet libc's.
 */
#include <atf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kunit {
	const char	*name;
	void		(*fn)(void);
};

extern struct kunit *__start_set_kunit_set[] __attribute__((__weak__));
extern struct kunit *__stop_set_kunit_set[] __attribute__((__weak__));

/* Kernel console: kept quiet unless KUNIT_VERBOSE is set. */
int
hosted_vprintf(const char *fmt, va_list ap)
{
	if (getenv("KUNIT_VERBOSE") == NULL)
		return (0);
	return (vfprintf(stderr, fmt, ap));
}

int
hosted_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hosted_vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

char *
strstr_simple(const char *hay, const char *needle)
{
	return (strstr(hay, needle));
}

void *
hosted_alloc_pages(size_t len)
{
	void *p = aligned_alloc(4096, len);

	if (p == NULL)
		atf_tc_fail("no host memory for a %zu-byte fake RAM", len);
	memset(p, 0xdb, len);
	return (p);
}

void
hosted_abort_test(const char *msg)
{
	atf_tc_fail("kernel panic: %s", msg);
}

void
kunit_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	atf_tc_fail("%s:%d: %s", file, line, buf);
}

static void
kunit_body(const atf_tc_t *tc)
{
	const char *ident = atf_tc_get_ident(tc);

	for (struct kunit **k = __start_set_kunit_set;
	    k < __stop_set_kunit_set; k++) {
		if (strcmp((*k)->name, ident) == 0) {
			(*k)->fn();
			return;
		}
	}
	atf_tc_fail("no test %s", ident);
}

ATF_TP_ADD_TCS(tp)
{
	for (struct kunit **k = __start_set_kunit_set;
	    k < __stop_set_kunit_set; k++) {
		atf_tc_t *tc = calloc(1, sizeof(*tc));
		void *packmem = calloc(1, sizeof(atf_tc_pack_t));
		atf_tc_pack_t *pack = packmem;
		char **config = atf_tp_get_config(tp);
		atf_error_t err;

		atf_tc_pack_t tmpl = { .m_ident = (*k)->name,
		    .m_body = kunit_body };

		/* The pack's members are const: fill it by copy. */
		memcpy(packmem, &tmpl, sizeof(tmpl));
		err = atf_tc_init_pack(tc, pack, (const char *const *)config);
		if (atf_is_error(err))
			return (err);
		err = atf_tp_add_tc(tp, tc);
		if (atf_is_error(err))
			return (err);
	}
	return (atf_no_error());
}
