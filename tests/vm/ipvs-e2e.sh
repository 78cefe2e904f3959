#!/bin/sh
# ipvs-e2e.sh - TAP suite: requests to a VIP reach both real servers in rr order
# through a real kernel's IPVS programmed by lbha -C, for DR, NAT and TUN (ipip).
# Runs on the host and boots ONE VM (tests/vm/run-in-vm.sh, with the ipip module);
# the namespaces and checks are in ipvs-e2e-guest.sh.  SKIPs with the reason when
# not root, when no VM can run here or when lbha is not built.  Needs curl and
# python3 on the host (the guest runs the host's binaries).
#
# Usage: [LBHA=path/to/lbha] tests/vm/ipvs-e2e.sh [run-in-vm.sh OPTION...]
#   IPVS_E2E_REQUESTS   requests per method (6)
#   LBHA_VM_IPVS_INSTALLER=keepalived  Debian's keepalived programs IPVS instead
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
for tool in curl python3; do
	command -v $tool >/dev/null 2>&1 || {
		echo "1..1"
		echo "ok 1 # SKIP $tool is not installed on the host (the guest runs host binaries)"
		exit 0
	}
done
lab_host_suite "$here/ipvs-e2e-guest.sh" 300 --modules ipip "$@"
