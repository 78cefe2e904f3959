#!/bin/sh
# systemd-unit: etc/lbha.service.in, made into a unit the way `make` does
# (with this build's lbha as ExecStart), passes `systemd-analyze verify`
# without a single complaint; every capability it names is one systemd
# knows; it is Type=notify with a watchdog, a HUP reload and a restart on
# failure.  The sandbox's exposure score is printed, not judged.  No root
# needed; SKIP without systemd-analyze.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

command -v systemd-analyze >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP systemd-analyze is not installed"; exit 0; }
LBHA=${LBHA:-$top_builddir/lbha}
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
sbindir=$(cd "$(dirname "$LBHA")" && pwd)
# the unit's name must be lbha.service for verify to read it as one
unit="$tmp/lbha.service"
sed -e "s|@sbindir[@]|$sbindir|g" -e "s|@sysconfdir[@]|/etc|g" \
	"$top_srcdir/etc/lbha.service.in" >"$unit"

if ! grep -q '@[a-z]*@' "$unit"; then tap_ok "every @var@ is substituted"; else tap_fail "left: $(grep '@[a-z]*@' "$unit")"; fi
# verify exits 0 even for an unknown key: any output is a failure
if (cd "$tmp" && systemd-analyze verify --man=no "$unit") >"$tmp/verify.out" 2>&1 &&
	[ ! -s "$tmp/verify.out" ]; then
	tap_ok "systemd-analyze verify: no complaint"
else
	tap_fail "systemd-analyze verify"; tap_diag "$(cat "$tmp/verify.out")"
fi
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
# shellcheck disable=SC2086
if [ -n "$caps" ] && systemd-analyze capability $caps >"$tmp/caps.out" 2>&1; then
	tap_ok "every capability is known: $caps"
else
	tap_fail "capabilities: $(cat "$tmp/caps.out")"
fi
for want in "Type=notify" "NotifyAccess=main" "Restart=on-failure" "WatchdogSec=" \
	'ExecReload=/bin/kill -HUP $MAINPID' "ProtectSystem=strict" "ProtectHome=yes" \
	"PrivateTmp=yes" "RuntimeDirectory=lbha"; do
	if grep -qF "$want" "$unit"; then tap_ok "has $want"; else tap_fail "has $want"; fi
done
if ! grep -q '^NoNewPrivileges=yes' "$unit" && grep -q '^#NoNewPrivileges' "$unit"; then
	tap_ok "NoNewPrivileges left off, with the reason"
else
	tap_fail "NoNewPrivileges"
fi
if systemd-analyze security --offline=yes "$unit" >"$tmp/sec.out" 2>&1; then
	tap_diag "$(grep 'Overall exposure' "$tmp/sec.out")"
fi
tap_done
