/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Glob matching for test selection: '*' any run, '?' one character,
 * ',' separates alternative patterns.  Iterative, so no pattern can recurse
 * deeply.
 */
#include <sys/param.h>
#include <sys/systm.h>

static bool
match_one(const char *p, const char *pend, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (p < pend && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (p < pend && *p == '*') {
			star = ++p;
			resume = s;
		} else if (star != NULL) {
			p = star;
			s = ++resume;
		} else {
			return (false);
		}
	}
	while (p < pend && *p == '*')
		p++;
	return (p == pend);
}

int
fnmatch_simple(const char *pattern, const char *string)
{
	const char *p = pattern;

	for (;;) {
		const char *end = strchr(p, ',');

		if (end == NULL)
			end = p + strlen(p);
		if (match_one(p, end, string))
			return (1);
		if (*end == '\0')
			return (0);
		p = end + 1;
	}
}
