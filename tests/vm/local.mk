# VM harness for the tests that need a kernel with IPVS (see tests/vm/README.md).
# The self-test boots one VM (about 10 s under TCG; a first run also fetches the
# kernel package, about 70 MB) and SKIPs with the reason when no VM can run here.
TESTS += tests/vm/selftest.sh
dist_noinst_SCRIPTS += tests/vm/run-in-vm.sh tests/vm/guest-init.sh \
	tests/vm/selftest.sh tests/vm/selftest-guest.sh
EXTRA_DIST += tests/vm/README.md tests/vm/guest_tap.sh
