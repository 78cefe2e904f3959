# ipvs_lab.sh: shared helpers of the IPVS suites that run in a VM (sourced, POSIX sh).
#
# Host side (tests/vm/ipvs-*.sh):
#   . "$here/ipvs_lab.sh"
#   lab_host_suite GUEST_SCRIPT TIMEOUT [run-in-vm.sh option...]
#       SKIPs with the reason when not root, when no VM can run here, or when
#       there is no lbha binary; else boots ONE VM with a temporary --workdir
#       and runs `sh GUEST_SCRIPT WORKDIR` there; the guest's TAP lines pass
#       through, a VM that did not report (timeout, crash) is a failure, and
#       the plan comes last.  Exit status: 0 when every test passed.
#       IPVS_LAB_KEEP=1 keeps the work dir (the daemons' logs) and names it.
#
# Guest side (tests/vm/ipvs-*-guest.sh), run by lab_host_suite:
#   TAP:      tap_ok / tap_fail / tap_skip / tap_diag / tap_check / tap_done
#   tables:   lab_rules [NETNS]          `ipvsadm -S -n`, sorted
#             lab_norm < FILE            the same normal form for hand-written rules
#             lab_wait_rules FILE SEC [NETNS]   poll until the table is FILE
#   daemon:   lab_start NAME CONF [NETNS] / lab_hup NAME / lab_stop NAME [SEC]
#             lab_counter NAME KEY       a number from NAME's checker.json
#   topology: lab_link PREFIX NS BRIDGE DEV ADDR, lab_links_del; $PY
#   servers:  lab_srv_spawn PREFIX NS NAME, lab_srv_ready NS (http_name_server.py)
#   time:     lab_now                    seconds since boot, 0.01 s, no fork
#             lab_wait_for CMD...        poll CMD until it succeeds ($WAIT s)
#   client:   vip_client_start NS VIP OUTFILE [INTERVAL] [PORT] [HOST]
#             vip_client_stop            a request to the VIP in a loop
#                                        (vip_client.py), one answer a line
#
# Every process start costs 85-180 ms in an emulated guest, so the helpers
# poll with shell builtins where they can and never loop over lines in sh.
#
# Environment: LBHA (the binary, absolute), LBHA_VM_IPVS_INSTALLER=lbha (the
# default) or keepalived: Debian's keepalived installs the same config
# instead of lbha, to prove a suite's topology and expectations on their
# own; keepalived never repairs a hand-edited table, so the repair tests
# fail then (which shows that they can fail).

# ---- host side -----------------------------------------------------------------

lab_host_suite() {
	_guest=$1 _timeout=$2
	shift 2
	_here=$(cd "$(dirname "$_guest")" && pwd)
	_skip() {
		echo "1..1"
		echo "ok 1 # SKIP $1"
		exit 0
	}
	[ "$(id -u)" = 0 ] || _skip "not root (the VM needs root)"
	_why=$(bash "$_here/run-in-vm.sh" "$@" --check 2>&1)
	case $? in
	0) echo "# $_why" ;;
	77) _skip "$_why" ;;
	*)
		echo "1..1"
		echo "not ok 1 - run-in-vm.sh --check failed"
		printf '%s\n' "$_why" | sed 's/^/# /'
		exit 1
		;;
	esac
	if [ "${LBHA_VM_IPVS_INSTALLER:-lbha}" = lbha ]; then
		LBHA=${LBHA:-./lbha}
		[ -x "$LBHA" ] || _skip "no lbha binary ('$LBHA'); build it or set LBHA"
		LBHA=$(cd "$(dirname "$LBHA")" && pwd)/$(basename "$LBHA")
		export LBHA
	fi
	_tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-vm-ipvs.XXXXXX")
	if [ -n "${IPVS_LAB_KEEP:-}" ]; then
		echo "# IPVS_LAB_KEEP: the guest's logs stay in $_tmp"
	else
		# shellcheck disable=SC2064
		trap "rm -rf '$_tmp'" EXIT
	fi
	_t0=$(date +%s)
	{
		bash "$_here/run-in-vm.sh" --timeout "$_timeout" "$@" --workdir "$_tmp" -- \
			/bin/sh "$_here/$(basename "$_guest")" "$_tmp" 2>"$_tmp/.stderr"
		echo $? >"$_tmp/.rc"
	} | tee "$_tmp/.stdout"
	_rc=$(cat "$_tmp/.rc")
	echo "# run-in-vm.sh took $(($(date +%s) - _t0)) s, status $_rc"
	_n=$(grep -Ec '^(not )?ok ' "$_tmp/.stdout")
	if [ "$_rc" = 124 ] || [ "$_rc" = 125 ] || [ "$_n" = 0 ]; then
		_n=$((_n + 1))
		echo "not ok $_n - the VM ran the suite to its end (status $_rc)"
		sed 's/^/# stderr: /' "$_tmp/.stderr" | tail -n 60
	elif grep -q '^not ok ' "$_tmp/.stdout"; then
		sed 's/^/# stderr: /' "$_tmp/.stderr" | tail -n 60
	fi
	echo "1..$_n"
	! grep -q '^not ok ' "$_tmp/.stdout"
}

