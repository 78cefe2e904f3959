#!/bin/sh
# Debian's tshark judges our adverts: vrrp-pcap writes Ethernet + IPv4/IPv6 +
# VRRP frames built with vrrp_encode() (v2, v2 with PASS auth, v3 IPv4, v3
# IPv6 with 3 addresses, priority 0, 255 addresses) and prints, per frame,
# the version, VRID, priority and address count tshark must report.  Each
# frame must decode as VRRP with those values, a Good checksum, no malformed
# flag, and no expert warning or error.  Two broken captures prove the checks
# can fail: a flipped checksum bit must show as Bad, a count one too high as
# Malformed.  Needs no root.
set -u

builddir=${top_builddir:-.}
pcap_tool=$builddir/tests/unit/vrrp-pcap

if ! command -v tshark >/dev/null 2>&1; then
	echo "1..0 # SKIP tshark not installed"
	exit 0
fi
if [ ! -x "$pcap_tool" ]; then
	echo "1..0 # SKIP $pcap_tool not built"
	exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# No user or root preferences may change how tshark dissects.
HOME=$tmp XDG_CONFIG_HOME=$tmp
export HOME XDG_CONFIG_HOME

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	shift
	for text in "$@"; do
		printf '%s\n' "$text" | sed 's/^/# /'
	done
}
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# tshark prints "Running as user root ..." on stderr; keep stderr for
# diagnostics only.
ts() {
	tshark -n "$@" 2>>"$tmp/tshark.err"
}

fields() {
	ts -r "$1" -T fields -E separator=/t \
		-e frame.number -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio \
		-e vrrp.addr_count -e vrrp.checksum.status -e _ws.malformed \
		-e _ws.expert.severity -e vrrp.auth_string
}

frames=8
echo "1..$((frames + 8))"

if "$pcap_tool" "$tmp/ok.pcap" >"$tmp/expect" &&
	"$pcap_tool" --bad-checksum "$tmp/badsum.pcap" >/dev/null &&
	"$pcap_tool" --bad-count "$tmp/badcount.pcap" >/dev/null; then
	ok "vrrp-pcap wrote the captures"
else
	not_ok "vrrp-pcap wrote the captures"
fi

if fields "$tmp/ok.pcap" >"$tmp/fields"; then
	ok "tshark read the capture"
else
	not_ok "tshark read the capture" "$(cat "$tmp/tshark.err")"
fi
check "tshark saw $frames frames" test "$(wc -l <"$tmp/fields")" -eq "$frames"

# One line per frame: expected "version vrid prio count" against tshark's
# fields; checksum status 1 is Good (0 Bad, 2 Unverified); the malformed and
# expert-severity columns must be empty.
i=0
while IFS='	' read -r ver vrid prio count; do
	i=$((i + 1))
	line=$(sed -n "${i}p" "$tmp/fields")
	got=$(printf '%s\n' "$line" | cut -f2-8)
	want=$(printf '%s\t%s\t%s\t%s\t1\t\t' "$ver" "$vrid" "$prio" "$count")
	if [ "$got" = "$want" ]; then
		ok "frame $i: VRRPv$ver vrid $vrid prio $prio count $count, checksum good, not malformed"
	else
		not_ok "frame $i: VRRPv$ver vrid $vrid prio $prio count $count, checksum good, not malformed" \
			"want: $(printf '%s' "$want" | tr '\t' '|')" "got:  $(printf '%s' "$got" | tr '\t' '|')"
	fi
done <"$tmp/expect"
while [ "$i" -lt "$frames" ]; do
	i=$((i + 1))
	not_ok "frame $i: no expectation from vrrp-pcap"
done

check "frame 2 carries the PASS string" test "$(sed -n 2p "$tmp/fields" | cut -f9)" = secret

ts -r "$tmp/ok.pcap" -q -z expert >"$tmp/expert" || true
if grep -Eq '^(Errors|Warns) ' "$tmp/expert"; then
	not_ok "tshark's expert info has no error or warning" "$(cat "$tmp/expert")"
else
	ok "tshark's expert info has no error or warning"
fi

# The checks above must be able to fail.
fields "$tmp/badsum.pcap" >"$tmp/badsum" || true
bad=$(cut -f6 "$tmp/badsum" | grep -c '^0$')
check "a flipped checksum bit is Bad in all $frames frames" test "$bad" -eq "$frames"
ts -r "$tmp/badsum.pcap" -q -z expert >"$tmp/badsum.expert" || true
check "tshark's expert info reports the bad checksums" grep -q 'Bad checksum' "$tmp/badsum.expert"

fields "$tmp/badcount.pcap" >"$tmp/badcount" || true
malformed=$(cut -f7 "$tmp/badcount" | grep -c 'Malformed')
check "a count past the end is flagged Malformed" test "$malformed" -gt 0

exit $failed
