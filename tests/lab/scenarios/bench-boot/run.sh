# dom0 side of the boot benchmark: alternate our kernel and the Linux peer,
# N times each (LAB_BENCH_N, default 5), as PVH domUs with the same memory
# and vCPUs. lab-domu prints ready_ms = xl create start -> ready marker seen
# in dom0; each guest's own uptime at its marker is in its console log.
n=${LAB_BENCH_N:-5}
kcfg=/lab/payload/scenarios/bench-boot/ours.cfg
lcfg=/lab/payload/scenarios/bench-boot/linux.cfg
i=1
while [ $i -le "$n" ]; do
	lab-domu "bench-ours-$i" "$kcfg" "${LAB_GUEST_TIMEOUT:-60}" \
	    "${LAB_BENCH_READY:-startup complete}" 0
	lab-domu "bench-linux-$i" "$lcfg" 100 'LAB-LINUX-DOMU-UP' 10
	i=$((i + 1))
done
