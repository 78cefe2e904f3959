#!/bin/sh
# lbha on both directors (VRRPv3, 0.1 s adverts) in its other modes: unicast
# (election, kill -9 failover, an unlisted source dropped and counted), IPv6
# (election, kill -9 failover, the client's neighbour entry moved by the
# unsolicited NA), and notify (state scripts, the generic script and the
# notify fifo, in the order of the transitions, with keepalived's arguments).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"

V3="VERSION=3 ADVERT=0.1"
NL='
'

# client_vrrp_count SECONDS: how many VRRP packets (IP protocol 112) sent to
# 224.0.0.18 the client sees in that time (it joins the group on eth0).
client_vrrp_count() {
	ip netns exec "$(lab_ns client)" python3 - "$1" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             struct.pack("4s4s", socket.inet_aton("224.0.0.18"), socket.inet_aton("10.200.1.50")))
end, n = time.monotonic() + float(sys.argv[1]), 0
while True:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        pkt = s.recv(2048)
    except socket.timeout:
        break
    n += pkt[16:20] == socket.inet_aton("224.0.0.18")
print(n)
PY
}

if lab_up && netns_iface "$(lab_ns dir1)" trk0; then
	tap_ok "lab up: bridge, two directors, a client; dir1 has a second interface trk0"
else
	tap_fail "lab up"; tap_done; exit 1
fi
D1=$(lab_ns dir1)
lab_sample_start

# ---- 6. unicast ----
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 UNICAST=1)
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3 UNICAST=1)
start_pair "$c1" "$c2" "unicast"
expect_status dir2 instances.VI_1.master "$(lab_addr dir1)" "unicast: dir2 knows dir1 as its master"
n=$(client_vrrp_count 0.5)
if [ "$n" = 0 ]; then tap_ok "unicast: no VRRP multicast on the wire"; else
	tap_fail "unicast: no VRRP multicast on the wire ($n packets to 224.0.0.18 in 0.5 s)"
fi
tap_check "unicast: the client reaches the VIP at dir1" lab_client_reaches dir1
sleep 0.3
lab_kill_director dir1
expect_holder dir2 "unicast: kill -9 of the master: dir2 holds the VIP" "$LAB_VIP4" 2
if wait_until 2 lab_client_neigh_is dir2; then
	tap_ok "unicast: the client's neighbour entry moved to dir2's MAC (gratuitous ARP)"
else
	tap_fail "unicast: the client's neighbour entry moved to dir2's MAC (gratuitous ARP)"
	tap_diag "client's entry: $(lab_client_neigh), dir2: $(lab_mac dir2)"
fi
tap_check "unicast: the client reaches the VIP at dir2" lab_client_reaches dir2
lab_start_director dir1 lbha "$c1"
expect_holder dir1 "unicast: restarted dir1 preempts back"

# An advert from a source dir1 does not list: a third lbha in the client's
# namespace, priority 200, unicasting to dir1.  dir1 must drop and count it
# and stay master.
sleep 0.3
tr0=$(lab_status dir1 instances.VI_1.counters.transitions)
# shellcheck disable=SC2086
ci=$(lab_config intruder PRIORITY=200 $V3 UNICAST_SRC="$(lab_addr client)" \
	UNICAST_PEERS="$(lab_addr dir1)")
lab_start_director client lbha "$ci"
_unicast_src_dropped() { [ "$(lab_status dir1 instances.VI_1.counters.drops.unicast_src)" -gt 0 ]; }
wait_until 5 _unicast_src_dropped 2>/dev/null
d=$(lab_status dir1 instances.VI_1.counters.drops.unicast_src)
if [ "${d:-0}" -gt 0 ]; then
	tap_ok "unicast: dir1 drops the unlisted source's adverts (drops.unicast_src = $d)"
else
	tap_fail "unicast: dir1 drops the unlisted source's adverts (drops.unicast_src = '$d')"
	tap_diag "--- intruder:"; tap_diag "$(lab_log client | tail -n 8)"; diag_logs
fi
sleep 0.5
tr1=$(lab_status dir1 instances.VI_1.counters.transitions)
if lab_status_is dir1 instances.VI_1.state MASTER && [ "$(lab_vip_holder)" = dir1 ] &&
	[ "$tr0" = "$tr1" ]; then
	tap_ok "unicast: the intruder (priority 200) does not disturb dir1 (still the only holder)"
else
	tap_fail "unicast: the intruder (priority 200) does not disturb dir1"
	tap_diag "transitions $tr0 -> $tr1, holder '$(lab_vip_holder)'"; diag_logs
fi
lab_stop_director client
lab_drop_vips client

# ---- 7. IPv6 with VRRPv3 ----
lab_reset
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 FAMILY=6)
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3 FAMILY=6)
lab_start_director dir2 lbha "$c2"
lab_start_director dir1 lbha "$c1"
expect_holder dir1 "IPv6: dir1 is elected master (only dir1 holds $LAB_VIP6)" "$LAB_VIP6" 5
expect_status dir1 instances.VI_1.version 3 "IPv6: the instance runs VRRPv3"
tap_check "IPv6: the client reaches the VIP at dir1" lab_client_reaches dir1 "$LAB_VIP6"
tap_check "IPv6: the client's neighbour entry has dir1's MAC" lab_client_neigh_is dir1 "$LAB_VIP6"
sleep 0.3
lab_kill_director dir1
expect_holder dir2 "IPv6: kill -9 of the master: dir2 holds the VIP" "$LAB_VIP6" 2
# Before the client sends anything: only dir2's unsolicited NA can move it.
if wait_until 2 lab_client_neigh_is dir2 "$LAB_VIP6"; then
	tap_ok "IPv6: the client's neighbour entry moved to dir2's MAC (unsolicited NA)"
