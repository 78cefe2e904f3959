# tests/vm/checker-ipvs.mk: the checker driving a real kernel's IPVS (issue 5).
# checker-ipvs.sh boots ONE VM (tests/vm/run-in-vm.sh) and runs
# checker-ipvs-guest.sh there: a client loops on a NAT VIP while real servers
# are stopped and started; removal, inhibit_on_failure, slow_start and
# sorry_server are checked with ipvsadm -Ln and the client's answers
# (~2 min under TCG; needs python3 on the host).  SKIPs with the
# reason when not root, when no VM can run here, or when lbha is not built.
TESTS += tests/vm/checker-ipvs.sh
dist_noinst_SCRIPTS += tests/vm/checker-ipvs.sh tests/vm/checker-ipvs-guest.sh
