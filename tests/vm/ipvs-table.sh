#!/bin/sh
# ipvs-table.sh - TAP suite: lbha -C programs a real kernel's IPVS table exactly as
# tests/configs/ipvs-table.conf says, repairs hand edits, reloads and stops cleanly.
# Runs on the host and boots ONE VM (tests/vm/run-in-vm.sh); the checks are in
# ipvs-table-guest.sh.  SKIPs with the reason when not root, when no VM can run
# here or when lbha is not built.
#
# Usage: [LBHA=path/to/lbha] tests/vm/ipvs-table.sh [run-in-vm.sh OPTION...]
#   LBHA_RECONCILE_INTERVAL_MS  reconcile period lbha runs with (1000)
#   LBHA_VM_IPVS_INSTALLER=keepalived  install with Debian's keepalived instead
#                               (proves the expectations; its repairs fail)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_host_suite "$here/ipvs-table-guest.sh" 300 "$@"
