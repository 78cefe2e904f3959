# Fault drills of issue 7 that need a kernel with IPVS: drill-checker.sh boots
# ONE VM (tests/vm/run-in-vm.sh) and runs drill-checker-guest.sh there: the
# checker child killed repeatedly under load (ipvsadm samples the table
# throughout), a destination deleted between lbha's dump and its edit, and
# the ip_vs module unloaded mid-run.  SKIPs with the reason when not root,
# when no VM can run here or when lbha is not built.
TESTS += tests/vm/drill-checker.sh
dist_noinst_SCRIPTS += tests/vm/drill-checker.sh tests/vm/drill-checker-guest.sh
