/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The network part of the boot report: interfaces with their addresses and
 * counters, then each protocol's counters with drops by reason (only the
 * non-zero ones, so the report stays short).  net_report() prints the same
 * for tests and the lab.
 */
#include <sys/param.h>
#include <sys/bootreport.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>
#include <netinet/udp_var.h>

static void
pr(const char *name, u_long v)
{
	if (v != 0)
		printf(" %s=%lu", name, v);
}

static void
if_report(struct ifnet *ifp, void *arg __unused)
{
	char mac[18], a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	struct in_ifaddr *ia = ifp->if_inaddr;

	printf("  %s: ether %s mtu %u flags %#x caps %#x/%#x hwassist %#x "
	    "link %s", ifp->if_xname, ether_sprintf_r(ifp->if_addr, mac),
	    ifp->if_mtu, ifp->if_flags, ifp->if_capenable,
	    ifp->if_capabilities, ifp->if_hwassist,
	    ifp->if_link_state == LINK_STATE_UP ? "up" :
	    ifp->if_link_state == LINK_STATE_DOWN ? "down" : "unknown");
	if (ia != NULL)
		printf(" inet %s/%d gw %s arp %d", inet_ntoa_r(ia->ia_addr, a),
		    ia->ia_plen, ia->ia_gw != INADDR_ANY ?
		    inet_ntoa_r(ia->ia_gw, g) : "none", arp_count(ifp));
	printf("\n   ");
	for (int c = 0; c < IFCOUNTERS; c++)
		pr(if_counter_name((ift_counter)c),
		    (u_long)if_get_counter(ifp, (ift_counter)c));
	printf("\n");
}

void
net_report(void)
{
	const struct ip_reass *ir = &ip_reass_state;

	if_foreach(if_report, NULL);
	printf("  netisr:");
	pr("queued", netisr_stats.queued);
	pr("dropped", netisr_stats.dropped);
	pr("handled", netisr_stats.handled);
	pr("qlen_max", netisr_stats.qlen_max);
	printf("\n  ether:");
	pr("input", etherstat.es_input);
	pr("short", etherstat.es_short);
	pr("oversize", etherstat.es_oversize);
	pr("badchain", etherstat.es_badchain);
	pr("notours", etherstat.es_notours);
	pr("badsrc", etherstat.es_badsrc);
	pr("noproto", etherstat.es_noproto);
	pr("down", etherstat.es_down);
	pr("output", etherstat.es_output);
	pr("oerrors", etherstat.es_oerrors);
	printf("\n  arp:");
	pr("input", arpstat.rxtotal);
	pr("bad.short", arpstat.bad[ARP_BAD_SHORT]);
	pr("bad.format", arpstat.bad[ARP_BAD_FORMAT]);
	pr("bad.op", arpstat.bad[ARP_BAD_OP]);
	pr("bad.sha", arpstat.bad[ARP_BAD_SHA]);
	pr("bad.spa", arpstat.bad[ARP_BAD_SPA]);
	pr("requests", arpstat.rxrequests);
	pr("replies", arpstat.rxreplies);
	pr("notours", arpstat.notours);
	pr("conflicts", arpstat.conflicts);
	pr("txrequests", arpstat.txrequests);
	pr("txreplies", arpstat.txreplies);
	pr("gratuitous", arpstat.txgratuitous);
	pr("entries", arpstat.entries);
	pr("evicted", arpstat.evicted);
	pr("expired", arpstat.expired);
	pr("timeouts", arpstat.timeouts);
	pr("holddrops", arpstat.holddrops);
	printf("\n  ip:");
	pr("input", ipstat.ips_total);
	for (int i = 1; i < IP_BAD_COUNT; i++) {
		char name[32];

		snprintf(name, sizeof(name), "bad.%s", ip_bad_names[i]);
		for (char *c = name; *c != '\0'; c++)
			if (*c == ' ')
				*c = '_';
		pr(name, ipstat.ips_bad[i]);
	}
	pr("notforus", ipstat.ips_notforus);
	pr("noproto", ipstat.ips_noproto);
	pr("delivered", ipstat.ips_delivered);
	pr("fragments", ipstat.ips_fragments);
	pr("reassembled", ipstat.ips_reassembled);
	pr("output", ipstat.ips_localout);
	pr("fragmented", ipstat.ips_fragmented);
	pr("ofragments", ipstat.ips_ofragments);
	pr("cantfrag", ipstat.ips_cantfrag);
	pr("noroute", ipstat.ips_noroute);
	pr("odropped", ipstat.ips_odropped);
	pr("hwcsum_out", ipstat.ips_hwcsum_out);
	printf("\n  reass:");
	pr("inprogress", (u_long)ir->ir_nq);
	pr("mem", (u_long)ir->ir_mem);
	pr("done", ir->ir_done);
	pr("overlap", ir->ir_overlap);
	pr("bad", ir->ir_bad);
	pr("toolong", ir->ir_toolong);
	pr("limit", ir->ir_limit);
	pr("timeout", ir->ir_timeout);
	pr("fragdrop", ir->ir_fragdrop);
	printf("\n  icmp:");
	pr("input", icmpstat.icps_total);
	pr("tooshort", icmpstat.icps_tooshort);
	pr("badsum", icmpstat.icps_badsum);
	pr("echo", icmpstat.icps_echo);
	pr("bcastecho", icmpstat.icps_bcastecho);
	pr("reply", icmpstat.icps_reply);
	pr("other", icmpstat.icps_other);
	pr("oerrors", icmpstat.icps_oerrors);
	printf("\n  udp:");
	pr("input", udpstat.udps_ipackets);
	pr("hdrops", udpstat.udps_hdrops);
	pr("badsum", udpstat.udps_badsum);
	pr("nosum", udpstat.udps_nosum);
	pr("noport", udpstat.udps_noport);
	pr("bcast", udpstat.udps_bcast);
	pr("delivered", udpstat.udps_delivered);
	pr("fullsock", udpstat.udps_fullsock);
	pr("hwcsum_in", udpstat.udps_hwcsum_in);
	pr("output", udpstat.udps_opackets);
	pr("oerrors", udpstat.udps_oerrors);
	printf("\n  mbuf:");
	pr("mbufs", mbstat.m_mbufs);
	pr("clusters", mbstat.m_clusters);
	pr("pages", mbstat.m_pages);
	pr("drops", mbstat.m_drops);
	printf("\n");
}

static void
net_boot_report(void)
{
	net_report();
}
BOOT_REPORT(net_br, "network", NULL, net_boot_report);
