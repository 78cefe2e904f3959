#!/bin/sh
# The daemon's process skeleton, end to end, without root: lbha -t exit codes;
# lbha -n -l with a temporary runtime dir runs a parent and two children; a
# killed child comes back; a broken config on SIGHUP is logged and ignored, a
# fixed one reaches both children as generation 2; SIGTERM stops everything
# within a second; a second instance on the same runtime dir refuses; the
# children die with the parent; without -n lbha detaches.
#
#   LBHA=path/to/lbha top_srcdir=... sh tests/integration/daemon.sh
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi
if ! command -v pgrep >/dev/null 2>&1; then echo "1..0 # SKIP pgrep (procps) is not installed"; exit 0; fi

# Called directly, not in $(...), so the EXIT trap knows the dir to remove.
test_tmpdir >/dev/null
tmp=$NETNS_TMP
run=$tmp/run
log=$tmp/lbha.log
conf=$tmp/lbha.conf
mkdir "$run"
if [ -f "$top_srcdir/etc/lbha.conf" ]; then
	cp "$top_srcdir/etc/lbha.conf" "$conf"
else
	cat >"$conf" <<'CONF'
vrrp_instance VI_1 {
    state BACKUP
    interface lo
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.200.0.100/24
    }
}
virtual_server 10.200.0.100 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 10.200.1.11 80 {
        TCP_CHECK {
            connect_timeout 2
        }
    }
}
CONF
fi
cp "$conf" "$tmp/good.conf"
printf 'vrrp_instance BROKEN {\n    priority 100\n' >"$tmp/broken.conf"

