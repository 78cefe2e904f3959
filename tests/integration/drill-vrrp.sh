#!/bin/sh
# Fault drills of issue 7 on the VRRP lab (vrrp_lab.sh), lbha on both
# directors, VRRPv3 with 0.1 s adverts:
#   1. the master hangs (SIGSTOP of its whole daemon) and resumes: the backup
#      took over; on SIGCONT exactly one master within two adverts, and the
#      client's neighbour entry for the VIP points at it again (its GARP);
#   2. a partition between the directors (their bridge ports isolated from
#      each other, the client still reaches both): both become master; on
#      healing one master within two adverts, and a GARP from the winner;
#   3. 100 cycles of kill -9 and restart of the master: after each, exactly
#      one VIP holder, and the sampler never sees both holding it beyond
#      one advert interval.
# "Within two adverts" is counted, not timed: a listener on the client's
# link records every advert (vrrp_hostile.py listen) and the sampler (ip
# -ts monitor) the moment the loser deletes the VIP; the adverts the winner
# sent between the resume (or heal) and that moment must be at most two.
# Root only: SKIP without root, python3 or the lbha binary.
# shellcheck disable=SC2034,SC2154 # LAB_VIPS is read by vrrp_lab.sh; eval assigns the rest
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"
HOSTILE="$top_srcdir/tests/integration/vrrp_hostile.py"
command -v bridge >/dev/null 2>&1 || { echo "1..0 # SKIP iproute2's bridge tool is missing"; exit 0; }

V3="VERSION=3 ADVERT=0.1"
A1=$(lab_addr dir1)
now() { date +%s.%N; }

# listen_start NAME / listen_stop NAME: the client's wire listener.
listen_start() {
	ip netns exec "$(lab_ns client)" python3 "$HOSTILE" listen eth0 "$LAB_TMP/$1.stop" \
		>"$LAB_TMP/$1.wire" 2>"$LAB_TMP/$1.err" &
	netns_track_pid $!
	echo $! >"$LAB_TMP/$1.pid"
	# ready once it sees the master's adverts
	wait_until 5 grep -q " vrrp " "$LAB_TMP/$1.wire"
}
listen_stop() {
	touch "$LAB_TMP/$1.stop"
	_p=$(cat "$LAB_TMP/$1.pid")
	wait_until 3 sh -c "! kill -0 $_p 2>/dev/null"
	wait "$_p" 2>/dev/null
}

# adverts_until_release WIRE LOSER T0: from T0 until LOSER deleted the VIP
# (the sampler's record), how many adverts LOSER and the other director sent;
# prints "LOSER_COUNT WINNER_COUNT MS", or "none" when LOSER never let go.
# The loser's count is the measure: a master that is told by the first
# advert it hears sends at most the one it had due (a resumed master may
# answer its backlog with a burst, which says nothing about the loser).
adverts_until_release() {
	python3 - "$1" "$(lab_addr "$2")" "$(lab_addr "$(lab_other "$2")")" "$LAB_TMP/mon.$2" \
		"$3" "$LAB_VIP4" <<'PY'
import sys
from datetime import datetime, timezone
wire, loser, winner, mon, t0, vip = sys.argv[1:3] + sys.argv[3:5] + [float(sys.argv[5]), sys.argv[6]]
t_del = None
for line in open(mon):
    if "Deleted" not in line or " %s/" % vip not in line:
        continue
    ts = datetime.strptime(line[1:line.index("]")], "%Y-%m-%dT%H:%M:%S.%f")
    ts = ts.replace(tzinfo=timezone.utc).timestamp()
    if ts >= t0:
        t_del = ts
        break
if t_del is None:
    print("none")
    sys.exit(0)
n = {loser: 0, winner: 0}
for line in open(wire):
    f = line.split()
    if len(f) >= 3 and f[1] == "vrrp" and f[2] in n and t0 <= float(f[0]) <= t_del:
        n[f[2]] += 1
print("%d %d %.0f" % (n[loser], n[winner], (t_del - t0) * 1000))
PY
}

# garp_from WIRE MAC T0: a gratuitous ARP for the VIP with MAC after T0.
garp_from() {
	awk -v t="$3" -v v="$LAB_VIP4" -v m="$2" '$2 == "arp" && $3 == v && $4 == m && $1 >= t { f = 1 }
		END { exit !f }' "$1"
}

