# vrrp_lab.sh: a two-director VRRP lab for failover drills (sourced, POSIX sh).
#
#   . "$top_srcdir/tests/integration/netns.sh"
#   . "$top_srcdir/tests/integration/vrrp_lab.sh"
#   tap_require_root
#   lab_up                                   # bridge, dir1, dir2, client, responders
#   c1=$(lab_config dir1 PRIORITY=150)       # keepalived-syntax config, prints its path
#   lab_start_director dir1 keepalived "$c1" # or: lab_start_director dir1 lbha "$c1"
#   lab_wait_holder dir1 10                  # exactly dir1 holds the VIP within 10 s
#   lab_sample_start                         # record every VIP add/delete on both
#   lab_kill_director dir1                   # SIGKILL of the whole daemon (a crash)
#   lab_client_reaches dir2                  # the client's "who are you" at the VIP
#   lab_sample_stop; lab_sample_max_overlap_ms
#
# Topology (every address exists only inside the lab's namespaces):
#
#   dir1   eth0 10.200.1.11/24 fd00:200:1::11/64  02:00:0a:c8:01:11 -+
#   dir2   eth0 10.200.1.12/24 fd00:200:1::12/64  02:00:0a:c8:01:12 -+- br0 (namespace "br")
#   client eth0 10.200.1.50/24 fd00:200:1::50/64  02:00:0a:c8:01:50 -+
#   VIPs   10.200.1.100 (v2/v3) and fd00:200:1::100 (v3 over IPv6)
#
# Directors are named dir1 and dir2 (functions take the short name or the full
# namespace name).  Which daemon plays a director is the caller's choice:
# IMPL "keepalived" (Debian's, VRRP only) or "lbha" ($LBHA, set by make check),
# so the same drill runs keepalived/keepalived, lbha/keepalived, lbha/lbha.
# State lives in files under $LAB_TMP, so these functions work from $(...)
# subshells too.  netns.sh's EXIT trap removes everything.

LAB_VIP4=10.200.1.100
LAB_VIP6=fd00:200:1::100
# Addresses the sampler and lab_kill_director treat as VIPs; add yours.
LAB_VIPS="$LAB_VIP4 $LAB_VIP6"
# The UDP port of the "who are you" responders.
LAB_PORT=${LAB_PORT:-7000}
LAB_UDP="${top_srcdir:-.}/tests/integration/vrrp_lab_udp.py"

# lab_ns NAME: the namespace of a lab host (dir1, dir2, client, br).
lab_ns() {
	case $1 in
	"$NETNS_PREFIX"*) echo "$1" ;;
	*) echo "$NETNS_PREFIX$1" ;;
	esac
}

# lab_name NS: the short name of a lab host.
lab_name() { echo "${1#"$NETNS_PREFIX"}"; }

# lab_addr NAME [4|6]: a host's own address.
lab_addr() {
	case $1 in
	dir1) _h=11 ;; dir2) _h=12 ;; client) _h=50 ;; *) return 1 ;;
	esac
	if [ "${2:-4}" = 6 ]; then echo "fd00:200:1::$_h"; else echo "10.200.1.$_h"; fi
}

