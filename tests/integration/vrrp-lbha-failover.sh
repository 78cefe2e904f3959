#!/bin/sh
# Failover drills with lbha as both directors (issue 3, "Namespaces"): the
# election, kill -9 of the master, restart and preempt, a VIP deleted by
# hand, the operator handover, SIGTERM (priority-0 advert, skew takeover),
# nopreempt and preempt_delay, while a sampler watches for dual holders.
# VRRPv2 advert_int 1 first (the takeover times are the RFC's), then VRRPv3
# advert_int 0.1 for the drills that watch "nothing happens" windows.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha

ms_now() { echo $(($(date +%s%N) / 1000000)); }
diag_logs() { for n in dir1 dir2; do tap_diag "--- $n:"; tap_diag "$(lab_log "$n" | tail -n 15)"; done; }
# check WHAT CMD...: tap_check, with the holder and the logs on failure.
check() {
	_w=$1; shift
	if "$@"; then tap_ok "$_w"; else
		tap_fail "$_w"; tap_diag "holder: '$(lab_vip_holder)'"; diag_logs
	fi
}
vget() { lab_status "$1" "instances.VI_1.$2"; }
vi_is() { lab_status_is "$1" "instances.VI_1.$2" "$3"; }
vi_gt() { _v=$(vget "$1" "$2") && [ "$_v" -gt "$3" ]; }
# holder_stays NAME MS: exactly NAME holds the VIP at every 50 ms sample.
holder_stays() {
	_end=$(($(ms_now) + $2))
	while [ "$(ms_now)" -lt "$_end" ]; do
		_lab_holder_is "$1" "$LAB_VIP4" || return 1
		sleep 0.05
	done
}
# gone NAME: no lbha process left in NAME's namespace and no VIP on it.
gone() {
	_left=$(lab_lbha_left "$1")
	[ -z "$_left" ] && ! lab_holds "$1" && return 0
	tap_diag "$1 still has: processes '$_left', VIP held: $(lab_holds "$1" && echo yes || echo no)"
	return 1
}
# overlap_below PHASE ADVERT_MS MIN_EVENTS: the sampler saw the VIP move (at
# least MIN_EVENTS adds/deletes, so a "0 ms" is not a blind sampler) and
# every split resolved at once (lab_split_check, for that advert interval).
# stop NAME: SIGTERM and wait up to 10 s for the whole daemon to exit; on a
# timeout show what is left (state, wait channel) before the lab kills it.
stop() {
	_p=$(lab_director_pid "$1")
	kill -TERM "$_p" 2>/dev/null
	wait_until 10 _lab_gone "$1" && lab_stop_director "$1" && return 0
	tap_diag "$1 did not exit 10 s after SIGTERM; left:"
	tap_diag "$(ps -o pid,ppid,stat,wchan:24,etime,comm -p "$(_lab_session_pids "$1" | tr '\n' ',' | sed 's/,$//')" 2>&1)"
	tap_diag "$(lab_log "$1" | tail -n 20)"
	lab_stop_director "$1" 1
	return 1
}
overlap_below() {
	ev=$(cat "$LAB_TMP/mon.dir1" "$LAB_TMP/mon.dir2" | grep -c " $LAB_VIP4/")
	if [ "$ev" -ge "$3" ]; then tap_ok "$1: the sampler recorded the VIP moves ($ev events >= $3)"
	else tap_fail "$1: the sampler recorded the VIP moves ($ev events, not >= $3)"; fi
	lab_split_check "$1" "$2"
}

if lab_up; then tap_ok "lab up: bridge, two directors, a client, responders"; else
	tap_fail "lab up: bridge, two directors, a client, responders"; tap_done; exit 1
fi
A1=$(lab_addr dir1); A2=$(lab_addr dir2)

