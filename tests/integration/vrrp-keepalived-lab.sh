#!/bin/sh
# The VRRP lab (vrrp_lab.sh) proven with Debian's keepalived on both directors:
# an election, kill -9 of the master, restart and preempt, SIGTERM handover,
# and an IPv6/VRRPv3 round, while the sampler watches for dual holders.
# LAB_IMPL1 / LAB_IMPL2 (keepalived | lbha) choose who plays dir1 / dir2, so
# the same drill runs as an interop smoke once lbha's VRRP child works.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
IMPL1=${LAB_IMPL1:-keepalived}
IMPL2=${LAB_IMPL2:-keepalived}
lab_require $IMPL1 $IMPL2

ms_now() { echo $(($(date +%s%N) / 1000000)); }
diag_logs() { for n in dir1 dir2; do tap_diag "--- $n:"; tap_diag "$(lab_log "$n" | tail -n 15)"; done; }

if lab_up; then tap_ok "lab up: bridge, two directors, a client, responders"; else
	tap_fail "lab up: bridge, two directors, a client, responders"; tap_done; exit 1
fi

# VRRPv2, advert_int 1: Master_Down_Interval for dir2 (priority 100) is
# 3 + 156/256 s; its Skew_Time 0.61 s.
c1=$(lab_config dir1 PRIORITY=150 VRRP_VERSION=2)
c2=$(lab_config dir2 PRIORITY=100 VRRP_VERSION=2)
lab_sample_start
lab_start_director dir2 "$IMPL2" "$c2"
lab_start_director dir1 "$IMPL1" "$c1"

if lab_wait_holder dir1 8; then tap_ok "v2: one master elected (only dir1 holds the VIP)"; else
	tap_fail "v2: one master elected (only dir1 holds the VIP)"
	tap_diag "holder: '$(lab_vip_holder)'"; diag_logs
fi
tap_check "v2: the client reaches the VIP at dir1" lab_client_reaches dir1
tap_check "v2: the client's neighbour entry for the VIP has dir1's MAC" lab_client_neigh_is dir1
# The backup must have heard the master for a while before the crash.
sleep 1.5

t0=$(ms_now)
lab_kill_director dir1
if lab_wait_holder dir2 7; then
	tap_ok "v2: kill -9 of the master: dir2 holds the VIP ($(($(ms_now) - t0)) ms)"
else
	tap_fail "v2: kill -9 of the master: dir2 holds the VIP"
	tap_diag "holder: '$(lab_vip_holder)'"; diag_logs
fi
tap_check "v2: the client reaches the VIP at dir2" lab_client_reaches dir2
tap_check "v2: the client's neighbour entry now has dir2's MAC" lab_client_neigh_is dir2

lab_start_director dir1 "$IMPL1" "$c1"
if lab_wait_holder dir1 8; then tap_ok "v2: restarted dir1 (higher priority) preempts back"; else
	tap_fail "v2: restarted dir1 (higher priority) preempts back"
	tap_diag "holder: '$(lab_vip_holder)'"; diag_logs
fi
tap_check "v2: the client reaches the VIP at dir1 again" lab_client_reaches dir1
sleep 1.5

t0=$(ms_now)
lab_stop_director dir1
if lab_wait_holder dir2 5; then
	dt=$(($(ms_now) - t0))
	# Skew_Time is 609 ms; a takeover that waited Master_Down_Interval
	# (3609 ms) did not honour the priority-0 advert.
	if [ "$dt" -lt 2000 ]; then
		tap_ok "v2: SIGTERM of the master: dir2 takes over after the skew ($dt ms)"
	else
		tap_fail "v2: SIGTERM of the master: dir2 takes over after the skew ($dt ms, not < 2000)"
	fi
else
	tap_fail "v2: SIGTERM of the master: dir2 takes over"; diag_logs
fi
tap_check "v2: the client reaches the VIP at dir2 after the handover" lab_client_reaches dir2
lab_stop_director dir2
lab_sample_stop
tap_diag "v2: dual-holder intervals (VIP start end ms):"; tap_diag "$(cat "$LAB_TMP/overlaps")"
lab_split_check "v2" 1000
for n in dir1 dir2; do
	if lab_log "$n" | grep -iE "checksum|bad (packet|advert)|invalid|malformed" >/dev/null; then
		tap_fail "v2: $n logs no bad-packet complaint"
		tap_diag "$(lab_log "$n" | grep -iE "checksum|bad (packet|advert)|invalid|malformed" | head -5)"
	else
		tap_ok "v2: $n logs no bad-packet complaint"
	fi
done

# VRRPv3 over IPv6, advert_int 0.1, unicast: the harness's IPv6 side
# (addresses, unsolicited NA in the client's neighbour table).
lab_reset
c1=$(lab_config dir1 PRIORITY=150 VERSION=3 FAMILY=6 ADVERT=0.1 UNICAST=1)
c2=$(lab_config dir2 PRIORITY=100 VERSION=3 FAMILY=6 ADVERT=0.1 UNICAST=1)
lab_sample_start
lab_start_director dir2 "$IMPL2" "$c2"
lab_start_director dir1 "$IMPL1" "$c1"
if lab_wait_holder dir1 5 "$LAB_VIP6"; then tap_ok "v3/IPv6 unicast: one master elected (dir1)"; else
	tap_fail "v3/IPv6 unicast: one master elected (dir1)"
	tap_diag "holder: '$(lab_vip_holder "$LAB_VIP6")'"; diag_logs
fi
tap_check "v3/IPv6: the client reaches the VIP at dir1" lab_client_reaches dir1 "$LAB_VIP6"
tap_check "v3/IPv6: the client's neighbour entry has dir1's MAC" lab_client_neigh_is dir1 "$LAB_VIP6"
sleep 0.5
lab_kill_director dir1
if lab_wait_holder dir2 3 "$LAB_VIP6"; then tap_ok "v3/IPv6: kill -9 of the master: dir2 holds the VIP"; else
	tap_fail "v3/IPv6: kill -9 of the master: dir2 holds the VIP"; diag_logs
fi
tap_check "v3/IPv6: the client reaches the VIP at dir2" lab_client_reaches dir2 "$LAB_VIP6"
tap_check "v3/IPv6: the neighbour entry has dir2's MAC (unsolicited NA)" \
	lab_client_neigh_is dir2 "$LAB_VIP6"
lab_stop_director dir2
lab_sample_stop
lab_split_check "v3/IPv6"

tap_done
