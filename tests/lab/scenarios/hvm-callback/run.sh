# dom0 side: our kernel as an HVM guest, its ktests; the device model's log
# is collected with the rest (the console is port 0xe9 and the PV console).
printf '\0\0' >/tmp/sercon-port
lab-domu hvm-callback "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-80}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
rc=$?
cp /var/log/xen/qemu-dm-hvm-callback.log "$LAB_OUT/qemu-dm.log" 2>/dev/null
exit $rc