# lab_mac NAME: the MAC address of a host's eth0.
lab_mac() {
	ip -n "$(lab_ns "$1")" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# lab_other NAME: the other director.
lab_other() { if [ "$1" = dir1 ]; then echo dir2; else echo dir1; fi; }

# _lab_host BRIDGE_NS NAME: a host on the bridge with DAD off and fixed addresses.
_lab_host() {
	_ns=$(netns_new "$2") || return 1
	# DAD off before eth0 arrives (a moved device takes the namespace's
	# defaults), so no address is ever tentative.
	ip netns exec "$_ns" sh -c 'for k in all default; do
		echo 0 >/proc/sys/net/ipv6/conf/$k/accept_dad
		echo 0 >/proc/sys/net/ipv6/conf/$k/dad_transmits; done'
	netns_attach "$1" "$_ns" eth0 || return 1
	ip netns exec "$_ns" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad'
	_h=$(lab_addr "$2" | cut -d. -f4)
	ip -n "$_ns" link set eth0 address "02:00:0a:c8:01:$_h"
	ip -n "$_ns" addr add "$(lab_addr "$2")/24" dev eth0
	ip -n "$_ns" addr add "$(lab_addr "$2" 6)/64" dev eth0 nodad
}

# lab_up: build the lab and start a responder in each director.
lab_up() {
	LAB_TMP="$(test_tmpdir)/lab"
	mkdir -p "$LAB_TMP" || return 1
	LAB_BR=$(netns_bridge br) || return 1
	# No multicast snooping: VRRP's 224.0.0.18 and ff02::12 must reach every
	# port whatever MLD/IGMP state the bridge has learnt.
	ip -n "$LAB_BR" link set br0 type bridge mcast_snooping 0
	for _n in dir1 dir2 client; do
		_lab_host "$LAB_BR" "$_n" || return 1
	done
	for _n in dir1 dir2; do
		ip netns exec "$(lab_ns "$_n")" python3 "$LAB_UDP" serve "$_n" "$LAB_PORT" $LAB_VIPS \
			>>"$LAB_TMP/$_n.udp.log" 2>&1 &
		netns_track_pid $!
		echo $! >"$LAB_TMP/$_n.udp.pid"
	done
	# The bridge learns every port before the first drill.
	for _n in dir1 dir2; do
		wait_until 5 ip netns exec "$(lab_ns client)" ping -c1 -W1 "$(lab_addr "$_n")" \
			>/dev/null 2>&1 || return 1
	done
}

# _lab_args VAR=VALUE...: assign the caller's settings (names A-Z_ only).
# Runs in the caller's shell, so callers are subshell functions.
_lab_args() {
	for _a in "$@"; do
		_k=${_a%%=*}
		case $_k in
		"" | *[!A-Z_]*) echo "vrrp_lab: bad setting '$_a'" >&2; return 1 ;;
		esac
		eval "$_k=\${_a#*=}"
	done
}

# lab_instance [VAR=VALUE...]: print one vrrp_instance block.
#   INSTANCE=VI_1 STATE=BACKUP INTERFACE=eth0 VRID=51 PRIORITY=100 ADVERT=1
#   VERSION=      (per-instance "version"; empty: global_defs' vrrp_version)
#   FAMILY=4      (6: the default VIP and unicast addresses are IPv6)
#   VIPS=         (space-separated, default 10.200.1.100/24 or fd00:200:1::100/64)
#   NOPREEMPT=1  PREEMPT_DELAY=N
#   UNICAST=1     (unicast_src_ip this director, unicast_peer the other; needs ME)
#   UNICAST_SRC=  UNICAST_PEERS= (explicit, space-separated)
#   TRACK_INTERFACE= TRACK_SCRIPT= (space-separated names)
#   EXTRA=        (raw lines inside the block)
#   ME=           (the director this is for: dir1 or dir2)
lab_instance() (
	INSTANCE=VI_1 STATE=BACKUP INTERFACE=eth0 VRID=51 PRIORITY=100 ADVERT=1
	VERSION='' FAMILY=4 VIPS='' NOPREEMPT='' PREEMPT_DELAY='' UNICAST='' UNICAST_SRC=''
	UNICAST_PEERS='' TRACK_INTERFACE='' TRACK_SCRIPT='' EXTRA='' ME=''
	_lab_args "$@" || exit 1
	if [ -z "$VIPS" ]; then
		if [ "$FAMILY" = 6 ]; then VIPS="$LAB_VIP6/64"; else VIPS="$LAB_VIP4/24"; fi
	fi
	if [ -n "$UNICAST" ] && [ -n "$ME" ]; then
		UNICAST_SRC=$(lab_addr "$ME" "$FAMILY")
		UNICAST_PEERS=$(lab_addr "$(lab_other "$ME")" "$FAMILY")
	fi
	echo "vrrp_instance $INSTANCE {"
	echo "    state $STATE"
	echo "    interface $INTERFACE"
	echo "    virtual_router_id $VRID"
	echo "    priority $PRIORITY"
	echo "    advert_int $ADVERT"
	[ -z "$VERSION" ] || echo "    version $VERSION"
	[ -z "$NOPREEMPT" ] || echo "    nopreempt"
	[ -z "$PREEMPT_DELAY" ] || echo "    preempt_delay $PREEMPT_DELAY"
	[ -z "$UNICAST_SRC" ] || echo "    unicast_src_ip $UNICAST_SRC"
	if [ -n "$UNICAST_PEERS" ]; then
		echo "    unicast_peer {"
		for _p in $UNICAST_PEERS; do echo "        $_p"; done
		echo "    }"
	fi
	echo "    virtual_ipaddress {"
	for _v in $VIPS; do echo "        $_v"; done
	echo "    }"
	for _kw in track_interface:TRACK_INTERFACE track_script:TRACK_SCRIPT; do
		eval "_list=\$${_kw#*:}"
		[ -n "$_list" ] || continue
		echo "    ${_kw%%:*} {"
		for _t in $_list; do echo "        $_t"; done
		echo "    }"
	done
	[ -z "$EXTRA" ] || printf '%s\n' "$EXTRA" | sed 's/^/    /'
	echo "}"
)

