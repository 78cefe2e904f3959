#!/bin/sh
# vrrp-lvs-sync.sh: TAP suite on the host; boots one VM (the host kernel has
# no IPVS) and runs vrrp-lvs-sync-guest.sh there: lvs_sync_daemon follows the
# VRRP state.  SKIPs with the reason when no VM can run here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_srcdir

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP not root (the VM needs root)"; exit 0; }
[ -x "${LBHA:-}" ] || { echo "1..0 # SKIP \$LBHA is not built ('${LBHA:-}')"; exit 0; }
why=$(bash "$here/run-in-vm.sh" --check 2>&1) || { echo "1..0 # SKIP $why"; exit 0; }
export LBHA
bash "$here/run-in-vm.sh" --timeout 500 -- /bin/sh "$here/vrrp-lvs-sync-guest.sh"
