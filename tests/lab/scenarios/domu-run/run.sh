# dom0 side: boot our kernel and wait for the end of its demo session (or
# boot report, or tests); it powers off by itself, lab-domu destroys it
# past the timeout.
lab-domu domu-run "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-80}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?(run: end of the demo|---- end of boot report ----|KTEST-SUMMARY )' 10