# lab_config NAME [VAR=VALUE...]: write $LAB_TMP/NAME.conf and print its path.
# NAME is the director it is for (dir1/dir2), or any name with ME=dirN.
#   ROUTER_ID=NAME  VRRP_VERSION= (global_defs vrrp_version)
#   GLOBAL=         (raw lines inside global_defs; default: script_user root,
#                    enable_script_security)
#   TOP=            (raw top-level text: vrrp_script, vrrp_sync_group, more
#                    instances from lab_instance ...)
#   NO_INSTANCE=1   (only TOP's instances)
#   every lab_instance setting applies to the default instance.
lab_config() (
	_name=$1; shift
	ROUTER_ID=$_name VRRP_VERSION='' TOP='' NO_INSTANCE='' ME=''
	GLOBAL="script_user root
enable_script_security"
	case $_name in dir1 | dir2) ME=$_name ;; esac
	_lab_args "$@" || exit 1
	_conf="$LAB_TMP/$_name.conf"
	{
		echo "# $_name: generated by tests/integration/vrrp_lab.sh"
		echo "global_defs {"
		echo "    router_id $ROUTER_ID"
		[ -z "$VRRP_VERSION" ] || echo "    vrrp_version $VRRP_VERSION"
		[ -z "$GLOBAL" ] || printf '%s\n' "$GLOBAL" | sed 's/^/    /'
		echo "}"
		[ -z "$TOP" ] || printf '%s\n' "$TOP"
		[ -n "$NO_INSTANCE" ] || lab_instance "ME=$ME" "$@"
	} >"$_conf" || exit 1
	echo "$_conf"
)

# lab_script NAME EXIT_CODE: an executable track script under $LAB_TMP whose
# exit code the test changes later with lab_script again.  Prints its path.
lab_script() {
	_s="$LAB_TMP/$1.sh"
	printf '#!/bin/sh\nexit %s\n' "$2" >"$_s.new" && chmod 755 "$_s.new" && mv "$_s.new" "$_s"
	echo "$_s"
}

# lab_start_director NAME IMPL CONF: run IMPL (keepalived | lbha) in NAME's
# namespace, in a session of its own (so a crash drill can SIGKILL it whole),
# logging to $LAB_TMP/NAME.log.  Records the pid in $LAB_TMP/NAME.pid.
lab_start_director() {
	_ns=$(lab_ns "$1"); _n=$(lab_name "$_ns")
	case $2 in
	keepalived)
		# A SIGKILLed keepalived leaves its pid files, and it refuses to start
		# ("daemon is already running") when their pids have been reused.
		rm -f "$LAB_TMP/$_n.ka.pid" "$LAB_TMP/$_n.ka-vrrp.pid" "$LAB_TMP/$_n.ka-checkers.pid"
		set -- keepalived -n -l -G -D -P -f "$3" -p "$LAB_TMP/$_n.ka.pid" \
			-r "$LAB_TMP/$_n.ka-vrrp.pid" -c "$LAB_TMP/$_n.ka-checkers.pid"
		;;
	lbha)
		if [ ! -x "${LBHA:-}" ]; then
			echo "vrrp_lab: \$LBHA is not an executable ('${LBHA:-}')" >&2
			return 1
		fi
		mkdir -p "$LAB_TMP/run-$_n"
		set -- "$LBHA" -n -l -D -f "$3" --runtime-dir "$LAB_TMP/run-$_n"
		;;
	*)
		echo "vrrp_lab: unknown implementation '$2'" >&2
		return 1
		;;
	esac
	echo "=== $(date +%T.%N) start $*" >>"$LAB_TMP/$_n.log"
	ip netns exec "$_ns" setsid "$@" >>"$LAB_TMP/$_n.log" 2>&1 &
	_pid=$!
	netns_track_pid "$_pid"
	echo "$_pid" >"$LAB_TMP/$_n.pid"
	echo "$2" >"$LAB_TMP/$_n.impl"
	# setsid execs in place unless its caller leads a process group (job
	# control on); then the daemon is its child and leads the session.
	sleep 0.05
	_sid=$(ps -o sid= -p "$_pid" 2>/dev/null | tr -d ' ')
	if [ -n "$_sid" ] && [ "$_sid" != "$_pid" ]; then
		_child=$(ps -o pid= --ppid "$_pid" 2>/dev/null | tr -d ' ' | head -n1)
		[ -z "$_child" ] || echo "$_child" >"$LAB_TMP/$_n.pid"
	fi
}

