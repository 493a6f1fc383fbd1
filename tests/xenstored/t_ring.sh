#! /usr/bin/atf-sh
# The ring path, on the host under xenstub: guests (xsring) on their own
# rings get their replies, and the shim notifies each ring once per loop
# turn, i.e. once per request of a synchronous guest, not once for the
# request read and again for the reply written.

run_ring() { # GUESTS N: the xsring line for the shim
	dir="$(atf_get_srcdir)"
	run=$PWD/run
	rm -rf "$run" && mkdir "$run"
	echo 1 >"$run/xsd_port"
	head -c 4096 /dev/zero >"$run/ring-0"
	head -c 8 /dev/zero >"$run/notify-count"
	mkfifo "$run/evtchn"
	XENSTUB_DIR="$run" LD_PRELOAD="$dir/xenstub.so" \
	    "$dir/../../bin/xenstored-shim" -N --socket "$run/socket" \
	    >"$PWD/daemon.log" 2>&1 &
	pid=$!
	i=0
	while [ ! -S "$run/socket" ] && [ $i -lt 500 ]; do
		sleep 0.01; i=$((i + 1))
	done
	"$dir/../../bin/xsring" "$run" "$run/socket" "$1" "$2" "$pid" >out
	rc=$?
	kill "$pid"; wait "$pid" 2>/dev/null
	cat out
	[ $rc -eq 0 ] || atf_fail "xsring failed ($rc): $(cat out)"
}

# notifications/req of the line in ./out
notif() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "notifications/req") print $(i + 1) }' out
}

atf_test_case one_notification_per_request
one_notification_per_request_head() {
	atf_set descr "a synchronous guest's request costs one notification from the shim"
	atf_set timeout 60
}
one_notification_per_request_body() {
	for g in 1 4; do
		run_ring $g 2000
		n=$(notif)
		[ -n "$n" ] || atf_fail "no notification count in: $(cat out)"
		awk -v n="$n" 'BEGIN { exit !(n >= 0.99 && n <= 1.05) }' ||
		    atf_fail "$g guests: $n notifications per request (want 1)"
	done
}

atf_init_test_cases() {
	atf_add_test_case one_notification_per_request
}
