# dom0 side of domu-blkhostile: our kernel's xbd_hostile ktest against
# Linux's blkback; dom0's kernel log (blkback's complaints) kept with it.
. /lab/bin/lab-lib
lab-domu domu-blkhostile "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-45}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
rc=$?
dmesg | tail -n 40 >"$LAB_OUT/dmesg.txt" 2>&1
exit $rc
