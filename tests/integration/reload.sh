#!/bin/sh
# Hitless reload of the VRRP side (issue 6, "Reload"), lbha as both
# directors of the namespace lab (vrrp_lab.sh), VRRPv3 advert_int 0.1.
# dir1 (priority 150) is master of VI_1 (VIPs .100 .101 .102) and VI_2
# (VIP .110); dir2 (priority 100) is backup of both.  While `ip monitor
# address` watches both directors:
#   - 100 SIGHUPs of the unchanged file to each director (each waited for in
#     the log, no sleep), then 20 reloads that change only a virtual_server
#     (the VRRP child applies each: config_generation in vrrp.json): zero
#     VRRP transitions (vrrp.json counters) and zero address events;
#   - a priority change (150 -> 140) reaches the backup (its master_priority)
#     without a transition; dir2 raised to 200 preempts, back to 100 and
#     dir1 preempts again (what preemption demands, and only that);
#   - one VIP added and one removed: exactly those two address events, the
#     other VIPs untouched, no transition;
#   - VI_2 removed from the master's config: a priority-0 advert for it on
#     the wire (tshark) before dir2's first advert, dir2 master by "master
#     stopped" (the skew timer, not Master_Down_Interval), VI_1 untouched.
# Root only; SKIPs without root, python3, tshark or lbha.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
command -v tshark >/dev/null 2>&1 || { echo "1..0 # SKIP tshark is not installed"; exit 0; }

RELOADS=${RELOADS:-100}
LAB_VIPS="10.200.1.100 10.200.1.101 10.200.1.102 10.200.1.103 10.200.1.110"

diag_logs() { for n in dir1 dir2; do tap_diag "--- $n:"; tap_diag "$(lab_log "$n" | tail -n 20)"; done; }
check() {
	_w=$1; shift
	if "$@"; then tap_ok "$_w"; else tap_fail "$_w"; diag_logs; fi
}
st() { lab_status "$1" "instances.$2.$3"; }
st_is() { lab_status_is "$1" "instances.$2.$3" "$4"; }

# conf NAME PRIORITY "VIPS" WITH_VI2 WEIGHT: a director's config.  The
# virtual_server is only there to be changed (WEIGHT) without touching VRRP.
# skip_check_adv_addr: each director is reloaded on its own, and a backup
# must not drop the master's adverts while their VIP lists differ.
conf() {
	_c="$LAB_TMP/$1.conf"
	{
		echo "global_defs {"
		echo "    router_id $1"
		echo "}"
		lab_instance ME="$1" INSTANCE=VI_1 VRID=51 PRIORITY="$2" VERSION=3 ADVERT=0.1 \
			VIPS="$3" EXTRA="skip_check_adv_addr"
		[ "$4" = 1 ] && lab_instance ME="$1" INSTANCE=VI_2 VRID=52 PRIORITY="$2" VERSION=3 \
			ADVERT=0.1 VIPS="10.200.1.110/24"
		echo "virtual_server 10.200.1.200 80 {"
		echo "    protocol TCP"
		echo "    real_server 10.200.1.201 80 {"
		echo "        weight $5"
		echo "    }"
		echo "}"
	} >"$_c.new" && mv "$_c.new" "$_c"
	echo "$_c"
}

# log_count NAME PATTERN: lines of NAME's log matching PATTERN
log_count() { grep -c "$2" "$LAB_TMP/$1.log" 2>/dev/null; }

# hup_wait NAME PATTERN: SIGHUP NAME, then wait (10 s) for one more log
# line matching PATTERN than before.
hup_wait() {
	_before=$(log_count "$1" "$2")
	kill -HUP "$(lab_director_pid "$1")" || return 1
	_i=0
	while [ "$(log_count "$1" "$2")" -le "$_before" ]; do
		_i=$((_i + 1))
		[ "$_i" -lt 2000 ] || return 1
		sleep 0.005
	done
}

# gen NAME: the VRRP child's config generation
gen() { lab_json_get config_generation <"$(lab_runtime_dir "$1")/vrrp.json" 2>/dev/null; }
gen_above() { _g=$(gen "$1") && [ "$_g" -gt "$2" ]; }

# reload_applied NAME: SIGHUP and wait until the VRRP child runs the new generation
reload_applied() {
	_g=$(gen "$1")
	kill -HUP "$(lab_director_pid "$1")" && wait_until 10 gen_above "$1" "$_g"
}

# counters NAME: the counters that must not move, of both instances
counters() {
	for _i in VI_1 VI_2; do
		printf '%s %s %s %s\n' "$_i" "$(st "$1" $_i state)" \
			"$(st "$1" $_i counters.transitions)" "$(st "$1" $_i counters.became_master)"
	done
}

