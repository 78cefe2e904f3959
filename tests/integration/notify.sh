#!/bin/sh
# sd_notify as systemd sees it: a datagram socket stands in for systemd's
# NOTIFY_SOCKET and records every message lbha sends through start, reload,
# watchdog and stop.  Needs no root and no network.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi
py=$(command -v /usr/bin/python3 || command -v python3)
if [ -z "$py" ]; then echo "1..0 # SKIP python3 is needed for the notify socket"; exit 0; fi

tmp=$(test_tmpdir)
sock=$tmp/notify.sock
msgs=$tmp/notify.log
# Each datagram becomes one line, its fields joined by '|'.
"$py" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(4096).decode().strip().replace("\n", "|") + "\n")
' "$sock" "$msgs" &
netns_track_pid $!
wait_until 5 test -S "$sock" || { echo "1..0 # SKIP could not make the notify socket"; exit 0; }

cat >"$tmp/lbha.conf" <<'CONF'
vrrp_instance VI_1 {
    interface lo
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.200.0.100/24
    }
}
CONF
NOTIFY_SOCKET=$sock WATCHDOG_USEC=1000000 "$LBHA" -n -l -f "$tmp/lbha.conf" \
	--runtime-dir "$tmp/run" >"$tmp/log" 2>&1 &
pid=$!
netns_track_pid $pid

count() { grep -c "$1" "$msgs" 2>/dev/null || true; }
has() { grep -q "$1" "$msgs" 2>/dev/null; }

tap_check "MAINPID names the parent" wait_until 5 has "MAINPID=$pid"
tap_check "READY=1 once both children are ready" wait_until 10 has "READY=1"
tap_check "WATCHDOG=1 pings while the children are alive" wait_until 5 has "WATCHDOG=1"

kill -HUP "$pid"
tap_check "SIGHUP: RELOADING=1 with MONOTONIC_USEC" wait_until 5 has "RELOADING=1|MONOTONIC_USEC=[0-9]"
tap_check "... then READY=1 again" wait_until 5 sh -c "[ \$(grep -c 'READY=1' '$msgs') -ge 2 ]"
reload_line=$(grep -n "RELOADING=1" "$msgs" | head -n1 | cut -d: -f1)
ready2_line=$(grep -n "READY=1" "$msgs" | sed -n 2p | cut -d: -f1)
in_order() { [ "${reload_line:-0}" -gt 0 ] && [ "${ready2_line:-0}" -gt "${reload_line:-0}" ]; }
tap_check "... in that order" in_order

kill -TERM "$pid"
tap_check "SIGTERM: STOPPING=1" wait_until 5 has "STOPPING=1"
wait "$pid"; rc=$?
tap_check "... and lbha exits 0" [ "$rc" -eq 0 ]
[ "$TAP_FAILED" -eq 0 ] || tap_diag "$(cat "$msgs")"
tap_done
