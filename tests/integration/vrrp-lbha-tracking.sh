#!/bin/sh
# lbha on both directors (VRRPv3, 0.1 s adverts): what tracking does to an
# election.  track_interface (Fault, then a weight), the instance's own
# interface going down, track_script (Fault, then a weight with rise/fall 2),
# track_file, and a sync group whose members move together when one faults.
# The sampler watches both directors for the whole run: every split (both
# holding a VIP) resolves at once (lab_split_check).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha

# The sync group's second VIP.
VIP2=10.200.1.101
LAB_VIPS="$LAB_VIPS $VIP2"
# dir1 (150) is the master, dir2 (100) the backup; v3 at 0.1 s keeps each
# takeover under half a second.
V3="VERSION=3 ADVERT=0.1"
NL='
'

. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"

if lab_up && netns_iface "$(lab_ns dir1)" trk0; then
	tap_ok "lab up: bridge, two directors, a client; dir1 has a second interface trk0"
else
	tap_fail "lab up"; tap_done; exit 1
fi
D1=$(lab_ns dir1)
lab_sample_start

# ---- 1. track_interface: a tracked link down is a Fault ----
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 TRACK_INTERFACE=trk0)
# shellcheck disable=SC2086
c2=$(lab_config dir2 PRIORITY=100 $V3)
start_pair "$c1" "$c2" "track_interface"
m=$(log_mark dir1)
ip -n "$D1" link set trk0 down
expect_state dir1 VI_1 FAULT "track_interface: trk0 down: dir1 goes FAULT"
f=$(lab_status dir1 instances.VI_1.fault)
case $f in
*trk0*) tap_ok "track_interface: dir1's fault reason names trk0 ($f)" ;;
*) tap_fail "track_interface: dir1's fault reason names trk0 ('$f')" ;;
esac
expect_holder dir2 "track_interface: dir2 takes the VIP, dir1 holds none"
ip -n "$D1" link set trk0 up
expect_holder dir1 "track_interface: trk0 up: dir1 preempts back"
expect_transitions dir1 "$m" "MASTER>FAULT FAULT>BACKUP BACKUP>MASTER" \
	"track_interface: dir1 went MASTER, FAULT, BACKUP, MASTER"

# The instance's own interface: link down is a Fault too.
m=$(log_mark dir1)
ip -n "$D1" link set eth0 down
expect_state dir1 VI_1 FAULT "own interface: eth0 down on the master: dir1 goes FAULT"
expect_holder dir2 "own interface: dir2 takes the VIP, dir1 holds none"
ip -n "$D1" link set eth0 up
# An administrative down drops the IPv6 addresses; put dir1's back.
ip -n "$D1" addr add "$(lab_addr dir1 6)/64" dev eth0 nodad 2>/dev/null
expect_holder dir1 "own interface: eth0 up: dir1 preempts back"
expect_transitions dir1 "$m" "MASTER>FAULT FAULT>BACKUP BACKUP>MASTER" \
	"own interface: dir1 went MASTER, FAULT, BACKUP, MASTER"
tap_check "own interface: the client reaches the VIP at dir1 again" lab_client_reaches dir1

# ---- 2. track_interface with a weight: the priority drops instead ----
lab_reset
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 EXTRA="track_interface {${NL}    trk0 weight -60${NL}}")
start_pair "$c1" "$c2" "track_interface weight -60"
ip -n "$D1" link set trk0 down
expect_status dir1 instances.VI_1.priority 90 "weight -60: trk0 down: dir1's priority is 90"
expect_holder dir2 "weight -60: dir2 (100) preempts"
expect_state dir1 VI_1 BACKUP "weight -60: dir1 is BACKUP, not FAULT"
ip -n "$D1" link set trk0 up
expect_status dir1 instances.VI_1.priority 150 "weight -60: trk0 up: dir1's priority is 150"
expect_holder dir1 "weight -60: dir1 preempts back"

