# dom0 side: boot our kernel and wait for the end of its iotool= runs; it
# powers off by itself, lab-domu destroys it past the timeout.
lab-domu domu-iotool "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-60}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?IOTOOL-DONE ' 10
