# dom0 side: the test kernel spins forever; lab-domu must time it out after
# LAB_FAILMODE_GUEST_S seconds and xl destroy it.
lab-domu failmode-hang "$LAB_SCEN/xl.cfg" "${LAB_FAILMODE_GUEST_S:-6}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 1