# ---- VRRPv2, advert_int 1 ------------------------------------------------
# dir2 (priority 100): Skew_Time 0.609 s, Master_Down_Interval 3.609 s;
# dir1 (priority 150): 0.414 s and 3.414 s.
c1=$(lab_config dir1 PRIORITY=150 VRRP_VERSION=2)
c2=$(lab_config dir2 PRIORITY=100 VRRP_VERSION=2)
lab_sample_start
lab_start_director dir2 lbha "$c2"
lab_start_director dir1 lbha "$c1"

# 1. Election.
check "v2 1s: one master elected (only dir1 holds the VIP)" lab_wait_holder dir1 8
check "v2 1s: the client reaches the VIP at dir1" lab_client_reaches dir1
check "v2 1s: the client's neighbour entry for the VIP has dir1's MAC" lab_client_neigh_is dir1
# Counters and the backup's master address reach vrrp.json within a second.
check "v2 1s: the backup (dir2) counts the master's adverts (adverts_received > 0)" \
	wait_until 4 vi_gt dir2 counters.adverts_received 0
check "v2 1s: the master (dir1) counts its adverts (adverts_sent > 0)" \
	wait_until 4 vi_gt dir1 counters.adverts_sent 0
st1=$(lab_status_cli dir1 instances.VI_1.state)
check "v2 1s: lbha status --json on dir1: MASTER (got '$st1')" test "$st1" = MASTER
st2=$(lab_status_cli dir2 instances.VI_1.state); m2=$(lab_status_cli dir2 instances.VI_1.master)
check "v2 1s: lbha status --json on dir2: BACKUP, master $A1 (got '$st2', '$m2')" \
	test "$st2/$m2" = "BACKUP/$A1"

# 2. kill -9 of the master (the lab drops its VIP: a dead host).
t0=$(ms_now)
lab_kill_director dir1
if lab_wait_holder dir2 8; then
	# Master_Down_Interval 3609 ms after dir1's last advert (up to 1 s ago).
	tap_ok "v2 1s: kill -9 of the master: dir2 holds the VIP ($(($(ms_now) - t0)) ms)"
else
	tap_fail "v2 1s: kill -9 of the master: dir2 holds the VIP"; diag_logs
fi
check "v2 1s: the client reaches the VIP at dir2" lab_client_reaches dir2
check "v2 1s: the client's neighbour entry moved to dir2's MAC (GARP)" \
	wait_until 2 lab_client_neigh_is dir2
check "v2 1s: nothing of the killed dir1 is left (no process, no VIP)" gone dir1
r=$(vget dir2 last_reason)
check "v2 1s: dir2's takeover reason is 'master down' (got '$r')" test "$r" = "master down"

# 3. Restart dir1: it preempts back (after its Master_Down_Interval).
lab_start_director dir1 lbha "$c1"
check "v2 1s: restarted dir1 (priority 150) preempts back, dir2 released" lab_wait_holder dir1 8
check "v2 1s: dir2 is BACKUP again with dir1 as master" \
	wait_until 3 vi_is dir2 master "$A1"
check "v2 1s: the client reaches the VIP at dir1 again" lab_client_reaches dir1

# 7. A VIP deleted by hand on the master comes back, with no transition.
tr1=$(vget dir1 counters.transitions); tr2=$(vget dir2 counters.transitions)
ip -n "$(lab_ns dir1)" addr del "$LAB_VIP4/24" dev eth0
t0=$(ms_now)
if wait_until 3 lab_holds dir1; then
	tap_ok "v2 1s: a VIP deleted by hand on the master is put back ($(($(ms_now) - t0)) ms)"
else
	tap_fail "v2 1s: a VIP deleted by hand on the master is put back"; diag_logs
fi
check "v2 1s: dir1's vrrp.json counts it (vips_restored 1)" \
	wait_until 3 vi_is dir1 counters.vips_restored 1
check "v2 1s: no transition on either director (transitions $tr1 / $tr2 unchanged)" \
	test "$(vget dir1 counters.transitions)/$(vget dir2 counters.transitions)/$(vget dir1 state)" \
	= "$tr1/$tr2/MASTER"
check "v2 1s: only dir1 holds the VIP after the restore" lab_wait_holder dir1 1

