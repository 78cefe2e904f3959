#!/bin/sh
# bench/soak.sh: 10 ms VRRPv3 adverts while every core is busy; counts the
# spurious transitions of lbha and of keepalived under the same load.
# Root only (network namespaces); see bench/README.md for each figure.
#
#   sudo bench/soak.sh                           # 600 s per implementation
#   SOAK_SECONDS=60 SOAK_IMPLS="lbha keepalived keepalived-plain" bench/soak.sh
#
# Settings (environment):
#   SOAK_SECONDS=600           how long the load runs, per implementation
#   SOAK_IMPLS="keepalived lbha"
#                              who plays both directors, one after the other:
#                              lbha; keepalived (vrrp_rt_priority 1 and
#                              vrrp_no_swap, as lbha's VRRP process runs);
#                              keepalived-plain (keepalived's defaults)
#   SOAK_ADVERT=0.01           advert_int, seconds (VRRPv3)
#   SOAK_LOAD=auto             stress-ng | yes | none (auto: stress-ng if
#                              installed, else one `yes >/dev/null` per core)
#   SOAK_SETTLE=3              seconds after the election before counting
#   LBHA=path                  the lbha binary (default: ./lbha, then the build
#                              tree's, then build/lbha in the source tree)
#   KEEP=dir                   copy the daemons' logs and the capture there
#   STALL_PROBE=path           bench/stall_probe (default: the build tree's, or
#                              compiled here with cc)
# Addresses exist only in the namespaces this script makes (10.200.1.0/24).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_IMPLS=${SOAK_IMPLS:-keepalived lbha}
SOAK_ADVERT=${SOAK_ADVERT:-0.01}
SOAK_LOAD=${SOAK_LOAD:-auto}
SOAK_SETTLE=${SOAK_SETTLE:-3}
PRIO_MASTER=150
PRIO_BACKUP=100
NCPU=$(nproc 2>/dev/null || echo 2)

say() { echo "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then say "soak.sh: needs root (network namespaces)"; exit 1; fi
for tool in ip python3; do
	command -v "$tool" >/dev/null 2>&1 || { say "soak.sh: $tool is not installed"; exit 1; }
done
tmp=$(test_tmpdir)

if [ -z "${LBHA:-}" ]; then
	for p in ./lbha "${top_builddir:-.}/lbha" "$top_srcdir/build/lbha" "$top_srcdir/lbha"; do
		[ -x "$p" ] && { LBHA=$(cd "$(dirname "$p")" && pwd)/lbha; break; }
	done
fi

if [ "$SOAK_LOAD" = auto ]; then
	if command -v stress-ng >/dev/null 2>&1; then SOAK_LOAD=stress-ng; else SOAK_LOAD=yes; fi
fi
case $SOAK_LOAD in
stress-ng) LOAD_DESC="stress-ng --cpu $NCPU --cpu-load 100" ;;
yes) LOAD_DESC="$NCPU x yes >/dev/null" ;;
none) LOAD_DESC="none" ;;
*) say "soak.sh: SOAK_LOAD must be stress-ng, yes or none"; exit 1 ;;
esac
# The capture gives the adverts on the wire and the longest gap between two;
# without dumpcap the master's transmit counter stands in for the count.
CAPTURE=""
command -v dumpcap >/dev/null 2>&1 && command -v tshark >/dev/null 2>&1 && CAPTURE=1

# The machine's own stalls: a real-time 1 ms sleeper beside the directors
# (bench/stall_probe.c) reports every wake-up more than 5 ms late.
find_stall_probe() {
	for p in "${STALL_PROBE:-}" ./bench/stall_probe "${top_builddir:-.}/bench/stall_probe" \
		"$top_srcdir/build/bench/stall_probe"; do
		[ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
	done
	mkdir -p "$tmp/cfg" && : >"$tmp/cfg/config.h"
	${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$tmp/cfg" -o "$tmp/stall_probe" \
		"$top_srcdir/bench/stall_probe.c" >&2 && echo "$tmp/stall_probe"
}
STALL=$(find_stall_probe) || { say "soak.sh: cannot build bench/stall_probe"; STALL=""; }

# steal_ms: CPU time the hypervisor gave to others while we wanted it (all
# cores, /proc/stat's steal column, USER_HZ ticks).
steal_ms() {
	awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.0f\n", $9 * 1000 / hz; exit }' /proc/stat
}

# Master_Down_Interval of the backup (RFC 5798/9568), ms.
MDI_MS=$(awk -v a="$SOAK_ADVERT" -v p="$PRIO_BACKUP" \
	'BEGIN { printf "%.3f", 3 * a * 1000 + (256 - p) * a * 1000 / 256 }')

# ---- load ----

LOAD_PIDS=""
load_start() {
	LOAD_PIDS=""
	case $SOAK_LOAD in
	stress-ng)
		# --timeout is a safety net; load_stop ends it by pid.
		stress-ng --cpu "$NCPU" --cpu-load 100 --timeout "$((SOAK_SECONDS + 30))s" -q \
			>/dev/null 2>&1 &
		LOAD_PIDS=$!
		;;
	yes)
		_i=0
		while [ "$_i" -lt "$NCPU" ]; do
			yes >/dev/null &
			LOAD_PIDS="$LOAD_PIDS $!"
			_i=$((_i + 1))
		done
		;;
	esac
	for _p in $LOAD_PIDS; do netns_track_pid "$_p"; done
}

