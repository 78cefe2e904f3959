#!/bin/sh
# sd-notify: what lbha tells systemd, read from a datagram socket this test
# listens on (NOTIFY_SOCKET, WATCHDOG_USEC set as systemd would).  Root, in a
# network namespace (the VRRP child needs an interface and raw sockets).
# Asserted: READY=1 once both children have applied the first config;
# WATCHDOG=1 every half WatchdogSec; RELOADING=1 then READY=1 around a
# SIGHUP; a child stopped with SIGSTOP stops the WATCHDOG=1 pings (and the
# log says why), SIGCONT brings them back; STOPPING=1 at SIGTERM.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

tap_require_root
LBHA=${LBHA:-$top_builddir/lbha}
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
ns=$(netns_new notify)
netns_iface "$ns" eth0
ip -n "$ns" addr add 10.200.28.1/24 dev eth0

cat >"$tmp/lbha.conf" <<EOF2
global_defs {
	router_id notify-test
	script_user root
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 62
	priority 100
	virtual_ipaddress {
		10.200.28.100/24
	}
}
virtual_server 10.200.29.1 80 {
	delay_loop 5
	lb_kind NAT
	protocol TCP
	real_server 10.200.28.2 8080 {
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF2

sock="$tmp/notify.sock"
out="$tmp/notify.out"
: >"$out"
python3 - "$sock" "$out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    out.write("LISTENING\n")
    while True:
        d = s.recv(65536).decode(errors="replace")
        out.write(d.replace("\n", "|") + "\n")
PY
netns_track_pid $!
wait_until 5 grep -q LISTENING "$out" || { echo "1..0 # SKIP cannot listen on a unix datagram socket"; exit 0; }

run="$tmp/run"
mkdir -p "$run"
log="$tmp/lbha.log"
# WatchdogSec=2: lbha pings every second, and a child counts as stuck
# after three missed pings of its own (3 s).
NOTIFY_SOCKET="$sock" WATCHDOG_USEC=2000000 ip netns exec "$ns" "$LBHA" -n -l -D \
	-f "$tmp/lbha.conf" --runtime-dir "$run" -p "$run/lbha.pid" >"$log" 2>&1 &
PID_lbha=$!
netns_track_pid $!
show_log() { tap_diag "$(tail -n 20 "$log")"; }

count() { grep -c "$1" "$out"; }
if wait_until 10 grep -q '^READY=1' "$out"; then
	tap_ok "READY=1"
else
	tap_fail "READY=1"; show_log; tap_diag "$(cat "$out")"
fi
# READY=1 comes after both children applied generation 1
applied=$(grep -n "config generation 1 applied" "$log" | tail -n 1 | cut -d: -f1)
ready=$(grep -n "all children are ready" "$log" | head -n 1 | cut -d: -f1)
if [ "$(grep -c 'config generation 1 applied' "$log")" -ge 2 ] && [ -n "$ready" ] &&
	[ "$ready" -gt "$applied" ]; then
	tap_ok "both children applied the config before READY=1"
else
	tap_fail "children applied"; show_log
fi
if grep -q "MAINPID=$PID_lbha" "$out"; then tap_ok "MAINPID is the parent"; else tap_fail "MAINPID: $(grep MAINPID "$out")"; fi
if wait_until 5 sh -c "[ \$(grep -c '^WATCHDOG=1' '$out') -ge 3 ]"; then
	tap_ok "WATCHDOG=1 keeps coming"
else
	tap_fail "WATCHDOG=1: $(count '^WATCHDOG=1')"
fi

# ---- reload ----
n=$(wc -l <"$out")
kill -HUP "$PID_lbha"
if wait_until 10 sh -c "tail -n +$((n + 1)) '$out' | grep -q '^READY=1'"; then
	after=$(tail -n +"$((n + 1))" "$out" | grep -v '^WATCHDOG' | cut -c1-12 | tr '\n' ' ')
	case "$after" in
	"RELOADING=1|"*"READY=1|"*) tap_ok "RELOADING=1 then READY=1 around a reload" ;;
	*) tap_fail "reload messages: $after" ;;
	esac
else
	tap_fail "READY=1 after the reload"; show_log
fi

# ---- a stuck child ----
checker=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$run/checker.json" | head -n 1)
if [ -z "$checker" ] || ! kill -0 "$checker" 2>/dev/null; then
	tap_fail "checker pid from checker.json: '$checker'"; tap_done; exit 1
fi
kill -STOP "$checker"
if wait_until 10 grep -q "withholding systemd watchdog pings" "$log"; then
	tap_ok "the parent says it withholds WATCHDOG=1 for the stopped checker"
else
	tap_fail "withholding log line"; show_log
fi
before=$(count '^WATCHDOG=1')
sleep 2.5   # more than two ping periods: any WATCHDOG=1 would show
held=$(count '^WATCHDOG=1')
if [ "$held" -eq "$before" ]; then
	tap_ok "no WATCHDOG=1 while the checker is stopped"
else
	tap_fail "WATCHDOG=1 went on: $before -> $held"
fi
kill -CONT "$checker"
if wait_until 5 sh -c "[ \$(grep -c '^WATCHDOG=1' '$out') -gt $held ]"; then
	tap_ok "WATCHDOG=1 resumes after SIGCONT"
else
	tap_fail "WATCHDOG=1 did not resume"; show_log
fi

# ---- stop ----
kill -TERM "$PID_lbha"
if wait_until 10 grep -q '^STOPPING=1' "$out"; then tap_ok "STOPPING=1"; else tap_fail "STOPPING=1"; fi
wait_until 10 sh -c "! kill -0 $PID_lbha 2>/dev/null" || tap_diag "lbha did not exit"

tap_done