# ---- 3. track_script: weight 0 is a Fault ----
lab_reset
chk=$(lab_script chk 0)
top="vrrp_script chk {
    script \"$chk\"
    interval 0.2
    timeout 2
    weight 0
}"
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 TOP="$top" TRACK_SCRIPT=chk)
start_pair "$c1" "$c2" "track_script"
m=$(log_mark dir1)
lab_script chk 1 >/dev/null
expect_state dir1 VI_1 FAULT "track_script: the script fails: dir1 goes FAULT"
f=$(lab_status dir1 instances.VI_1.fault)
case $f in
*chk*) tap_ok "track_script: dir1's fault reason names the script ($f)" ;;
*) tap_fail "track_script: dir1's fault reason names the script ('$f')" ;;
esac
expect_holder dir2 "track_script: dir2 takes the VIP"
lab_script chk 0 >/dev/null
expect_holder dir1 "track_script: the script passes again: dir1 preempts back"
expect_transitions dir1 "$m" "MASTER>FAULT FAULT>BACKUP BACKUP>MASTER" \
	"track_script: dir1 went MASTER, FAULT, BACKUP, MASTER"

# With a weight and rise/fall 2: the priority moves only after two results
# in a row.  The script logs each run's exit code, so the test can tell the
# first failure from the second (1 s apart).
lab_reset
runs="$LAB_TMP/chk2.runs"
rc="$LAB_TMP/chk2.rc"
echo 0 >"$rc"
: >"$runs"
chk2="$LAB_TMP/chk2.sh"
# runs_failed_since LINE N / runs_passed_since LINE N: at least N failures /
# successes in the run log after LINE.
runs_failed_since() { [ "$(tail -n +"$(($1 + 1))" "$runs" | grep -c '^1$')" -ge "$2" ]; }
runs_passed_since() { [ "$(tail -n +"$(($1 + 1))" "$runs" | grep -c '^0$')" -ge "$2" ]; }
# shellcheck disable=SC2016
printf '#!/bin/sh\nread r <"%s"\necho "$r" >>"%s"\nexit "$r"\n' "$rc" "$runs" >"$chk2"
chmod 755 "$chk2"
top="vrrp_script chk2 {
    script \"$chk2\"
    interval 1
    timeout 2
    weight -60
    rise 2
    fall 2
}"
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 TOP="$top" TRACK_SCRIPT=chk2)
start_pair "$c1" "$c2" "track_script weight -60 rise 2 fall 2"
expect_status dir1 instances.VI_1.priority 150 "fall 2: passing: dir1's priority is 150"
m=$(log_mark dir1)
n0=$(wc -l <"$runs")
echo 1 >"$rc"
wait_until 3 runs_failed_since "$n0" 1
sleep 0.3
if lab_holds dir1 && lab_status_is dir1 instances.VI_1.priority 150 &&
	! log_since dir1 "$m" | grep -q "effective priority 150 -> 90"; then
	tap_ok "fall 2: one failure leaves dir1's priority (and the VIP) alone"
else
	tap_fail "fall 2: one failure leaves dir1's priority (and the VIP) alone"
	tap_diag "runs since the flip: $(tail -n +"$((n0 + 1))" "$runs" | tr '\n' ' ')"; diag_logs
fi
expect_status dir1 instances.VI_1.priority 90 "fall 2: the second failure: dir1's priority is 90"
nf=$(tail -n +"$((n0 + 1))" "$runs" | grep -c '^1$')
if [ "$nf" -ge 2 ]; then tap_ok "fall 2: the drop came after $nf failures"; else
	tap_fail "fall 2: the drop came after $nf failures (want >= 2)"
fi
expect_holder dir2 "fall 2: dir2 preempts"
m=$(log_mark dir1)
n0=$(wc -l <"$runs")
echo 0 >"$rc"
wait_until 3 runs_passed_since "$n0" 1
sleep 0.3
if lab_status_is dir1 instances.VI_1.priority 90 &&
	! log_since dir1 "$m" | grep -q "effective priority 90 -> 150"; then
	tap_ok "rise 2: one success leaves dir1's priority at 90"
else
	tap_fail "rise 2: one success leaves dir1's priority at 90"; diag_logs
fi
expect_status dir1 instances.VI_1.priority 150 "rise 2: the second success: dir1's priority is 150"
expect_holder dir1 "rise 2: dir1 preempts back"