# A process that exists and is not a zombie (a detached lbha is reaped by
# init, maybe late).
alive() { [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" | grep -q '^Z'; }
dead() { ! alive "$1"; }
child_pid() { pgrep -P "$1" -x "lbha-$2"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
show_log() { tap_diag "$(tail -n 30 "$1")"; }

# ---- lbha -t ----
"$LBHA" -t -f "$conf" 2>"$tmp/t.out"; rc=$?
tap_check "lbha -t: a valid config exits 0" [ "$rc" -eq 0 ]
"$LBHA" -t -f "$tmp/broken.conf" 2>"$tmp/t.out"; rc=$?
tap_check "lbha -t: an invalid config exits 1" [ "$rc" -eq 1 ]
if grep -q "broken.conf:[0-9]*: error" "$tmp/t.out"; then
	tap_ok "lbha -t: errors are printed as file:line"
else
	tap_fail "lbha -t: errors are printed as file:line"; tap_diag "$(cat "$tmp/t.out")"
fi
"$LBHA" -t -f "$tmp/does-not-exist.conf" 2>/dev/null; rc=$?
tap_check "lbha -t: an unreadable file exits 2" [ "$rc" -eq 2 ]

# ---- start in the foreground ----
"$LBHA" -n -l -f "$conf" --runtime-dir "$run" -p "$run/lbha.pid" >"$log" 2>&1 &
pid=$!
netns_track_pid "$pid"
published() { [ -s "$run/vrrp.json" ] && [ -s "$run/checker.json" ] && [ -s "$run/lbha.pid" ]; }
if wait_until 10 published; then
	tap_ok "lbha -n starts and its children publish vrrp.json and checker.json"
else
	tap_fail "lbha -n starts and its children publish vrrp.json and checker.json"; show_log "$log"
fi
tap_check "the pid file holds the parent's pid" [ "$(cat "$run/lbha.pid" 2>/dev/null)" = "$pid" ]
vrrp=$(child_pid "$pid" vrrp)
checker=$(child_pid "$pid" checker)
netns_track_pid "$vrrp"
netns_track_pid "$checker"
two_children() { [ -n "$vrrp" ] && [ -n "$checker" ] && [ "$(pgrep -P "$pid" | wc -l)" -eq 2 ]; }
tap_check "the parent has a lbha-vrrp and a lbha-checker child" two_children
out=$("$LBHA" status --runtime-dir "$run" 2>&1); rc=$?
if [ "$rc" -eq 0 ] && echo "$out" | grep -q "pid $vrrp" && echo "$out" | grep -q "pid $checker"; then
	tap_ok "lbha status shows both children"
else
	tap_fail "lbha status shows both children"; tap_diag "rc=$rc $out"
fi

# ---- a second instance on the same runtime dir ----
timeout 10 "$LBHA" -n -l -f "$conf" --runtime-dir "$run" -p "$run/lbha.pid" >"$tmp/second.log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q "refusing to start" "$tmp/second.log"; then
	tap_ok "a second lbha with the same runtime dir refuses to start"
else
	tap_fail "a second lbha with the same runtime dir refuses to start"; tap_diag "rc=$rc $(cat "$tmp/second.log")"
fi
timeout 10 "$LBHA" -n -l -f "$conf" --runtime-dir "$run" -p "$tmp/other.pid" >"$tmp/second.log" 2>&1; rc=$?
tap_check "... also with a pid file elsewhere" [ "$rc" -eq 1 ]
tap_check "the first lbha still runs" alive "$pid"

# ---- a child dies ----
kill -KILL "$vrrp"
new_vrrp() { n=$(child_pid "$pid" vrrp) && [ -n "$n" ] && [ "$n" != "$vrrp" ]; }
if wait_until 5 new_vrrp; then
	tap_ok "a killed vrrp child is replaced by a new one"
else
	tap_fail "a killed vrrp child is replaced by a new one"; show_log "$log"
fi
if grep -q "vrrp child (pid $vrrp) was killed by signal 9" "$log"; then
	tap_ok "the parent logs how the child died"
else
	tap_fail "the parent logs how the child died"; show_log "$log"
fi
vrrp=$(child_pid "$pid" vrrp)
netns_track_pid "$vrrp"
tap_check "the checker child was left alone" [ "$(child_pid "$pid" checker)" = "$checker" ]

# ---- SIGHUP with a broken config ----
cp "$tmp/broken.conf" "$conf"
kill -HUP "$pid"
if wait_until 5 grep -q "reload failed" "$log"; then
	tap_ok "SIGHUP with a broken config: the reload is refused"
else
	tap_fail "SIGHUP with a broken config: the reload is refused"; show_log "$log"
fi
if grep -q "lbha.conf:[0-9]*: " "$log"; then
	tap_ok "... and each error is logged with file:line"
else
	tap_fail "... and each error is logged with file:line"; show_log "$log"
fi
tap_check "... lbha keeps running" alive "$pid"
same_children() { [ "$(child_pid "$pid" vrrp)" = "$vrrp" ] && [ "$(child_pid "$pid" checker)" = "$checker" ]; }
tap_check "... the children are unchanged" same_children

# ---- SIGHUP with the fixed config ----
# one value differs from the running config (an unchanged one is not sent
# to the children at all: reload.sh tests that)
sed 's/^\([[:space:]]*advert_int[[:space:]]\).*/\13/' "$tmp/good.conf" >"$conf"
grep -q "advert_int[[:space:]]*3" "$conf" || tap_diag "the fixed config has no advert_int to change"
kill -HUP "$pid"
gen2() {
	grep -q "lbha-vrrp\[[0-9]*\]: config generation 2 applied" "$log" &&
		grep -q "lbha-checker\[[0-9]*\]: config generation 2 applied" "$log"
}
if wait_until 5 gen2; then
	tap_ok "SIGHUP with a fixed config: both children apply generation 2"
else
	tap_fail "SIGHUP with a fixed config: both children apply generation 2"; show_log "$log"
fi
gen2_published() { grep -q '"config_generation": 2' "$run/vrrp.json" && grep -q '"config_generation": 2' "$run/checker.json"; }
tap_check "... and publish it in their status files" wait_until 5 gen2_published

# ---- SIGTERM ----
start=$(now_ms)
kill -TERM "$pid"
wait "$pid"; rc=$?
took=$(( $(now_ms) - start ))
tap_check "SIGTERM: lbha exits 0" [ "$rc" -eq 0 ]
echo "# SIGTERM to exit: ${took} ms"
tap_check "... the pid file is gone" [ ! -e "$run/lbha.pid" ]
children_gone() { dead "$vrrp" && dead "$checker"; }
tap_check "... no child is left" children_gone
no_status_files() { [ ! -e "$run/vrrp.json" ] && [ ! -e "$run/checker.json" ]; }
tap_check "... the status files are gone" no_status_files
"$LBHA" status --runtime-dir "$run" >"$tmp/status.out" 2>&1; rc=$?
not_running() { [ "$rc" -eq 3 ] && grep -q "not running" "$tmp/status.out"; }
tap_check "lbha status now says not running (exit 3)" not_running

# ---- the parent dies ----
"$LBHA" -n -l -f "$conf" --runtime-dir "$run" >"$tmp/kill.log" 2>&1 &
pid=$!
netns_track_pid "$pid"
wait_until 10 published
vrrp=$(child_pid "$pid" vrrp)
checker=$(child_pid "$pid" checker)
netns_track_pid "$vrrp"
netns_track_pid "$checker"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
if [ -n "$vrrp" ] && [ -n "$checker" ] && wait_until 3 children_gone; then
	tap_ok "the children exit when the parent is killed"
else
	tap_fail "the children exit when the parent is killed"; show_log "$tmp/kill.log"
fi

# ---- without -n: detach ----
rm -f "$run"/*.json "$run/lbha.pid"
"$LBHA" -l -f "$conf" --runtime-dir "$run" >"$tmp/daemon.log" 2>&1; rc=$?
tap_check "without -n lbha detaches and the command exits 0" [ "$rc" -eq 0 ]
dpid=$(cat "$run/lbha.pid" 2>/dev/null)
if [ -n "$dpid" ] && alive "$dpid"; then
	netns_track_pid "$dpid"
	tap_ok "the detached daemon runs (pid $dpid)"
	detached_children() { [ "$(pgrep -P "$dpid" | wc -l)" -eq 2 ]; }
	tap_check "... with its two children" wait_until 5 detached_children
	kill -TERM "$dpid"
	tap_check "... and stops on SIGTERM" wait_until 3 dead "$dpid"
else
	tap_fail "the detached daemon runs"
	tap_skip "... with its two children" "no daemon"
	tap_skip "... and stops on SIGTERM" "no daemon"
fi

tap_done