# 8. The operator's handover drill.
# Let dir2 hear a few adverts (and vrrp.json catch up) before the drill.
wait_until 3 vi_is dir2 master "$A1"
out=$("$LBHA" handover --runtime-dir "$(lab_runtime_dir dir1)" VI_9 2>&1); rc=$?
check "lbha handover of an unknown instance exits 4 with a message (rc $rc: '$out')" \
	sh -c '[ "$1" = 4 ] && [ -n "$2" ]' - "$rc" "$out"
t0=$(ms_now)
out=$("$LBHA" handover --runtime-dir "$(lab_runtime_dir dir1)" VI_1 2>&1); rc=$?
check "v2 1s: lbha handover VI_1 on the master succeeds (rc $rc: '$out')" test "$rc" = 0
if lab_wait_holder dir2 3; then
	dt=$(($(ms_now) - t0))
	# Skew_Time of priority 100 is 609 ms; allow scheduling and polling slack.
	if [ "$dt" -lt 1300 ]; then
		tap_ok "v2 1s: handover: dir2 takes over within about its skew ($dt ms < 1300)"
	else
		tap_fail "v2 1s: handover: dir2 takes over within about its skew ($dt ms, not < 1300)"
	fi
else
	tap_fail "v2 1s: handover: dir2 takes over"; diag_logs
fi
r=$(vget dir1 state)/$(vget dir1 held)/$(vget dir1 last_reason)
check "v2 1s: dir1 is BACKUP, held, reason handover (got '$r')" test "$r" = "BACKUP/true/handover"
check "v2 1s: held dir1 does not preempt back for 3 adverts" holder_stays dir2 3200
check "v2 1s: held dir1 counts dir2's adverts (adverts_received > 0)" \
	wait_until 2 vi_gt dir1 counters.adverts_received 0
out=$("$LBHA" restore --runtime-dir "$(lab_runtime_dir dir1)" VI_1 2>&1); rc=$?
check "v2 1s: lbha restore VI_1 succeeds (rc $rc: '$out')" test "$rc" = 0
check "v2 1s: after restore dir1 preempts back" lab_wait_holder dir1 8
check "v2 1s: the client reaches the VIP at dir1 after the drill" lab_client_reaches dir1

# 4. SIGTERM on the master: priority-0 advert, takeover after dir2's skew.
# dir2 must have heard dir1 as master before the drill.
wait_until 3 vi_is dir2 master "$A1"
pid1=$(lab_director_pid dir1)
t0=$(ms_now)
kill -TERM "$pid1"
if lab_wait_holder dir2 6; then
	dt=$(($(ms_now) - t0))
	# Master_Down_Interval is 3609 ms; the skew 609 ms.
	if [ "$dt" -lt 1500 ]; then
		tap_ok "v2 1s: SIGTERM of the master: dir2 takes over after the skew ($dt ms < 1500, MDI 3609)"
	else
		tap_fail "v2 1s: SIGTERM of the master: dir2 takes over after the skew ($dt ms, not < 1500)"
	fi
else
	tap_fail "v2 1s: SIGTERM of the master: dir2 takes over"; diag_logs
fi
check "v2 1s: dir1 exits on SIGTERM" stop dir1
r=$(vget dir2 last_reason)
check "v2 1s: dir2's vrrp.json: last_reason 'master stopped' (got '$r')" test "$r" = "master stopped"
check "v2 1s: dir2 counted the priority-0 advert (prio0_received > 0)" \
	wait_until 3 vi_gt dir2 counters.prio0_received 0
check "v2 1s: nothing of the stopped dir1 is left (no process, VIP removed)" gone dir1
check "v2 1s: the client reaches the VIP at dir2 after the SIGTERM" lab_client_reaches dir2
check "v2 1s: the client's neighbour entry has dir2's MAC" wait_until 2 lab_client_neigh_is dir2
check "v2 1s: dir2 exits on SIGTERM" stop dir2
check "v2 1s: nothing of the stopped dir2 is left (no process, VIP removed)" gone dir2
lab_sample_stop
overlap_below "v2 1s" 1000 10

