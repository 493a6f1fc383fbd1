# dom0 side: the test kernel triple faults at once; lab-domu must see the
# domain shut down (preserved) long before its timeout (LAB_FAILMODE_TF_S,
# default 15 s: generous, since it only matters when detection is broken).
lab-domu failmode-triplefault "$LAB_SCEN/xl.cfg" "${LAB_FAILMODE_TF_S:-15}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 1
