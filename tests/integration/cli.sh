#!/bin/sh
# The config commands through the real binary: --dump-config round trip,
# exit codes, --strict on an unsupported keyword.  No root, no network.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi
tmp=$(test_tmpdir)
conf=$top_srcdir/etc/lbha.conf

"$LBHA" --dump-config -f "$conf" >"$tmp/dump1" 2>"$tmp/err1"; rc=$?
tap_check "--dump-config of etc/lbha.conf exits 0" [ "$rc" -eq 0 ]
tap_check "... and writes the config, defaults included (advert_int)" grep -q "advert_int" "$tmp/dump1"
"$LBHA" -t -f "$tmp/dump1" 2>"$tmp/err2"; rc=$?
tap_check "the dump is itself a valid config" [ "$rc" -eq 0 ]
"$LBHA" --dump-config -f "$tmp/dump1" >"$tmp/dump2" 2>/dev/null
tap_check "dumping the dump gives the same bytes" cmp -s "$tmp/dump1" "$tmp/dump2"

printf 'vrrp_instance VI_1 {\n  interface lo\n  virtual_router_id 300\n}\n' >"$tmp/bad.conf"
"$LBHA" --dump-config -f "$tmp/bad.conf" >"$tmp/badout" 2>"$tmp/baderr"; rc=$?
tap_check "--dump-config of an invalid config exits 1" [ "$rc" -eq 1 ]
tap_check "... prints nothing on stdout" [ ! -s "$tmp/badout" ]
tap_check "... and the error with file:line on stderr" grep -q "bad.conf:3: error: " "$tmp/baderr"

printf 'global_defs {\n  enable_snmp_vrrp\n}\n' >"$tmp/unsupported.conf"
"$LBHA" -t -f "$tmp/unsupported.conf" 2>"$tmp/u1"; rc=$?
tap_check "an unsupported keyword is a warning (exit 0)" [ "$rc" -eq 0 ]
tap_check "... naming it and its line" grep -q "unsupported.conf:2: warning: keyword 'enable_snmp_vrrp' is not supported by lbha" "$tmp/u1"
"$LBHA" -t --strict -f "$tmp/unsupported.conf" 2>/dev/null; rc=$?
tap_check "--strict makes it an error (exit 1)" [ "$rc" -eq 1 ]
printf 'global_defs {\n  router_id r1\n  vrrp_iptables\n}\n' >"$tmp/iptables.conf"
"$LBHA" -t -f "$tmp/iptables.conf" 2>"$tmp/u2"
tap_check "a warning about a setting points at its own line" grep -q "iptables.conf:3: warning: vrrp_iptables" "$tmp/u2"
"$LBHA" -t -f "$tmp/nonexistent.conf" 2>/dev/null; rc=$?
tap_check "an unreadable file exits 2" [ "$rc" -eq 2 ]
tap_done
