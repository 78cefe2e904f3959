#!/bin/sh
# Fault drill of issue 7: scripts run by the VRRP child, end to end through
# the daemon (the unit suites test-spawn and test-vrrp-notify cover the
# library; this drives lbha's config).  One director (dir1 of the VRRP lab)
# with global script_user nobody and enable_script_security:
#   - a notify_master script that hangs (a shell waiting on a sleep) is
#     killed at the notify timeout (15 s): notify.timed_out in vrrp.json, and
#     neither the shell nor its sleep is left;
#   - a track script that hangs is killed at its "timeout 1", with its child;
#   - a track script and a notify script that fork a background child and
#     exit leave no child behind;
#   - scripts run as script_user (nobody's uid seen by the script);
#   - a script to be run as root (notify "cmd root", vrrp_script "user
#     root") that a non-root user can write to is refused: not run, logged,
#     counted (notify.refused).
# Root only: SKIP without root, python3, the lbha binary or user nobody.
# shellcheck disable=SC2034,SC2154 # LAB_VIPS is read by vrrp_lab.sh; eval assigns the rest
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require lbha
. "$top_srcdir/tests/integration/vrrp_lbha_checks.sh"
NOBODY=$(id -u nobody 2>/dev/null) || { echo "1..0 # SKIP no user nobody"; exit 0; }

if lab_up; then tap_ok "lab up"; else tap_fail "lab up"; tap_done; exit 1; fi
# The scripts live where nobody can read them (the lab's dir is 0700) and
# write only to OUT (sticky, like /tmp).
SD=$(test_tmpdir)/scripts
OUT=$(test_tmpdir)/out
mkdir -p "$SD" "$OUT" && chmod 755 "$(test_tmpdir)" "$SD" && chmod 1777 "$OUT"
script() { printf '#!/bin/sh\n%s\n' "$2" >"$SD/$1" && chmod "${3:-755}" "$SD/$1"; }
# hang.sh FILE: record the shell's and its sleep's pids, then wait forever
script hang.sh 'echo $$ >>"$1"; sleep 300 & echo $! >>"$1"; wait'
# fork.sh FILE: a background child outlives the script, which exits 0
script fork.sh 'sleep 301 & echo $! >>"$1"; exit 0'
# id.sh FILE: who runs me
script id.sh 'id -u >"$1"'
# open.sh FILE: world-writable: must never run as root
script open.sh 'touch "$1"' 777

VIP2=10.200.1.101
LAB_VIPS="$LAB_VIP4 $VIP2"
TOP="vrrp_script chk_hang {
    script \"$SD/hang.sh $OUT/trk-hang.pids\"
    interval 1
    timeout 1
}
vrrp_script chk_fork {
    script \"$SD/fork.sh $OUT/trk-fork.pids\"
    interval 1
}
vrrp_script chk_id {
    script \"$SD/id.sh $OUT/trk-id\"
    interval 1
}
vrrp_script chk_open {
    script \"$SD/open.sh $OUT/trk-open-ran\"
    interval 1
    user root
}
$(lab_instance INSTANCE=VI_2 VRID=52 VERSION=3 ADVERT=0.1 PRIORITY=100 VIPS="$VIP2/24" \
	TRACK_SCRIPT="chk_hang chk_fork chk_id chk_open")"
notify="notify_backup \"$SD/open.sh $OUT/notify-open-ran\" root
notify_master \"$SD/hang.sh $OUT/notify-hang.pids\"
notify \"$SD/fork.sh $OUT/notify-fork.pids\""
c1=$(lab_config dir1 PRIORITY=150 VERSION=3 ADVERT=0.1 EXTRA="$notify" TOP="$TOP" \
	GLOBAL="script_user nobody
enable_script_security")
lab_start_director dir1 lbha "$c1"
t0=$(date +%s)
if lab_wait_holder dir1 5; then tap_ok "dir1 is master of VI_1"; else
	tap_fail "dir1 is master of VI_1"; diag_logs
fi

# pids_gone FILE: every pid in FILE has exited (or is a zombie nobody reaped yet)
pids_gone() {
	[ -s "$1" ] || return 1
	for _p in $(cat "$1"); do
		_st=$(awk '{ print $3 }' "/proc/$_p/stat" 2>/dev/null) || continue
		[ "$_st" = Z ] || return 1
	done
}
log_has() { grep -q "$1" "$LAB_TMP/dir1.log"; }

# ---- security: refused as root ----
refused() { _r=$(lab_status dir1 notify.refused) && [ "$_r" -ge 1 ]; }
tap_check "a world-writable notify_backup to run as root is refused (notify.refused >= 1)" \
	wait_until 3 refused
tap_check "... and never ran" test ! -e "$OUT/notify-open-ran"
tap_check "a world-writable vrrp_script with user root is not run, and logged" \
	wait_until 3 log_has "vrrp_script chk_open: not run"
tap_check "... and never ran" test ! -e "$OUT/trk-open-ran"
tap_check "VI_2 (tracking the refused script) is FAULT" \
	wait_until 4 lab_status_is dir1 instances.VI_2.state FAULT

# ---- script_user ----
tap_check "a track script runs as script_user nobody (uid $NOBODY)" \
	wait_until 3 sh -c '[ "$(cat "$1" 2>/dev/null)" = "$2" ]' - "$OUT/trk-id" "$NOBODY"

# ---- forking scripts ----
tap_check "a track script's background child is gone when the script has exited" \
	wait_until 4 pids_gone "$OUT/trk-fork.pids"
tap_check "a notify script's background child is gone when the script has exited" \
	wait_until 4 pids_gone "$OUT/notify-fork.pids"

# ---- hanging scripts ----
tap_check "a hanging track script is killed at its timeout (1 s) and logged" \
	wait_until 4 log_has "vrrp_script chk_hang: timed out"
tap_check "... the shell and its sleep are both gone" wait_until 3 pids_gone "$OUT/trk-hang.pids"
tap_diag "waiting for the notify timeout (15 s after dir1 became master)"
if wait_until 25 lab_status_is dir1 notify.timed_out 1; then
	tap_ok "a hanging notify_master is killed at the notify timeout ($(($(date +%s) - t0)) s after the start)"
else
	tap_fail "a hanging notify_master is killed at the notify timeout"
	tap_diag "notify: $(lab_status dir1 notify)"; diag_logs
fi
tap_check "... the shell and its sleep are both gone" wait_until 3 pids_gone "$OUT/notify-hang.pids"
tap_check "dir1 stayed master of VI_1 through all of it" _lab_holder_is dir1 "$LAB_VIP4"
lab_stop_director dir1
# every process a script recorded (the scripts' shells and their sleeps);
# by pid, not by name: other suites may run a "sleep 300" of their own
left=$(cat "$OUT"/*.pids 2>/dev/null | while read -r p; do
	st=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) && [ "$st" != Z ] && echo "$p"
done | tr '\n' ' ')
tap_check "no script process is left after lbha stopped ('$left')" test -z "$left"
check_no_sanitizer_reports dir1
tap_done