else
	tap_fail "IPv6: the client's neighbour entry moved to dir2's MAC (unsolicited NA)"
	tap_diag "client's entry: $(lab_client_neigh "$LAB_VIP6"), dir2: $(lab_mac dir2)"
fi
tap_check "IPv6: the client reaches the VIP at dir2" lab_client_reaches dir2 "$LAB_VIP6"
lab_start_director dir1 lbha "$c1"
expect_holder dir1 "IPv6: restarted dir1 preempts back" "$LAB_VIP6"

# ---- 8. notify scripts and the notify fifo ----
lab_reset
rec="$LAB_TMP/record.sh"
# shellcheck disable=SC2016
printf '#!/bin/sh\nf=$1\nshift\necho "$*" >>"$f"\n' >"$rec"
chmod 755 "$rec"
states="$LAB_TMP/notify.states"
generic="$LAB_TMP/notify.generic"
fifo="$LAB_TMP/notify.fifo"
fifo_out="$LAB_TMP/notify.fifo.out"
: >"$states"; : >"$generic"; : >"$fifo_out"
mkfifo "$fifo"
# The reader holds a write end too, so it never sees end-of-file between
# lbha's writes.
sh -c 'exec 3<>"$1"; exec cat <&3 >"$2"' fifo-reader "$fifo" "$fifo_out" &
netns_track_pid $!
notify="notify_master \"$rec $states master\"
notify_backup \"$rec $states backup\"
notify_fault \"$rec $states fault\"
notify \"$rec $generic\""
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 TRACK_INTERFACE=trk0 EXTRA="$notify" \
	GLOBAL="script_user root${NL}enable_script_security${NL}notify_fifo $fifo")
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3)
start_pair "$c1" "$c2" "notify"
n=$(client_vrrp_count 0.5)
if [ "$n" -gt 0 ]; then tap_ok "notify (multicast): the client sees VRRP multicast ($n in 0.5 s)"; else
	tap_fail "notify (multicast): the client sees VRRP multicast (none in 0.5 s)"
fi
ip -n "$D1" link set trk0 down
expect_holder dir2 "notify: trk0 down: dir2 takes the VIP"
ip -n "$D1" link set trk0 up
expect_holder dir1 "notify: trk0 up: dir1 preempts back"

# expect_lines FILE WHAT LINE...: FILE holds exactly these lines (waits for
# the scripts, which run one after another after each transition).
_lines_are() { _f=$1; shift; [ "$(cat "$_f")" = "$(printf '%s\n' "$@")" ]; }
expect_lines() {
	_f=$1 _w=$2; shift 2
	if wait_until 3 _lines_are "$_f" "$@"; then tap_ok "$_w"; else
		tap_fail "$_w"; tap_diag "got:"; tap_diag "$(cat "$_f")"; tap_diag "want:"
		tap_diag "$(printf '%s\n' "$@")"
	fi
}
expect_lines "$states" "notify: notify_backup/master/fault ran in the order of the transitions" \
	backup master fault backup master
expect_lines "$generic" "notify: the generic script got INSTANCE VI_1 STATE PRIORITY each time" \
	"INSTANCE VI_1 BACKUP 150" "INSTANCE VI_1 MASTER 150" "INSTANCE VI_1 FAULT 150" \
	"INSTANCE VI_1 BACKUP 150" "INSTANCE VI_1 MASTER 150"
expect_lines "$fifo_out" "notify: the fifo got one keepalived-format line per transition" \
	'INSTANCE "VI_1" BACKUP 150' 'INSTANCE "VI_1" MASTER 150' 'INSTANCE "VI_1" FAULT 150' \
	'INSTANCE "VI_1" BACKUP 150' 'INSTANCE "VI_1" MASTER 150'
expect_status dir1 notify.failed 0 "notify: vrrp.json counts no failed notify script"

# ---- 9. virtual_ipaddress_excluded and virtual_routes follow the master ----
for n in dir1 dir2; do lab_stop_director "$n"; done
EVIP=10.200.1.110
VROUTE=10.210.0.0/16
extras="virtual_ipaddress_excluded {
    $EVIP/24
}
virtual_routes {
    $VROUTE via 10.200.1.50 dev eth0
}"
# owns_extras NAME: NAME has the excluded VIP and the route, the other neither.
_has_extras() {
	ip -n "$(lab_ns "$1")" -o -4 addr show dev eth0 | grep -q " $EVIP/" &&
		[ -n "$(ip -n "$(lab_ns "$1")" route show "$VROUTE")" ]
}
_has_none() {
	! ip -n "$(lab_ns "$1")" -o -4 addr show dev eth0 | grep -q " $EVIP/" &&
		[ -z "$(ip -n "$(lab_ns "$1")" route show "$VROUTE")" ]
}
owns_extras() { _has_extras "$1" && _has_none "$(lab_other "$1")"; }
c1=$(lab_config dir1 PRIORITY=150 $V3 EXTRA="$extras")
c2=$(lab_config dir2 PRIORITY=100 $V3 EXTRA="$extras")
start_pair "$c1" "$c2" "routes"
if wait_until 3 owns_extras dir1; then
	tap_ok "routes: the master has the excluded VIP and the virtual route, the backup neither"
else
	tap_fail "routes: the master has the excluded VIP and the virtual route, the backup neither"
	diag_logs
fi
lab_stop_director dir1
if wait_until 3 owns_extras dir2; then
	tap_ok "routes: dir1 stopped: dir2 has them, dir1 removed both"
else
	tap_fail "routes: dir1 stopped: dir2 has them, dir1 removed both"; diag_logs
fi

for n in dir1 dir2; do lab_stop_director "$n"; done
check_overlap
check_no_complaints
check_no_sanitizer_reports dir1 dir2 client
tap_done
