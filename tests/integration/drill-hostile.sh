#!/bin/sh
# Fault drill of issue 7: hostile VRRP traffic from a third namespace ("evil",
# 10.200.1.66 on the lab's bridge) against two lbha directors running two
# instances: VI_1 VRRPv2 with PASS authentication (VRID 51, 1 s) and VI_2
# VRRPv3 (VRID 52, 0.2 s: the flood shares two cores
# with both directors and the sender).  tests/integration/vrrp_hostile.py builds each
# kind with correct checksums where the kind is "good but hostile", claims
# priority 254 (above the real master's 150), and sends them:
#   TTL 254, wrong VRID, bad checksum, wrong password, shorter than a
#   header, truncated (one address short), 255 addresses,
# then a flood of 10,000 adverts/s of all kinds for two seconds.
# Every packet must be dropped and counted under its reason in vrrp.json
# (instances' drops or unmatched_drops), the master keeps both VIPs with no
# transition anywhere, and the VRRP child's CPU during the flood is printed
# (not asserted).  Adverts from an unlisted unicast source are covered by
# vrrp-lbha-modes.sh ("unicast: dir1 drops the unlisted source's adverts").
# Root only: SKIP without root, python3 or the lbha binary.
# shellcheck disable=SC2034,SC2154 # LAB_VIPS is read by vrrp_lab.sh; eval assigns the rest
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"
HOSTILE="$top_srcdir/tests/integration/vrrp_hostile.py"

VIP2=10.200.1.101
LAB_VIPS="$LAB_VIP4 $VIP2 $LAB_VIP6"
EVIL_ADDR=10.200.1.66
N=20                    # packets of each kind
FLOOD_RATE=10000
FLOOD_SECONDS=2

if lab_up && EVIL=$(netns_new evil) && netns_attach "$LAB_BR" "$EVIL" eth0 &&
	ip -n "$EVIL" addr add "$EVIL_ADDR/24" dev eth0; then
	tap_ok "lab up: two directors, a client, and a hostile host on the bridge"
else
	tap_fail "lab up"; tap_done; exit 1
fi

auth="authentication {
    auth_type PASS
    auth_pass secret
}"
# lab_config's default instance is VI_1; VI_2 comes in TOP.
vi2() { lab_instance INSTANCE=VI_2 VRID=52 VERSION=3 ADVERT=0.2 PRIORITY="$1" VIPS="$VIP2/24"; }
c1=$(lab_config dir1 PRIORITY=150 VERSION=2 ADVERT=1 EXTRA="$auth" TOP="$(vi2 150)")
c2=$(lab_config dir2 PRIORITY=100 VERSION=2 ADVERT=1 EXTRA="$auth" TOP="$(vi2 100)")
lab_start_director dir2 lbha "$c2"
lab_start_director dir1 lbha "$c1"
holds_both_vips() { _lab_holder_is dir1 "$LAB_VIP4" && _lab_holder_is dir1 "$VIP2"; }
if wait_until 8 holds_both_vips; then tap_ok "dir1 is master of VI_1 (v2, auth) and VI_2 (v3)"; else
	tap_fail "dir1 is master of VI_1 (v2, auth) and VI_2 (v3)"; diag_holders; diag_logs
fi
wait_until 3 lab_status_is dir2 instances.VI_2.state BACKUP

# drop NAME WHERE REASON: a drop counter (WHERE: unmatched, VI_1, VI_2).
drop() {
	case $2 in
	unmatched) lab_status "$1" "unmatched_drops.$3" ;;
	*) lab_status "$1" "instances.$2.counters.drops.$3" ;;
	esac
}
# drops_total NAME: every drop counter of NAME, summed.
drops_total() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
n = sum(d["unmatched_drops"].values())
n += sum(sum(i["counters"]["drops"].values()) for i in d["instances"])
print(n)' "$(lab_runtime_dir "$1")/vrrp.json"
}
transitions() {
	echo "$(lab_status "$1" instances.VI_1.counters.transitions)/$(lab_status "$1" instances.VI_2.counters.transitions)"
}
_counter_is() { [ "$(drop "$1" "$2" "$3")" = "$4" ]; }
send() {
	ip netns exec "$EVIL" python3 "$HOSTILE" send eth0 "$EVIL_ADDR" "$@" >"$LAB_TMP/send.out" 2>&1
}

tr1=$(transitions dir1); tr2=$(transitions dir2)
# KIND:SETTINGS:WHERE:REASON.  All kinds are sent first, then every counter
# is checked: the counters reach vrrp.json within a second.
KINDS="ttl:VRID=52:unmatched:ttl vrid:VRID=52:unmatched:vrid
checksum:VRID=52:unmatched:checksum auth:VRID=51:VI_1:auth short:VRID=52:unmatched:too_short
truncated:VRID=52:unmatched:length addrs255:VRID=52:VI_2:addresses"
split() { echo "$1" | tr ':' ' '; }
for spec in $KINDS; do
	# shellcheck disable=SC2046
	set -- $(split "$spec")
	echo "$(drop dir1 "$3" "$4") $(drop dir2 "$3" "$4")" >"$LAB_TMP/before.$1"
	send "$1" "$N" "$2" ADDRS="$VIP2" || { tap_diag "$(cat "$LAB_TMP/send.out")"; echo fail >"$LAB_TMP/before.$1"; }
