#!/bin/sh
# bench/failover.sh: VRRP failover drill, keepalived and lbha side by side.
# Root only (network namespaces); see bench/README.md for what each figure is.
#
#   sudo bench/failover.sh                   # everything, 5 rounds each
#   ROUNDS=9 IMPLS=keepalived DRILLS="v3:0.1" MODES=crash bench/failover.sh
#
# Settings (environment):
#   ROUNDS=5                 rounds per implementation, drill and mode
#   IMPLS="keepalived lbha"  who plays both directors
#   DRILLS="v2:1 v3:0.1"     VRRP version : advert_int (seconds)
#   MODES="crash graceful"   SIGKILL of the master's daemon / SIGTERM
#   PROBE_US=250             the client asks the VIP every PROBE_US microseconds
#   LBHA=path                the lbha binary (default: ./lbha, then the build tree's)
#   VRRP_PROBE=path          the observer (default: bench/vrrp_probe from the build
#                            tree, else compiled on the fly with cc)
#   KEEP=dir                 copy every round's event log and daemon logs there
# Addresses exist only in the namespaces this script makes (10.200.1.0/24).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"

ROUNDS=${ROUNDS:-5}
IMPLS=${IMPLS:-keepalived lbha}
DRILLS=${DRILLS:-v2:1 v3:0.1}
MODES=${MODES:-crash graceful}
PROBE_US=${PROBE_US:-250}
PROBE_PORT=7100
# The drill's priorities: dir1 the master, dir2 the backup whose timers count.
PRIO_MASTER=150
PRIO_BACKUP=100

