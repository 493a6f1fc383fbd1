# dom0 side: boot our kernel, wait for its KTEST-SUMMARY; lab-domu destroys
# it if it outlives the timeout.
lab-domu domu-clock "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-60}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