# ---- VRRPv3, advert_int 0.1 ----------------------------------------------
# dir1 (priority 150): Skew_Time 41 ms, Master_Down_Interval 341 ms.
c2=$(lab_config dir2 PRIORITY=100 VRRP_VERSION=3 ADVERT=0.1)
c1=$(lab_config dir1 PRIORITY=150 VRRP_VERSION=3 ADVERT=0.1 NOPREEMPT=1)
lab_sample_start
lab_start_director dir2 lbha "$c2"
check "v3 0.1s: dir2 alone becomes master" lab_wait_holder dir2 5

# 5. nopreempt: the higher priority joins and stays backup.
lab_start_director dir1 lbha "$c1"
check "v3 0.1s: nopreempt dir1 (priority 150) starts as BACKUP" \
	wait_until 3 vi_is dir1 state BACKUP
check "v3 0.1s: nopreempt: dir2 stays master for 15 adverts" holder_stays dir2 1500
r=$(vget dir1 state)/$(vget dir1 master)
check "v3 0.1s: nopreempt dir1 is BACKUP following dir2 (got '$r')" test "$r" = "BACKUP/$A2"
check "v3 0.1s: nopreempt dir1 counts dir2's adverts (adverts_received > 0)" \
	wait_until 2 vi_gt dir1 counters.adverts_received 0
check "v3 0.1s: nopreempt dir1 stops" stop dir1
check "v3 0.1s: nothing of the stopped dir1 is left" gone dir1

# 6. preempt_delay 2: dir1 waits 2 s after dir2's first advert, then its
# Master_Down_Interval (0.341 s), then takes over.
c1=$(lab_config dir1 PRIORITY=150 VRRP_VERSION=3 ADVERT=0.1 PREEMPT_DELAY=2)
t0=$(ms_now)
lab_start_director dir1 lbha "$c1"
while ! lab_holds dir1 && [ $(($(ms_now) - t0)) -lt 20000 ]; do sleep 0.05; done
dt=$(($(ms_now) - t0))
if [ "$dt" -lt 1600 ]; then
	tap_fail "v3 0.1s: preempt_delay 2: dir1 takes over no sooner than 1.6 s (took over after $dt ms)"
	diag_logs
elif ! lab_holds dir1; then
	tap_fail "v3 0.1s: preempt_delay 2: dir1 never took over ($dt ms)"
	diag_logs
else
	# the lower bound is the protocol's; how soon after it is the machine's
	tap_ok "v3 0.1s: preempt_delay 2: dir1 takes over after the delay ($dt ms, >= 1600)"
fi
check "v3 0.1s: after preempt_delay only dir1 holds the VIP" lab_wait_holder dir1 2
r=$(vget dir1 last_reason)
check "v3 0.1s: dir1's last_reason is 'preempt' (got '$r')" test "$r" = preempt
check "v3 0.1s: the client reaches the VIP at dir1" lab_client_reaches dir1
check "v3 0.1s: the client's neighbour entry has dir1's MAC" wait_until 2 lab_client_neigh_is dir1
for n in dir1 dir2; do
	check "v3 0.1s: $n exits on SIGTERM" stop "$n"
	check "v3 0.1s: nothing of the stopped $n is left (no process, VIP removed)" gone "$n"
done
lab_sample_stop
overlap_below "v3 0.1s" 100 4

# Logs: no bad packet dropped in normal operation, no sanitizer report.
for n in dir1 dir2; do
	bad=$(lab_log "$n" | grep -E "dropped|checksum|malformed" | head -5)
	if [ -z "$bad" ]; then tap_ok "$n logs no dropped or bad advert"; else
		tap_fail "$n logs no dropped or bad advert"; tap_diag "$bad"
	fi
	bad=$(lab_log "$n" | grep -E "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" | head -5)
	if [ -z "$bad" ]; then tap_ok "$n logs no sanitizer report"; else
		tap_fail "$n logs no sanitizer report"; tap_diag "$bad"
	fi
done

tap_done
