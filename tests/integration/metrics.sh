#!/bin/sh
# metrics: GET /metrics from a running lbha, read with curl and checked by a
# strict text-format parser (prom_parse.py).  Host kernel, root, no IPVS
# needed.  lbha runs in a director namespace with metrics on 127.0.0.1 (the
# namespace's own loopback), one VRRP instance alone on its link (it becomes
# MASTER) and an HTTP_GET checker of a python server in a second namespace.
# Asserted: the page parses; state MASTER is 1; adverts sent grow; probe
# results and latencies are counted; the real server is up (1), then down
# (0) with "refused" counted once the server is killed (a second real
# server, TCP_CHECK, stays up); a reload is counted;
# other paths are 404; lbha -t warns about a non-loopback metrics_address;
# and an lbha without metrics_address listens on no port at all.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

tap_require_root
LBHA=${LBHA:-$top_builddir/lbha}
SERVERS="$top_srcdir/tests/integration/probe_servers.py"
PROM="$top_srcdir/tests/integration/prom_parse.py"
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is not installed"; exit 0; }
command -v ss >/dev/null 2>&1 || { echo "1..0 # SKIP ss (iproute2) is not installed"; exit 0; }
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
dir=$(netns_new mdir)
srv=$(netns_new msrv)
bare=$(netns_new mbare)
netns_link "$dir" eth0 "$srv" eth0
ip -n "$dir" addr add 10.200.18.1/24 dev eth0
ip -n "$srv" addr add 10.200.18.2/24 dev eth0
SRV=10.200.18.2
PORT=9650

