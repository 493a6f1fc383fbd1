# dom0 side of domu-blkfeat: for each round, reload xen-blkback with the
# round's parameters (rmmod, then insmod of the initramfs's module: there
# is no modprobe database), check /sys/module/xen_blkback/parameters/ took
# them, clear the first 4 MiB of /dev/ram6, boot our kernel (its iotool=
# runs write and verify 4 MiB of xbd0) and, once the frontend is
# Connected, blkback's state, and after it powered off both ends'
# xenstore nodes.  The verdict of a round,
# feat_ROUND in $LAB_OUT/blkfeat.txt, passes when
#   - blkback's state was 4 (Connected) when the frontend's was;
#   - blkback offers what its parameter says (max-ring-page-order,
#     multi-queue-max-queues, feature-persistent);
#   - the guest's XBD-FEATURES line gives ring-order = min(offer, 4) and
#     queues = min(offer, 2 vCPUs) (xbd(4): up to 16 pages, up to 4
#     queues, no more than the CPUs), and the same values the frontend
#     wrote (ring-page-order, multi-queue-num-queues: absent means 0 and
#     1) and blkback connected with (its state 4);
#   - persistent grants: the frontend always writes feature-persistent=1;
#     blkback uses them only when its own node says 1 too, and so must
#     the guest (XBD-FEATURES persistent=).  Blkback's side of it is seen
#     in the grant table: at power-off the guest's XBD-STATS line counts
#     the pool pages Xen shows mapped by blkback (pg-mapped, from
#     GTF_reading/GTF_writing), more than 0 when persistent (blkback keeps
#     them mapped), and with no pool at all otherwise; no bounce copies;
#   - both iotool runs are clean with 1024 blocks each.
# At the end blkback is reloaded with its defaults for the next steps.
: "${LAB_OUT:=/tmp/lab-out/domu-blkfeat}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkfeat.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLKFEAT
DEV=/dev/ram6
NBLK=1024		# length=4m in scenario.conf, 4 KiB blocks
VCPUS=2			# xl.cfg
P=/sys/module/xen_blkback/parameters
. /lab/bin/lab-lib
. /lab/bin/blk-lib
T0=$(now_ms)

min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }
fe_connected() {
	[ "$(xenstore-read "/local/domain/$domid/device/vbd/51712/state" 2>/dev/null)" = 4 ]
}