# expect_one_master_within_two WHAT WIRE T0: dir2 let go of the VIP after
# sending at most two more adverts of its own.
expect_one_master_within_two() {
	r=$(adverts_until_release "$2" dir2 "$3")
	case $r in
	none) tap_fail "$1: dir2 released the VIP (the sampler saw no delete)"; diag_logs ;;
	*)
		set -- "$1" $r
		_w="$1: one master within two adverts (dir2 sent $2 more, dir1 $3, in $4 ms)"
		if [ "$2" -le 2 ]; then tap_ok "$_w"; else tap_fail "$_w"; fi
		;;
	esac
}

# bridge_port NAME: the bridge port (in br) whose veth peer is NAME's eth0.
bridge_port() {
	ip -n "$LAB_BR" -o link show master br0 | awk -v ns="$(lab_ns "$1")" '
		{ for (i = 1; i < NF; i++) if ($i == "link-netns" && $(i + 1) == ns) { sub(/@.*/, "", $2); print $2 } }'
}
isolate() {
	for _n in dir1 dir2; do bridge -n "$LAB_BR" link set dev "$(bridge_port "$_n")" isolated "$1"; done
}

if lab_up; then tap_ok "lab up: bridge, two directors, a client"; else
	tap_fail "lab up"; tap_done; exit 1
fi

# announced WIRE WHAT CMD...: one TAP line for CMD (a re-announcement seen by
# the client); on failure the client's neighbour entry and WIRE's last ARPs.
announced() {
	_wire=$1 _what=$2; shift 2
	if "$@"; then tap_ok "$_what"; else
		tap_fail "$_what"
		tap_diag "client's entry: $(lab_client_neigh); $(grep ' arp ' "$_wire" | tail -n 2)"
	fi
}

# ---- 1. SIGSTOP / SIGCONT of the master ------------------------------------------
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3)
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3)
start_pair "$c1" "$c2" "stop"
# the client talks to the VIP first: a GARP updates an entry, it makes none
tap_check "stop: the client reaches the VIP at dir1" lab_client_reaches dir1
tap_check "stop: the client's neighbour entry has dir1's MAC" wait_until 2 lab_client_neigh_is dir1
listen_start stop
lab_sample_start
pid1=$(lab_director_pid dir1)
kill -STOP "-$pid1"
# dir1 still holds its VIP (it is frozen, not gone): wait for dir2's own.
if wait_until 5 lab_holds dir2; then tap_ok "stop: dir1 frozen: dir2 takes the VIP over"; else
	tap_fail "stop: dir1 frozen: dir2 takes the VIP over"; diag_logs
fi
expect_state dir2 VI_1 MASTER "stop: dir2's vrrp.json says MASTER"
tap_check "stop: the client's neighbour entry moved to dir2's MAC (dir2's GARP)" \
	wait_until 2 lab_client_neigh_is dir2
tap_check "stop: the client reaches the VIP at dir2" lab_client_reaches dir2
sleep 0.3   # a few more of dir2's adverts queue up in the frozen dir1's socket
t0=$(now)
kill -CONT "-$pid1"
expect_holder dir1 "stop: on SIGCONT dir1 (priority 150) is the only holder" "$LAB_VIP4" 5
lab_sample_stop
listen_stop stop
expect_one_master_within_two "stop: resume" "$LAB_TMP/stop.wire" "$t0"
# The resumed master (priority 150) hears dir2's lower-priority adverts and
# re-announces, even while the second burst of becoming master is pending
# (vrrp_instance_receive, at most once a second).
announced "$LAB_TMP/stop.wire" "stop: the client saw a gratuitous ARP from dir1 after the resume" \
	garp_from "$LAB_TMP/stop.wire" "$(lab_mac dir1)" "$t0"
announced "$LAB_TMP/stop.wire" "stop: the client's neighbour entry points at dir1 again" \
	wait_until 2 lab_client_neigh_is dir1
tap_check "stop: the client reaches the VIP at dir1" lab_client_reaches dir1
expect_state dir2 VI_1 BACKUP "stop: dir2 is BACKUP again"

# ---- 2. partition between the directors ----------------------------------------
listen_start part
lab_sample_start
isolate on
if wait_until 5 lab_holds dir2; then
	tap_ok "partition: the directors cannot hear each other: dir2 becomes master too"
else
	tap_fail "partition: the directors cannot hear each other: dir2 becomes master too"; diag_logs
