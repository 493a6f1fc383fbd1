# dom0 side: the test kernel boots and prints its KTEST-SUMMARY (the step's
# marker), then the script says its own checks failed: exit status 3.
lab-domu failmode-rc "$LAB_SCEN/xl.cfg" 30 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
echo "LAB-FAILMODE-RC the guest's run: lab-domu rc $?; failing the step with status 3"
exit 3