# round NAME PARAM VALUE: PARAM=VALUE given to blkback ("-" for none).
round() {
	r=$1
	c=feat_$r
	name=domu-blkfeat-$r
	if [ "$2" = - ]; then
		out=$(blkback_load)
	else
		out=$(blkback_load "$2=$3")
	fi
	[ $? -eq 0 ] || { result $c "fail: reloading xen-blkback ($2=$3): $out"; return; }
	if [ "$2" != - ]; then
		got=$(cat "$P/$2" 2>&1)
		# bool parameters read back as Y/N.
		[ "$got" = "$3" ] || { [ "$3" = 0 ] && [ "$got" = N ]; } ||
		    { [ "$3" = 1 ] && [ "$got" = Y ]; } ||
		    { result $c "fail: blkback loaded with $2=$3, but $P/$2 is '$got'"; return; }
	fi
	dd if=/dev/zero of=$DEV bs=65536 count=$((NBLK / 16)) 2>/dev/null
	t=$(now_ms)
	# Not lab-domu: the nodes are read after the guest has powered off
	# (on_poweroff=preserve keeps them; its runs take well under a
	# second), then dom0 destroys it.
	domid=
	bstate=-
	lrc=0
	fe=
	if ! xl create -p "$LAB_SCEN/xl.cfg" "name=\"$name\"" >"$LAB_OUT/xl-create-$r.log" 2>&1; then
		result $c "fail: xl create: $(tail -n 2 "$LAB_OUT/xl-create-$r.log" | tr '\n' ' ')"
		return
	fi
	have_domid && xl unpause "$domid"
	# run-lab takes the guest's port 0xe9 lines by this line's domid.
	echo "LAB-DOMU-CREATED name=$name domid=$domid"
	fe=/local/domain/$domid/device/vbd/51712
	be=/local/domain/0/backend/vbd/$domid/51712
	if ! wait_until 30 fe_connected; then
		lrc=1
		echo "LAB-BLKFEAT $r: frontend not Connected in 30 s"
	else
		bstate=$(xenstore-read "$be/state" 2>&1)
	fi
	wait_until 30 is_shutdown || { lrc=1; echo "LAB-BLKFEAT $r: no poweroff in 30 s"; }
	xenstore-ls -f "$fe" >"$LAB_OUT/xenstore-frontend-$r.txt" 2>&1
	xenstore-ls -f "$be" >"$LAB_OUT/xenstore-backend-$r.txt" 2>&1
	# xenconsoled may write the guest's last lines a moment later.
	wait_until 2 grep -aq '^IOTOOL-DONE' "/var/log/xen/console/guest-$name.log"
	# As lab-domu does: the guest's console and its port 0xe9 lines for
	# run-lab (the step's console.log), a clean copy for the checks.
	cp "/var/log/xen/console/guest-$name.log" "$LAB_OUT/guest-$name.log" 2>/dev/null
	grep -a "^(d$domid)" /var/log/xen/console/hypervisor.log >"$LAB_OUT/hv-$name.log" 2>/dev/null
	tr -d '\r' <"/var/log/xen/console/guest-$name.log" >"$LAB_OUT/guest-$r.txt" 2>/dev/null
	xl destroy "$domid" >/dev/null 2>&1
	echo "LAB-BLKFEAT $r domid=$domid backend-state=$bstate ms=$(el "$t")"
	F=$LAB_OUT/xenstore-frontend-$r.txt
	B=$LAB_OUT/xenstore-backend-$r.txt
	o_order=$(node "$B" "$be/max-ring-page-order")
	o_queues=$(node "$B" "$be/multi-queue-max-queues")
	o_pers=$(node "$B" "$be/feature-persistent")
	f_order=$(node "$F" "$fe/ring-page-order")
	[ "$f_order" = - ] && f_order=0
	f_queues=$(node "$F" "$fe/multi-queue-num-queues")
	[ "$f_queues" = - ] && f_queues=1
	f_pers=$(node "$F" "$fe/feature-persistent")
	l=$(grep -a -m1 'XBD-FEATURES xbd0 ' "$LAB_OUT/guest-$r.txt")
	g_order=$(field "$l" ring-order)
	g_queues=$(field "$l" queues)
	g_pers=$(field "$l" persistent)
	st=$(grep -a -m1 'XBD-STATS xbd0 ' "$LAB_OUT/guest-$r.txt")
	s_pers=$(field "$st" persistent)
	s_mapped=$(field "$st" pg-mapped)
	s_hits=$(field "$st" pg-hits)
	s_bounced=$(field "$st" bounced)
	why=""
	case $2 in
	max_ring_page_order) [ "$o_order" = "$3" ] || why="$why blkback offers max-ring-page-order=$o_order, not $3;" ;;
	max_queues) [ "$o_queues" = "$3" ] || why="$why blkback offers multi-queue-max-queues=$o_queues, not $3;" ;;
	feature_persistent) [ "$o_pers" = "$3" ] || why="$why blkback offers feature-persistent=$o_pers, not $3;" ;;
	esac
	case $o_order$o_queues in
	*[!0-9]*) why="$why blkback's offer unreadable (max-ring-page-order '$o_order', multi-queue-max-queues '$o_queues');" ;;
	*)
		w_order=$(min "$o_order" 4)
		w_queues=$(min "$o_queues" $VCPUS)
		[ -n "$l" ] || why="$why no XBD-FEATURES xbd0 line;"
		[ "$g_order" = "$w_order" ] || why="$why guest ring-order=$g_order, want min($o_order, 4)=$w_order;"
		[ "$g_queues" = "$w_queues" ] || why="$why guest queues=$g_queues, want min($o_queues, $VCPUS)=$w_queues;"
		# Both ends said 1, or not persistent.
		[ "$o_pers" = 1 ] && w_pers=1 || w_pers=0
		[ "$g_pers" = "$w_pers" ] || why="$why guest persistent=$g_pers, want $w_pers (blkback offers '$o_pers', we 1);"
		[ "$f_order" = "$g_order" ] || why="$why frontend wrote ring-page-order=$f_order, guest says $g_order;"
		[ "$f_queues" = "$g_queues" ] || why="$why frontend wrote multi-queue-num-queues=$f_queues, guest says $g_queues;"
		[ "$f_pers" = 1 ] || why="$why frontend wrote feature-persistent=$f_pers, want 1;"
		if [ -z "$st" ]; then
			why="$why no XBD-STATS xbd0 line;"
		elif [ "$w_pers" = 1 ]; then
			[ "$s_pers" = 1 ] && [ "${s_mapped:-0}" -gt 0 ] 2>/dev/null &&
			    [ "${s_hits:-0}" -gt 0 ] 2>/dev/null ||
			    why="$why persistent, but XBD-STATS says persistent=$s_pers pg-mapped=$s_mapped pg-hits=$s_hits;"
		else
			[ "$s_pers" = 0 ] && [ "$s_mapped" = 0 ] ||
			    why="$why not persistent, but XBD-STATS says persistent=$s_pers pg-mapped=$s_mapped;"
		fi
		[ "$s_bounced" = 0 ] || why="$why $s_bounced requests bounced;"
		;;
	esac
	[ "$bstate" = 4 ] || why="$why blkback's state was '$bstate' when the frontend connected, not 4;"
	for op in write read; do
		il=$(grep -a "^IOTOOL disk=xbd0 op=$op " "$LAB_OUT/guest-$r.txt")
		case $il in
		*" verify=1 ios=$NBLK bytes=$((NBLK * 4096)) "*" errors=0 bad_crc=0 bad_blkno=0 stale=0 first_bad=-1"*) ;;
		*) why="$why $op run: '$il';" ;;
		esac
	done
	grep -aq '^IOTOOL-DONE clean' "$LAB_OUT/guest-$r.txt" || why="$why no IOTOOL-DONE clean;"
	[ $lrc -eq 0 ] || why="$why the guest did not connect or power off in time (see dom0.log);"
	if [ -n "$why" ]; then
		result $c "fail:$why"
	else
		[ "$2" = - ] && opt="with its defaults" || opt="with $2=$3"
		result $c "pass blkback $opt offers order $o_order, $o_queues queues, persistent $o_pers; guest and frontend nodes: ring-order=$g_order queues=$g_queues; frontend offers persistent 1, guest uses $g_pers, pool pages blkback maps $s_mapped (hits $s_hits); integrity runs clean; $(el "$t") ms"
	fi
}

round default - -
round order0 max_ring_page_order 0
round order2 max_ring_page_order 2
round queues2 max_queues 2
round nopersist feature_persistent 0
round persist feature_persistent 1
out=$(blkback_load)
[ $? -eq 0 ] || echo "LAB-BLKFEAT-WARN reloading blkback's defaults failed: $out"
echo "LAB-BLKFEAT-DONE total_ms=$(el "$T0")"
! grep -qE "^[a-z0-9_]+ fail" "$res" && [ -d /sys/module/xen_blkback ]
