#!/bin/sh
# drill-checker.sh - TAP suite, fault drills of issue 7 that need IPVS: the
# checker child killed repeatedly under load (the IPVS table, read with
# ipvsadm throughout, never loses a healthy real server), a destination
# deleted between lbha's dump and its edit, and the ip_vs module unloaded
# mid-run (logged, retried, converged).  Boots ONE VM (tests/vm/run-in-vm.sh)
# and runs drill-checker-guest.sh there.  SKIPs with the reason when not
# root, when no VM can run here or when lbha is not built.
#
# Usage: [LBHA=path/to/lbha] tests/vm/drill-checker.sh [run-in-vm.sh OPTION...]
#   IPVS_LAB_KEEP=1  keep the work dir with lbha's logs
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 # SKIP python3 is not installed on the host (the guest runs host binaries)"
	exit 0
}
lab_host_suite "$here/drill-checker-guest.sh" 240 "$@"
