# dom0 side: boot the Linux peer, wait for its init marker.
# The peer is Debian's kernel, not code under test; on this nested-TCG host
# it has, rarely, died in early boot (docs/lab.md).  One announced retry.
lab-domu linux-domu "$LAB_SCEN/xl.cfg" 100 'LAB-LINUX-DOMU-UP' && exit 0
echo "LAB-NOTE linux-domu-boot: the Linux peer did not reach its marker; retrying once"
xl destroy linux-domu >/dev/null 2>&1
lab-domu linux-domu "$LAB_SCEN/xl.cfg" 100 'LAB-LINUX-DOMU-UP'
