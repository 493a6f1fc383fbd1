# dom0 side of domu-gnttab: boot our kernel (lab-domu, in the background) and
# play the peer of gnttab_dom0_peer with gntpeer, following the guest's
# data/gnttab-peer/state node.  Every wait polls under a deadline; dom0's
# verdict on each step goes into that node ("fail: ..." on a failure), so
# the guest's KTEST line carries it, and into $LAB_OUT/peer.txt.
. /lab/bin/lab-lib
: "${LAB_OUT:=/tmp/lab-out/domu-gnttab}"
mkdir -p "$LAB_OUT"
name=domu-gnttab
peer=/lab/payload/bin/gntpeer
log=$LAB_OUT/peer.txt
: >"$log"

lab-domu "$name" "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-60}" \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
lpid=$!

say() { echo "$*" >>"$log"; echo "LAB-GNTPEER $*"; }
has_domid() { domid=$(xl domid "$name" 2>/dev/null) && [ -n "$domid" ]; }
state_is() { [ "$(xenstore-read "$base/state" 2>/dev/null)" = "$1" ]; }
tell() { xenstore-write "$base/state" "$1"; say "state=$1"; }

if ! wait_until 30 has_domid; then
	say "fail: no domain $name"
elif base=/local/domain/$domid/data/gnttab-peer; ! wait_until 40 state_is granted; then
	say "fail: the guest never wrote state=granted"
else
	ro=$(xenstore-read "$base/ro-ref")
	rw=$(xenstore-read "$base/rw-ref")
	r1=$("$peer" check "$domid" "$ro" 0x35 2>&1)
	say "check ro ref $ro: $r1"
	r2=$("$peer" fill "$domid" "$rw" 0x5b 2>&1)
	say "fill rw ref $rw: $r2"
	fifo=/tmp/gntpeer-hold.$$
	rm -f "$fifo"
	mkfifo "$fifo"
	"$peer" hold "$domid" "$ro" <"$fifo" >"$LAB_OUT/hold.txt" 2>&1 &
	hpid=$!
	exec 3>"$fifo"
	held() { grep -q '^ok held' "$LAB_OUT/hold.txt"; }
	case "$r1/$r2" in
	ok*/ok*)
		if wait_until 10 held; then
			tell held
		else
			tell "fail: hold: $(cat "$LAB_OUT/hold.txt")"
		fi ;;
	*) tell "fail: check: $r1; fill: $r2" ;;
	esac
	wait_until 40 state_is ended || say "fail: the guest never wrote state=ended"
	exec 3>&-
	wait "$hpid"
	hrc=$?
	rm -f "$fifo"
	say "hold ended rc=$hrc: $(tail -n 1 "$LAB_OUT/hold.txt")"
	state_is ended && tell released
fi
wait "$lpid"
