# vrrp_lbha_checks.sh: TAP checks shared by the lbha/lbha lab suites
# (vrrp-lbha-tracking.sh, vrrp-lbha-modes.sh); sourced after vrrp_lab.sh.
# Each expect_* prints one TAP line and, on failure, what the directors saw.

diag_logs() {
	for _d in dir1 dir2; do tap_diag "--- $_d:"; tap_diag "$(lab_log "$_d" | tail -n 12)"; done
}
diag_holders() {
	for _v in $LAB_VIPS; do tap_diag "$_v held by: '$(lab_vip_holder "$_v")'"; done
}

# log_mark NAME: the length of NAME's log now; log_since NAME MARK: what came after.
log_mark() { lab_log "$1" | wc -l; }
log_since() { lab_log "$1" | tail -n +"$(($2 + 1))"; }

# transitions_since NAME MARK [INSTANCE]: "FROM>TO ..." from the log lines
# "VI_1: BACKUP -> MASTER (reason), priority N".
transitions_since() {
	log_since "$1" "$2" | sed -n "s/.*: ${3:-VI_1}: \([A-Z]*\) -> \([A-Z]*\) (.*/\1>\2/p" |
		tr '\n' ' ' | sed 's/ $//'
}
_transitions_are() { [ "$(transitions_since "$1" "$2" "$4")" = "$3" ]; }

# expect_transitions NAME MARK "A>B B>C" WHAT [INSTANCE]
expect_transitions() {
	if wait_until 2 _transitions_are "$1" "$2" "$3" "$5"; then tap_ok "$4"; else
		tap_fail "$4"; tap_diag "transitions: '$(transitions_since "$1" "$2" "$5")'"
	fi
}

# expect_holder NAME WHAT [VIP] [TIMEOUT]: exactly NAME holds the VIP.
expect_holder() {
	if lab_wait_holder "$1" "${4:-3}" "$3"; then tap_ok "$2"; else
		tap_fail "$2"; diag_holders; diag_logs
	fi
}

# expect_status NAME PATH VALUE WHAT [TIMEOUT]: vrrp.json reaches the value
# (counters and priorities are published within a second).
expect_status() {
	if wait_until "${5:-3}" lab_status_is "$1" "$2" "$3"; then tap_ok "$4"; else
		tap_fail "$4"; tap_diag "$2 = '$(lab_status "$1" "$2")', want '$3'"; diag_logs
	fi
}
expect_state() { expect_status "$1" "instances.$2.state" "$3" "$4" "$5"; }

# start_pair CONF1 CONF2 WHAT: dir2 then dir1; dir1 (the higher priority)
# must end up the only holder of the VIP.
start_pair() {
	lab_start_director dir2 lbha "$2"
	lab_start_director dir1 lbha "$1"
	expect_holder dir1 "$3: dir1 is elected master (only dir1 holds the VIP)" "$LAB_VIP4" 5
}

# holds_both NAME: NAME holds every IPv4 VIP of $LAB_VIPS, the other none.
holds_both() {
	for _v in $LAB_VIPS; do
		case $_v in *:*) continue ;; esac
		_lab_holder_is "$1" "$_v" || return 1
	done
}

# moved_together NAME SINCE WHAT: in the sampler's record of NAME, the first
# additions of the IPv4 VIPs after SINCE (epoch seconds) are < 100 ms apart.
moved_together() {
	# shellcheck disable=SC2086
	if ! _out=$(python3 - "$LAB_TMP/mon.$1" "$2" $LAB_VIPS <<'PY'
import datetime, sys
path, since, vips = sys.argv[1], float(sys.argv[2]), [v for v in sys.argv[3:] if ":" not in v]
first = {}
for line in open(path):
    if not line.startswith("[") or " Deleted " in line:
        continue
    t = datetime.datetime.strptime(line[1:27], "%Y-%m-%dT%H:%M:%S.%f")
    t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
    if t < since:
        continue
    f = line.split()
    for i, w in enumerate(f[:-1]):
        if w == "inet":
            a = f[i + 1].split("/")[0]
            if a in vips and a not in first:
                first[a] = t
if len(first) != len(vips):
    print("added: %s" % sorted(first))
    sys.exit(1)
print("%.1f" % ((max(first.values()) - min(first.values())) * 1000))
PY
	); then
		tap_fail "$3 ($_out)"
	elif awk -v d="$_out" 'BEGIN { exit !(d < 100) }'; then
		tap_ok "$3 ($_out ms apart)"
	else
		tap_fail "$3 ($_out ms apart, not < 100)"
	fi
}

# check_overlap: stop the sampler; no VIP on both directors beyond one
# advert interval (0.1 s).
check_overlap() {
	lab_sample_stop
	lab_split_check "the whole run" || for _d in dir1 dir2; do
		tap_diag "--- $_d:"
		tap_diag "$(lab_log "$_d" | grep -E 'MASTER|BACKUP|FAULT|===|reload|config' | tail -n 25)"
	done
}

# check_no_complaints: neither director logged a malformed advert or a
# checksum problem (the peers are both lbha: every advert must decode).
check_no_complaints() {
	for _d in dir1 dir2; do
		if lab_log "$_d" | grep -iE "checksum|malformed|dropped: (too_short|length|type|version)" >/dev/null; then
			tap_fail "$_d logs no bad-packet complaint"
			tap_diag "$(lab_log "$_d" | grep -iE "checksum|malformed|dropped:" | head -5)"
		else
			tap_ok "$_d logs no bad-packet complaint"
		fi
	done
}

# check_no_sanitizer_reports [NAME...]: an ASan/UBSan build of lbha reported
# nothing in these logs (default dir1 dir2); trivially true in a plain build.
check_no_sanitizer_reports() {
	[ $# -gt 0 ] || set -- dir1 dir2
	for _d in "$@"; do
		if lab_log "$_d" | grep -E "runtime error:|Sanitizer" >/dev/null; then
			tap_fail "$_d: no sanitizer report in its log"
			tap_diag "$(lab_log "$_d" | grep -E -A12 "runtime error:|Sanitizer" | head -30)"
		else
			tap_ok "$_d: no sanitizer report in its log"
		fi
	done
}
