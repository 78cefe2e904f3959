#!/bin/sh
# demo.sh: TAP suite on the host for README command (1), scripts/demo.
#
# First the sample configs: etc/demo/director1.conf and director2.conf load
# in lbha with no warning (--dump-config --strict) and, when keepalived is
# installed, in keepalived (-t): they are keepalived syntax.  Then the demo
# itself, in its fast mode (DEMO_FAST=1: shorter phases) on the tree make
# built (--no-build, LBHA from make check): it boots one VM and must run to
# its end; its summary (DEMO_SUMMARY, KEY=VALUE lines) must show answers
# from both real servers, rs2 taken out and put back by the checker, the
# failover to director2 and back, no error outside the windows the demo
# names as expected, and nothing left behind (in the VM, and here: no work
# directory, no VM process, no namespace).  The demo's output is in the log
# as comments.  The demo part SKIPs with the reason when not root or when no
# VM can run here (scripts/demo exits 77 then).
# shellcheck disable=SC2154 # n and failed come from guest_tap.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
. "$here/guest_tap.sh"

LBHA=${LBHA:-}
if [ ! -x "$LBHA" ]; then
	echo "1..0 # SKIP no lbha binary ('$LBHA'); build it or set LBHA"
	exit 0
fi

for d in director1 director2; do
	check "etc/demo/$d.conf loads in lbha, no warning" \
		"$LBHA" --dump-config --strict -f "$top_srcdir/etc/demo/$d.conf"
	if command -v keepalived >/dev/null 2>&1; then
		check "etc/demo/$d.conf loads in keepalived (keepalived -t)" \
			keepalived -t -l -f "$top_srcdir/etc/demo/$d.conf"
	else
		skip "etc/demo/$d.conf in keepalived: keepalived is not installed"
	fi
done

NDEMO=9
skip_demo() {
	i=0
	while [ $i -lt $NDEMO ]; do
		skip "the demo: $1"
		i=$((i + 1))
	done
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
}
[ "$(id -u)" = 0 ] || skip_demo "not root (it makes namespaces and boots a VM)"
why=$(bash "$here/run-in-vm.sh" --check 2>&1) || skip_demo "$why"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-demo-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# work directories of demos that ran before (they must not count as ours)
ls -d /tmp/lbha-demo.* 2>/dev/null | sort >"$tmp/before"

DEMO_FAST=1 DEMO_SUMMARY="$tmp/summary" LBHA="$LBHA" \
	sh "$top_srcdir/scripts/demo" --no-build >"$tmp/out" 2>&1
rc=$?
diag <"$tmp/out"
if [ "$rc" = 77 ]; then
	skip_demo "$(tail -n 1 "$tmp/out")"
fi

# get KEY: a value from the demo's summary (empty when missing)
get() {
	sed -n "s/^$1=//p" "$tmp/summary" 2>/dev/null | tail -n 1
}
num() {
	v=$(get "$1")
	case $v in '' | *[!0-9]*) echo -1 ;; *) echo "$v" ;; esac
}
said() { grep -q "$1" "$tmp/out"; }
all_counted() {
	[ "$(num sent)" -gt 0 ] && [ "$(($(num answered) + $(num errors)))" = "$(num sent)" ]
}
both_answered() { [ "$(num by_rs1)" -gt 0 ] && [ "$(num by_rs2)" -gt 0 ]; }
failed_over() {
	said "== t=[0-9]*s  director2 is MASTER after" && [ -n "$gap" ] && [ "$gap" != none ]
}
nothing_left() {
	[ "$(num left_behind)" = 0 ] && cmp -s "$tmp/before" "$tmp/after" &&
		! ps -eo args | grep -q '^bash .*run-in-vm.sh.*/tmp/lbha-demo\.' &&
		! ip netns list | grep -q '^lbha-demo-'
}

check "scripts/demo ran to its end (exit status $rc)" [ "$rc" = 0 ]
check "it sent requests, each one answered or counted as an error (sent: $(num sent))" all_counted
check "both real servers answered (rs1: $(num by_rs1), rs2: $(num by_rs2))" both_answered
check "director1's checker took rs2 out" said "== t=[0-9]*s  rs2 is out after"
check "and put it back" said "== t=[0-9]*s  rs2 is back in director1's IPVS table"
gap=$(get failover_gap)
check "director2 took over when director1 went off (gap without an answer: ${gap:-none} s)" failed_over
check "director1 took the VIP back" said "== t=[0-9]*s  director1 is MASTER again"
check "no error outside the expected windows (errors: $(num errors), expected: $(num errors_expected))" \
	[ "$(num errors_unexpected)" = 0 ]
ls -d /tmp/lbha-demo.* 2>/dev/null | sort >"$tmp/after"
check "nothing left behind (in the VM: left_behind=$(get left_behind); here: work dir, VM, namespaces)" \
	nothing_left
echo "1..$n"
[ "$failed" -eq 0 ]
