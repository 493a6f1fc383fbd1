#! /usr/bin/env atf-sh
# netback(4) and bridge(4) in our kernel as a driver domain (scenario
# drv-net, group drv): Linux 6.1 guests whose vifs it serves.  One case per
# dom0 verdict in steps/drv-net/net.txt (ping, traffic seen by our side,
# xl network-detach / network-attach, guest to guest through our bridge,
# UDP echo) and one per KTEST line of the driver domain (netback_drv_*,
# netlab_ping, netlab_echo_client).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=drv-net
KT_SCENARIO=drv_net
KT_NAMES=$(lab_ktests)
KT_FILTER='^(netback_drv_.*|netlab_ping|netlab_echo_client)$'

lab_kt_step drv "$STEP"

drv_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no netback"
	lab_verdict drv "$STEP" net.txt guest-drv-net.log "$1" guest-drvnet-linux1.log
}

atf_init_test_cases() {
	kt_init_test_cases
	lab_case drv_up "Our kernel boots as network driver domain and waits for its guest" drv_check
	lab_case linux_ping_us "The Linux guest pings our stack through our netback and bridge" drv_check
	lab_case drv_traffic "Our side counts the guest's traffic" drv_check
	lab_case detach "xl network-detach succeeds" drv_check
	lab_case drv_detached "Our side sees the vif go and gives its resources back" drv_check
	lab_case attach "xl network-attach succeeds" drv_check
	lab_case traffic_resumes "Traffic resumes on the re-attached vif" drv_check
	lab_case guest_to_guest_ping "A second Linux guest pings the first through our bridge" drv_check
	lab_case drv_pair "Our side saw both vifs on the bridge" drv_check
	lab_case linux_echo_server "The guest's UDP echo server answered our client intact" drv_check
}
