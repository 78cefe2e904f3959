# VRRP checks that need IPVS (the kernel's sync daemon), so run in the VM.
TESTS += tests/vm/vrrp-lvs-sync.sh
dist_noinst_SCRIPTS += tests/vm/vrrp-lvs-sync.sh tests/vm/vrrp-lvs-sync-guest.sh