# ---- guest side: TAP ---------------------------------------------------------------

TAP_N=0
TAP_FAILED=0
tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}
tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
}
tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}
tap_diag() {
	sed 's/^/# /'
}
# tap_check "description" command args...: ok when the command succeeds; its
# output is shown only on failure.
tap_check() {
	_what=$1
	shift
	if _out=$("$@" 2>&1); then
		tap_ok "$_what"
	else
		tap_fail "$_what"
		printf '%s\n' "$_out" | tap_diag
	fi
}
# The guest prints no plan: lab_host_suite adds it after the VM's own checks.
tap_done() {
	[ "$TAP_FAILED" -eq 0 ]
}

# ---- guest side: topology -----------------------------------------------------------

# The python the guests' servers and client run (-S: its start-up costs
# seconds in an emulated guest).
PY=${PY:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

# lab_link PREFIX NS BRIDGE DEV ADDR/LEN: namespace PREFIX-NS joins BRIDGE
# through its DEV (a veth whose other end is v-NS-DEV) with ADDR/LEN.
LAB_LINKS=""
lab_link() {
	LAB_LINKS="$LAB_LINKS v-$2-$4"
	ip link add "v-$2-$4" type veth peer name "$4" netns "$1-$2" &&
		ip link set "v-$2-$4" master "$3" up &&
		ip -n "$1-$2" addr add "$5" dev "$4" &&
		ip -n "$1-$2" link set "$4" up
}
# lab_links_del: delete every lab_link (a namespace lives on while a
# process is in it: the links go by themselves)
lab_links_del() {
	for _l in $LAB_LINKS; do ip link del "$_l" 2>/dev/null; done
	LAB_LINKS=""
}

# lab_srv_spawn PREFIX NS NAME: an HTTP server answering NAME
# (http_name_server.py) on port 80 in PREFIX-NS; its pid in $LAB_TMP/NS.pid.
# A python start takes seconds in an emulated guest: spawn them all, then
# lab_srv_ready each.
lab_srv_spawn() {
	rm -f "$LAB_TMP/$2.ready"
	ip netns exec "$1-$2" "$PY" -S "$here/http_name_server.py" "$3" 80 \
		"$LAB_TMP/$2.ready" >>"$LAB_LOG/srv-$2.log" 2>&1 &
	echo $! >"$LAB_TMP/$2.pid"
}
# lab_srv_ready NS: wait until NS's server listens (30 s); false, saying
# why, when it died or did not start.
lab_srv_ready() {
	_i=0
	while ! [ -e "$LAB_TMP/$1.ready" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 300 ] || ! lab_alive "$(cat "$LAB_TMP/$1.pid")"; then
			echo "the HTTP server of $1 did not start:"
			tail -n 5 "$LAB_LOG/srv-$1.log"
			return 1
		fi
		sleep 0.1
	done
}

# ---- guest side: time ---------------------------------------------------------------

# lab_wait_for CMD...: run CMD every 0.1 s until it succeeds; false after
# $WAIT seconds (the suite's deadline).
lab_wait_for() {
	_start=$(lab_now)
	until "$@"; do
		[ "$(lab_elapsed "$_start" | cut -d. -f1)" -lt "$WAIT" ] || return 1
		sleep 0.1
	done
}
# lab_now: seconds since boot with two decimals, read without a fork.
lab_now() {
	read -r _up _idle </proc/uptime
	echo "$_up"
}
# lab_elapsed START: seconds since START (a lab_now value), two decimals.
lab_elapsed() {
	read -r _up _idle </proc/uptime
	_d=$(($(_lab_cs "$_up") - $(_lab_cs "$1")))
	printf '%d.%02d\n' $((_d / 100)) $((_d % 100))
}
# "123.04" -> 12304 (no leading zero reaches $((...)), which would read octal)
_lab_cs() {
	_f=${1#*.}
	_f=${_f#0}
	echo $((${1%.*} * 100 + ${_f:-0}))
}

# ---- guest side: IPVS tables ---------------------------------------------------------

# lab_in NETNS CMD...: CMD in NETNS, or here when NETNS is empty.
lab_in() {
	_ns=$1
	shift
	if [ -n "$_ns" ]; then ip netns exec "$_ns" "$@"; else "$@"; fi
}

lab_rules() {
	lab_in "${1:-}" ipvsadm -S -n | LC_ALL=C sort
}

# lab_norm: hand-written rules to the normal form of lab_rules (comments,
# blank lines and indentation dropped, blanks squeezed, sorted).
lab_norm() {
	sed -e 's/#.*//' -e 's/[[:space:]][[:space:]]*/ /g' -e 's/^ //' -e 's/ $//' -e '/^$/d' |
		LC_ALL=C sort
}

# lab_wait_rules FILE SECONDS [NETNS]: poll until `ipvsadm -S -n` is FILE
# (in normal form).  Leaves the last table in $LAB_TMP/actual and the time it
# took in LAB_WAITED; on a timeout prints the diff (expected -> actual).
lab_wait_rules() {
	_want=$1 _max=$2 _ns=${3:-}
	_start=$(lab_now)
	while :; do
		lab_rules "$_ns" >"$LAB_TMP/actual" 2>&1
		if cmp -s "$_want" "$LAB_TMP/actual"; then
			LAB_WAITED=$(lab_elapsed "$_start")
			return 0
		fi
		LAB_WAITED=$(lab_elapsed "$_start")
		[ "${LAB_WAITED%.*}" -lt "$_max" ] || break
		sleep 0.2
	done
	echo "after ${LAB_WAITED}s the table differs (- expected, + actual):"
	diff -u "$_want" "$LAB_TMP/actual" | tail -n +3
	return 1
}

# ---- guest side: the daemon under test ------------------------------------------------

# lab_start NAME CONF [NETNS]: start lbha -C (or keepalived -C) on CONF in the
# background; its runtime dir is $LAB_TMP/NAME, its log $LAB_LOG/NAME.log.
# LAB_LBHA_ARGS: more options for lbha (split on blanks).
lab_start() {
	_name=$1 _conf=$2 _ns=${3:-}
	_rd="$LAB_TMP/$_name"
	mkdir -p "$_rd"
	# a simple command in the background, so that $! is the daemon itself
	# (ip netns exec execs it), not a subshell that would outlive a signal
	if [ "${LBHA_VM_IPVS_INSTALLER:-lbha}" = keepalived ]; then
		set -- keepalived -n -l -D -C -f "$_conf" -p "$_rd/keepalived.pid" \
			-c "$_rd/checkers.pid"
	else
		# shellcheck disable=SC2086 # LAB_LBHA_ARGS is split on purpose
		set -- env LBHA_RECONCILE_INTERVAL_MS="${LBHA_RECONCILE_INTERVAL_MS:-1000}" \
			"$LBHA" -n -l -D -C -f "$_conf" --runtime-dir "$_rd" ${LAB_LBHA_ARGS:-}
	fi
	[ -z "$_ns" ] || set -- ip netns exec "$_ns" "$@"
	"$@" >>"$LAB_LOG/$_name.log" 2>&1 &
	echo $! >"$_rd/daemon.pid"
}

lab_pid() {
	cat "$LAB_TMP/$1/daemon.pid"
}

lab_hup() {
	kill -HUP "$(lab_pid "$1")"
}

# lab_running NAME: the daemon is alive.
lab_running() {
	lab_alive "$(lab_pid "$1")"
}

# lab_alive PID: PID runs (a zombie does not count: a subshell cannot reap
# its parent's children, and kill -0 succeeds on a zombie)
lab_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	read -r _a _b _st _rest <"/proc/$1/stat" 2>/dev/null || return 1
	[ "$_st" != Z ]
}

# lab_stop NAME [SECONDS]: SIGTERM, and wait until it has exited (SIGKILL after
# SECONDS, 20 by default; then returns 1).
lab_stop() {
	_p=$(lab_pid "$1")
	kill -TERM "$_p" 2>/dev/null || return 0
	_i=0
	while lab_alive "$_p"; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((${2:-20} * 10)) ]; then
			kill -KILL "$_p" 2>/dev/null
			wait "$_p" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	wait "$_p" 2>/dev/null
	return 0
}

# lab_counter NAME KEY: the first number written as "KEY": N in NAME's
# checker.json (empty when there is none).
lab_counter() {
	sed -n "s/.*\"$2\"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p" \
		"$LAB_TMP/$1/checker.json" 2>/dev/null | head -n 1
}

# lab_log_tail NAME: the last lines of the daemon's log, as TAP comments.
lab_log_tail() {
	tail -n "${2:-25}" "$LAB_LOG/$1.log" 2>/dev/null | tap_diag
}

# ---- guest side: a client looping on a VIP ---------------------------------------------

# vip_client_start NS VIP OUTFILE [INTERVAL] [PORT] [HOST]: from netns NS, a
# request to VIP:PORT (80) every INTERVAL s (0.2) until vip_client_stop, by
# one python process (vip_client.py, next to this file: $here of the suite);
# OUTFILE is emptied and gets one line a request, the server's name or
# "fail".  HOST, when given, is sent as the Host header.  One client at a
# time; its stderr goes to $LAB_LOG/client.log.  PY: the python (python3).
VIP_CLIENT_PID=""
vip_client_start() {
	VIP_CLIENT_STOP="$LAB_TMP/client.stop"
	rm -f "$VIP_CLIENT_STOP"
	: >"$3"
	ip netns exec "$1" "${PY:-python3}" -S "${here:?}/vip_client.py" "$VIP_CLIENT_STOP" "$2" \
		"${5:-80}" "${4:-0.2}" ${6:+"$6"} >>"$3" 2>>"$LAB_LOG/client.log" &
	VIP_CLIENT_PID=$!
}

# vip_client_stop: wait until the client has ended after its request in
# flight (each has a 2 s timeout: no poll, no kill); every answer is in
# OUTFILE then.
vip_client_stop() {
	[ -n "$VIP_CLIENT_PID" ] || return 0
	touch "$VIP_CLIENT_STOP"
	wait "$VIP_CLIENT_PID" 2>/dev/null
	VIP_CLIENT_PID=""
}

# lab_init WORKDIR: the suite's scratch dir (in the guest's tmpfs) and log dir
# (WORKDIR, shared with the host, kept when the host side wants it).
lab_init() {
	LAB_LOG=$1
	LAB_TMP=/tmp/ipvs-lab.$$
	mkdir -p "$LAB_TMP" "$LAB_LOG"
}