# monitors: `ip monitor address` in both directors, one file each
mon_start() {
	for _n in dir1 dir2; do
		: >"$LAB_TMP/$_n.mon"
		ip -n "$(lab_ns "$_n")" monitor address >"$LAB_TMP/$_n.mon" 2>&1 &
		netns_track_pid $!
		echo $! >"$LAB_TMP/$_n.mon.pid"
	done
	sleep 0.2
}
mon_stop() {
	sleep 0.2
	for _n in dir1 dir2; do
		kill "$(cat "$LAB_TMP/$_n.mon.pid")" 2>/dev/null
		wait "$(cat "$LAB_TMP/$_n.mon.pid")" 2>/dev/null
	done
}
# mon_events NAME: the address events seen ("add ADDR" / "del ADDR"), sorted
mon_events() {
	awk '{ del = ($1 == "Deleted"); for (i = 1; i <= NF; i++) if ($i == "inet" || $i == "inet6") {
		print (del ? "del " : "add ") $(i + 1); break } }' "$LAB_TMP/$1.mon" | LC_ALL=C sort
}
no_events() {
	_e=$(mon_events "$1")
	[ -z "$_e" ] && return 0
	tap_diag "$1 address events: $_e"
	return 1
}
# same_counters: neither director's counters moved since before1/before2
same_counters() {
	[ "$(counters dir1)" = "$before1" ] && [ "$(counters dir2)" = "$before2" ] && return 0
	tap_diag "dir1 before: $before1 / now: $(counters dir1)"
	tap_diag "dir2 before: $before2 / now: $(counters dir2)"
	return 1
}
no_events_both() { no_events dir1 && no_events dir2; }
master_by() { st_is "$1" "$2" state MASTER && st_is "$1" "$2" last_reason "$3"; }
holds() { ip -n "$(lab_ns "$1")" -4 addr show dev eth0 | grep -q "inet $2/"; }
holds_all() {
	_n=$1; shift
	for _a in "$@"; do holds "$_n" "$_a" || { tap_diag "$_n lacks $_a"; return 1; }; done
}
holds_none() {
	_n=$1; shift
	for _a in "$@"; do ! holds "$_n" "$_a" || { tap_diag "$_n holds $_a"; return 1; }; done
}

V3="10.200.1.100/24 10.200.1.101/24 10.200.1.102/24"
if ! lab_up; then
	tap_fail "the lab is up"
	tap_done
	exit 1
fi
c1=$(conf dir1 150 "$V3" 1 1)
c2=$(conf dir2 100 "$V3" 1 1)
lab_start_director dir1 lbha "$c1"
wait_until 5 st_is dir1 VI_1 state MASTER
lab_start_director dir2 lbha "$c2"
up140() {
	st_is dir1 VI_1 state MASTER && st_is dir1 VI_2 state MASTER &&
		st_is dir2 VI_1 state BACKUP && st_is dir2 VI_2 state BACKUP &&
		st_is dir2 VI_1 master_priority 140 && st_is dir2 VI_2 master_priority 140
}
up() {
	st_is dir1 VI_1 state MASTER && st_is dir1 VI_2 state MASTER &&
		st_is dir2 VI_1 state BACKUP && st_is dir2 VI_2 state BACKUP &&
		st_is dir2 VI_1 master_priority 150
}
check "dir1 is master of VI_1 and VI_2, dir2 backup of both" wait_until 10 up
holds_all dir1 10.200.1.100 10.200.1.101 10.200.1.102 10.200.1.110 >/dev/null
before1=$(counters dir1) before2=$(counters dir2)

# ---- unchanged reloads ----
mon_start
t0=$(date +%s%N)
ok=1
i=0
while [ "$i" -lt "$RELOADS" ]; do
	i=$((i + 1))
	for n in dir1 dir2; do
		hup_wait "$n" "reload: .* is unchanged" || { ok=0; tap_diag "$n: reload $i not answered"; break 2; }
	done
done
t1=$(date +%s%N)
check "$RELOADS unchanged reloads of each director are answered (\"is unchanged\")" [ "$ok" = 1 ]
tap_diag "$((2 * RELOADS)) reloads in $(((t1 - t0) / 1000000)) ms"
g1=$(gen dir1)
ok=1
for w in 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1 2 1; do
	conf dir1 150 "$V3" 1 "$w" >/dev/null
	reload_applied dir1 || { ok=0; break; }
done
check "20 reloads changing only a virtual_server are applied by the VRRP child (generation $g1 -> $(gen dir1))" \
	[ "$ok" = 1 ]
mon_stop
check "no VRRP transition on either director (counters unchanged)" same_counters
check "no address event on either director (ip monitor address)" no_events_both
check "dir1 still holds every VIP" holds_all dir1 10.200.1.100 10.200.1.101 10.200.1.102 10.200.1.110

# ---- priority ----
rx=$(st dir2 VI_1 counters.adverts_received)
conf dir1 140 "$V3" 1 1 >/dev/null
reload_applied dir1
check "priority 150 -> 140 on the master: advertised at once, the backup sees 140" \
	wait_until 5 st_is dir2 VI_1 master_priority 140
