#!/bin/sh
# The concurrent bench (issue 14): xsload with 1, 8, 32 and 64 client
# processes against xenstored-shim, Debian's C xenstored 4.17 (both under
# xenstub, the hypervisor stand-in of the differential test, without
# tracing), Debian's oxenstored where it starts, and xsnull (the ceiling
# the clients allow), in one run; then a table of ratios against C
# xenstored.  Also memory per node (anonymous RSS growth over FILL nodes)
# and the shim's start-up time with a --db of DBN nodes.  Allocations per
# operation come from xsalloc.so (LD_PRELOAD) when ALLOC names it.
# OPS may name "ring": xsring's guests (CLIENTS of them) on rings instead
# of socket clients, with the daemon's notifications per request.
# usage: load.sh SHIM CXS XSLOAD XSNULL XENSTUB XSBENCH [N] [FILL] [DBN]
# Runs are interleaved (each daemon in turn for one row) so that a row
# compares them under the same load on the machine.
# Environment: DAEMONS (shim c ox null), OPS (read write rmw dir
# watch100), CLIENTS (1 8 32 64), OXS (oxenstored binary), ALLOC, XSRING.
set -eu
shim=$1 cxs=$2 load=$3 null=$4 stub=$5 bench=$6
n=${7:-2000} fill=${8:-20000} dbn=${9:-100000}
daemons=${DAEMONS:-shim c ox null}
ops=${OPS:-read write rmw dir watch100}
clients=${CLIENTS:-1 8 32 64}
oxs=${OXS:-}
alloc=${ALLOC:-}
ringb=${XSRING:-$(dirname "$load")/xsring}
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
res=$dir/results
: >"$res"

preload() { # the stub, and the counter if there is one
	if [ -n "$alloc" ]; then echo "$stub $alloc"; else echo "$stub"; fi
}

start() { # name; returns non-zero if the daemon did not come up
	rm -rf "$dir/run" && mkdir "$dir/run"
	# As /proc/xen/xsd_port: no newline (oxenstored's parse refuses one).
	printf 1 > "$dir/run/xsd_port"
	for i in 0 1 2; do head -c 4096 /dev/zero > "$dir/run/ring-$i"; done
	mkfifo "$dir/run/evtchn"
	head -c 8 /dev/zero > "$dir/run/notify-count"
	: >"$dir/allocs"
	export XSALLOC_FILE="$dir/allocs"
	case $1 in
	shim) XENSTUB_DIR="$dir/run" LD_PRELOAD="$(preload)" \
		"$shim" -N --socket "$dir/run/socket" >"$dir/log" 2>&1 & ;;
	c) XENSTUB_DIR="$dir/run" LD_PRELOAD="$(preload)" \
		XENSTORED_RUNDIR="$dir/run" XENSTORED_ROOTDIR="$dir/run" \
		"$cxs" -N >"$dir/log" 2>&1 & ;;
	ox) [ -n "$oxs" ] || return 1
		# Debian's settings, with its files in the run directory
		# (xenstub moves its socket there).
		sed "s|^pid-file = .*|pid-file = $dir/run/ox.pid|" \
		    "$(dirname "$oxs")/../../../../etc/xen/oxenstored.conf" \
		    >"$dir/run/ox.conf" || return 1
		printf 'xenstored-log-file = %s\naccess-log-file = %s\n' \
		    "$dir/run/ox.log" "$dir/run/access.log" >>"$dir/run/ox.conf"
		XENSTUB_DIR="$dir/run" LD_PRELOAD="$(preload)" \
		"$oxs" --no-fork --no-access-log \
		    --config-file "$dir/run/ox.conf" >"$dir/log" 2>&1 & ;;
	null) "$null" "$dir/run/socket" & ;;
	esac
	pid=$!
	i=0
	while [ ! -S "$dir/run/socket" ] && [ $i -lt 500 ]; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01; i=$((i+1))
	done
	if [ ! -S "$dir/run/socket" ]; then
		wait "$pid" 2>/dev/null || true
		pid=
		return 1
	fi
	export XENSTORED_PATH="$dir/run/socket"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
rss() { awk '/^RssAnon/ {print $2}' "/proc/$1/status"; }

# Which daemons start at all (oxenstored may not, off Xen).
up=
for d in $daemons; do
	if start "$d"; then
		up="$up $d"
		stop
	else
		echo "$d did not start: $(tail -n 1 "$dir/log" 2>/dev/null)"
	fi