fi
r=$(lab_status dir1 instances.VI_1.state)/$(lab_status dir2 instances.VI_1.state)
tap_check "partition: both MASTER (got $r), both hold the VIP" \
	sh -c '[ "$1" = MASTER/MASTER ] && [ "$2" = "dir1 dir2" ]' - "$r" "$(lab_vip_holder)"
tap_check "partition: the client still reaches both directors" \
	ip netns exec "$(lab_ns client)" sh -c "ping -c1 -W1 $A1 >/dev/null && ping -c1 -W1 $(lab_addr dir2) >/dev/null"
sleep 0.3
t0=$(now)
isolate off
expect_holder dir1 "partition healed: dir1 (priority 150) is the only holder" "$LAB_VIP4" 5
lab_sample_stop
listen_stop part
expect_one_master_within_two "partition healed" "$LAB_TMP/part.wire" "$t0"
# The loser sends one last advert as it gives way (higher_prio_send_advert,
# lbha's default), so the winner hears a lower priority and re-announces,
# whichever advert crossed the healed link first.
announced "$LAB_TMP/part.wire" "partition healed: a gratuitous ARP from the winner (dir1) after the heal" \
	garp_from "$LAB_TMP/part.wire" "$(lab_mac dir1)" "$t0"
announced "$LAB_TMP/part.wire" "partition healed: the client's neighbour entry has dir1's MAC" \
	wait_until 2 lab_client_neigh_is dir1
announced "$LAB_TMP/part.wire" "partition healed: the client reaches the VIP at dir1" \
	lab_client_reaches dir1 "$LAB_VIP4" 2
for n in dir1 dir2; do lab_stop_director "$n"; done

# ---- 3. 100 cycles of kill -9 / restart of the master ------------------------------
# Equal priorities: a restarted director comes back as BACKUP and stays so
# (a backup does not preempt an equal priority), so each cycle kills the
# other one.  The lab drops a killed director's VIP (a dead host).
CYCLES=${DRILL_CYCLES:-100}
c1=$(lab_config dir1 PRIORITY=100 $V3)
c2=$(lab_config dir2 PRIORITY=100 $V3)
lab_sample_start
lab_start_director dir1 lbha "$c1"
lab_start_director dir2 lbha "$c2"
# json_state NAME: the instance's state from vrrp.json, without a python
_state_is() { grep -q "\"state\": \"$2\"" "$(lab_runtime_dir "$1")/vrrp.json" 2>/dev/null; }
wait_until 5 sh -c '[ "$(lab_vip_holder)" = dir1 ] || [ "$(lab_vip_holder)" = dir2 ]' 2>/dev/null
master=$(lab_vip_holder)
bad=""
i=0
while [ "$i" -lt "$CYCLES" ]; do
	i=$((i + 1))
	case $master in dir1 | dir2) ;; *) bad="$bad $i:start('$master')"; break ;; esac
	other=$(lab_other "$master")
	wait_until 3 _state_is "$other" BACKUP
	lab_kill_director "$master"
	if ! lab_wait_holder "$other" 3; then
		bad="$bad $i:takeover('$(lab_vip_holder)')"
		break
	fi
	eval "conf=\$c${master#dir}"
	lab_start_director "$master" lbha "$conf"
	if ! wait_until 3 _state_is "$master" BACKUP || [ "$(lab_vip_holder)" != "$other" ]; then
		bad="$bad $i:restart('$(lab_vip_holder)')"
		break
	fi
	master=$other
done
if [ -z "$bad" ]; then
	tap_ok "kill -9 loop: $CYCLES cycles, exactly one VIP holder after each takeover and restart"
else
	tap_fail "kill -9 loop: exactly one VIP holder after each (failed at cycle$bad)"
	diag_holders; diag_logs
fi
for n in dir1 dir2; do lab_stop_director "$n"; done
lab_sample_stop
ev=$(cat "$LAB_TMP/mon.dir1" "$LAB_TMP/mon.dir2" | grep -c " $LAB_VIP4/")
if [ "$ev" -ge "$CYCLES" ]; then
	tap_ok "kill -9 loop: the sampler saw $ev VIP moves (>= $CYCLES)"
else
	tap_fail "kill -9 loop: the sampler saw $ev VIP moves, not >= $CYCLES"
fi
lab_split_check "kill -9 loop" ||
	for n in dir1 dir2; do tap_diag "--- $n:"; tap_diag "$(lab_log "$n" | grep -E "MASTER|===" | tail -n 8)"; done
check_no_sanitizer_reports dir1 dir2
tap_done
