# dom0 side of bench-xenstore: xsbench (read, write, read-modify-write
# transaction) against dom0's xenstored over its socket, then over dom0's
# own kernel ring (the ring path: the daemon's CPU and notifications per
# request), then the daemon's
# RSS and anonymous RSS before and after writing LAB_XSBENCH_FILL new nodes.
# In the shim's boot, also xsbench against xsnull (a server answering every
# request with a canned reply at once, on its own socket): the ceiling of
# this client, as null_*_ops_s. Results as "key value" lines in
# $LAB_OUT/bench.txt.
: "${LAB_OUT:=/tmp/lab-out/bench-xenstore}"
mkdir -p "$LAB_OUT"
out=$LAB_OUT/bench.txt
N=${LAB_XSBENCH_N:-5000}
FILL=${LAB_XSBENCH_FILL:-10000}
mode=c
[ -f /lab/payload/xenstored ] && read -r mode _ </lab/payload/xenstored
pid=$(cat /run/xenstored.pid 2>/dev/null)
# RSS, and its anonymous part (heap: what nodes cost; RSS also counts code
# and library pages touched for the first time since the daemon forked).
# From smaps_rollup, which walks the page tables: /proc/PID/status lags
# (Linux 6.1 batches each task's RSS counters, 64 faults at a time).
rss() { awk '/^Rss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null; }
anon() { awk '/^Anonymous:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null; }
bench=/lab/payload/bin/xsbench
{
	echo "daemon $mode"
	echo "comm $(cat "/proc/$pid/comm" 2>/dev/null)"
	echo "n $N"
	echo "rss_start_kb $(rss)"
	echo "anon_start_kb $(anon)"
} >"$out"
[ -x "$bench" ] || { echo "error no $bench in the payload" >>"$out"; exit 1; }
# The daemon's CPU time (ns, every thread's schedstat run time) and the
# notifications dom0's kernel took on its xenbus event channel (its
# /proc/interrupts line), for per-request figures: xsbench N makes 6N
# requests (N reads, N writes, N transactions of four).
cpu_ns() {
	cat /proc/"$pid"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}
xb_irqs() {
	awk '/xenbus/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i }
	    END { print s + 0 }' /proc/interrupts
}
per_req() { # DELTA -> per request, 2 decimals
	awk -v d="$1" -v n="$N" 'BEGIN { printf "%.2f\n", d / (6 * n) }'
}
c0=$(cpu_ns)
if ! "$bench" "$N" >"$LAB_OUT/xsbench.txt" 2>&1; then
	echo "error xsbench failed: $(tail -n 2 "$LAB_OUT/xsbench.txt" | tr '\n' ' ')" >>"$out"
	exit 1
fi
c1=$(cpu_ns)
cat "$LAB_OUT/xsbench.txt"
# "read  N ops  S s  R ops/s" -> "read_ops_s R"
awk '$3 == "ops" && $7 == "ops/s" { print $1 "_ops_s " $6 }' "$LAB_OUT/xsbench.txt" |
    sed 's/-/_/' >>"$out"
echo "sock_cpu_ns_per_req $(per_req $((c1 - c0)))" >>"$out"
# The ring path: the same xsbench through dom0's own kernel ring (its
# xenbus device), as a guest's requests travel.
dev=
for d in /dev/xen/xenbus /proc/xen/xenbus; do
	[ -e "$d" ] && { dev=$d; break; }
done
if [ -n "$dev" ]; then
	c0=$(cpu_ns) i0=$(xb_irqs)
	if XENSTORED_PATH=$dev "$bench" "$N" >"$LAB_OUT/xsbench-ring.txt" 2>&1; then
		c1=$(cpu_ns) i1=$(xb_irqs)
		cat "$LAB_OUT/xsbench-ring.txt"
		awk '$3 == "ops" && $7 == "ops/s" { print "ring_" $1 "_ops_s " $6 }' \
		    "$LAB_OUT/xsbench-ring.txt" | sed 's/-/_/' >>"$out"
		echo "ring_cpu_ns_per_req $(per_req $((c1 - c0)))" >>"$out"
		echo "ring_irqs_per_req $(per_req $((i1 - i0)))" >>"$out"
	else
		echo "ring_error xsbench over $dev failed: $(tail -n 2 "$LAB_OUT/xsbench-ring.txt" | tr '\n' ' ')" >>"$out"
	fi
else
	echo "ring_error no xenbus device in dom0" >>"$out"
fi
nodes0=$(xenstore-ls -f / 2>/dev/null | wc -l)
r0=$(rss) a0=$(anon)
if ! "$bench" fill "$FILL" >"$LAB_OUT/fill.txt" 2>&1; then
	echo "error xsbench fill failed: $(tail -n 2 "$LAB_OUT/fill.txt" | tr '\n' ' ')" >>"$out"
	exit 1
fi
r1=$(rss) a1=$(anon)
nodes1=$(xenstore-ls -f / 2>/dev/null | wc -l)
{
	awk '$3 == "ops" && $7 == "ops/s" { print $1 "_ops_s " $6 }' "$LAB_OUT/fill.txt"
	echo "fill $FILL"
	echo "nodes_before $nodes0"
	echo "nodes_after $nodes1"
	echo "rss_before_fill_kb $r0"
	echo "rss_after_fill_kb $r1"
	echo "anon_before_fill_kb $a0"
	echo "anon_after_fill_kb $a1"
	echo "rss_bytes_per_node $(( (r1 - r0) * 1024 / (nodes1 - nodes0) ))"
	echo "bytes_per_node $(( (a1 - a0) * 1024 / (nodes1 - nodes0) ))"
} >>"$out"
null=/lab/payload/bin/xsnull
if [ "$mode" = shim ] && [ -x "$null" ]; then
	sock=/tmp/xsnull.sock
	"$null" "$sock" &
	npid=$!
	i=0
	while [ ! -S "$sock" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	if XENSTORED_PATH=$sock "$bench" "$N" >"$LAB_OUT/xsnull.txt" 2>&1; then
		cat "$LAB_OUT/xsnull.txt"
		awk '$3 == "ops" && $7 == "ops/s" { print "null_" $1 "_ops_s " $6 }' \
		    "$LAB_OUT/xsnull.txt" | sed 's/-/_/' >>"$out"
	else
		echo "null_error xsbench against xsnull failed: $(tail -n 2 "$LAB_OUT/xsnull.txt" | tr '\n' ' ')" >>"$out"
	fi
	kill "$npid"; wait "$npid" 2>/dev/null || true
fi
cat "$out"