done
# Interleaved, so that each row compares daemons under the same load on
# the machine: every daemon for one operation and client count, then the
# next.
for op in $ops; do
	# A write firing 100 watches costs 100 events: a tenth as many.
	m=$n
	[ "$op" = watch100 ] && m=$((n / 10))
	for c in $clients; do
		for d in $up; do
			[ "$d" = null ] && { [ "$op" = dir ] || [ "$op" = watch100 ] ||
			    [ "$op" = ring ]; } && continue
			start "$d" || { echo "$d did not start"; continue; }
			printf '%-5s ' "$d"
			if [ "$op" = ring ]; then
				"$ringb" "$dir/run" "$dir/run/socket" "$c" \
				    $((m / c + 1)) "$pid" | tee "$dir/one" || true
			else
				"$load" "$op" "$c" $((m / c + 1)) "$pid" |
				    tee "$dir/one" || true
			fi
			sed "s/^/$d /" "$dir/one" >>"$res"
			stop
		done
	done
done
for d in $up; do
	if [ "$d" != null ] && [ "$fill" -gt 0 ] && start "$d"; then
		r0=$(rss "$pid")
		"$bench" fill "$fill" >/dev/null
		r1=$(rss "$pid")
		b=$(( (r1 - r0) * 1024 / fill ))
		echo "$d memory: $b B anonymous RSS per node ($fill nodes)"
		echo "$d mem $b" >>"$res"
		stop
	fi
done

# The table: each figure, then the shim's against C xenstored's.
echo
echo "ratios (shim/C; goals: CPU/op <= 0.33, p99 at 32 clients <= 0.5, ops/s shim/null >= 0.9)"
awk '
# A row whose clients failed (oxenstored lists no directory over its size
# limit) has no figures: "-" in the table.
/client failures/ { next }
$2 == "mem" { mem[$1] = $3; next }
$2 == "ring" { k = $4; rseen[k] = 1; rops[$1, k] = $5; rcpu[$1, k] = $9
  rnot[$1, k] = $12; next }
{ k = $2 " " $4; seen[k] = 1; ord[k] = NR
  ops[$1, k] = $5; p99[$1, k] = $8; cpu[$1, k] = $12; al[$1, k] = $15 }
function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-" }
function v(x) { return x == "" ? "-" : x }
END {
  printf "%-12s %8s %8s %8s %8s %6s %6s %7s %7s %7s %7s %7s %7s %6s %6s\n",
    "op clients", "shim/s", "C/s", "ox/s", "null/s", "s/C", "s/null", "cpu s",
    "cpu C", "cpu ox", "cpu nul", "cpu s/C", "p99 s/C", "al s", "al C"
  n = 0; for (k in seen) keys[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
    if (ord[keys[j]] < ord[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
  for (i = 1; i <= n; i++) { k = keys[i]
    printf "%-12s %8s %8s %8s %8s %6s %6s %7s %7s %7s %7s %7s %7s %6s %6s\n", k,
      v(ops["shim", k]), v(ops["c", k]), v(ops["ox", k]), v(ops["null", k]),
      r(ops["shim", k], ops["c", k]), r(ops["shim", k], ops["null", k]),
      v(cpu["shim", k]), v(cpu["c", k]), v(cpu["ox", k]), v(cpu["null", k]),
      r(cpu["shim", k], cpu["c", k]),
      r(p99["shim", k], p99["c", k]), v(al["shim", k]), v(al["c", k]) }
  for (k = 1; k <= 64; k++) if (k in rseen) {
    if (!rhead++) printf "\n%-10s %8s %8s %7s %7s %7s %7s %7s %7s\n", "guests",
      "shim/s", "C/s", "cpu s", "cpu C", "cpu s/C", "ntf s", "ntf C", "ntf s/C"
    printf "ring %-5s %8s %8s %7s %7s %7s %7s %7s %7s\n", k, v(rops["shim", k]),
      v(rops["c", k]), v(rcpu["shim", k]), v(rcpu["c", k]),
      r(rcpu["shim", k], rcpu["c", k]), v(rnot["shim", k]), v(rnot["c", k]),
      r(rnot["shim", k], rnot["c", k]) }
  if (mem["shim"] != "" && mem["c"] != "")
    printf "memory per node: shim %s B, C %s B, shim/C %s%s\n", mem["shim"],
      mem["c"], r(mem["shim"], mem["c"]),
      mem["ox"] != "" ? sprintf(" (oxenstored %s B)", mem["ox"]) : ""
}' "$res"

# Start-up of the shim with a --db of dbn nodes (C xenstored has no
# persistent store to compare with).
[ "$dbn" -gt 0 ] || exit 0
rm -f "$dir/db"*
"$shim" --no-domains --foreground --socket "$dir/s" --db "$dir/db" &
pid=$!
while [ ! -S "$dir/s" ]; do sleep 0.01; done
XENSTORED_PATH="$dir/s" "$bench" fill "$dbn" >/dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true
t0=$(date +%s.%N)
"$shim" --no-domains --foreground --socket "$dir/s" --db "$dir/db" &
pid=$!
while [ ! -S "$dir/s" ]; do sleep 0.001; done
t1=$(date +%s.%N)
echo "start-up with a $dbn-node --db: $(echo "$t1 - $t0" | bc) s"
stop
