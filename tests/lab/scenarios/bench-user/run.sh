# dom0 side of bench/user: LAB_UBENCH_N rounds (default 2) of our kernel
# then the Linux peer, each running bench/user/ubench as its /init; the
# UBENCH lines are in the guests' console logs
# (guest-ubench-{ours,linux}-N.log), which bench/user/run reads.
: "${LAB_OUT:=/tmp/lab-out/bench-user}"
mkdir -p "$LAB_OUT"
n=${LAB_UBENCH_N:-2}
rc=0
i=1
while [ $i -le $n ]; do
	lab-domu "ubench-ours-$i" "$LAB_SCEN/ours.cfg" 90 'UBENCH-END' 10 || rc=1
	lab-domu "ubench-linux-$i" "$LAB_SCEN/linux.cfg" 90 'UBENCH-END' 10 || rc=1
	i=$((i + 1))
done
exit $rc
