# dom0 side of domu-control: our kernel as an idle PVH domU (no ktest=),
# driven by the real toolstack. Every wait polls for a marker under a hard
# deadline. Each check writes one line to $LAB_OUT/control.txt:
#   CASE pass [detail]   or   CASE fail: reason
# (CASE: xenstore_nodes, xl_console, xl_shutdown, xl_reboot), read by
# tests/lab/atf/domu_control.sh. Guest A (domu-control) serves the xenstore,
# console and shutdown checks; guest B (domu-control-rb) the reboot check.
# hvm-control runs this same script (a link) on an HVM config: the guests
# are named after the step, and xl console is asked for the PV console (an
# HVM guest's default console is its emulated serial port).
logdir=/var/log/xen/console
cfg=$LAB_SCEN/xl.cfg
step=${LAB_STEP:-domu-control}
cons_type=
boot_dflt=20
reboot_dflt=30
if grep -q '^type *= *"hvm"' "$cfg"; then
	cons_type="-t pv"
	printf '\0\0' >/tmp/sercon-port
	# An HVM boot runs hvmloader and SeaBIOS first, again at a reboot,
	# under TCG: 1 s of hvmloader on an idle host, 15-18 s seen with the
	# host busy (boot and reboot then overran the PVH budgets).
	boot_dflt=60
	reboot_dflt=60
fi
: "${LAB_OUT:=/tmp/lab-out/$step}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/control.txt
: >"$res"
BOOT_S=${LAB_CTRL_BOOT_S:-$boot_dflt}		# xl create -> "startup complete"
CONSOLE_S=${LAB_CTRL_CONSOLE_S:-10}	# xl console shows the boot log
SHUTDOWN_S=${LAB_CTRL_SHUTDOWN_S:-15}	# xl shutdown -> gone from xl list
REBOOT_S=${LAB_CTRL_REBOOT_S:-$reboot_dflt}	# xl reboot -> running again, booted

. /lab/bin/lab-lib
T0=$(now_ms)

result() {
	echo "$1 $2" >>"$res"
	echo "LAB-CTRL-RESULT $1 $2"
}

# count REGEX FILE: matching lines in FILE (0 if none or no file).
count() {
	_n=$(grep -acE "$1" "$2" 2>/dev/null)
	echo "${_n:-0}"
}
# has REGEX FILE [N]: FILE has at least N (1) lines matching REGEX.
has() {
	[ "$(count "$1" "$2")" -ge "${3:-1}" ]
}
# A domain is gone when xl no longer lists it and its xenstore home is gone.
gone() {
	! xl list "$1" >/dev/null 2>&1 && ! xenstore-exists "/local/domain/$2" 2>/dev/null
}
# state NAME: xl list's state flags for NAME, or "gone" (not listed).
state() {
	_s=$(xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }')
	echo "${_s:-gone}"
}
hvlines() {
	grep -a "^(d$1)" "$logdir/hypervisor.log" 2>/dev/null
}
# Xen's lines about a domain (crash, shutdown reason): a failure's evidence.
xen_says() {
	grep -aE "^\(XEN\) .*\bd$1(v[0-9]+)?\b" "$logdir/hypervisor.log" 2>/dev/null |
	    grep -aiE 'crash|fault|fail|shutdown|triple|reboot' | tail -n 3 | tr '\n' ' '
}

SC='startup complete'
ATTACH='^xencons0: .*now the console'

# --- guest A: xenstore nodes, xl console, xl shutdown ------------------------
name=$step
glog=$logdir/guest-$name.log
t=$(now_ms)
# Paused first: the control nodes as the toolstack left them, before the
# guest ran a single instruction.
if ! xl create -p "$cfg" "name=\"$name\"" >"$LAB_OUT/xl-create-$name.log" 2>&1; then
	cat "$LAB_OUT/xl-create-$name.log"
	why="xl create failed: $(tail -n 2 "$LAB_OUT/xl-create-$name.log" | tr '\n' ' ')"
	for c in xenstore_nodes xl_console xl_shutdown; do result $c "fail: $why"; done
	domid=
