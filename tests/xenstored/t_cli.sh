#! /usr/bin/atf-sh
# Command line of xenstored-shim: help, option errors, socket set-up.

shim() {
	echo "$(atf_get_srcdir)/../../bin/xenstored-shim"
}

# Starts the daemon in the background; waits (bounded) for its socket.
start_daemon() {
	"$(shim)" --no-domains --foreground --socket "$PWD/sock" "$@" \
	    2>daemon.log &
	echo $! >daemon.pid
	i=0
	while [ ! -S sock ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ -S sock ] || atf_fail "socket never appeared"
}

stop_daemon() {
	[ -f daemon.pid ] && kill -9 "$(cat daemon.pid)" 2>/dev/null
	rm -f daemon.pid
}

atf_test_case help
help_head() { atf_set descr "--help lists the options and exits 0"; }
help_body() {
	atf_check -s exit:0 -o match:'--socket' -o match:'--no-domains' \
	    -o match:'--db' -o match:'--pid-file' -o match:'--trace' \
	    -o match:'--foreground' "$(shim)" --help
}

atf_test_case bad_option
bad_option_head() { atf_set descr "unknown options are named in the error"; }
bad_option_body() {
	atf_check -s exit:2 -e match:'--bogus' "$(shim)" --bogus
	atf_check -s exit:2 -e match:'--entry-nb.*abc.*integer' \
	    "$(shim)" --no-domains --entry-nb abc
	atf_check -s exit:2 -e match:'unknown quota name' \
	    "$(shim)" --no-domains --quota frobs=1
	atf_check -s exit:2 -e match:'watch-event=' \
	    "$(shim)" --no-domains --timeout foo=1
	atf_check -s exit:2 -e match:'missing argument' "$(shim)" --socket
}

atf_test_case bad_socket_path
bad_socket_path_head() { atf_set descr "unusable socket paths are reported"; }
bad_socket_path_body() {
	atf_check -s exit:1 -e match:"cannot bind socket $PWD/no/such/dir/s" \
	    "$(shim)" --no-domains --foreground --socket "$PWD/no/such/dir/s"
	long=$(printf '%0200d' 0)
	atf_check -s exit:1 -e match:'longer than' \
	    "$(shim)" --no-domains --foreground --socket "$PWD/$long"
	touch plainfile
	atf_check -s exit:1 -e match:'exists and is not a socket' \
	    "$(shim)" --no-domains --foreground --socket "$PWD/plainfile"
}

atf_test_case socket_mode_and_pid_file cleanup
socket_mode_and_pid_file_head() {
	atf_set descr "socket is created 0600; pid file holds the pid"
}
socket_mode_and_pid_file_body() {
	umask 000
	start_daemon --pid-file "$PWD/pid"
	atf_check -o inline:'srw-------\n' sh -c "stat -c %A sock"
	i=0
	while [ ! -s pid ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	atf_check -o inline:"$(cat daemon.pid)\n" cat pid
	# A second daemon must not steal the live socket.
	atf_check -s exit:1 -e match:'in use by a running daemon' \
	    "$(shim)" --no-domains --foreground --socket "$PWD/sock"
	stop_daemon
}
socket_mode_and_pid_file_cleanup() { stop_daemon; }

atf_test_case trace_file cleanup
trace_file_head() { atf_set descr "--trace records requests and replies"; }
trace_file_body() {
	start_daemon --trace "$PWD/trace"
	XENSTORED_PATH="$PWD/sock" atf_check xenstore-write /tr/k v
	atf_check -o match:'^IN .*WRITE.*/tr/k' -o match:'^OUT .*WRITE.*OK' \
	    cat trace
	stop_daemon
}
trace_file_cleanup() { stop_daemon; }

atf_test_case daemonizes cleanup
daemonizes_head() { atf_set descr "without --foreground it detaches"; }
daemonizes_body() {
	atf_check -s exit:0 "$(shim)" --no-domains --socket "$PWD/sock" \
	    --pid-file "$PWD/pid"
	i=0
	while [ ! -s pid ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	cp pid daemon.pid
	XENSTORED_PATH="$PWD/sock" atf_check xenstore-write /d x
	XENSTORED_PATH="$PWD/sock" atf_check -o inline:'x\n' xenstore-read /d
	kill -TERM "$(cat pid)"
	i=0
	while [ -S sock ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	atf_check -s exit:1 test -S sock
	rm -f daemon.pid
}
daemonizes_cleanup() { stop_daemon; }

atf_test_case man_page
man_page_head() { atf_set descr "the man page is clean under mandoc -T lint"; }
man_page_body() {
	page="$(atf_get_srcdir)/xenstored-shim.8"
	atf_check -s exit:0 test -f "$page"
	atf_check -s exit:0 mandoc -T lint -W warning "$page"
}

atf_init_test_cases() {
	atf_add_test_case help
	atf_add_test_case bad_option
	atf_add_test_case bad_socket_path
	atf_add_test_case socket_mode_and_pid_file
	atf_add_test_case trace_file
	atf_add_test_case daemonizes
	atf_add_test_case man_page
}
