#!/bin/sh
# checker-health: the checker child health-checks real servers in a network
# namespace and exports their state (host kernel, root; no IPVS needed: the
# checker probes and exports state without it).  lbha -C runs in a director
# namespace with one virtual server and three real servers (HTTP_GET,
# TCP_CHECK, MISC_CHECK) plus a flapping one, delay_loop 1 s, rise/fall 2,
# and an HTTP_GET with keepalive_time against a keep-alive server.
# Asserted through checker.json and the log, by polling: all up; the
# keepalive_time checks share one connection, and its server killed goes
# down as refused; a killed HTTP server goes down with "refused" within its
# fall; restarted, it is up again; the flapping server never changes state;
# notify_down/notify_up ran with the arguments written in the config.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

tap_require_root
LBHA=${LBHA:-$top_builddir/lbha}
SERVERS="$top_srcdir/tests/integration/probe_servers.py"
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
dir=$(netns_new dir)
srv=$(netns_new srv)
netns_link "$dir" eth0 "$srv" eth0
ip -n "$dir" addr add 10.200.8.1/24 dev eth0
ip -n "$srv" addr add 10.200.8.2/24 dev eth0
SRV=10.200.8.2

# notify script: one line per run, its arguments
cat >"$tmp/notify.sh" <<EOS
#!/bin/sh
echo "\$*" >>"$tmp/notify.out"
EOS
# flapping check: passes and fails in turn
cat >"$tmp/flap.sh" <<EOS
#!/bin/sh
n=\$(cat "$tmp/flap.count" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$tmp/flap.count"
exit \$((n % 2))
EOS
chmod 755 "$tmp/notify.sh" "$tmp/flap.sh"
: >"$tmp/notify.out"
touch "$tmp/misc.flag"

cat >"$tmp/lbha.conf" <<EOF2
global_defs {
	router_id health-test
	script_user root
}
virtual_server 10.200.9.1 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $SRV 8080 {
		weight 2
		rise 2
		fall 2
		notify_up "$tmp/notify.sh up $SRV 8080"
		notify_down "$tmp/notify.sh down $SRV 8080"
		HTTP_GET {
			url {
				path /ok
				status_code 200
			}
			connect_timeout 1
			retry 0
		}
	}
	real_server $SRV 8082 {
		TCP_CHECK {
			connect_timeout 1
		}
	}
	real_server $SRV 8083 {
		MISC_CHECK {
			misc_path "/bin/test -e $tmp/misc.flag"
			misc_timeout 2
		}
	}
	real_server $SRV 8085 {
		HTTP_GET {
			url {
				path /ok
			}
			connect_timeout 1
			retry 0
			keepalive_time 60
		}
	}
	real_server $SRV 8084 {
		rise 2
		fall 2
		MISC_CHECK {
			misc_path "$tmp/flap.sh"
			misc_timeout 2
		}
	}
}
EOF2

start_http() {
	: >"$tmp/http.out"
	ip netns exec "$srv" python3 "$SERVERS" http 8080 >"$tmp/http.out" 2>"$tmp/http.err" &
	PID_http=$!
	netns_track_pid $!
	wait_until 10 grep -q ready "$tmp/http.out" || tap_diag "http did not start: $(cat "$tmp/http.err")"
}
start_http
# HTTP/1.1 with keep-alive; one "conn N" line per connection accepted
ip netns exec "$srv" python3 "$SERVERS" http 8085 --keepalive >"$tmp/ka.out" 2>&1 &
PID_ka=$!
netns_track_pid $!
wait_until 10 grep -q ready "$tmp/ka.out"
ip netns exec "$srv" python3 "$SERVERS" tcp 8082 >"$tmp/tcp.out" 2>&1 &
netns_track_pid $!
wait_until 10 grep -q ready "$tmp/tcp.out"

run="$tmp/run"
mkdir -p "$run"
log="$tmp/lbha.log"
ip netns exec "$dir" "$LBHA" -n -l -D -C -f "$tmp/lbha.conf" --runtime-dir "$run" \
	-p "$run/lbha.pid" >"$log" 2>&1 &
netns_track_pid $!

# rs PORT FIELD: a field of a real server in checker.json ("" if absent);
# FIELD may be a dotted path ("checkers.0.reused": its first checker's)
rs() {
	python3 - "$run/checker.json" "$1" "$2" <<'PY' 2>/dev/null
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
for vs in doc.get("virtual_servers", []):
    for r in vs["real_servers"]:
        if r["port"] == int(sys.argv[2]):
            v = r
            for step in sys.argv[3].split("."):
                v = v[int(step)] if isinstance(v, list) else v.get(step)
            print("null" if v is None else v)
PY
}
rs_is() { [ "$(rs "$1" "$2")" = "$3" ]; }
# ck PORT FIELD: a field of the real server's first checker
ck() { rs "$1" "checkers.0.$2"; }
show_log() { tap_diag "$(tail -n 30 "$log")"; }

all_up() { rs_is 8080 state up && rs_is 8082 state up && rs_is 8083 state up; }
if wait_until 20 all_up; then
	tap_ok "HTTP_GET, TCP_CHECK and MISC_CHECK servers all up in checker.json"
else
	tap_fail "all up"; show_log; tap_diag "$(cat "$run/checker.json" 2>/dev/null | head -60)"
fi
if grep -q '"ipvs"' "$run/checker.json" && grep -q '"health"' "$run/checker.json"; then
	tap_ok "checker.json keeps its ipvs member and has the health totals"
else
	tap_fail "checker.json members"
