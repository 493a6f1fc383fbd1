#! /usr/bin/env atf-sh
# netlab_tools: the lab's udpecho and rawinject (tests/lab/tools) and
# bench/net's netbench count against
# the host's Linux stack, an independent reference: a network namespace
# joined by a veth pair (10.98.N.1 here, 10.98.N.2 there), offload on, so
# both complete and partial checksums and up to 45 fragments go by.
# Needs root (netns, AF_PACKET); the binaries come from build/bin.

bin() {
	d=$(atf_get_srcdir)
	for c in "$d/../../bin" "$d/../../../build/bin"; do
		[ -x "$c/$1" ] && { echo "$c/$1"; return 0; }
	done
	atf_fail "$1 not built (make all)"
}

# A per-run name, short enough for an interface (15 characters), kept in
# the work directory: the cleanup runs in another process, same directory.
tag() {
	[ -f nstag ] || echo "nl$(( $$ % 100000 ))" >nstag
	cat nstag
}

setup_ns() {
	t=$(tag)
	n=$(( $$ % 250 + 1 ))
	ip netns add "$t" || atf_skip "cannot create a network namespace"
	ip link add "${t}a" type veth peer name "${t}b" || atf_skip "no veth"
	ip link set "${t}b" netns "$t"
	ip addr add "10.98.$n.1/24" dev "${t}a"
	ip link set "${t}a" up
	ip -n "$t" addr add "10.98.$n.2/24" dev "${t}b"
	ip -n "$t" link set "${t}b" up
	ip -n "$t" link set lo up
	HERE=10.98.$n.1 THERE=10.98.$n.2 NS=$t IFA=${t}a IFB=${t}b
}

cleanup_ns() {
	[ -f nstag ] || return 0
	t=$(cat nstag)
	ip link del "${t}a" 2>/dev/null
	ip netns del "$t" 2>/dev/null
	true
}

atf_test_case echo_both_ways cleanup
echo_both_ways_head() {
	atf_set descr "75 sizes of 1 .. 65507 bytes echoed, every checksum verified by both captures"
	atf_set require.user root
}
echo_both_ways_body() {
	ue=$(bin udpecho)
	setup_ns
	ip netns exec "$NS" "$ue" server -p 7001 -i "$IFB" -t 3000 -T 30000 >server.out 2>&1 &
	spid=$!
	sleep 0.3
	"$ue" client -h "$THERE" -p 7001 -i "$IFA" >client.out 2>&1
	crc=$?
	wait $spid
	src=$?
	cat client.out server.out
	[ $crc -eq 0 ] || atf_fail "client: $(tail -n 1 client.out)"
	[ $src -eq 0 ] || atf_fail "server: $(tail -n 1 server.out)"
	for f in client.out server.out; do
		l=$(tail -n 1 $f)
		case $l in
		*" seen=75 "*" csum_bad=0 csum_zero=0 "*) ;;
		*) atf_fail "$f: not all 75 seen with right checksums: $l" ;;
		esac
		fm=$(echo "$l" | sed -n 's/.* frags_max=\([0-9]*\).*/\1/p')
		[ "${fm:-0}" -ge 40 ] || atf_fail "$f: the 65507-byte datagram came in ${fm:-?} fragments"
	done
}
echo_both_ways_cleanup() { cleanup_ns; }

atf_test_case bad_udp_checksum_seen cleanup
bad_udp_checksum_seen_head() {
	atf_set descr "a datagram with a wrong UDP checksum is flagged by the capture, and Linux drops it"
	atf_set require.user root
}
bad_udp_checksum_seen_body() {
	ue=$(bin udpecho)
	ri=$(bin rawinject)
	setup_ns
	mac=$(ip -n "$NS" link show "$IFB" | awk '/ether/ { print $2 }')
	ip netns exec "$NS" "$ue" server -p 7777 -i "$IFB" -T 2500 >server.out 2>&1 &
	spid=$!
	sleep 0.3
	"$ri" -i "$IFA" -d "$mac" -s "$HERE" -t "$THERE" -n 3 bad-udpcsum >inject.out 2>&1 ||
	    atf_fail "rawinject: $(cat inject.out)"
	wait $spid
	cat inject.out server.out
	n=$(grep -c 'CAPTURE .*csum=bad' server.out)
	[ "$n" -eq 3 ] || atf_fail "$n of 3 bad checksums flagged"
	grep -q 'UDPECHO-SERVER .* rx=0 ' server.out ||
	    atf_fail "Linux delivered a datagram with a bad checksum: $(tail -n 1 server.out)"
}
bad_udp_checksum_seen_cleanup() { cleanup_ns; }