else
	domid=$(xl domid "$name")
	home=/local/domain/$domid
	{
		echo "# $home/control before the guest ran (xl create -p):"
		xenstore-ls -fp "$home/control" 2>&1
	} >"$LAB_OUT/xenstore-before.txt"
	pre_po=$(xenstore-read "$home/control/feature-poweroff" 2>/dev/null)
	pre_rb=$(xenstore-read "$home/control/feature-reboot" 2>/dev/null)
	xl unpause "$domid"
	echo "LAB-DOMU-CREATED name=$name domid=$domid create_ms=$(el "$t")"
	if wait_until "$BOOT_S" has "$SC" "$glog"; then
		echo "LAB-DOMU-READY name=$name domid=$domid ready_ms=$(el "$t")"
		booted=yes
	else
		booted=no
		why="guest did not print '$SC' within ${BOOT_S}s of xl create (xl state: $(state "$name"))"
		x=$(xen_says "$domid")
		[ -n "$x" ] && why="$why; Xen says: $x"
		for c in xenstore_nodes xl_console xl_shutdown; do result $c "fail: $why"; done
	fi
fi

if [ "${booted:-no}" = yes ]; then
	# 1. The guest's own control nodes.
	xenstore-ls -fp "$home" >"$LAB_OUT/xenstore-ls.txt" 2>&1
	po=$(xenstore-read "$home/control/feature-poweroff" 2>&1)
	rb=$(xenstore-read "$home/control/feature-reboot" 2>&1)
	if [ "$po" != 1 ] || [ "$rb" != 1 ]; then
		result xenstore_nodes "fail: after boot control/feature-poweroff='$po' control/feature-reboot='$rb' (want 1 and 1)"
	elif [ "$pre_po" = 1 ] || [ "$pre_rb" = 1 ]; then
		result xenstore_nodes "fail: control/feature-* were already 1 before the guest ran (poweroff='$pre_po' reboot='$pre_rb'): cannot tell the guest wrote them"
	else
		result xenstore_nodes "pass feature-poweroff='$pre_po'->'$po' feature-reboot='$pre_rb'->'$rb' (before the guest ran -> after boot)"
	fi

	# 2. The real xl console, no tty: stdin /dev/null (xenconsole reads
	# stdin only when it is a tty, so it stays connected), output to a file
	# that is polled for the boot log's markers, then the client is killed.
	clog=$LAB_OUT/xl-console.txt
	t=$(now_ms)
	# shellcheck disable=SC2086 # none or two words
	xl console $cons_type "$domid" </dev/null >"$clog" 2>&1 &
	cpid=$!
	console_done() {
		{ has "$SC" "$clog" && has "$ATTACH" "$clog"; } || ! kill -0 "$cpid" 2>/dev/null
	}
	wait_until "$CONSOLE_S" console_done
	cms=$(el "$t")
	if kill -0 "$cpid" 2>/dev/null; then
		alive=yes
		kill "$cpid" 2>/dev/null
	else
		alive=no
	fi
	wait "$cpid" 2>/dev/null
	crc=$?
	miss=
	has "$SC" "$clog" || miss="'$SC'"
	has "$ATTACH" "$clog" || miss="${miss:+$miss and }the xencons0 attach line"
	if [ -z "$miss" ]; then
		result xl_console "pass boot log seen through xl console after ${cms} ms ($(wc -l <"$clog") lines)"
	elif [ $alive = no ]; then
		result xl_console "fail: xl console exited (rc $crc) after ${cms} ms without $miss ($(wc -c <"$clog") bytes of output$([ -s "$clog" ] && echo "; it said: $(head -n 1 "$clog")"))"
	else
		result xl_console "fail: xl console showed no $miss within ${CONSOLE_S}s ($(wc -c <"$clog") bytes of output)"
	fi

	# 3. xl shutdown: the guest takes the request and powers off; on_poweroff
	# = destroy makes the domain disappear.
	t=$(now_ms)
	if ! xl shutdown "$domid" >"$LAB_OUT/xl-shutdown.log" 2>&1; then
		result xl_shutdown "fail: xl shutdown $domid failed: $(tail -n 2 "$LAB_OUT/xl-shutdown.log" | tr '\n' ' ')"
	elif ! wait_until "$SHUTDOWN_S" gone "$name" "$domid"; then
		why="domain still present ${SHUTDOWN_S}s after xl shutdown (xl state: $(state "$name"))"
		has 'received shutdown request: poweroff' "$glog" &&
		    why="$why; the guest did print the request" ||
		    why="$why; the guest never printed 'received shutdown request: poweroff'"
		x=$(xen_says "$domid")
		[ -n "$x" ] && why="$why; Xen says: $x"
		result xl_shutdown "fail: $why"
	else
		gms=$(el "$t")
		# The line may reach the log a moment after the domain went: poll.
		if wait_until 2 has 'received shutdown request: poweroff' "$glog"; then
			result xl_shutdown "pass guest took the request and was gone from xl list ${gms} ms after xl shutdown"
		else
			result xl_shutdown "fail: domain gone ${gms} ms after xl shutdown, but its console log has no 'received shutdown request: poweroff'"
		fi
	fi
