#! /usr/bin/atf-sh
# xenstore-utils (Debian's clients) against xenstored-shim.

start_daemon() {
	"$(atf_get_srcdir)/../../bin/xenstored-shim" --no-domains \
	    --foreground --socket "$PWD/sock" 2>daemon.log &
	echo $! >daemon.pid
	export XENSTORED_PATH="$PWD/sock"
	i=0
	while ! xenstore-exists / 2>/dev/null && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ $i -lt 500 ] || atf_fail "daemon never answered"
}

stop_daemon() {
	[ -f daemon.pid ] && kill -9 "$(cat daemon.pid)" 2>/dev/null
	rm -f daemon.pid
}

atf_test_case write_read_ls_rm cleanup
write_read_ls_rm_head() { atf_set descr "basic tools round trip"; }
write_read_ls_rm_body() {
	start_daemon
	atf_check xenstore-write /vm/a 1 /vm/b "two words"
	atf_check -o inline:'1\n' xenstore-read /vm/a
	atf_check -o inline:'two words\n' xenstore-read /vm/b
	atf_check -o inline:'a = "1"\nb = "two words"\n' xenstore-ls /vm
	atf_check -o inline:'a\nb\n' xenstore-list /vm
	atf_check xenstore-rm /vm/a
	atf_check -s not-exit:0 -e match:'couldn.t read path' xenstore-read /vm/a
	atf_check -s exit:0 xenstore-exists /vm/b
	atf_check -s not-exit:0 xenstore-exists /vm/a
	stop_daemon
}
write_read_ls_rm_cleanup() { stop_daemon; }

atf_test_case chmod_and_perms cleanup
chmod_and_perms_head() { atf_set descr "xenstore-chmod and xenstore-ls -p"; }
chmod_and_perms_body() {
	start_daemon
	atf_check xenstore-write /c/n v
	atf_check xenstore-chmod /c/n n3 r4 b5
	atf_check -o match:'\(n3,r4,b5\)' xenstore-ls -p /c
	atf_check -s not-exit:0 -e ignore xenstore-chmod /c/n q3
	stop_daemon
}
chmod_and_perms_cleanup() { stop_daemon; }

atf_test_case watch_tool cleanup
watch_tool_head() { atf_set descr "xenstore-watch sees the initial and later events"; }
watch_tool_body() {
	start_daemon
	atf_check xenstore-write /wt/x 0
	xenstore-watch -n 3 /wt >events 2>&1 &
	wpid=$!
	# The initial event proves the watch is registered.
	i=0
	while ! grep -q '^/wt$' events && [ $i -lt 500 ]; do
		sleep 0.01; i=$((i + 1))
	done
	atf_check xenstore-write /wt/x 1
	atf_check xenstore-rm /wt/x
	wait $wpid
	atf_check -o inline:'/wt\n/wt/x\n/wt/x\n' cat events
	stop_daemon
}
watch_tool_cleanup() { stop_daemon; }

atf_test_case large_listing cleanup
large_listing_head() { atf_set descr "xenstore-ls of a directory over 4096 bytes"; }
large_listing_body() {
	start_daemon
	i=0
	args=""
	while [ $i -lt 250 ]; do
		args="$args /big/entry-with-a-long-long-name-$i $i"
		i=$((i + 1))
	done
	atf_check xenstore-write $args
	atf_check -o match:'^250$' sh -c 'xenstore-list /big | wc -l'
	stop_daemon
}
large_listing_cleanup() { stop_daemon; }

atf_init_test_cases() {
	atf_add_test_case write_read_ls_rm
	atf_add_test_case chmod_and_perms
	atf_add_test_case watch_tool
	atf_add_test_case large_listing
}