load_stop() {
	for _p in $LOAD_PIDS; do kill -TERM "$_p" 2>/dev/null; done
	for _p in $LOAD_PIDS; do wait "$_p" 2>/dev/null; done
	LOAD_PIDS=""
}

# ---- what each implementation exposes ----

# vrrp_pid NAME IMPL: the pid of the director's VRRP process.
vrrp_pid() {
	case $2 in
	lbha)
		python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pid"])' \
			"$LAB_TMP/run-$1/vrrp.json" 2>/dev/null
		;;
	*) cat "$LAB_TMP/$1.ka-vrrp.pid" 2>/dev/null ;;
	esac
}

# cpu_ns PID: CPU time of every thread of the process, ns (schedstat).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# sched_of PID: "RR/1" or "TS", plus "+mlock" when pages are locked.
sched_of() {
	_s=$(ps -o cls=,rtprio= -p "$1" 2>/dev/null | awk '{ print ($2 == "-") ? $1 : $1 "/" $2 }')
	_l=$(awk '$1 == "VmLck:" { print $2 }' /proc/"$1"/status 2>/dev/null)
	[ "${_l:-0}" -gt 0 ] && _s="$_s+mlock"
	echo "${_s:-?}"
}

tx_packets() {
	ip -n "$(lab_ns "$1")" -s -o link show eth0 2>/dev/null |
		awk '{ for (i = 1; i <= NF; i++) if ($i == "TX:") { print $(i + 9); exit } }'
}

# counters NAME IMPL LOG_OFFSET: "transitions adverts_sent" of a director
# (keepalived: its "Entering ... STATE" log lines after the offset, and no
# advert counter).
counters() {
	case $2 in
	lbha)
		python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["instances"][0]["counters"]
print(c["transitions"], c["adverts_sent"])' "$LAB_TMP/run-$1/vrrp.json" 2>/dev/null || echo "- -"
		;;
	*)
		tail -c +"$(($3 + 1))" "$LAB_TMP/$1.log" |
			grep -c 'Entering \(MASTER\|BACKUP\|FAULT\) STATE' | awk '{ print $1, "-" }'
		;;
	esac
}

log_size() { wc -c <"$LAB_TMP/$1.log" 2>/dev/null || echo 0; }

# ---- one soak ----

# soak IMPL: prints one result line (see the table below) or "NA reason".
soak() {
	_variant=$1
	case $_variant in
	lbha) _impl=lbha ;;
	keepalived | keepalived-plain) _impl=keepalived ;;
	*) echo "NA unknown-implementation"; return ;;
	esac
	if [ "$_impl" = keepalived ] && ! command -v keepalived >/dev/null 2>&1; then
		echo "NA keepalived-not-installed"; return
	fi
	if [ "$_impl" = lbha ] && [ ! -x "${LBHA:-}" ]; then
		echo "NA no-lbha-binary"; return
	fi
	# keepalived at its best: the VRRP process real-time and locked in
	# memory, as lbha's always runs (SCHED_RR priority 1, mlockall).
	_global="script_user root
enable_script_security"
	[ "$_variant" = keepalived ] && _global="$_global