atf_test_case malformed_dropped cleanup
malformed_dropped_head() {
	atf_set descr "every rawinject kind is sent, and Linux answers none of them"
	atf_set require.user root
}
malformed_dropped_body() {
	ue=$(bin udpecho)
	ri=$(bin rawinject)
	setup_ns
	mac=$(ip -n "$NS" link show "$IFB" | awk '/ether/ { print $2 }')
	ip netns exec "$NS" "$ue" server -p 7777 -T 3500 >server.out 2>&1 &
	spid=$!
	sleep 0.3
	"$ri" -i "$IFA" -d "$mac" -s "$HERE" -t "$THERE" -n 2 -L short runt-ip \
	    bad-version ihl-small ihl-big iplen-long iplen-short bad-ipcsum \
	    bad-udpcsum udplen-long overlap-first overlap-last frag-flood \
	    frag-huge arp-junk >inject.out 2>&1
	rc=$?
	wait $spid
	cat inject.out server.out
	[ $rc -eq 0 ] || atf_fail "rawinject: $(tail -n 1 inject.out)"
	grep -q 'RAWINJECT-DONE frames=72 failed=0 skipped=0 echoes=0' inject.out ||
	    atf_fail "$(tail -n 1 inject.out)"
	grep -q 'UDPECHO-SERVER .* rx=0 ' server.out ||
	    atf_fail "Linux delivered a malformed datagram: $(tail -n 1 server.out)"
}
malformed_dropped_cleanup() { cleanup_ns; }

atf_test_case count_at_interface cleanup
count_at_interface_head() {
	atf_set descr "netbench count: two rounds told apart by size, counted at the receiving interface as many as the sender got out"
	atf_set require.user root
}
count_at_interface_body() {
	nb=$(bin netbench)
	setup_ns
	ip netns exec "$NS" "$nb" count -c "$IFB" \
	    -p 7002 -r 2 -S 64,1472 -T 20000 >count.out 2>&1 &
	cpid=$!
	sleep 0.5
	for s in 64 1472; do
		"$nb" send -h "$THERE" -p 7002 -s $s -t 800 >>send.out 2>&1
		sleep 0.2
	done
	wait $cpid
	crc=$?
	cat send.out count.out
	[ $crc -eq 0 ] || atf_fail "count: $(tail -n 1 count.out)"
	for s in 64 1472; do
		sl=$(grep "^NETBENCH-SEND size=$s " send.out)
		rl=$(grep "^NETBENCH-RECV size=$s " count.out)
		[ -n "$rl" ] || atf_fail "no $s-byte round counted"
		f() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		sp=$(f pkts "$sl") sm=$(f ms "$sl") rp=$(f pkts "$rl") rm=$(f ms "$rl")
		# The veth may drop a few under a flood, and counts the five
		# end datagrams and stray IPv6 chatter: within 10% below and a
		# few above, over the sender's time within 100 ms.
		[ "$rp" -le $((sp + 20)) ] && [ "$rp" -ge $((sp * 9 / 10)) ] ||
		    atf_fail "$s B: counted $rp, the sender got $sp out"
		d=$((rm - sm))
		[ ${d#-} -le 100 ] || atf_fail "$s B: counted over $rm ms, sent over $sm ms"
	done
}
count_at_interface_cleanup() { cleanup_ns; }

atf_init_test_cases() {
	atf_add_test_case echo_both_ways
	atf_add_test_case bad_udp_checksum_seen
	atf_add_test_case malformed_dropped
	atf_add_test_case count_at_interface
}
