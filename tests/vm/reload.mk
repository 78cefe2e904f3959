# tests/vm/reload.mk: hitless reload against a real kernel's IPVS (issue 6).
# reload.sh boots ONE VM (tests/vm/run-in-vm.sh) and runs reload-guest.sh
# there: 120 reloads cost zero netlink requests and leave the table and the
# real servers' counters alone, a changed weight is one edit, a new real
# server with alpha is added after its first good probe, and a client
# looping on the VIP sees no error.  SKIPs with the reason when not root,
# when no VM can run here, or when lbha is not built.
TESTS += tests/vm/reload.sh
dist_noinst_SCRIPTS += tests/vm/reload.sh tests/vm/reload-guest.sh