vrrp_rt_priority 1
vrrp_no_swap"
	lab_reset
	rm -f "$LAB_TMP/dir1.log" "$LAB_TMP/dir2.log"
	rm -rf "$LAB_TMP/run-dir1" "$LAB_TMP/run-dir2"
	_c1=$(lab_config dir1 GLOBAL="$_global" PRIORITY=$PRIO_MASTER STATE=MASTER VERSION=3 \
		ADVERT="$SOAK_ADVERT")
	_c2=$(lab_config dir2 GLOBAL="$_global" PRIORITY=$PRIO_BACKUP VERSION=3 ADVERT="$SOAK_ADVERT")
	lab_start_director dir2 "$_impl" "$_c2" || { echo "NA cannot-start"; return; }
	lab_start_director dir1 "$_impl" "$_c1" || { echo "NA cannot-start"; return; }
	if ! lab_wait_holder dir1 10; then
		say "#   no master elected; dir1's log ends with:"
		say "$(lab_log dir1 | tail -n 5)"
		lab_reset
		echo "NA no-master-elected"; return
	fi
	sleep "$SOAK_SETTLE"
	if ! lab_wait_holder dir1 1; then
		lab_reset
		echo "NA roles-not-settled"; return
	fi

	_p1=$(vrrp_pid dir1 "$_impl"); _p2=$(vrrp_pid dir2 "$_impl")
	if [ -z "$_p1" ] || [ -z "$_p2" ]; then
		lab_reset
		echo "NA no-vrrp-pid"; return
	fi
	_sched="$(sched_of "$_p1")"
	_o1=$(log_size dir1); _o2=$(log_size dir2)
	set -- $(counters dir1 "$_impl" "$_o1") $(counters dir2 "$_impl" "$_o2")
	_tr1=$1 _adv1=$2 _tr2=$3
	_cpu1=$(cpu_ns "$_p1"); _cpu2=$(cpu_ns "$_p2"); _tx1=$(tx_packets dir1)

	_pcap="$tmp/soak.$_variant.pcap"
	rm -f "$_pcap"
	if [ -n "$CAPTURE" ]; then
		ip netns exec "$LAB_BR" dumpcap -P -B 16 -i br0 -f "ip proto 112" -w "$_pcap" \
			>"$tmp/dumpcap.log" 2>&1 &
		_cap=$!
		netns_track_pid "$_cap"
		wait_until 5 test -s "$_pcap"
	fi
	lab_sample_start
	_stalls="$tmp/stalls.$_variant"
	: >"$_stalls"
	if [ -n "$STALL" ]; then
		"$STALL" -t 5000 >"$_stalls" 2>/dev/null &
		_stall_pid=$!
		netns_track_pid "$_stall_pid"
	fi
	_steal0=$(steal_ms)
	_t0=$(date +%s%N)
	load_start
	say "#   $_variant: load on ($LOAD_DESC) for ${SOAK_SECONDS}s"
	sleep "$SOAK_SECONDS"
	load_stop
	_t1=$(date +%s%N)
	_steal1=$(steal_ms)
	[ -z "$STALL" ] || { kill -TERM "$_stall_pid" 2>/dev/null; wait "$_stall_pid" 2>/dev/null; }
	lab_sample_stop
	[ -z "$CAPTURE" ] || { kill -INT "$_cap" 2>/dev/null; wait "$_cap" 2>/dev/null; }
	_e1=$(cpu_ns "$_p1"); _e2=$(cpu_ns "$_p2"); _etx1=$(tx_packets dir1)
	_holder=$(lab_vip_holder)
	# vrrp.json publishes counters at most once a second.
	sleep 1.5
	set -- $(counters dir1 "$_impl" "$_o1") $(counters dir2 "$_impl" "$_o2")
	_etr1=$1 _eadv1=$2 _etr2=$3
	_loadavg=$(cut -d' ' -f1 /proc/loadavg)
	lab_stop_director dir1
	lab_stop_director dir2

	_secs=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	if [ "$_impl" = lbha ]; then
		_trans=$(( (_etr1 - _tr1) + (_etr2 - _tr2) ))
		_split="$((_etr1 - _tr1))/$((_etr2 - _tr2))"
		_own=$((_eadv1 - _adv1))
	else
		_trans=$((_etr1 + _etr2)); _split="$_etr1/$_etr2"; _own="-"
	fi
	_overlaps=$(wc -l <"$LAB_TMP/overlaps" | tr -d ' ')
	_maxov=$(lab_sample_max_overlap_ms)
	# Adverts of dir1 on the wire between the load's start and end, the
	# median and the longest gap between two of them (kernel receive stamps).
	_wire="- - -"
	if [ -n "$CAPTURE" ] && [ -s "$_pcap" ]; then
		_wire=$(tshark -r "$_pcap" -T fields -e frame.time_epoch -e ip.src -e vrrp.prio 2>/dev/null |
			awk -v src="$(lab_addr dir1)" -v t0="$_t0" -v t1="$_t1" '
			$2 == src && $3 + 0 > 0 && $1 * 1e9 >= t0 && $1 * 1e9 <= t1 {
				if (n) { g = ($1 - last) * 1000; gaps[n] = g; if (g > max) max = g }
				last = $1; n++ }
			END {
				if (n < 2) { print n + 0, "-", "-"; exit }
				m = n - 1
				for (i = 2; i <= m; i++) { t = gaps[i]; for (j = i - 1; j >= 1 && gaps[j] > t; j--) gaps[j + 1] = gaps[j]; gaps[j + 1] = t }
				med = (m % 2) ? gaps[(m + 1) / 2] : (gaps[m / 2] + gaps[m / 2 + 1]) / 2
				printf "%d %.2f %.2f\n", n, med, max }')
	fi
	set -- $_wire
	_nwire=$1 _med=$2 _maxgap=$3
	[ "$_nwire" != "-" ] || _nwire="tx:$((_etx1 - _tx1))"
	# Stalls of the real-time sleeper longer than Master_Down_Interval, the
	# longest one, and the steal time.
	_host="- - $((_steal1 - _steal0))"
	[ -z "$STALL" ] || _host="$(awk -v mdi="$MDI_MS" '
		/^#/ { next } { if ($2 > mdi) n++; if ($2 > max) max = $2 }
		END { printf "%d %.1f", n, max }' "$_stalls") $((_steal1 - _steal0))"
	_drops=$(sed -n 's|.*received/dropped on interface[^:]*: [0-9]*/\([0-9]*\).*|\1|p' \
		"$tmp/dumpcap.log" 2>/dev/null | head -n1)
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP" && for _n in dir1 dir2; do
			cp "$LAB_TMP/$_n.log" "$KEEP/soak.$_variant.$_n.log"; done
		[ ! -s "$_pcap" ] || cp "$_pcap" "$KEEP/"
		cp "$LAB_TMP/overlaps" "$KEEP/soak.$_variant.overlaps"
		cp "$_stalls" "$KEEP/soak.$_variant.stalls"
	fi
	# impl secs transitions split overlaps maxov wire expected own med maxgap
	# cpu1_ms cpu2_ms sched holder loadavg capture_drops stalls>mdi max_stall_ms steal_ms
	echo "OK $_secs $_trans $_split $_overlaps $_maxov $_nwire" \
		"$(awk -v s="$_secs" -v a="$SOAK_ADVERT" 'BEGIN { printf "%d", s / a }')" \
		"$_own $_med $_maxgap" \
		"$(awk -v a="$_cpu1" -v b="$_e1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')" \
		"$(awk -v a="$_cpu2" -v b="$_e2" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')" \
		"$_sched ${_holder:-none} $_loadavg ${_drops:--} $_host"
}

