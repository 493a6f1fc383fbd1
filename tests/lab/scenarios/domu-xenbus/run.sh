# dom0 side of domu-xenbus: boot our kernel (ktest=xenbus_*) with xvda, then
# follow the guest's reports under its data/xenbus-lab/ (phase one: xvda
# seen; phase two: xvdb seen; detached: xvdb gone), hot-plug xvdb with xl
# block-attach after phase one and remove it with xl block-detach after
# phase two; at the end write data/xenbus-lab/dom0=done, which the guest
# waits for before it powers off.  Each report is checked against dom0's own reading of
# xenstore.  Every wait polls under a deadline.  One line per check in
# $LAB_OUT/xenbus.txt:  CASE pass [detail]  or  CASE fail: reason
# (CASE: xvda_enumerated, xvdb_hotplug, xvdb_detach).
: "${LAB_OUT:=/tmp/lab-out/domu-xenbus}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/xenbus.txt
: >"$res"
name=domu-xenbus
XVDB_SPEC='format=raw,vdev=xvdb,access=rw,script=/lab/bin/block-lab,target=/dev/ram1'
PHASE_S=${LAB_XENBUS_PHASE_S:-30}	# guest report -> next phase
DETACH_S=${LAB_XENBUS_DETACH_S:-25}	# xl block-detach must finish in this

. /lab/bin/lab-lib
T0=$(now_ms)

result() {
	echo "$1 $2" >>"$res"
	echo "LAB-XENBUS-RESULT $1 $2"
}

# The guest, booted and watched by lab-domu (which waits for its
# KTEST-SUMMARY and copies its console log).
lab-domu "$name" "$LAB_SCEN/xl.cfg" 90 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!

have_domid() {
	domid=$(xl domid "$name" 2>/dev/null)
	[ -n "$domid" ]
}
phase_is() {
	[ "$(xenstore-read "/local/domain/$domid/data/xenbus-lab/phase" 2>/dev/null)" = "$1" ]
}
# expect_report ID: what the guest should have written for vbd ID, from
# dom0's own reading of xenstore (the backend must be dom0's blkback, in
# InitWait: no frontend has connected).
expect_report() {
	fe=/local/domain/$domid/device/vbd/$1
	be=$(xenstore-read "$fe/backend" 2>&1)
	want_be=/local/domain/0/backend/vbd/$domid/$1
	[ "$be" = "$want_be" ] || { echo "dom0 has $fe/backend='$be', want $want_be"; return 1; }
	beid=$(xenstore-read "$fe/backend-id" 2>&1)
	st=$(xenstore-read "$fe/state" 2>&1)
	bst=$(xenstore-read "$be/state" 2>&1)
	[ "$bst" = 2 ] || { echo "blkback's state is '$bst', want 2 (InitWait)"; return 1; }
	echo "backend=$be backend-id=$beid state=$st otherend-state=$bst attached=0"
}
# check_report CASE ID: compares the guest's report with expect_report.
check_report() {
	xenstore-ls -fp "/local/domain/$domid/device" >"$LAB_OUT/xenstore-device-$2.txt" 2>&1
	xenstore-ls -fp "/local/domain/0/backend/vbd/$domid" >"$LAB_OUT/xenstore-backend-$2.txt" 2>&1
	got=$(xenstore-read "/local/domain/$domid/data/xenbus-lab/$2" 2>&1)
	if ! want=$(expect_report "$2"); then
		result "$1" "fail: $want"
		return 1
	fi
	if [ "$got" != "$want" ]; then
		result "$1" "fail: guest reports '$got', dom0's xenstore says '$want'"
		return 1
	fi
	return 0
}

if ! wait_until 20 have_domid; then
	for c in xvda_enumerated xvdb_hotplug xvdb_detach; do
		result $c "fail: no domain $name 20 s after xl create"
	done
elif ! wait_until "$PHASE_S" phase_is one; then
	why="the guest never reported phase one within ${PHASE_S}s (phase '$(xenstore-read "/local/domain/$domid/data/xenbus-lab/phase" 2>&1)')"
	for c in xvda_enumerated xvdb_hotplug xvdb_detach; do result $c "fail: $why"; done
