/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 addresses from the boot command line: ip=addr/prefix[,gw] for the
 * first Ethernet interface that attaches (test interfaces excepted), and
 * ip.xn0= ... ip.xn3= for a given one.  A bad value is a warning naming
 * the option and why, and the interface stays without an address.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>

static char	ip_opt[IN_IPSPEC_MAX + 1];
static char	ip_opt_if[4][IN_IPSPEC_MAX + 1];
static bool	ip_opt_used;
static bool	ip_opt_bad[5];	/* [0..3] ip.xnN, [4] ip: warned at boot */
TUNABLE_STR("ip", ip_opt, sizeof(ip_opt),
    "IPv4 address of the first interface: addr/prefix[,gateway]");
TUNABLE_STR("ip.xn0", ip_opt_if[0], sizeof(ip_opt_if[0]), "IPv4 address of xn0");
TUNABLE_STR("ip.xn1", ip_opt_if[1], sizeof(ip_opt_if[1]), "IPv4 address of xn1");
TUNABLE_STR("ip.xn2", ip_opt_if[2], sizeof(ip_opt_if[2]), "IPv4 address of xn2");
TUNABLE_STR("ip.xn3", ip_opt_if[3], sizeof(ip_opt_if[3]), "IPv4 address of xn3");

/* Test interfaces (ktap) say so by this driver-name prefix. */
#define IN_TEST_IFPREFIX	"ktap"

static bool
in_cmdline_parse(const char *opt, const char *val, struct in_ipspec *is)
{
	const char *why = NULL;

	if (in_ipspec_parse(val, is, &why) != 0) {
		printf("WARNING: %s=\"%s\" ignored: %s (expected addr/prefix[,gw]"
		    ", e.g. 10.0.0.2/24,10.0.0.1)\n", opt, val, why);
		return (false);
	}
	return (true);
}

/* Right after the command line: a bad value is reported even if no
 * interface ever attaches. */
static void
in_cmdline_check(void *arg __unused)
{
	struct in_ipspec is;
	char opt[8];

	for (int i = 0; i < 4; i++) {
		snprintf(opt, sizeof(opt), "ip.xn%d", i);
		if (ip_opt_if[i][0] != '\0' &&
		    !in_cmdline_parse(opt, ip_opt_if[i], &is))
			ip_opt_bad[i] = true;
	}
	if (ip_opt[0] != '\0' && !in_cmdline_parse("ip", ip_opt, &is))
		ip_opt_bad[4] = true;
}
SYSINIT(in_cmdline, SI_SUB_TUNABLES, SI_ORDER_MIDDLE, in_cmdline_check, NULL);

static void
in_cmdline_apply(struct ifnet *ifp, const char *opt, const char *val)
{
	struct in_ipspec is;
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	int error;

	if (!in_cmdline_parse(opt, val, &is))
		return;
	NET_LOCK();
	error = in_ifaddr_set(ifp, &is);
	NET_UNLOCK();
	if (error != 0) {
		printf("WARNING: %s: cannot set the address of %s (error %d)\n",
		    opt, ifp->if_xname, error);
		return;
	}
	printf("%s: inet %s/%d gateway %s (%s=)\n", ifp->if_xname,
	    inet_ntoa_r(is.is_addr, a), is.is_plen,
	    is.is_gw != INADDR_ANY ? inet_ntoa_r(is.is_gw, g) : "none", opt);
}

void
in_cmdline_ifattach(struct ifnet *ifp)
{
	if (strncmp(ifp->if_xname, "xn", 2) == 0 && ifp->if_xname[2] >= '0' &&
	    ifp->if_xname[2] <= '3' && ifp->if_xname[3] == '\0') {
		int unit = ifp->if_xname[2] - '0';

		if (ip_opt_if[unit][0] != '\0' && !ip_opt_bad[unit]) {
			char opt[8];

			snprintf(opt, sizeof(opt), "ip.%s", ifp->if_xname);
			in_cmdline_apply(ifp, opt, ip_opt_if[unit]);
			return;
		}
	}
	if (ip_opt[0] == '\0' || ip_opt_bad[4] || ip_opt_used || ifp->if_type != IFT_ETHER ||
	    strncmp(ifp->if_xname, IN_TEST_IFPREFIX,
	    sizeof(IN_TEST_IFPREFIX) - 1) == 0)
		return;
	ip_opt_used = true;
	in_cmdline_apply(ifp, "ip", ip_opt);
}