fi
if grep -q "kernel updates are off" "$log"; then
	tap_ok "without IPVS the log says kernel updates are off"
else
	tap_skip "without IPVS the log says kernel updates are off" "this kernel has IPVS"
fi
if rs_is 8080 weight 2; then tap_ok "weight now is the configured weight"; else tap_fail "weight: $(rs 8080 weight)"; fi

# ---- keepalive_time: one connection carries the checks ----
ka_checked() { [ "$(ck 8085 checks)" -ge 4 ] 2>/dev/null; }
if wait_until 15 ka_checked && rs_is 8085 state up; then
	n=$(ck 8085 checks) reused=$(ck 8085 reused) conns=$(grep -c '^conn' "$tmp/ka.out")
	# checker.json may lag the server by a check: compare with its own counts
	if [ "$reused" -ge $((n - 2)) ] && [ "$reused" -lt "$n" ] && [ "$conns" = 1 ]; then
		tap_ok "keepalive_time: $n checks, $reused over the kept connection, 1 connection"
	else
		tap_fail "keepalive_time: $n checks, $reused reused, $conns connections"
	fi
else
	tap_fail "keepalive_time server checked and up: $(ck 8085 checks) $(rs 8085 state)"; show_log
fi
kill -KILL "$PID_ka"
wait "$PID_ka" 2>/dev/null
if wait_until 15 rs_is 8085 state down && rs_is 8085 last_result refused; then
	tap_ok "keepalive_time: a killed server goes down, refused (its kept connection closed)"
else
	tap_fail "keepalive_time: killed server: $(rs 8085 state) $(rs 8085 last_result)"; show_log
fi

# ---- kill the HTTP server: refused, down after `fall` failed checks ----
before=$(rs 8080 failures)
kill -KILL "$PID_http"
wait "$PID_http" 2>/dev/null
if wait_until 15 rs_is 8080 state down; then
	failed=$(( $(rs 8080 failures) - before ))
	tap_ok "killed HTTP server goes down"
	# fall 2: two failed checks; one more may have come in before we looked
	if [ "$failed" -ge 2 ] && [ "$failed" -le 3 ]; then
		tap_ok "down after fall=2 failed checks ($failed)"
	else
		tap_fail "down after $failed failed checks, want 2"
	fi
else
	tap_fail "killed HTTP server goes down"; show_log
fi
if rs_is 8080 last_result refused; then tap_ok "reason: refused"; else tap_fail "reason: $(rs 8080 last_result)"; fi
if grep -q "real server $SRV:8080 down: connection refused" "$log"; then
	tap_ok "one log line with the reason"
else
	tap_fail "log line"; show_log
fi
if wait_until 10 grep -q "^down $SRV 8080\$" "$tmp/notify.out"; then
	tap_ok "notify_down ran with its arguments"
else
	tap_fail "notify_down: $(cat "$tmp/notify.out")"
fi
if rs_is 8080 weight 0; then tap_ok "a down server has weight 0"; else tap_fail "weight down: $(rs 8080 weight)"; fi

# ---- restart it: up again after `rise` passed checks ----
checks=$(rs 8080 checks)
start_http
if wait_until 15 rs_is 8080 state up; then
	n=$(( $(rs 8080 checks) - checks ))
	tap_ok "restarted HTTP server comes back up"
	if [ "$n" -ge 2 ]; then tap_ok "up after rise=2 checks ($n)"; else tap_fail "up after $n checks"; fi
else
	tap_fail "restarted HTTP server comes back up"; show_log
fi
if wait_until 10 grep -q "^up $SRV 8080\$" "$tmp/notify.out"; then
	tap_ok "notify_up ran with its arguments"
else
	tap_fail "notify_up: $(cat "$tmp/notify.out")"
fi

# ---- MISC_CHECK: exit 1 takes it down ----
rm -f "$tmp/misc.flag"
if wait_until 15 rs_is 8083 state down && rs_is 8083 last_result script-exit; then
	tap_ok "MISC_CHECK exit 1: down, reason script-exit"
else
	tap_fail "MISC_CHECK down: $(rs 8083 state) $(rs 8083 last_result)"
fi

# ---- the flapping server: many checks, no change ----
flap_checks() { [ "$(rs 8084 checks)" -ge 8 ] 2>/dev/null; }
if wait_until 30 flap_checks; then
	if rs_is 8084 downs 0 && rs_is 8084 ups 0; then
		tap_ok "flapping server: $(rs 8084 checks) checks, no state change (rise/fall 2)"
	else
		tap_fail "flapping server churned: ups $(rs 8084 ups) downs $(rs 8084 downs)"
	fi
else
	tap_fail "flapping server not checked often enough: $(rs 8084 checks)"
fi
if ! grep -q "real server $SRV:8084 \(up\|down\)" "$log"; then
	tap_ok "no state change logged for the flapping server"
else
	tap_fail "flapping server logged changes"
fi
# no SSL_GET here: libcurl and OpenSSL's engine is never made (its memory
# and start-up are for configs that need it)
if ! grep -q "HTTPS probe engine" "$log"; then
	tap_ok "no SSL_GET: the HTTPS probe engine was never set up"
else
	tap_fail "no SSL_GET, yet: $(grep "HTTPS probe engine" "$log")"
fi
if ! grep -qE "ERROR|AddressSanitizer|runtime error" "$log"; then
	tap_ok "no errors or sanitizer reports in the log"
else
	tap_fail "errors in the log"; tap_diag "$(grep -E "ERROR|AddressSanitizer|runtime error" "$log" | head)"
fi
tap_done