tap_diag "dir2 received $(($(st dir2 VI_1 counters.adverts_received) - rx)) adverts meanwhile"
check "... with no transition" same_counters
conf dir2 200 "$V3" 1 1 >/dev/null
reload_applied dir2
check "backup raised to 200: dir2 becomes master of VI_1 by preempting" \
	wait_until 5 master_by dir2 VI_1 preempt
wait_until 5 st_is dir1 VI_1 state BACKUP
conf dir2 100 "$V3" 1 1 >/dev/null
reload_applied dir2
check "back to 100: dir1 (140) preempts again" wait_until 5 master_by dir1 VI_1 preempt
wait_until 5 up140
wait_until 3 holds_all dir1 10.200.1.100 10.200.1.101 10.200.1.102 10.200.1.110 >/dev/null
before1=$(counters dir1) before2=$(counters dir2)

# ---- one VIP added, one removed ----
V3b="10.200.1.100/24 10.200.1.101/24 10.200.1.103/24"
mon_start
conf dir2 100 "$V3b" 1 1 >/dev/null
reload_applied dir2
conf dir1 140 "$V3b" 1 1 >/dev/null
reload_applied dir1
wait_until 3 holds dir1 10.200.1.103
mon_stop
vips_b() { holds_all dir1 10.200.1.100 10.200.1.101 10.200.1.103 10.200.1.110 && holds_none dir1 10.200.1.102; }
check "VIP .103 added and .102 removed on the master" vips_b
ev=$(mon_events dir1 | tr '\n' ' ')
check "exactly those two address events on dir1 ($ev)" [ "$ev" = "add 10.200.1.103/24 del 10.200.1.102/24 " ]
check "none on dir2 (backup)" no_events dir2
check "no transition" same_counters

# ---- instance removed on the master ----
p0=$(st dir2 VI_2 counters.prio0_received)
lab_capture_start "$LAB_TMP/remove.pcap"
conf dir1 140 "$V3b" 0 1 >/dev/null
reload_applied dir1
check "VI_2 removed from dir1: dir2 takes it over" wait_until 5 st_is dir2 VI_2 state MASTER
lab_capture_stop
got_prio0() { [ "$(st dir2 VI_2 counters.prio0_received)" = $((p0 + 1)) ] && master_by dir2 VI_2 "master stopped"; }
check "dir2 received the priority-0 advert and became master by \"master stopped\"" got_prio0
# the VRRP packets of VRID 52 after the reload: source, priority, time
HOME=$LAB_TMP XDG_CONFIG_HOME=$LAB_TMP tshark -r "$LAB_TMP/remove.pcap" -Y "vrrp.virt_rtr_id == 52" \
	-T fields -e ip.src -e vrrp.prio -e frame.time_epoch 2>/dev/null >"$LAB_TMP/vrid52.txt"
order=$(awk '$1 == "10.200.1.11" && $2 == 0 && !p { p = $3 }
	$1 == "10.200.1.12" && !d { d = $3; if (p && p <= d) printf "prio0-first, dir2 %.1f ms later", (d - p) * 1000; else printf "dir2-first" }' \
	"$LAB_TMP/vrid52.txt")
check "on the wire: dir1's priority-0 advert for VRID 52, then dir2's first advert ($order)" \
	[ "${order%%,*}" = prio0-first ]
[ "${order%%,*}" = prio0-first ] || tap_diag "$(cat "$LAB_TMP/vrid52.txt" | head -n 20)"
vips_c() { holds_none dir1 10.200.1.110 && holds_all dir1 10.200.1.100 10.200.1.101 10.200.1.103; }
check "dir1 removed VI_2's VIP and kept VI_1's" vips_c
vi1_same() {
	[ "$(counters dir1 | head -n 1)" = "$(echo "$before1" | head -n 1)" ] &&
		[ "$(counters dir2 | head -n 1)" = "$(echo "$before2" | head -n 1)" ]
}
if vi1_same; then tap_ok "VI_1 untouched (state and counters on both)"; else
	tap_fail "VI_1 untouched (state and counters on both)"
	tap_diag "dir2 VI_1 drops: $(st dir2 VI_1 counters.drops)"
	HOME=$LAB_TMP XDG_CONFIG_HOME=$LAB_TMP tshark -r "$LAB_TMP/remove.pcap" \
		-Y "vrrp.virt_rtr_id == 51" -T fields -e ip.src -e vrrp.prio -e frame.time_epoch 2>/dev/null |
		tail -n 30 >"$LAB_TMP/vrid51.txt"
	tap_diag "VRID 51 on the wire: $(cat "$LAB_TMP/vrid51.txt")"
	diag_logs
fi
lab_stop_director dir1
lab_stop_director dir2
tap_done