fi
if [ -n "$domid" ]; then
	hvlines "$domid" >"$LAB_OUT/hv-$name.log"
	xl destroy "$domid" >/dev/null 2>&1
fi

# --- guest B: xl reboot -------------------------------------------------------
name=$step-rb
glog=$logdir/guest-$name.log
t=$(now_ms)
# Not paused (plain xl create), so that xl's restart after the reboot
# cannot inherit a -p and leave the new domain paused.
if ! xl create "$cfg" "name=\"$name\"" >"$LAB_OUT/xl-create-$name.log" 2>&1; then
	result xl_reboot "fail: xl create failed: $(tail -n 2 "$LAB_OUT/xl-create-$name.log" | tr '\n' ' ')"
else
	d1=$(xl domid "$name")
	echo "LAB-DOMU-CREATED name=$name domid=$d1 create_ms=$(el "$t")"
	d2=
	if ! wait_until "$BOOT_S" has "$SC" "$glog"; then
		why="guest did not print '$SC' within ${BOOT_S}s of xl create (xl state: $(state "$name"))"
		x=$(xen_says "$d1")
		[ -n "$x" ] && why="$why; Xen says: $x"
		result xl_reboot "fail: $why"
	else
		echo "LAB-DOMU-READY name=$name domid=$d1 ready_ms=$(el "$t")"
		t=$(now_ms)
		# Back: the same name runs under a new domid and has booted again.
		new_domid() {
			_d=$(xl domid "$name" 2>/dev/null)
			[ -n "$_d" ] && [ "$_d" != "$d1" ]
		}
		rebooted() {
			new_domid && has "$SC" "$glog" 2
		}
		if ! xl reboot "$d1" >"$LAB_OUT/xl-reboot.log" 2>&1; then
			result xl_reboot "fail: xl reboot $d1 failed: $(tail -n 2 "$LAB_OUT/xl-reboot.log" | tr '\n' ' ')"
		elif ! wait_until "$REBOOT_S" rebooted; then
			why="not back within ${REBOOT_S}s of xl reboot: domid now '$(xl domid "$name" 2>/dev/null)' (was $d1), xl state $(state "$name"), '$SC' printed $(count "$SC" "$glog") time(s)"
			has 'received shutdown request: reboot' "$glog" &&
			    why="$why; the guest did print the request" ||
			    why="$why; the guest never printed 'received shutdown request: reboot'"
			x=$(xen_says "$d1")
			[ -n "$x" ] && why="$why; Xen says: $x"
			result xl_reboot "fail: $why"
			d2=$(xl domid "$name" 2>/dev/null)
		else
			rms=$(el "$t")
			d2=$(xl domid "$name")
			echo "LAB-DOMU-CREATED name=$name domid=$d2 restarted=1"
			st=$(state "$name")
			if ! has 'received shutdown request: reboot' "$glog"; then
				result xl_reboot "fail: restarted as domid $d2, but the guest never printed 'received shutdown request: reboot'"
			else
				case $st in
				*r*|*b*) result xl_reboot "pass domid $d1 took the request; domid $d2 (same name, state $st) booted again ${rms} ms after xl reboot" ;;
				*) result xl_reboot "fail: restarted as domid $d2 and booted, but xl state is '$st' (want running or blocked)" ;;
				esac
			fi
		fi
	fi
	hvlines "$d1" >"$LAB_OUT/hv-$name.log"
	[ -n "$d2" ] && hvlines "$d2" >>"$LAB_OUT/hv-$name.log"
	# Done with it: destroy, and make sure it is gone.
	xl destroy "$name" >/dev/null 2>&1
	wait_until 10 gone "$name" "${d2:-$d1}" ||
	    echo "LAB-CTRL-WARN $name still present after xl destroy"
fi

# Keep the guests' console logs (lab-step prints them for run-lab).
for n in $step $step-rb; do
	cp "$logdir/guest-$n.log" "$LAB_OUT/guest-$n.log" 2>/dev/null
done
echo "LAB-CTRL-DONE total_ms=$(el "$T0")"
# The step passes only if every check did.
! grep -qE "^[a-z_]+ fail" "$res"
