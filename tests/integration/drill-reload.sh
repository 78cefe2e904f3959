#!/bin/sh
# Fault drill of issue 7: a reload storm.  dir1 (lbha, -P: VRRP only, the
# host kernel has no IPVS) gets 200 SIGHUPs in 10 s while its config file is
# replaced in turn by config A (VI_1 priority 150), a broken config, and
# config B (VI_1 priority 140 plus VI_2, VRID 52, with a second VIP); dir2
# (priority 100 for both) stays as it is.  lbha must not crash (same parent,
# no child restarted, no sanitizer report), must log the broken ones as
# rejected, and must end in the state of the last valid config it was given:
# its instances, priorities and VIPs, and dir2's VI_2 role that follows.
# Root only: SKIP without root, python3 or the lbha binary.
# shellcheck disable=SC2034,SC2154 # LAB_VIPS is read by vrrp_lab.sh; eval assigns the rest
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"

HUPS=${DRILL_HUPS:-200}
SECONDS_FOR_ALL=10
VIP2=10.200.1.101
LAB_VIPS="$LAB_VIP4 $VIP2"

if lab_up; then tap_ok "lab up"; else tap_fail "lab up"; tap_done; exit 1; fi

V3="VERSION=3 ADVERT=0.1"
vi2() { lab_instance INSTANCE=VI_2 VRID=52 VERSION=3 ADVERT=0.1 PRIORITY="$1" VIPS="$VIP2/24"; }
# shellcheck disable=SC2086
confA=$(lab_config A ME=dir1 PRIORITY=150 $V3)
# shellcheck disable=SC2086
confB=$(lab_config B ME=dir1 PRIORITY=140 $V3 TOP="$(vi2 140)")
confX="$LAB_TMP/X.conf"
# broken: an unterminated block and an out-of-range priority
{ cat "$confA"; printf 'vrrp_instance VI_9 {\n    priority 900\n'; } >"$confX"
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3 TOP="$(vi2 100)")
live="$LAB_TMP/dir1.live.conf"
cp "$confA" "$live"

lab_start_director dir2 lbha "$c2"
# -P: VRRP only (lab_start_director runs the default; start dir1 by hand)
ns1=$(lab_ns dir1); mkdir -p "$(lab_runtime_dir dir1)"
ip netns exec "$ns1" setsid "$LBHA" -n -l -D -P -f "$live" --runtime-dir "$(lab_runtime_dir dir1)" \
	>>"$LAB_TMP/dir1.log" 2>&1 &
pid1=$!
netns_track_pid "$pid1"; echo "$pid1" >"$LAB_TMP/dir1.pid"
if lab_wait_holder dir1 5; then tap_ok "dir1 is master on config A"; else
	tap_fail "dir1 is master on config A"; diag_logs
fi
wait_until 3 lab_status_is dir1 instances.VI_1.state MASTER
child_pids() { ps -o pid= --ppid "$pid1" | tr -d ' ' | sort | tr '\n' ' '; }
children0=$(child_pids)

# ---- the storm: A, X, B, A, X, B ... one SIGHUP each, 20 a second ----
last_valid=""
t0=$(date +%s%N)
i=0
while [ "$i" -lt "$HUPS" ]; do
	case $((i % 3)) in
	0) src=$confA; last_valid=A ;;
	1) src=$confX ;;
	2) src=$confB; last_valid=B ;;
	esac
	cp "$src" "$live.new" && mv "$live.new" "$live"
	kill -HUP "$pid1" 2>/dev/null || break
	i=$((i + 1))
	# pace to HUPS in SECONDS_FOR_ALL
	due=$((t0 + i * SECONDS_FOR_ALL * 1000000000 / HUPS))
	now=$(date +%s%N)
	[ "$now" -ge "$due" ] || sleep "$(awk -v d=$((due - now)) 'BEGIN { printf "%.3f", d / 1e9 }')"
done
t_ms=$((($(date +%s%N) - t0) / 1000000))
tap_diag "sent $i SIGHUPs in $t_ms ms; the last config was $([ $((HUPS % 3)) = 2 ] && echo broken || echo valid), the last valid one $last_valid"
tap_check "storm: $HUPS SIGHUPs delivered (the parent never went away)" test "$i" = "$HUPS"
tap_check "storm: the parent is still running" kill -0 "$pid1"

# The final state: the last valid config's.
if [ "$last_valid" = B ]; then
	want_vi1=140 want_holder2=dir1 want_n=2
else
	want_vi1=150 want_holder2=dir2 want_n=1
fi
final_ok() {
	lab_status_is dir1 instances.VI_1.priority "$want_vi1" &&
		[ "$(lab_status dir1 config_vrrp_instances)" = "$want_n" ] &&
		_lab_holder_is dir1 "$LAB_VIP4" && _lab_holder_is "$want_holder2" "$VIP2"
}
if wait_until 8 final_ok; then
	tap_ok "final state is config $last_valid's: VI_1 priority $want_vi1, $want_n instance(s), $VIP2 on $want_holder2"
else
	tap_fail "final state is config $last_valid's: VI_1 priority $want_vi1, $want_n instance(s), $VIP2 on $want_holder2"
	tap_diag "VI_1 priority $(lab_status dir1 instances.VI_1.priority), instances $(lab_status dir1 config_vrrp_instances), $VIP2 on '$(lab_vip_holder "$VIP2")'"
	diag_logs
fi
children1=$(child_pids)
tap_check "no child of dir1 was restarted (children '$children0' -> '$children1')" \
	test "$children0" = "$children1"
rejected=$(grep -c "reload failed" "$LAB_TMP/dir1.log")
tap_check "the broken configs were rejected and logged ($rejected 'reload failed' lines)" \
	test "$rejected" -gt 0
# lbha -t agrees which of the three is broken
tap_check "lbha -t rejects the broken config, accepts A and B" sh -c \
	'! "$1" -t -f "$2" >/dev/null 2>&1 && "$1" -t -f "$3" >/dev/null 2>&1 && "$1" -t -f "$4" >/dev/null 2>&1' \
	- "$LBHA" "$confX" "$confA" "$confB"
# one more (valid) reload after the storm still works
cp "$confA" "$live"; kill -HUP "$pid1"
want_vi1=150 want_holder2=dir2 want_n=1
tap_check "after the storm a reload to config A still applies" wait_until 8 final_ok
lab_stop_director dir1; lab_stop_director dir2
check_no_sanitizer_reports dir1 dir2
tap_done
