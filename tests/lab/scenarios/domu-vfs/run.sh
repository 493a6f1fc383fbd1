# dom0 side: boot our kernel with its initramfs, wait for KTEST-SUMMARY
# (busybox under nested TCG is slow: two minutes at most).
lab-domu domu-vfs "$LAB_SCEN/xl.cfg" 120 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
