#!/bin/sh
# ipvs-client.sh - TAP suite of the IPVS client (lib/ipvs) on a real kernel; boots one VM.
#
# Usage: tests/vm/ipvs-client.sh [run-in-vm.sh OPTION...]
# Needs tests/vm/ipvs-tool built (make check builds it); finds it through
# $top_builddir (set by make check) or $IPVS_TOOL.  Inside the VM,
# ipvs-client-guest.sh applies tables through lib/ipvs and checks them with
# Debian's ipvsadm and with lib/ipvs's own dump.  Prints "1..1" and a SKIP with
# the reason when no VM can run here (see run-in-vm.sh --check).
# POSIX sh: automake runs *.sh suites with $(SHELL), and without the exec bit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=${IPVS_TOOL:-${top_builddir:-$here/../..}/tests/vm/ipvs-tool}

skip_all() {
	echo "1..1"
	echo "ok 1 # SKIP $1"
	exit 0
}

[ "$(id -u)" = 0 ] || skip_all "not root (the VM needs root)"
[ -x "$tool" ] || skip_all "$tool is not built (make check builds it)"
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
why=$(bash "$here/run-in-vm.sh" "$@" --check 2>&1)
case $? in
0) echo "# $why" ;;
77) skip_all "$why" ;;
*)
	echo "1..1"
	echo "not ok 1 - run-in-vm.sh --check failed"
	printf '%s\n' "$why" | sed 's/^/# /'
	exit 1
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-ipvs-client.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s.%N)
{
	bash "$here/run-in-vm.sh" --timeout 400 "$@" -- /bin/sh "$here/ipvs-client-guest.sh" "$tool"
	echo $? >"$tmp/rc"
} | tee "$tmp/stdout"
rc=$(cat "$tmp/rc")
end=$(date +%s.%N)
echo "# run-in-vm.sh took $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s, status $rc"

n=$(grep -Ec '^(not )?ok ' "$tmp/stdout")
n=$((n + 1))
if [ "$rc" != 124 ] && [ "$rc" != 125 ]; then
	echo "ok $n - the VM booted and the guest script reported a status ($rc)"
else
	echo "not ok $n - the VM did not finish (status $rc)"
fi
echo "1..$n"
[ "$rc" = 0 ]