done
for spec in $KINDS; do
	# shellcheck disable=SC2046
	set -- $(split "$spec")
	read -r b1 b2 <"$LAB_TMP/before.$1"
	[ "$b1" != fail ] || { tap_fail "$1: vrrp_hostile.py sent it"; continue; }
	w1=$((b1 + N)); w2=$((b2 + N))
	if wait_until 3 _counter_is dir1 "$3" "$4" "$w1" && wait_until 2 _counter_is dir2 "$3" "$4" "$w2"; then
		tap_ok "$1: $N adverts dropped and counted as $3.$4 on both directors"
	else
		tap_fail "$1: $N adverts dropped and counted as $3.$4 on both directors (dir1 $b1 -> $(drop dir1 "$3" "$4"), dir2 $b2 -> $(drop dir2 "$3" "$4"))"
		tap_diag "$(lab_log dir1 | grep -i drop | tail -n 3)"
	fi
done
if [ "$(transitions dir1)/$(transitions dir2)" = "$tr1/$tr2" ] && holds_both_vips; then
	tap_ok "after each kind: dir1 still master of both, no transition anywhere ($tr1, $tr2)"
else
	tap_fail "after each kind: dir1 still master of both, no transition ($tr1 -> $(transitions dir1), $tr2 -> $(transitions dir2))"
	diag_holders; diag_logs
fi

# ---- the flood ----
# vrrp_child_pid NAME: the director's lbha-vrrp process.
vrrp_child_pid() {
	ps -o pid=,comm= --ppid "$(lab_director_pid "$1")" | awk '$2 == "lbha-vrrp" { print $1 }'
}
# cpu_ticks PID: utime + stime
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# raw_drops NAME: what the kernel dropped on NAME's VRRP raw sockets (full buffers)
raw_drops() {
	ip netns exec "$(lab_ns "$1")" awk 'NR > 1 && $2 ~ /:0070$/ { d += $NF } END { print d + 0 }' /proc/net/raw
}
# backlog_drops: frames the kernel dropped on its per-CPU input queues (all
# namespaces: an upper bound of what the flood lost on the way)
backlog_drops() {
	_t=0
	while read -r _a _b _rest; do _t=$((_t + 0x$_b)); done </proc/net/softnet_stat
	echo "$_t"
}
v1=$(vrrp_child_pid dir1); v2=$(vrrp_child_pid dir2)
b0=$(backlog_drops)
t1=$(drops_total dir1); t2=$(drops_total dir2)
k1=$(raw_drops dir1); k2=$(raw_drops dir2)
c1=$(cpu_ticks "$v1"); c2=$(cpu_ticks "$v2")
count=$((FLOOD_RATE * FLOOD_SECONDS))
t0=$(date +%s%N)
send mix "$count" "$FLOOD_RATE" VRID=52 ADDRS="$VIP2"
t_ms=$((($(date +%s%N) - t0) / 1000000))
d1=$(($(cpu_ticks "$v1") - c1)); d2=$(($(cpu_ticks "$v2") - c2))
hz=$(getconf CLK_TCK)
tap_diag "flood: $(cat "$LAB_TMP/send.out") (wanted $FLOOD_RATE/s)"
tap_diag "flood: lbha-vrrp CPU dir1 $((d1 * 1000 / hz)) ms, dir2 $((d2 * 1000 / hz)) ms in $t_ms ms ($((d1 * 100000 / hz / (t_ms + 1)))% / $((d2 * 100000 / hz / (t_ms + 1)))% of a core)"
for n in dir1 dir2; do
	eval "before=\$t${n#dir}; kbefore=\$k${n#dir}"
	# counters reach vrrp.json within a second; wait until they stop moving
	# vrrp.json takes counters at most once a second: settled when two
	# reads more than a second apart agree
	prev=""
	for _i in 1 2 3 4 5 6; do
		cur=$(drops_total "$n")
		[ "$cur" = "$prev" ] && break
		prev=$cur; sleep 1.2
	done
	counted=$((cur - before)); kdrop=$(($(raw_drops "$n") - kbefore))
	bdrop=$(($(backlog_drops) - b0))
	w="flood: $n counted $counted of $count adverts, the kernel dropped $kdrop on full socket buffers, $bdrop in its backlogs"
	if [ "$((counted + kdrop + bdrop))" -ge "$count" ] && [ "$counted" -gt 0 ]; then tap_ok "$w"; else
		tap_fail "$w (not all accounted for)"
	fi
done
if [ "$(transitions dir1)/$(transitions dir2)" = "$tr1/$tr2" ] && holds_both_vips &&
	lab_status_is dir1 instances.VI_2.state MASTER && lab_status_is dir2 instances.VI_2.state BACKUP; then
	tap_ok "flood: dir1 kept both VIPs and its role, dir2 stayed backup, no transition"
else
	tap_fail "flood: dir1 kept both VIPs and its role ($tr1 -> $(transitions dir1), $tr2 -> $(transitions dir2))"
	diag_holders; diag_logs
fi
for n in dir1 dir2; do
	tap_check "$n: lbha is still running after the flood" kill -0 "$(lab_director_pid "$n")"
done
lab_stop_director dir1; lab_stop_director dir2
check_no_sanitizer_reports dir1 dir2
tap_done