results="$tmp/results"
: >"$results"
lab_up || { say "soak.sh: lab setup failed"; exit 1; }
for v in $SOAK_IMPLS; do
	say "# soak: $v, VRRPv3 advert_int $SOAK_ADVERT, priorities $PRIO_MASTER/$PRIO_BACKUP"
	# Not in $(...): the load's pids must reach the EXIT trap.
	soak "$v" >"$tmp/out"
	out=$(cat "$tmp/out")
	say "#   $out"
	echo "$v $out" >>"$results"
done
lab_reset

awk -v loaddesc="$LOAD_DESC" -v adv="$SOAK_ADVERT" -v mdi="$MDI_MS" -v ncpu="$NCPU" '
BEGIN {
	printf "\nVRRP soak: VRRPv3 advert_int %s s, priorities 150/100, load: %s\n", adv, loaddesc
	printf "spurious transitions = state changes of either director after the election (target 0);\n"
	printf "the backup takes over after Master_Down_Interval = %.2f ms without an advert\n\n", mdi
	printf "%-17s %-10s %6s %-12s %-15s %-17s %-16s %-16s %-16s %-9s %s\n", "impl", "vrrp sched",
		"secs", "spurious", "dual holder", "master adverts", "advert gap ms", "VRRP CPU ms",
		"host stalls", "steal", "VIP at end"
	printf "%-17s %-10s %6s %-12s %-15s %-17s %-16s %-16s %-16s %-9s %s\n", "", "", "",
		"(dir1/dir2)", "(n, max ms)", "(wire/expected)", "(median/max)", "(master/backup)",
		"(n>MDI, max ms)", "(ms)", ""
}
$2 == "NA" { printf "%-17s n/a (%s)\n", $1, $3; next }
{
	printf "%-17s %-10s %6s %-12s %-15s %-17s %-16s %-16s %-16s %-9s %s\n", $1, $15, $3,
		$4 " (" $5 ")", $6 ", " $7, $8 "/" $9, $11 "/" $12, $13 "/" $14, $19 ", " $20, $21, $16
	if ($18 != "-" && $18 + 0 > 0)
		printf "%-17s   the capture dropped %s packets: the gap figures may be too long\n", "", $18
	la = $17
}
END {
	if (la != "") printf "\n1-minute load average at the end of the last soak: %s (%d cores)\n", la, ncpu
	printf "host stalls: wake-ups of a SCHED_RR 1 ms sleeper (bench/stall_probe) later than\n"
	printf "Master_Down_Interval; steal: CPU time the hypervisor took (/proc/stat)\n"
}
' "$results"
