/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenbus name and path checks (sys/xen/xenbus/xenbus_path.c, as it is):
 * what the toolstack may name a device, and where a backend watch event
 * falls, including every malformed shape a path can take.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbus_path.h>

#include "kunit.h"

#define ROOT	"/local/domain/7/backend"

KUNIT_TEST(xenbus_path_names)
{
	char longname[XENBUS_NAME_MAX + 1];

	KU_ASSERT(xenbus_name_ok("vbd") && xenbus_name_ok("51712") &&
	    xenbus_name_ok("a-b_C9"), "good names refused");
	KU_ASSERT(!xenbus_name_ok("") && !xenbus_name_ok("a/b") &&
	    !xenbus_name_ok("..") && !xenbus_name_ok("a b") &&
	    !xenbus_name_ok("\x01"), "bad names accepted");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	KU_ASSERT(!xenbus_name_ok(longname), "%zu-byte name accepted",
	    strlen(longname));
	longname[XENBUS_NAME_MAX - 1] = '\0';
	KU_ASSERT(xenbus_name_ok(longname), "%zu-byte name refused",
	    strlen(longname));
}

KUNIT_TEST(xenbus_path_paths)
{
	KU_ASSERT(xenbus_path_ok("/local/domain/5/device/vbd/51712"), "good path");
	KU_ASSERT(!xenbus_path_ok("local/domain") && !xenbus_path_ok("/") &&
	    !xenbus_path_ok("/a//b") && !xenbus_path_ok("/a/") &&
	    !xenbus_path_ok("/a b") && !xenbus_path_ok("/a\x7f"),
	    "bad paths accepted");
}

KUNIT_TEST(xenbus_path_domids)
{
	u_int d = 99;

	KU_ASSERT(xenbus_domid_parse("0", &d) == 0 && d == 0, "0: %u", d);
	KU_ASSERT(xenbus_domid_parse("32751", &d) == 0 && d == 32751, "32751");
	d = 99;
	KU_ASSERT(xenbus_domid_parse("32752", &d) == EINVAL &&
	    xenbus_domid_parse("99999", &d) == EINVAL &&
	    xenbus_domid_parse("123456", &d) == EINVAL &&
	    xenbus_domid_parse("007", &d) == EINVAL &&
	    xenbus_domid_parse("", &d) == EINVAL &&
	    xenbus_domid_parse("-1", &d) == EINVAL &&
	    xenbus_domid_parse("0x5", &d) == EINVAL &&
	    xenbus_domid_parse("5 ", &d) == EINVAL && d == 99,
	    "bad domain ids accepted (d %u)", d);
}

KUNIT_TEST(xenbus_path_split_levels)
{
	struct xenbus_back_triple t;

	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT, &t) == XBP_ABOVE, "root");
	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT "/vbd", &t) == XBP_ABOVE,
	    "type");
	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT "/vbd/5", &t) == XBP_ABOVE,
	    "frontend");
	memset(&t, 0, sizeof(t));
	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT "/vbd/5/51712", &t) ==
	    XBP_DEVICE && strcmp(t.type, "vbd") == 0 && t.frontid == 5 &&
	    strcmp(t.devid, "51712") == 0, "device: %s/%u/%s", t.type,
	    t.frontid, t.devid);
	memset(&t, 0, sizeof(t));
	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT "/vif/12/0/hotplug-status",
	    &t) == XBP_INSIDE && strcmp(t.type, "vif") == 0 && t.frontid == 12 &&
	    strcmp(t.devid, "0") == 0, "inside: %s/%u/%s", t.type, t.frontid,
	    t.devid);
	KU_ASSERT(xenbus_back_path_split(ROOT, ROOT "/vbd/5/51712/a/b/c", &t) ==
	    XBP_INSIDE, "deep inside");
}

KUNIT_TEST(xenbus_path_split_malformed)
{
	struct xenbus_back_triple t;
	static const char *const bad[] = {
		"/local/domain/7/backendX",		/* root is only a prefix */
		"/local/domain/7",			/* above the root */
		"/local/domain/8/backend/vbd/5/1",	/* another domain */
		ROOT "/v.d/5/1",			/* bad type */
		ROOT "/vbd/05/1",			/* leading zero */
		ROOT "/vbd/32752/1",			/* reserved domain */
		ROOT "/vbd/x/1",			/* not a number */
		ROOT "/vbd/5/a.b",			/* bad device id */
		ROOT "/vbd/5/1/",			/* trailing slash */
		ROOT "//vbd/5/1",			/* empty component */
		ROOT "/vbd/5/" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* long id */
		"relative/backend/vbd/5/1",
		"",
	};

	for (size_t i = 0; i < nitems(bad); i++)
		KU_ASSERT(xenbus_back_path_split(ROOT, bad[i], &t) == XBP_OUTSIDE,
		    "\"%s\" accepted", bad[i]);
}
