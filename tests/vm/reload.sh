#!/bin/sh
# reload.sh - TAP suite: hitless reload against a real kernel's IPVS (issue
# 6).  100 unchanged reloads and 20 that change nothing IPVS sees cost zero
# netlink requests and leave the table (and the real servers' counters)
# alone; a changed weight is one edit; a new real server with alpha is added
# only after its first good probe; a client looping on the VIP sees no
# error.  Runs on the host and boots ONE VM (tests/vm/run-in-vm.sh); the
# namespaces and checks are in reload-guest.sh.  SKIPs with the reason when
# not root, when no VM can run here or when lbha is not built.  Needs
# python3 on the host (the guest runs the host's binaries).
#
# Usage: [LBHA=path/to/lbha] tests/vm/reload.sh [run-in-vm.sh OPTION...]
#   RELOADS=100          unchanged reloads
#   IPVS_LAB_KEEP=1      keep the work dir with lbha's log
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 # SKIP python3 is not installed on the host (the guest runs host binaries)"
	exit 0
}
lab_host_suite "$here/reload-guest.sh" 240 "$@"