# ---- 4. track_file: the value times the weight ----
lab_reset
tf="$LAB_TMP/tf.value"
echo 0 >"$tf"
top="track_file tf {
    file \"$tf\"
    weight 1
}"
# shellcheck disable=SC2086
c1=$(lab_config dir1 PRIORITY=150 $V3 TOP="$top" EXTRA="track_file {${NL}    tf${NL}}")
start_pair "$c1" "$c2" "track_file"
echo -60 >"$tf"
expect_status dir1 instances.VI_1.priority 90 "track_file: -60 written: dir1's priority is 90"
expect_holder dir2 "track_file: dir2 preempts"
echo 0 >"$tf"
expect_status dir1 instances.VI_1.priority 150 "track_file: 0 written: dir1's priority is 150"
expect_holder dir1 "track_file: dir1 preempts back"

# ---- 5. vrrp_sync_group: a Fault in one member takes both VIPs over ----
lab_reset
sg=$(lab_script sg 0)
group="vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
}"
sync_conf() { # NAME PRIORITY [VI_2 settings...]
	_n=$1 _p=$2; shift 2
	# shellcheck disable=SC2086
	lab_config "$_n" NO_INSTANCE=1 TOP="$(
		[ "$_n" = dir2 ] || printf 'vrrp_script sg {\n    script "%s"\n    interval 0.2\n    timeout 2\n}\n' "$sg"
		lab_instance ME="$_n" PRIORITY="$_p" $V3
		lab_instance ME="$_n" PRIORITY="$_p" $V3 INSTANCE=VI_2 VRID=52 VIPS="$VIP2/24" "$@"
		echo "$group")"
}
c1=$(sync_conf dir1 150 TRACK_SCRIPT=sg)
s2=$(sync_conf dir2 100)
lab_start_director dir2 lbha "$s2"
lab_start_director dir1 lbha "$c1"
if wait_until 5 holds_both dir1; then tap_ok "sync group: dir1 holds both VIPs"; else
	tap_fail "sync group: dir1 holds both VIPs"; diag_holders; diag_logs
fi
expect_status dir1 sync_groups.G1.state MASTER "sync group: dir1's group G1 is MASTER"
t0=$(date +%s.%N)
lab_script sg 1 >/dev/null
if wait_until 3 holds_both dir2; then
	tap_ok "sync group: VI_2's script fails: dir2 holds both VIPs, dir1 neither"
else
	tap_fail "sync group: VI_2's script fails: dir2 holds both VIPs, dir1 neither"
	diag_holders; diag_logs
fi
expect_state dir1 VI_2 FAULT "sync group: dir1's VI_2 is FAULT"
expect_state dir1 VI_1 FAULT "sync group: dir1's VI_1 followed it to FAULT"
expect_status dir1 sync_groups.G1.state FAULT "sync group: dir1's group G1 is FAULT"
moved_together dir2 "$t0" "sync group: dir2 added both VIPs together"
t0=$(date +%s.%N)
lab_script sg 0 >/dev/null
if wait_until 3 holds_both dir1; then
	tap_ok "sync group: the script passes: both VIPs back on dir1"
else
	tap_fail "sync group: the script passes: both VIPs back on dir1"; diag_holders; diag_logs
fi
moved_together dir1 "$t0" "sync group: dir1 added both VIPs together"
expect_state dir1 VI_1 MASTER "sync group: dir1's VI_1 is MASTER again"

# A reload that removes both members: each resigns on its own (a member
# freed first must not be pulled along by the other's stop).
vrrp_pid=$(lab_status dir1 pid)
lab_config dir1 PRIORITY=150 $V3 INSTANCE=VI_3 VRID=53 VIPS=10.200.1.102/24 >/dev/null
kill -HUP "$(lab_director_pid dir1)"
if wait_until 3 holds_both dir2 && wait_until 3 lab_status_is dir1 instances.VI_3.state MASTER; then
	tap_ok "sync group: a reload without the group: dir1 resigns both VIPs, runs VI_3"
else
	tap_fail "sync group: a reload without the group: dir1 resigns both VIPs, runs VI_3"
	diag_holders; diag_logs
fi
if [ "$(lab_status dir1 pid)" = "$vrrp_pid" ]; then
	tap_ok "sync group: dir1's VRRP process survived the reload (pid $vrrp_pid)"
else
	tap_fail "sync group: dir1's VRRP process survived the reload ($vrrp_pid -> $(lab_status dir1 pid))"
fi

for n in dir1 dir2; do lab_stop_director "$n"; done
check_overlap
check_no_complaints
check_no_sanitizer_reports
tap_done
