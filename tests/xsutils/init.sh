#!/bin/sh
# /init of the xenstore-utils initramfs (domu-xsutils): Debian's
# xenstore-utils, unmodified, talk to xenstore through our /dev/xen/xenbus.
# Each check prints "XSU <name> ok [detail]" or "XSU <name> fail: why";
# dom0 (tests/lab/scenarios/domu-xsutils/run.sh) checks them against its
# own xenstore and causes the watch event.  The last line is XSU-END.
PATH=/bin:/usr/bin
export PATH
ok() { echo "XSU $1 ok${2:+ $2}"; }
fail() { echo "XSU $1 fail: $2"; }
echo "XSU-BEGIN"
[ -c /dev/xen/xenbus ] && ok xenbus_node || fail xenbus_node "no /dev/xen/xenbus"

# domid and name: relative paths are under our home.
domid=$(xenstore-read domid)
case $domid in
''|*[!0-9]*) fail read_domid "'$domid' (status $?)" ;;
*) ok read_domid "$domid" ;;
esac
name=$(xenstore-read name) && ok read_name "$name" || fail read_name "status $?"

# write, read back, rm, exists.
if xenstore-write data/xsu/from-guest hello-dom0 data/xsu/tmp scratch; then
	ok write
else
	fail write "status $?"
fi
v=$(xenstore-read data/xsu/from-guest)
[ "$v" = hello-dom0 ] && ok read_back || fail read_back "'$v'"
if xenstore-rm data/xsu/tmp && ! xenstore-exists data/xsu/tmp; then
	ok rm
else
	fail rm "data/xsu/tmp still there"
fi
xenstore-read data/xsu/tmp >/dev/null 2>&1 && fail read_removed "read it" ||
    ok read_removed
xenstore-list data/xsu > /tmp/list
[ "$(cat /tmp/list)" = from-guest ] && ok list || fail list "$(cat /tmp/list)"

# A watch whose second event comes from dom0: the first is the one every
# new watch fires.  Dom0 writes data/xsu/poke once it sees data/xsu/ready.
xenstore-watch -n 2 data/xsu/poke > /tmp/watch 2>&1 &
wpid=$!
n=0
while [ ! -s /tmp/watch ] && [ $n -lt 200 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ -s /tmp/watch ] && ok watch_initial "$(head -n 1 /tmp/watch)" ||
    fail watch_initial "no first event"
xenstore-write data/xsu/ready 1
n=0
while kill -0 $wpid 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 $wpid 2>/dev/null; then
	kill $wpid
	fail watch_dom0 "no event from dom0 in 30 s: $(tr '\n' ' ' < /tmp/watch)"
else
	wait $wpid
	st=$?
	[ $st -eq 0 ] && [ "$(wc -l < /tmp/watch)" -eq 2 ] &&
	    ok watch_dom0 "$(tr '\n' ' ' < /tmp/watch)" ||
	    fail watch_dom0 "status $st: $(tr '\n' ' ' < /tmp/watch)"
fi
v=$(xenstore-read data/xsu/poke)
[ "$v" = from-dom0 ] && ok read_dom0 || fail read_dom0 "'$v'"

# The whole home, for dom0 to compare with its own view (nothing changes
# it after dom0's poke).
if xenstore-ls "/local/domain/$domid" > /tmp/ls; then
	ok ls "$(wc -l < /tmp/ls) lines"
else
	fail ls "status $?"
fi
sed 's/^/XSU-LS /' /tmp/ls
echo "XSU-END"