# lab_director_pid NAME: the daemon's pid (empty when none was started).
lab_director_pid() { cat "$LAB_TMP/$(lab_name "$(lab_ns "$1")").pid" 2>/dev/null; }

# _lab_session_pids NAME: every process of the daemon's session in its namespace.
_lab_session_pids() {
	_ns=$(lab_ns "$1"); _sid=$(lab_director_pid "$1")
	[ -n "$_sid" ] || return 0
	for _p in $(ip netns pids "$_ns" 2>/dev/null); do
		[ "$(ps -o sid= -p "$_p" 2>/dev/null | tr -d ' ')" = "$_sid" ] && echo "$_p"
	done
}

_lab_gone() { [ -z "$(_lab_session_pids "$1")" ]; }

# lab_stop_director NAME [TIMEOUT]: SIGTERM (a graceful stop: the master
# sends its priority-0 advert) and wait until the whole daemon has exited.
lab_stop_director() {
	_pid=$(lab_director_pid "$1")
	[ -n "$_pid" ] || return 0
	kill -TERM "$_pid" 2>/dev/null
	if ! wait_until "${2:-10}" _lab_gone "$1"; then
		echo "vrrp_lab: $1 ignored SIGTERM; killing it" >&2
		lab_kill_director "$1"
		return 1
	fi
	rm -f "$LAB_TMP/$(lab_name "$(lab_ns "$1")").pid"
}

# _lab_vip_dels NAME: an `ip -batch` line ("addr del A/P dev eth0") for each
# VIP on NAME's eth0.
_lab_vip_dels() {
	ip -n "$(lab_ns "$1")" -o addr show dev eth0 | awk -v vips="$LAB_VIPS" '
		BEGIN { n = split(vips, v, " "); for (i = 1; i <= n; i++) want[v[i]] = 1 }
		{ for (i = 1; i < NF; i++) if ($i ~ /^inet6?$/) { split($(i + 1), a, "/")
			if (a[1] in want) print "addr del " $(i + 1) " dev eth0" } }'
}

# lab_drop_vips NAME: remove whatever VIP is left on NAME's eth0.
lab_drop_vips() {
	_dels=$(_lab_vip_dels "$1")
	[ -z "$_dels" ] || printf '%s\n' "$_dels" | ip -n "$(lab_ns "$1")" -batch - 2>/dev/null
	:
}

# lab_kill_director NAME: SIGKILL the whole daemon (every process of its
# session at once, so no child gets to run a graceful shutdown).  A crash
# drill models the loss of the director: its VIPs go with it (a dead host
# answers nothing), removed in one command right after the kill: what to
# kill and what to remove is listed before, since forks after the kill are
# time the other director may already hold the VIP in (under a sanitizer on
# a loaded machine, hundreds of ms).  LAB_KILL_KEEP_VIPS=1 leaves them,
# which models a daemon crash on a live host.
lab_kill_director() {
	_pid=$(lab_director_pid "$1")
	[ -n "$_pid" ] || return 0
	_pids=$(_lab_session_pids "$1")
	_dels=""
	[ -n "${LAB_KILL_KEEP_VIPS:-}" ] || _dels=$(_lab_vip_dels "$1")
	# shellcheck disable=SC2086 # one pid per word
	kill -KILL "-$_pid" $_pids 2>/dev/null
	[ -z "$_dels" ] || printf '%s\n' "$_dels" | ip -n "$(lab_ns "$1")" -batch - 2>/dev/null
	# a process forked between the listing and the kill, and a VIP added then
	for _p in $(_lab_session_pids "$1"); do kill -KILL "$_p" 2>/dev/null; done
	[ -n "${LAB_KILL_KEEP_VIPS:-}" ] || lab_drop_vips "$1"
	wait_until 5 _lab_gone "$1"
	# Reap it here (when it is our child) so bash prints no "Killed" notice.
	wait "$_pid" 2>/dev/null
	rm -f "$LAB_TMP/$(lab_name "$(lab_ns "$1")").pid"
}