say() { echo "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then say "failover.sh: needs root (network namespaces)"; exit 1; fi
for tool in ip python3; do
	command -v "$tool" >/dev/null 2>&1 || { say "failover.sh: $tool is not installed"; exit 1; }
done
tmp=$(test_tmpdir)

# The observer: built by `make check` (bench/local.mk), or compiled here.
find_probe() {
	for p in "${VRRP_PROBE:-}" ./bench/vrrp_probe "${top_builddir:-.}/bench/vrrp_probe" \
		"$top_srcdir/bench/vrrp_probe"; do
		[ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
	done
	mkdir -p "$tmp/cfg" && : >"$tmp/cfg/config.h"
	${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$tmp/cfg" -o "$tmp/vrrp_probe" \
		"$top_srcdir/bench/vrrp_probe.c" >&2 && echo "$tmp/vrrp_probe"
}
PROBE=$(find_probe) || { say "failover.sh: cannot build bench/vrrp_probe"; exit 1; }
if [ -z "${LBHA:-}" ]; then
	for p in ./lbha "${top_builddir:-.}/lbha" "$top_srcdir/lbha"; do
		[ -x "$p" ] && { LBHA=$(cd "$(dirname "$p")" && pwd)/lbha; break; }
	done
fi

# Master_Down_Interval and Skew_Time of the backup (RFC 3768 for v2,
# RFC 5798/9568 for v3), in ms with microsecond precision.
ref_ms() { # VERSION ADVERT mdi|skew
	awk -v v="$1" -v a="$2" -v w="$3" -v p="$PRIO_BACKUP" 'BEGIN {
		skew = (v == 2) ? (256 - p) / 256 * 1000 : (256 - p) * a * 1000 / 256
		printf "%.3f\n", (w == "skew") ? skew : 3 * a * 1000 + skew }'
}

probe_has() { grep -q "$1" "$2"; }

# One round: start both, let dir1 settle as master, fail it, watch.
# Prints "takeover vip client outage stamp_p99_us" or returns 1 (no takeover)
# or 2 (no master elected at all).
drill_round() { # IMPL VERSION ADVERT MODE ROUND
	_impl=$1 _ver=$2 _adv=$3 _mode=$4 _r=$5
	_ev="$tmp/events.$_impl.v$_ver.$_mode.$_r"
	lab_reset
	_c1=$(lab_config dir1 PRIORITY=$PRIO_MASTER STATE=MASTER VERSION="$_ver" ADVERT="$_adv")
	_c2=$(lab_config dir2 PRIORITY=$PRIO_BACKUP VERSION="$_ver" ADVERT="$_adv")
	lab_start_director dir2 "$_impl" "$_c2" || return 2
	lab_start_director dir1 "$_impl" "$_c1" || return 2
	_mdi_s=$(awk -v m="$(ref_ms "$_ver" "$_adv" mdi)" 'BEGIN { print int(m / 1000) + 1 }')
	lab_wait_holder dir1 $((_mdi_s * 2 + 3)) || return 2
	rm -f "$tmp/ready"
	"$PROBE" --bridge "$LAB_BR" --dir "dir1=$(lab_ns dir1)" --dir "dir2=$(lab_ns dir2)" \
		--client "$(lab_ns client)" --vip "$LAB_VIP4" --port "$PROBE_PORT" \
		--probe-us "$PROBE_US" --duration 120 --ready "$tmp/ready" >"$_ev" 2>&1 &
	_probe=$!
	netns_track_pid "$_probe"
	wait_until 5 test -e "$tmp/ready" && wait_until 5 probe_has "reply dir1" "$_ev" || {
		kill "$_probe"; wait "$_probe"; return 1; }
	# The backup has heard the master for at least two intervals; then a
	# random phase, so the failure lands anywhere in the advert cycle.
	sleep "$(awk -v a="$_adv" -v s="$$$_r" 'BEGIN { srand(s); printf "%.3f", 2 * a + rand() * a }')"
	if [ "$_mode" = crash ]; then lab_kill_director dir1; else lab_stop_director dir1; fi
	wait_until $((_mdi_s + 3)) probe_has "reply dir2" "$_ev"
	sleep 0.2
	kill "$_probe" 2>/dev/null; wait "$_probe" 2>/dev/null
	lab_stop_director dir2
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP" && cp "$_ev" "$KEEP/" && for _n in dir1 dir2; do
			cp "$LAB_TMP/$_n.log" "$KEEP/$_impl.v$_ver.$_mode.$_r.$_n.log"; done
	fi
	awk -v mode="$_mode" -v ip1="$(lab_addr dir1)" -v ip2="$(lab_addr dir2)" '
	function val(k,   i) { for (i = 3; i <= NF; i++) if (index($i, k "=") == 1)
		return substr($i, length(k) + 2); return "" }
	$2 == "advert" && val("src") == ip1 && take == "" {
		if (val("prio") + 0 > 0) last = $1; else if (zero == "") zero = $1 }
	$2 == "advert" && val("src") == ip2 && val("prio") + 0 > 0 && take == "" { take = $1 }
	$2 == "addr+" && $3 == "dir2" && vip == "" { vip = $1 }
	$2 == "reply" && $3 == "dir2" && cli == "" { cli = $1; gap = val("gap") }
	$1 == "#" && $2 == "stamp-latency-us" { p99 = substr($5, 5) }
	$1 == "#" && $2 == "responder-latency-us" { resp = substr($4, 5) }
	END {
		ref = (mode == "crash") ? last : zero
		if (take == "" || ref == "") exit 1
		printf "%.3f %s %s %s %s %s\n", take - ref, (vip == "") ? "-" : sprintf("%.3f", vip - ref),
			(cli == "") ? "-" : sprintf("%.3f", cli - take), (gap == "") ? "-" : gap,
			(p99 == "") ? "-" : p99, (resp == "") ? "-" : resp
	}' "$_ev"
}

results="$tmp/results"
: >"$results"
lab_up || { say "failover.sh: lab setup failed"; exit 1; }
for impl in $IMPLS; do
	case $impl in
	keepalived) command -v keepalived >/dev/null 2>&1 || {
		echo "$impl - - NA keepalived-not-installed" >>"$results"; continue; } ;;
	lbha) [ -x "${LBHA:-}" ] || { echo "$impl - - NA no-lbha-binary" >>"$results"; continue; } ;;
	esac
	for drill in $DRILLS; do
		ver=${drill%%:*}; ver=${ver#v}; adv=${drill#*:}
		skip=""
		for mode in $MODES; do
			if [ -n "$skip" ]; then echo "$impl $drill $mode NA $skip" >>"$results"; continue; fi
			r=1
			while [ "$r" -le "$ROUNDS" ]; do
				say "# $impl v$ver advert_int $adv $mode round $r/$ROUNDS"
				out=$(drill_round "$impl" "$ver" "$adv" "$mode" "$r"); rc=$?
				if [ "$rc" -eq 2 ]; then
					say "#   no master elected: $impl is not available for this drill"
					say "$(lab_log dir1 | tail -n 5)"
					echo "$impl $drill $mode NA no-master-elected" >>"$results"
					skip=no-master-elected
					break
				elif [ "$rc" -ne 0 ] || [ -z "$out" ]; then
					say "#   no takeover seen"
					echo "$impl $drill $mode FAIL" >>"$results"
				else
					say "#   takeover/vip/client/outage ms, stamp p99 / responder max us: $out"
					echo "$impl $drill $mode OK $out" >>"$results"
				fi
				r=$((r + 1))
			done
		done
	done
done
lab_reset

# The table: medians per implementation, drill and mode.
{
	for drill in $DRILLS; do
		ver=${drill%%:*}; ver=${ver#v}; adv=${drill#*:}
		echo "REF $drill $(ref_ms "$ver" "$adv" mdi) $(ref_ms "$ver" "$adv" skew)"
	done
	cat "$results"
} | awk -v impls="$IMPLS" -v drills="$DRILLS" -v modes="$MODES" -v rounds="$ROUNDS" '
function median(key, col,   n, i, j, t, a) {
	n = split(vals[key, col], a, " ")
	if (n == 0) return ""
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, col, v) { if (v != "-" && v != "") vals[key, col] = vals[key, col] " " v }
$1 == "REF" { mdi[$2] = $3; skew[$2] = $4; next }
$2 == "-" { na[$1] = $5; next }
$4 == "NA" { na[$1, $2, $3] = $5; next }
{ key = $1 SUBSEP $2 SUBSEP $3; tried[key]++ }
$4 == "OK" { ok[key]++; add(key, 1, $5); add(key, 2, $6); add(key, 3, $7); add(key, 4, $8); add(key, 5, $9); add(key, 6, $10) }
function cell(impl, drill, mode, col, ref,   key, m) {
	if (impl in na) return "n/a (" na[impl] ")"
	if ((impl, drill, mode) in na) return "n/a (" na[impl, drill, mode] ")"
	key = impl SUBSEP drill SUBSEP mode
	if (!ok[key]) return tried[key] ? "no takeover" : "n/a"
	m = median(key, col)
	if (m == "") return "-"
	if (ref != "") return sprintf("%.1f (%+.1f)", m, m - ref)
	return sprintf("%.1f", m)
}
BEGIN { ni = split(impls, il, " "); nd = split(drills, dl, " "); nm = split(modes, ml, " ") }
END {
	printf "\nVRRP failover: medians over %d rounds, ms (excess over the RFC reference in brackets)\n", rounds
	printf "backup priority 100; Master_Down_Interval = 3 x advert_int + Skew_Time, Skew_Time = (256-100)/256 x (1 s for v2 | advert_int for v3)\n\n"
	printf "%-24s %-36s %-22s", "drill", "figure", "target"
	for (i = 1; i <= ni; i++) printf " %-24s", il[i]
	printf "\n"
	for (d = 1; d <= nd; d++) for (m = 1; m <= nm; m++) {
		drill = dl[d]; mode = ml[m]; split(drill, dv, ":")
		label = sprintf("%s advert %ss %s", dv[1], dv[2], mode)
		ref = (mode == "crash") ? mdi[drill] : skew[drill]
		what = (mode == "crash") ? "last advert" : "priority-0 advert"
		tgt = (mode == "crash") ? sprintf("<= MDI %.1f + 2", ref) : sprintf("<= Skew %.1f + 5", ref)
		printf "%-24s %-36s %-22s", label, "(a) takeover after " what, tgt
		for (i = 1; i <= ni; i++) printf " %-24s", cell(il[i], drill, mode, 1, ref)
		printf "\n%-24s %-36s %-22s", "", "(b) VIP held by backup after " (mode == "crash" ? "last" : "prio-0"), ""
		for (i = 1; i <= ni; i++) printf " %-24s", cell(il[i], drill, mode, 2, ref)
		printf "\n%-24s %-36s %-22s", "", "(c) client reply after takeover", "<= 2"
		for (i = 1; i <= ni; i++) printf " %-24s", cell(il[i], drill, mode, 3, "")
		printf "\n%-24s %-36s %-22s", "", "    client outage (reply gap)", ""
		for (i = 1; i <= ni; i++) printf " %-24s", cell(il[i], drill, mode, 4, "")
		printf "\n%-24s %-36s %-22s", "", "    rounds ok; observer us: p99 stamp", ""
		for (i = 1; i <= ni; i++) {
			key = il[i] SUBSEP drill SUBSEP mode
			if (!ok[key]) printf " %-24s", cell(il[i], drill, mode, 5, "")
			else printf " %-24s", ok[key] "/" tried[key] "; " median(key, 5)
		}
		printf "\n%-24s %-36s %-22s", "", "    observer us: max responder turn", ""
		for (i = 1; i <= ni; i++) printf " %-24s", cell(il[i], drill, mode, 6, "")
		printf "\n"
	}
}'
