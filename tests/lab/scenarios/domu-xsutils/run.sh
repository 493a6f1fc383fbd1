# dom0 side of domu-xsutils: boot our kernel with the xenstore-utils
# initramfs; once the guest writes data/xsu/ready (its xenstore-watch has
# had its first event), read what it wrote (data/xsu/from-guest), write
# data/xsu/poke (the watch's second event) and take our own xenstore-ls of
# its home, then check the guest's "XSU" console lines against that view.
# Every wait polls under a deadline.  One line per check in
# $LAB_OUT/xsutils.txt:  CASE pass [detail]  or  CASE fail: reason
# (CASE: read_domid, read_name, write_read, rm, watch, ls).
: "${LAB_OUT:=/tmp/lab-out/domu-xsutils}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/xsutils.txt
: >"$res"
name=domu-xsutils
READY_S=${LAB_XSU_READY_S:-60}	# xl create -> data/xsu/ready

. /lab/bin/lab-lib
T0=$(now_ms)

result() {
	echo "$1 $2" >>"$res"
	echo "LAB-XSU-RESULT $1 $2"
}

# 80 s: lab-domu gives up inside the step's own timeout (LAB_TIMEOUT, 100 s),
# so a hung guest still gets this script's verdict per case below.
lab-domu "$name" "$LAB_SCEN/xl.cfg" 80 '^XSU-END' 10 &
ldpid=$!

have_domid() {
	domid=$(xl domid "$name" 2>/dev/null)
	[ -n "$domid" ]
}
is_ready() {
	[ "$(xenstore-read "/local/domain/$domid/data/xsu/ready" 2>/dev/null)" = 1 ]
}

ready=no
if wait_until 20 have_domid && wait_until "$READY_S" is_ready; then
	ready=yes
	home=/local/domain/$domid
	fromguest=$(xenstore-read "$home/data/xsu/from-guest" 2>&1)
	xenstore-write "$home/data/xsu/poke" from-dom0
	# Nothing writes the guest's home after the poke: both views agree.
	xenstore-ls "$home" >"$LAB_OUT/dom0-ls.txt" 2>&1
	echo "LAB-XSU ready after $(el "$T0") ms, domid $domid"
fi
wait "$ldpid"
lrc=$?
glog=$LAB_OUT/guest-$name.log
# The guest's XSU lines, without xenconsoled's prefixes.
sed -n 's/^.*\(XSU[- ].*\)$/\1/p' "$glog" 2>/dev/null | tr -d '\r' >"$LAB_OUT/xsu.txt"
said() {
	sed -n "s/^XSU $1 //p" "$LAB_OUT/xsu.txt" | head -n 1
}
# check CASE GUEST-CHECK... : pass when each guest check said ok.
check() {
	_case=$1
	shift
	for _c in "$@"; do
		_s=$(said "$_c")
		case $_s in
		ok*) ;;
		'') result "$_case" "fail: the guest printed nothing for $_c (see guest-$name.log)"; return 1 ;;
		*) result "$_case" "fail: guest $_c: $_s"; return 1 ;;
		esac
	done
	return 0
}

if [ $ready = no ]; then
	result ready "fail: no data/xsu/ready from the guest within ${READY_S}s (lab-domu rc $lrc)"
fi
if check read_domid xenbus_node read_domid; then
	g=$(said read_domid)
	[ "$g" = "ok $domid" ] && result read_domid "pass xenstore-read domid: $domid, as xl says" ||
	    result read_domid "fail: guest read '$g', xl says domid $domid"
fi
if check read_name read_name; then
	g=$(said read_name)
	[ "$g" = "ok $name" ] && result read_name "pass xenstore-read name: $name" ||
	    result read_name "fail: guest read '$g', want $name"
fi
if check write_read write read_back list; then
	[ "$fromguest" = hello-dom0 ] &&
	    result write_read "pass the guest's xenstore-write read by dom0: $fromguest" ||
	    result write_read "fail: dom0 read '$fromguest' at data/xsu/from-guest, want hello-dom0"
fi
check rm rm read_removed && result rm "pass xenstore-rm, then -exists and -read fail"
if check watch watch_initial watch_dom0 read_dom0; then
	w=$(said watch_dom0)
	n=$(echo "$w" | grep -o 'data/xsu/poke' | wc -l)
	[ "$n" -eq 2 ] && result watch "pass xenstore-watch saw its first event and dom0's write: $w" ||
	    result watch "fail: watch printed '$w'"
fi
if check ls ls; then
	sed -n 's/^XSU-LS //p' "$LAB_OUT/xsu.txt" >"$LAB_OUT/guest-ls.txt"
	if [ ! -s "$LAB_OUT/dom0-ls.txt" ]; then
		result ls "fail: dom0 has no view to compare with"
	elif cmp -s "$LAB_OUT/guest-ls.txt" "$LAB_OUT/dom0-ls.txt"; then
		result ls "pass xenstore-ls $home: $(wc -l <"$LAB_OUT/dom0-ls.txt") lines, as dom0 lists them"
	else
		result ls "fail: the guest's listing differs from dom0's: $(diff "$LAB_OUT/dom0-ls.txt" "$LAB_OUT/guest-ls.txt" | head -n 6 | tr '\n' ' ')"
	fi
fi
echo "LAB-XSU-DONE total_ms=$(el "$T0") lab_domu_rc=$lrc"
! grep -qE "^[a-z_]+ fail" "$res" && [ $lrc -eq 0 ]
