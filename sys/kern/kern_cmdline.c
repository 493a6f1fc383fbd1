/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel command line to tunables.  The parser is pure (cmdline_apply) so
 * the hosted unit tests run it unchanged; the SYSINIT applies it at boot.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#define WORD_MAX	256

char	kern_cmdline[KERN_CMDLINE_MAX];
int	bootverbose;
TUNABLE_INT("bootverbose", &bootverbose, "print more during boot");

static int
parse_int64(const char *s, int64_t *out)
{
	uint64_t u;
	bool neg = false;
	int error;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if ((error = parse_uint64(s, &u)) != 0)
		return (error);
	if (u > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return (ERANGE);
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return (0);
}

static int
tunable_set(struct tunable *t, const char *val, bool hasval)
{
	int64_t i;
	uint64_t u;

	switch (t->kind) {
	case TUNABLE_KIND_BOOL:
		if (!hasval || strcmp(val, "1") == 0 || strcmp(val, "yes") == 0 ||
		    strcmp(val, "on") == 0 || strcmp(val, "true") == 0)
			*(bool *)t->var = true;
		else if (strcmp(val, "0") == 0 || strcmp(val, "no") == 0 ||
		    strcmp(val, "off") == 0 || strcmp(val, "false") == 0)
			*(bool *)t->var = false;
		else
			return (EINVAL);
		return (0);
	case TUNABLE_KIND_INT:
		if (!hasval)
			return (EINVAL);
		if (parse_int64(val, &i) != 0)
			return (EINVAL);
		if (i < INT32_MIN || i > INT32_MAX)
			return (ERANGE);
		*(int *)t->var = (int)i;
		return (0);
	case TUNABLE_KIND_ULONG:
		if (!hasval)
			return (EINVAL);
		if (parse_uint64(val, &u) != 0)
			return (EINVAL);
		*(u_long *)t->var = u;
		return (0);
	case TUNABLE_KIND_STR:
		if (!hasval)
			return (EINVAL);
		if (strlen(val) >= t->size)
			return (ENAMETOOLONG);
		strlcpy(t->var, val, t->size);
		return (0);
	}
	return (EINVAL);
}

static void
warnf(void (*warn)(void *, const char *), void *arg, const char *fmt, ...)
{
	char msg[WORD_MAX + 96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(arg, msg);
}

int
cmdline_apply(const char *cmdline, struct tunable *const *tbl, size_t n,
    void (*warn)(void *, const char *), void *warnarg)
{
	char word[WORD_MAX];
	int problems = 0;
	const char *p = cmdline;

	while (p != NULL && *p != '\0') {
		const char *start;
		char *eq, *val;
		size_t len;
		struct tunable *t = NULL;
		int error;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - start);
		if (len >= sizeof(word)) {
			warnf(warn, warnarg,
			    "command line: option \"%.32s...\" is too long (max %zu)",
			    start, sizeof(word) - 1);
			problems++;
			continue;
		}
		memcpy(word, start, len);
		word[len] = '\0';
		eq = strchr(word, '=');
		if (eq == word) {
			warnf(warn, warnarg,
			    "command line: malformed option \"%s\" (no name before '=')",
			    word);
			problems++;
			continue;
		}
		val = NULL;
		if (eq != NULL) {
			*eq = '\0';
			val = eq + 1;
		}
		for (size_t i = 0; i < n; i++) {
			if (strcmp(tbl[i]->name, word) == 0) {
				t = tbl[i];
				break;
			}
		}
		if (t == NULL) {
			warnf(warn, warnarg,
			    "command line: unknown option \"%s\" ignored", word);
			problems++;
			continue;
		}
		error = tunable_set(t, val != NULL ? val : "", val != NULL);
		if (error != 0) {
			warnf(warn, warnarg,
			    "command line: bad value \"%s\" for option \"%s\" (%s)",
			    val != NULL ? val : "", word,
			    error == ERANGE ? "out of range" :
			    error == ENAMETOOLONG ? "too long" :
			    val == NULL ? "a value is required" :
			    "not a valid value");
			problems++;
		}
	}
	return (problems);
}
