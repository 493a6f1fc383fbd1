# dom0 side of domu-blkflush: a 16 MiB file in /tmp (tmpfs) on /dev/loop0,
# our kernel booted with it as xvda (ktests xbd_features, xbd_flush_aligned
# and xbd_discard_granules), and once the guest has powered off (preserved)
# the backend's nodes and blkback's counters read before xl destroy.
# Checks, one line each in $LAB_OUT/blkflush.txt:
#   offered     blkback offers feature-flush-cache=1 and feature-discard=1
#               for the loop device, and the guest's XBD-FEATURES line
#               says flush=1 discard=1 and blkback's discard-granularity
#   flush_seen  the guest's xbd_flush_aligned passed having sent a flush,
#               and blkback counted exactly one (f_req=1) and its read
#               (rd_req >= 1)
#   discard_seen the guest's xbd_discard_granules passed; blkback counted
#               exactly one discard (ds_req=1: the one off the granules
#               never left the guest), and in the file granules 2 and 3
#               from 1 MiB are zeroes, granules 0-1 and 4-7 still 0xc3
: "${LAB_OUT:=/tmp/lab-out/domu-blkflush}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkflush.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLKFLUSH
name=domu-blkflush
IMG=/tmp/blkflush.img
LOOP=/dev/loop0
DS_OFF=1048576		# XBDT_DS_OFF in blkfront_test.c
. /lab/bin/lab-lib
. /lab/bin/blk-lib
T0=$(now_ms)
CASES="offered flush_seen discard_seen"

fail_all() {
	for c in $CASES; do result "$c" "fail: $1"; done
}
# bytes_are OFF LEN HEX: every byte of the image in [OFF, OFF+LEN) is HEX.
bytes_are() {
	[ -z "$(dd if=$IMG bs=512 skip=$(($1 / 512)) count=$(($2 / 512)) 2>/dev/null |
	    od -A n -t x1 -v | tr -s ' ' '\n' | grep -v "^$3\$" | grep -v '^$' | head -n 1)" ]
}

dd if=/dev/zero of=$IMG bs=1048576 count=16 2>/dev/null
if ! losetup $LOOP $IMG >"$LAB_OUT/losetup.log" 2>&1; then
	fail_all "losetup $LOOP $IMG: $(cat "$LAB_OUT/losetup.log")"
	exit 1
fi
domid=
st=$LAB_OUT/stats.txt
if ! xl create -p "$LAB_SCEN/xl.cfg" "name=\"$name\"" >"$LAB_OUT/xl-create.log" 2>&1; then
	fail_all "xl create: $(tail -n 2 "$LAB_OUT/xl-create.log" | tr '\n' ' ')"
else
	have_domid && xl unpause "$domid"
	# run-lab takes the guest's port 0xe9 lines by this line's domid.
	echo "LAB-DOMU-CREATED name=$name domid=$domid"
	wait_until 40 is_shutdown || echo "$BLK_TAG the guest did not power off in 40 s"
	be=/local/domain/0/backend/vbd/$domid/51712
	for k in f_req ds_req rd_req wr_req oo_req; do
		echo "$k=$(vbd_stat 51712 $k 2>&1)"
	done >"$st"
	xenstore-ls -f "$be" >"$LAB_OUT/xenstore-backend.txt" 2>&1
	wait_until 2 grep -aq '^KTEST-SUMMARY' "/var/log/xen/console/guest-$name.log"
	guest_logs
	xl destroy "$domid" >/dev/null 2>&1
	B=$LAB_OUT/xenstore-backend.txt
	ods=$(node "$B" "$be/feature-discard")
	ofl=$(node "$B" "$be/feature-flush-cache")
	ogr=$(node "$B" "$be/discard-granularity")
	l=$(grep -a -m1 'XBD-FEATURES xbd0 ' "$LAB_OUT/guest.txt")
	gfl=$(field "$l" flush)
	gds=$(field "$l" discard)
	ggr=$(field "$l" discard-granularity)
	if [ "$ofl" != 1 ] || [ "$ods" != 1 ]; then
		result offered "fail: blkback offers feature-flush-cache='$ofl' feature-discard='$ods' for $LOOP, want 1 and 1"
	elif [ "$gfl" != 1 ] || [ "$gds" != 1 ]; then
		result offered "fail: blkback offers flush and discard, the guest negotiated flush=$gfl discard=$gds: $l"
	elif [ "$ggr" != "$ogr" ]; then
		result offered "fail: blkback's discard-granularity is '$ogr', the guest's disk has '$ggr'"
	else
		result offered "pass blkback offers feature-flush-cache=1 feature-discard=1 discard-granularity=$ogr; the guest negotiated flush=1 discard=1 with that granularity"
	fi
	kt=$(grep -a -m1 '^KTEST xbd_flush_aligned ' "$LAB_OUT/guest.txt")
	f=$(sed -n 's/^f_req=//p' "$st")
	d=$(sed -n 's/^ds_req=//p' "$st")
	r=$(sed -n 's/^rd_req=//p' "$st")
	case $kt in
	*" PASS"*"flush sent"*)
		if [ "$f" != 1 ] || ! [ "$r" -ge 1 ] 2>/dev/null; then
			result flush_seen "fail: the guest sent one flush and a read; blkback counted $(tr '\n' ' ' <"$st")"
		else
			result flush_seen "pass the guest's flush reached blkback: $(tr '\n' ' ' <"$st")"
		fi ;;
	*) result flush_seen "fail: the guest's xbd_flush_aligned did not pass having sent a flush: '$kt'" ;;
	esac
	kd=$(grep -a -m1 '^KTEST xbd_discard_granules ' "$LAB_OUT/guest.txt")
	g=$ogr
	case $kd in
	*" PASS"*)
		if [ "$d" != 1 ]; then
			result discard_seen "fail: the guest sent one discard on the granules (and one off them, refused); blkback counted ds_req='$d'"
		elif ! bytes_are $((DS_OFF + 2 * g)) $((2 * g)) 00; then
			result discard_seen "fail: granules 2-3 from $DS_OFF ($((2 * g)) bytes at $((DS_OFF + 2 * g))) are not zero in $IMG"
		elif ! bytes_are $DS_OFF $((2 * g)) c3 || ! bytes_are $((DS_OFF + 4 * g)) $((4 * g)) c3; then
			result discard_seen "fail: granules 0-1 or 4-7 from $DS_OFF are not all 0xc3 in $IMG"
		else
			result discard_seen "pass blkback counted ds_req=1; in $IMG bytes $((DS_OFF + 2 * g))..$((DS_OFF + 4 * g - 1)) are zeroes, the granules around still 0xc3 (granularity $g)"
		fi ;;
	*) result discard_seen "fail: the guest's xbd_discard_granules did not pass: '$kd'" ;;
	esac
fi
losetup -d $LOOP 2>/dev/null
rm -f $IMG
echo "$BLK_TAG-DONE total_ms=$(el "$T0")"
! grep -qE "^[a-z0-9_]+ fail" "$res"