else
	echo "LAB-XENBUS phase one at $(el "$T0") ms"
	check_report xvda_enumerated 51712 &&
	    result xvda_enumerated "pass guest and dom0 agree: $got"
	t=$(now_ms)
	if ! xl block-attach "$domid" "$XVDB_SPEC" >"$LAB_OUT/xl-block-attach.log" 2>&1; then
		result xvdb_hotplug "fail: xl block-attach: $(tail -n 2 "$LAB_OUT/xl-block-attach.log" | tr '\n' ' ')"
		result xvdb_detach "fail: nothing attached"
	else
		ams=$(el "$t")
		if ! wait_until "$PHASE_S" phase_is two; then
			result xvdb_hotplug "fail: xl block-attach took ${ams} ms, but the guest did not report xvdb within ${PHASE_S}s (phase '$(xenstore-read "/local/domain/$domid/data/xenbus-lab/phase" 2>&1)')"
			result xvdb_detach "fail: xvdb never seen"
		else
			check_report xvdb_hotplug 51728 &&
			    result xvdb_hotplug "pass xl block-attach took ${ams} ms; guest and dom0 agree: $got"
			# Both ends' states as they change during the detach.
			be=/local/domain/0/backend/vbd/$domid/51728
			fe=/local/domain/$domid/device/vbd/51728
			for end in backend frontend; do
				[ $end = backend ] && n=$be || n=$fe
				xenstore-watch "$n/state" 2>/dev/null | while read -r p _; do
					xenstore-read "$p" 2>/dev/null || echo gone
				done >"$LAB_OUT/states-$end.txt" 2>&1 &
			done
			t=$(now_ms)
			timeout "$DETACH_S" xl block-detach "$domid" xvdb >"$LAB_OUT/xl-block-detach.log" 2>&1
			drc=$?
			dms=$(el "$t")
			gone_all() {
				! xenstore-exists "$be" 2>/dev/null && ! xenstore-exists "$fe" 2>/dev/null
			}
			wait_until 5 gone_all
			xl block-list "$domid" >"$LAB_OUT/xl-block-list.txt" 2>&1
			left=$(xenstore-list "/local/domain/0/backend/vbd/$domid" 2>&1 | tr '\n' ' ')
			bseq=$(tr '\n' ' ' <"$LAB_OUT/states-backend.txt" 2>/dev/null)
			fseq=$(tr '\n' ' ' <"$LAB_OUT/states-frontend.txt" 2>/dev/null)
			if [ $drc -ne 0 ]; then
				result xvdb_detach "fail: xl block-detach rc $drc after ${dms} ms: $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ')"
			elif grep -qiE 'timed? ?out|forc' "$LAB_OUT/xl-block-detach.log"; then
				result xvdb_detach "fail: xl block-detach needed a forced removal (the frontend did not close): $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ')"
			elif ! wait_until "$PHASE_S" phase_is detached; then
				result xvdb_detach "fail: detach done in ${dms} ms, but the guest did not report xvdb gone within ${PHASE_S}s"
			elif ! gone_all; then
				result xvdb_detach "fail: xl block-detach done, but $be or $fe is still in xenstore"
			elif [ "$left" != "51712 " ]; then
				result xvdb_detach "fail: backends left after the detach: '$left', want xvda's (51712) only"
			else
				result xvdb_detach "pass xl block-detach finished cleanly in ${dms} ms (states seen: backend ${bseq:-none}, frontend ${fseq:-none}); the guest's child went away"
			fi
		fi
	fi
fi
# The guest waits for this before it ends its test (and its home goes).
[ -n "$domid" ] && xenstore-write "/local/domain/$domid/data/xenbus-lab/dom0" "done"
wait "$ldpid"
lrc=$?
# Stray watchers end with the step; this keeps their output whole.
for j in $(jobs -p); do kill "$j" 2>/dev/null; done
echo "LAB-XENBUS-DONE total_ms=$(el "$T0") lab_domu_rc=$lrc"
! grep -qE "^[a-z_]+ fail" "$res" && [ $lrc -eq 0 ]
