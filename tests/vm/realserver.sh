#!/bin/sh
# realserver.sh - tests/integration/realserver.sh again, inside the VM: its
# kernel has the ipip module, so the TUN half (skipped on a host without it)
# runs too.  The guest's TAP streams through.  SKIP with the reason when no
# VM can run here (run-in-vm.sh --check).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
LBHA=${LBHA:-$(pwd)/lbha}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "not root (the VM needs root)"
[ -x "$LBHA" ] || skip_all "lbha binary not built ($LBHA)"
LBHA=$(cd "$(dirname "$LBHA")" && pwd)/$(basename "$LBHA")
why=$(bash "$here/run-in-vm.sh" --check 2>&1)
case $? in
0) ;;
77) skip_all "$why" ;;
*) echo "1..1"; echo "not ok 1 - run-in-vm.sh --check failed: $why"; exit 1 ;;
esac
exec bash "$here/run-in-vm.sh" --timeout 300 -- \
	env top_srcdir="$top_srcdir" LBHA="$LBHA" sh "$top_srcdir/tests/integration/realserver.sh"
