# dom0 side: boot the lab test kernel, wait for its KTEST-SUMMARY.
lab-domu selftest-domu "$LAB_SCEN/xl.cfg" 30 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
