# dom0 side of the HVM boot benchmark: alternate our kernel as PVH and as
# HVM, N times each (LAB_BENCH_N, default 3); lab-domu prints create_ms and
# ready_ms (xl create start -> "startup complete" seen in dom0).
printf '\0\0' >/tmp/sercon-port
n=${LAB_BENCH_N:-3}
i=1
while [ $i -le "$n" ]; do
	lab-domu "bench-pvh-$i" "$LAB_SCEN/pvh.cfg" 60 'startup complete' 0
	lab-domu "bench-hvm-$i" "$LAB_SCEN/hvm.cfg" 90 'startup complete' 0
	i=$((i + 1))
done