# config WITH_METRICS: the test's config, with or without the metrics lines
config() {
	cat <<EOF2
global_defs {
	router_id metrics-test
	script_user root
	vrrp_version 3
$1
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 61
	priority 150
	advert_int 0.1
	virtual_ipaddress {
		10.200.18.100/24
	}
}
virtual_server 10.200.19.1 80 {
	delay_loop 0.2
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $SRV 8080 {
		weight 2
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
}
EOF2
}
config "	metrics_address 127.0.0.1
	metrics_port $PORT" >"$tmp/lbha.conf"

ip netns exec "$srv" python3 "$SERVERS" http 8080 >"$tmp/http.out" 2>"$tmp/http.err" &
PID_http=$!
netns_track_pid $!
wait_until 10 grep -q ready "$tmp/http.out" || tap_diag "http did not start: $(cat "$tmp/http.err")"

# a second real server that stays up: the virtual server never runs out
ip netns exec "$srv" python3 "$SERVERS" tcp 8082 >"$tmp/tcp.out" 2>&1 &
netns_track_pid $!
wait_until 10 grep -q ready "$tmp/tcp.out"

run="$tmp/run"
mkdir -p "$run"
log="$tmp/lbha.log"
ip netns exec "$dir" "$LBHA" -n -l -D -f "$tmp/lbha.conf" --runtime-dir "$run" \
	-p "$run/lbha.pid" >"$log" 2>&1 &
PID_lbha=$!
netns_track_pid $!
show_log() { tap_diag "$(tail -n 30 "$log")"; }

page="$tmp/page.txt"
# scrape: fetch /metrics into $page; fails on an HTTP error or no answer
scrape() { ip netns exec "$dir" curl -sf -m 2 -o "$page" "http://127.0.0.1:$PORT/metrics"; }
# get NAME [k=v...]: one sample of the last scrape
get() { python3 "$PROM" get "$page" "$@" 2>/dev/null; }
# is VALUE NAME [k=v...]: scrape, and the sample has that value
is() { _v=$1; shift; scrape && [ "$(get "$@")" = "$_v" ]; }
# atleast N NAME [k=v...]
atleast() { _n=$1; shift; scrape && _g=$(get "$@") && [ "${_g%%.*}" -ge "$_n" ]; }

if wait_until 10 scrape; then
	tap_ok "GET /metrics answers"
else
	tap_fail "GET /metrics answers"; show_log; tap_done; exit 1
fi
if ip netns exec "$dir" curl -sf -m 2 -D "$tmp/headers" -o /dev/null "http://127.0.0.1:$PORT/metrics" &&
	grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/headers"; then
	tap_ok "Content-Type is the text format 0.0.4"
else
	tap_fail "Content-Type: $(cat "$tmp/headers")"
fi

MASTER="instance=VI_1 state=MASTER"
if wait_until 10 is 1 lbha_vrrp_state $MASTER; then
	tap_ok "lbha_vrrp_state{state=MASTER} is 1"
else
	tap_fail "MASTER state: $(get lbha_vrrp_state $MASTER)"; show_log
fi
if [ "$(get lbha_vrrp_state instance=VI_1 state=BACKUP)" = 0 ] &&
	[ "$(python3 "$PROM" sum "$page" lbha_vrrp_state instance=VI_1)" = 1 ]; then
	tap_ok "the other states are 0"
else
	tap_fail "other states"
fi
if python3 "$PROM" check "$page" 2>"$tmp/parse.err"; then
	tap_ok "the whole page passes the strict text-format parser"
else
	tap_fail "parser: $(cat "$tmp/parse.err")"
fi
if grep -q '^lbha_vrrp_adverts_dropped_total{instance="VI_1",reason="checksum"} ' "$page" &&
	grep -q '^lbha_vrrp_unmatched_dropped_total{reason="vrid"} ' "$page"; then
	tap_ok "drop reasons are exported"
else
	tap_fail "drop reasons"
fi

sent1=$(get lbha_vrrp_adverts_sent_total instance=VI_1)
if [ -n "$sent1" ] && wait_until 5 atleast $((sent1 + 1)) lbha_vrrp_adverts_sent_total instance=VI_1; then
	tap_ok "adverts sent grow ($sent1 -> $(get lbha_vrrp_adverts_sent_total instance=VI_1))"
else
	tap_fail "adverts sent grow: $sent1 -> $(get lbha_vrrp_adverts_sent_total instance=VI_1)"
fi
if [ "$(get lbha_vrrp_transitions_total instance=VI_1)" -ge 1 ] 2>/dev/null; then
	tap_ok "transitions counted"
else
	tap_fail "transitions: $(get lbha_vrrp_transitions_total instance=VI_1)"
fi

RS="virtual_server=10.200.19.1:80/TCP real_server=$SRV:8080"
if wait_until 10 is 1 lbha_real_server_up $RS; then
	tap_ok "lbha_real_server_up is 1"
else
	tap_fail "real server up: $(get lbha_real_server_up $RS)"; show_log
	grep real_server "$page" | head -5 | while read -r l; do tap_diag "$l"; done
fi
if [ "$(get lbha_real_server_weight $RS)" = 2 ]; then tap_ok "weight 2"; else tap_fail "weight: $(get lbha_real_server_weight $RS)"; fi
if atleast 1 lbha_checker_probe_results_total type=HTTP_GET reason=ok &&
	atleast 1 lbha_checker_probe_duration_seconds_count type=HTTP_GET; then
	tap_ok "probe results and latencies are counted"
else
	tap_fail "probe results: $(get lbha_checker_probe_results_total type=HTTP_GET reason=ok)"
fi
if [ "$(get lbha_child_up child=vrrp)" = 1 ] && [ "$(get lbha_child_up child=checker)" = 1 ] &&
	[ "$(get lbha_child_restarts_total child=checker)" = 0 ] &&
	[ "$(get lbha_config_generation)" = 1 ] && [ "$(get lbha_ipvs_available)" = 0 ]; then
	tap_ok "parent and IPVS families: children up, generation 1, no IPVS here"
else
	tap_fail "parent families"
fi

kill -KILL "$PID_http"
wait "$PID_http" 2>/dev/null
if wait_until 10 is 0 lbha_real_server_up $RS; then
	tap_ok "killed server: lbha_real_server_up is 0"
else
	tap_fail "down: $(get lbha_real_server_up $RS)"
fi
# the probe in flight at the kill may end otherwise (reset, timeout); the
# next ones are refused
if wait_until 5 atleast 1 lbha_checker_probe_results_total type=HTTP_GET reason=refused &&
	[ "$(get lbha_real_server_weight $RS)" = 0 ]; then
	tap_ok "refused results counted, weight 0"
else
	tap_fail "refused: $(get lbha_checker_probe_results_total type=HTTP_GET reason=refused)"
	tap_diag "$(python3 "$PROM" check "$page" 2>&1; grep 'HTTP_GET' "$page" | grep -v bucket)"
	show_log
fi

# a changed config (an unchanged one keeps its generation)
sed -i 's/router_id metrics-test/router_id metrics-test-2/' "$tmp/lbha.conf"
kill -HUP "$PID_lbha"
if wait_until 10 is 1 lbha_reloads_total result=success && [ "$(get lbha_config_generation)" = 2 ] &&
	[ "$(get lbha_child_restarts_total child=checker)" = 0 ]; then
	tap_ok "a reload is counted (success 1, generation 2); no child restarted"
else
	tap_fail "reload: $(get lbha_reloads_total result=success)"; show_log
fi
code=$(ip netns exec "$dir" curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/nothing")
if [ "$code" = 404 ]; then tap_ok "another path is 404"; else tap_fail "other path: $code"; fi

# ---- a non-loopback address is accepted, with a warning ----
config "	metrics_address 10.200.18.1" >"$tmp/open.conf"
if "$LBHA" -t -f "$tmp/open.conf" >"$tmp/t.out" 2>&1 && grep -q "metrics_address is not a loopback" "$tmp/t.out"; then
	tap_ok "lbha -t accepts a non-loopback metrics_address with a warning"
else
	tap_fail "non-loopback: $(cat "$tmp/t.out")"
fi

# ---- without metrics_address nothing listens ----
config "" >"$tmp/plain.conf"
run2="$tmp/run2"
mkdir -p "$run2"
ip netns exec "$bare" "$LBHA" -n -l -D -f "$tmp/plain.conf" --runtime-dir "$run2" \
	-p "$run2/lbha.pid" >"$tmp/lbha2.log" 2>&1 &
netns_track_pid $!
if wait_until 10 test -s "$run2/checker.json" && wait_until 10 test -s "$run2/vrrp.json"; then
	listeners=$(ip netns exec "$bare" ss -Htuln)
	if [ -z "$listeners" ]; then
		tap_ok "without metrics_address lbha listens on no TCP or UDP port"
	else
		tap_fail "listeners: $listeners"
	fi
else
	tap_fail "second lbha did not start"; tap_diag "$(tail -n 20 "$tmp/lbha2.log")"
fi

tap_done