# lab_holds NAME [VIP]: NAME has the VIP (default $LAB_VIP4) on an interface.
lab_holds() {
	ip -n "$(lab_ns "$1")" -o addr show 2>/dev/null | awk -v v="${2:-$LAB_VIP4}" '
		{ for (i = 1; i < NF; i++) if ($i ~ /^inet6?$/) { split($(i + 1), a, "/")
			if (a[1] == v) f = 1 } } END { exit !f }'
}

# lab_vip_holder [VIP]: print the director(s) holding the VIP, space-separated
# ("" when none, "dir1 dir2" when both).
lab_vip_holder() {
	_out=""
	for _n in dir1 dir2; do
		lab_holds "$_n" "${1:-$LAB_VIP4}" && _out="${_out:+$_out }$_n"
	done
	echo "$_out"
}

_lab_holder_is() { [ "$(lab_vip_holder "$2")" = "$1" ]; }

# lab_wait_holder NAME TIMEOUT [VIP]: wait until exactly NAME ("" for none)
# holds the VIP.
lab_wait_holder() { wait_until "$2" _lab_holder_is "$1" "${3:-$LAB_VIP4}"; }

# lab_client_ask [VIP] [TIMEOUT]: print who answers the client at the VIP.
lab_client_ask() {
	ip netns exec "$(lab_ns client)" python3 "$LAB_UDP" ask "${1:-$LAB_VIP4}" "$LAB_PORT" \
		"${2:-2}"
}

# lab_client_reaches NAME [VIP] [TIMEOUT]: the client's traffic to the VIP is
# answered by NAME (asks every 50 ms until it is, default 5 s).
lab_client_reaches() {
	ip netns exec "$(lab_ns client)" python3 "$LAB_UDP" ask "${2:-$LAB_VIP4}" "$LAB_PORT" \
		"${3:-5}" "$1" >/dev/null
}

# lab_client_neigh [VIP]: the MAC in the client's neighbour entry for the VIP.
lab_client_neigh() {
	ip -n "$(lab_ns client)" neigh show "${1:-$LAB_VIP4}" dev eth0 |
		sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p'
}

# lab_client_neigh_is NAME [VIP]: the client's neighbour entry for the VIP
# has NAME's MAC (the gratuitous ARP / unsolicited NA did its job).
lab_client_neigh_is() { [ "$(lab_client_neigh "$2")" = "$(lab_mac "$1")" ]; }

# lab_sample_start: record every address add/delete in both directors
# (ip -ts monitor: a userspace timestamp per rtnetlink event, microseconds,
# no polling gap), plus a snapshot of who holds what at the start.
lab_sample_start() {
	for _n in dir1 dir2; do
		TZ=UTC ip -n "$(lab_ns "$_n")" -o -ts monitor address >"$LAB_TMP/mon.$_n" 2>&1 &
		echo $! >"$LAB_TMP/mon.$_n.pid"
		netns_track_pid $!
	done
	sleep 0.2
	: >"$LAB_TMP/mon.snap"
	for _n in dir1 dir2; do
		for _v in $LAB_VIPS; do
			_held=0; lab_holds "$_n" "$_v" && _held=1
			echo "[$(TZ=UTC date +%Y-%m-%dT%H:%M:%S.%6N)] SNAP $_n $_v $_held" >>"$LAB_TMP/mon.snap"
		done
	done
}

