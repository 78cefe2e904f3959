#!/bin/sh
# selftest.sh - TAP test of the VM harness; runs on the host, boots one VM.
#
# Usage: tests/vm/selftest.sh [run-in-vm.sh OPTION...]
#   (also: tests/vm/run-in-vm.sh [OPTION...] --selftest)
#
# Inside the VM, selftest-guest.sh checks IPVS (ipvsadm with an rr service and two DR
# destinations, the generic netlink family "IPVS", auto-loading of the sed scheduler)
# and netns + veth, printing TAP. Afterwards this script checks what the runner itself
# promises: the exit status comes back, --rw writes reach the host, stderr is streamed.
# Prints "1..1" and a SKIP with the reason when no VM can run here (not root, no qemu,
# no kernel package...: see run-in-vm.sh --check).
# POSIX sh: automake runs *.sh suites with $(SHELL), and without the exec bit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
run() {
	bash "$here/run-in-vm.sh" "$@"
}

skip_all() {
	echo "1..1"
	echo "ok 1 # SKIP $1"
	exit 0
}

[ "$(id -u)" = 0 ] || skip_all "not root (the VM needs root)"
why=$(run "$@" --check 2>&1)
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-vm-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rw"

# The guest's TAP streams through; stderr is kept to check it, and shown afterwards.
start=$(date +%s.%N)
{
	run --timeout 300 "$@" --rw "$tmp/rw" -- /bin/sh "$here/selftest-guest.sh" "$tmp/rw" \
		2>"$tmp/stderr"
	echo $? >"$tmp/rc"
} | tee "$tmp/stdout"
rc=$(cat "$tmp/rc")
end=$(date +%s.%N)
cat "$tmp/stderr" >&2
echo "# run-in-vm.sh took $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s, status $rc"

n=$(grep -Ec '^(not )?ok ' "$tmp/stdout")
tap() {   # tap DESCRIPTION COMMAND...
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then line="ok $n - $desc"; else line="not ok $n - $desc"; fi
	echo "$line" | tee -a "$tmp/stdout"
}
vm_reported() {
	[ "$rc" != 124 ] && [ "$rc" != 125 ]
}
tap "the VM booted and reported a status (not 124/125)" vm_reported
tap "a file the guest wrote to the --rw share reached the host" \
	grep -q '^hello from ' "$tmp/rw/hello"
tap "the guest's exit status came back" test "$rc" = "$(cat "$tmp/rw/status" 2>/dev/null)"
tap "the guest's stderr came back" grep -q '^selftest-guest: stderr marker$' "$tmp/stderr"
echo "1..$n"
# for standalone use; the TAP harness judges by the lines above
! grep -q '^not ok ' "$tmp/stdout"
