# dom0 side: boot the Linux peer, wait for its init marker.
lab-domu linux-domu "$LAB_SCEN/xl.cfg" 100 'LAB-LINUX-DOMU-UP'