# lab_sample_stop: stop the monitors and compute the dual-holder intervals
# ($LAB_TMP/overlaps: "VIP START END MS", times in seconds since the epoch).
lab_sample_stop() {
	_end="[$(TZ=UTC date +%Y-%m-%dT%H:%M:%S.%6N)] END"
	for _n in dir1 dir2; do
		[ -f "$LAB_TMP/mon.$_n.pid" ] || continue
		kill "$(cat "$LAB_TMP/mon.$_n.pid")" 2>/dev/null
		rm -f "$LAB_TMP/mon.$_n.pid"
	done
	{
		for _n in dir1 dir2; do sed "s/^\(\[[^]]*\]\)/\1 MON $_n/" "$LAB_TMP/mon.$_n"; done
		cat "$LAB_TMP/mon.snap"
		echo "$_end"
	} | awk -v vips="$LAB_VIPS" '
	function days(y, m, d) {   # days from civil (Howard Hinnant), y >= 0
		y -= (m <= 2); era = int(y / 400); yoe = y - era * 400
		doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
		return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
	}
	function stamp(s) {        # [YYYY-MM-DDTHH:MM:SS.uuuuuu] -> epoch seconds
		return days(substr(s, 2, 4) + 0, substr(s, 7, 2) + 0, substr(s, 10, 2) + 0) * 86400 + \
			substr(s, 13, 2) * 3600 + substr(s, 16, 2) * 60 + substr(s, 19, 9)
	}
	BEGIN { n = split(vips, vl, " "); for (i = 1; i <= n; i++) isvip[vl[i]] = 1 }
	$2 == "SNAP" { printf "%.6f %s %s %s\n", stamp($1), $3, $4, $5; next }
	$2 == "END" { printf "%.6f END - -\n", stamp($1); next }
	$2 == "MON" {
		held = ($4 == "Deleted") ? 0 : 1
		for (i = 4; i < NF; i++) if ($i ~ /^inet6?$/) {
			split($(i + 1), a, "/")
			if (a[1] in isvip) printf "%.6f %s %s %d\n", stamp($1), $3, a[1], held
		}
	}' | sort -s -n -k1,1 | awk '
	function close_dual(v, t) {
		if (start[v] != "") { printf "%s %.6f %.6f %.1f\n", v, start[v], t, (t - start[v]) * 1000; start[v] = "" }
	}
	$2 == "END" { for (v in start) close_dual(v, $1); next }
	{
		h[$2, $3] = $4; v = $3
		both = h["dir1", v] + 0 && h["dir2", v] + 0
		if (both && start[v] == "") start[v] = $1
		else if (!both) close_dual(v, $1)
	}' >"$LAB_TMP/overlaps"
}

# lab_split_check WHAT [ADVERT_MS]: one TAP line on the sampled overlaps (call
# lab_sample_stop first): every interval in which both directors held a VIP
# ended within a master-down interval (3 adverts, ADVERT_MS default 100) or
# a second, whichever is longer; the longest is printed.  The protocol's own
# bound is an advert interval, and so it is on an idle machine (the figures
# say so, and bench/failover.sh measures it), but a starved process (a
# loaded CI machine, a sanitizer build) can overrun that, and tests do not
# assert on wall time: what is asserted is that a split resolves at once.
lab_split_check() {
	_max=$(lab_sample_max_overlap_ms)
	_lim=$(( 3 * ${2:-100} ))
	[ "$_lim" -ge 1000 ] || _lim=1000
	if awk -v m="$_max" -v l="$_lim" 'BEGIN { exit !(m < l) }'; then
		tap_ok "$1: every split resolved at once (longest two-holder interval $_max ms)"
	else
		tap_fail "$1: two holders for $_max ms (not < $_lim)"
		tap_diag "$(cat "$LAB_TMP/overlaps")"
		return 1
	fi
}

# lab_sample_max_overlap_ms: the longest interval (ms, one decimal) in which
# both directors held the same VIP, 0 when never.
lab_sample_max_overlap_ms() {
	awk 'BEGIN { m = 0 } $4 + 0 > m { m = $4 + 0 } END { printf "%.1f\n", m }' "$LAB_TMP/overlaps"
}

# lab_reset: kill both directors, drop leftover VIPs, forget the client's
# neighbour entries: a clean start for the next drill.
lab_reset() {
	for _n in dir1 dir2; do
		lab_kill_director "$_n"
		lab_drop_vips "$_n"
	done
	ip -n "$(lab_ns client)" neigh flush dev eth0 2>/dev/null
	ip -n "$(lab_ns client)" -6 neigh flush dev eth0 2>/dev/null
	:
}

# lab_log NAME: a director's daemon log (for tap_diag on failure).
lab_log() { cat "$LAB_TMP/$(lab_name "$(lab_ns "$1")").log" 2>/dev/null; }

# lab_status NAME PATH: one value from an lbha director's vrrp.json, by a
# dotted path whose list steps pick the element by "name":
#   lab_status dir1 instances.VI_1.state            -> MASTER
#   lab_status dir1 instances.VI_1.counters.drops.unicast_src
#   lab_status dir1 sync_groups.G1.state
# Fails (and prints nothing) when the file or the value is missing or null.
lab_status() {
	lab_json_get "$2" 2>/dev/null < "$(lab_runtime_dir "$1")/vrrp.json"
}

