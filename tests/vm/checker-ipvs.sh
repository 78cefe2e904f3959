#!/bin/sh
# checker-ipvs.sh - TAP suite: the checker's health checks drive a real
# kernel's IPVS.  A client sends requests to a NAT VIP in a loop while real
# servers' HTTP servers are stopped and started again: a failed real server
# leaves the table and comes back; with inhibit_on_failure it stays at weight
# 0; with slow_start its weight ramps up in steps; with all down the sorry
# server answers.  Everything is read back with ipvsadm -Ln and from the
# client's answers.  Runs on the host and boots ONE VM (tests/vm/run-in-vm.sh);
# the namespaces and checks are in checker-ipvs-guest.sh.  SKIPs with the
# reason when not root, when no VM can run here or when lbha is not built.
# Needs python3 on the host (the guest runs the host's binaries).
#
# Usage: [LBHA=path/to/lbha] tests/vm/checker-ipvs.sh [run-in-vm.sh OPTION...]
#   CHECKER_IPVS_SCENARIOS  which scenarios, in order ("plain inhibit slow sorry")
#   CHECKER_IPVS_WAIT       seconds a state may take to show (25)
#   IPVS_LAB_KEEP=1         keep the work dir with lbha's logs
#   LBHA_VM_IPVS_INSTALLER=keepalived  Debian's keepalived -C instead of lbha
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 # SKIP python3 is not installed on the host (the guest runs host binaries)"
	exit 0
}
lab_host_suite "$here/checker-ipvs-guest.sh" 240 "$@"