# lab_json_get PATH [ROOT]: walk dotted PATH through the JSON on stdin,
# starting at its member ROOT (dotted too) when given; a list step picks the
# element whose "name" is the key.  Prints the value (objects, lists and
# booleans as JSON); fails when the input or the value is missing or null.
lab_json_get() {
	python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
for k in ".".join(a for a in sys.argv[2:0:-1] if a).split("."):
    if isinstance(d, list):
        d = next((x for x in d if isinstance(x, dict) and x.get("name") == k), None)
    elif isinstance(d, dict):
        d = d.get(k)
    else:
        d = None
    if d is None:
        sys.exit(1)
print(json.dumps(d) if isinstance(d, (dict, list, bool)) else d)' "$1" "${2:-}"
}

# lab_status_is NAME PATH VALUE: lab_status prints exactly VALUE (for
# wait_until: wait_until 3 lab_status_is dir1 instances.VI_1.state FAULT).
lab_status_is() { [ "$(lab_status "$1" "$2")" = "$3" ]; }

# lab_runtime_dir NAME: an lbha director's --runtime-dir.
lab_runtime_dir() { echo "$LAB_TMP/run-$(lab_name "$(lab_ns "$1")")"; }

# lab_status_cli NAME PATH: like lab_status, but through `lbha status --json`
# (the parent's view: PATH is looked up in its children.vrrp member).
lab_status_cli() {
	"$LBHA" status --runtime-dir "$(lab_runtime_dir "$1")" --json 2>/dev/null |
		lab_json_get "$2" children.vrrp
}

# lab_lbha_left NAME: print the lbha processes (pid and name) still running
# in NAME's namespace, whichever session they are in.
lab_lbha_left() {
	_exe=$(readlink -f "${LBHA:-/nonexistent}")
	for _p in $(ip netns pids "$(lab_ns "$1")" 2>/dev/null); do
		_c=$(cat "/proc/$_p/comm" 2>/dev/null) || continue
		case $_c in
		lbha*) echo "$_p $_c"; continue ;;
		esac
		[ "$(readlink "/proc/$_p/exe" 2>/dev/null)" != "$_exe" ] || echo "$_p $_c"
	done
}

# lab_capture_start FILE: capture every frame on the lab's bridge into FILE
# with tshark (br0 in promiscuous mode, so it also sees the frames the bridge
# forwards between ports, unicast adverts included).  Returns once tshark
# captures; its messages go to $LAB_TMP/capture.err.  lab_capture_stop ends it.
lab_capture_start() {
	HOME=$LAB_TMP XDG_CONFIG_HOME=$LAB_TMP ip netns exec "$(lab_ns br)" \
		tshark -q -i br0 -w "$1" >"$LAB_TMP/capture.err" 2>&1 &
	echo $! >"$LAB_TMP/capture.pid"
	netns_track_pid $!
	wait_until 10 grep -q "Capturing on" "$LAB_TMP/capture.err"
}

# lab_capture_stop: end the capture (SIGINT: tshark flushes the file) and wait.
lab_capture_stop() {
	_pid=$(cat "$LAB_TMP/capture.pid" 2>/dev/null)
	[ -n "$_pid" ] || return 0
	# dumpcap reads the kernel's ring a block at a time, a block being
	# handed over when full or 250 ms old, and drops the unread rest on
	# SIGINT: give the last frames sent before the call time to arrive.
	sleep 0.5
	kill -INT "$_pid" 2>/dev/null
	wait_until 5 sh -c "! kill -0 $_pid 2>/dev/null" || kill -KILL "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	rm -f "$LAB_TMP/capture.pid"
}

# lab_require [lbha] [keepalived]: the suite's preconditions (root, ip,
# python3 for the responders, and the daemons it names); prints the TAP
# SKIP line with the reason and exits when one is missing.
lab_require() {
	tap_require_root
	_lab_skip() { echo "1..0 # SKIP $1"; exit 0; }
	command -v python3 >/dev/null 2>&1 || _lab_skip "python3 is not installed (the lab's UDP responder)"
	for _need in "$@"; do
		case $_need in
		lbha) [ -x "${LBHA:-}" ] || _lab_skip "lbha binary not built ('${LBHA:-}')" ;;
		keepalived) command -v keepalived >/dev/null 2>&1 ||
			_lab_skip "keepalived is not installed (apt-get install keepalived)" ;;
		esac
	done
}
