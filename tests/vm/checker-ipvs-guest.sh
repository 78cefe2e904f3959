#!/bin/sh
# checker-ipvs-guest.sh - the checks tests/vm/checker-ipvs.sh runs inside the
# VM; prints TAP (no plan: the host side adds it).
#
# Usage (in the guest): checker-ipvs-guest.sh WORKDIR
# NAT topology: namespaces ck-c (client, 10.200.12.10), ck-d (director, VIP
# 10.200.12.100, runs lbha -C, gateway 10.200.13.1 of the servers), ck-r1 and
# ck-r2 (real servers 10.200.13.11/.12) and ck-s (sorry server 10.200.13.13),
# each server an HTTP server answering its own name (http_name_server.py).
# Every real server has an HTTP_GET checker (delay_loop 1, connect_timeout
# 1, retry 0).  While a client in ck-c sends a request to the VIP every
# ~0.2 s (one python process), HTTP servers are stopped and started again; every expectation is
# read back from the kernel with `ipvsadm -Ln` in ck-d (an independent
# reader) and from the client's answers, by polling with a deadline.
#   plain    rise 2, fall 2: r2 leaves the table, only r1 answers; r2 back
#   inhibit  inhibit_on_failure: r2 stays with weight 0, only r1 answers
#   slow     slow_start 4, weight 8: r2 comes back below 8 and rises in
#            steps to 8 (never down again)
#   sorry    sorry_server: r1 and r2 down -> only the sorry server, the
#            client gets "sorry"; back -> r1 and r2, the sorry server out
# A scenario starts its own lbha and stops it at its end (the table must be
# empty then), so each one is independent of the one before.
# With LBHA_VM_IPVS_INSTALLER=keepalived every check passes but the slow
# start ramp (keepalived has no slow_start: r2 is back at 8 at once), which
# shows that the topology and expectations hold and that the ramp check
# can fail.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_init "${1:?usage: checker-ipvs-guest.sh WORKDIR}"
# deadlines (s) for a state to show: generous, since the guest is emulated
WAIT=${CHECKER_IPVS_WAIT:-25}
# answers of the client loop looked at once a state is reached
ANSWERS=${CHECKER_IPVS_ANSWERS:-4}
NS="c d r1 r2 s"
VIP=10.200.12.100
RS1=10.200.13.11 RS2=10.200.13.12 SORRY=10.200.13.13
ANS="$LAB_TMP/answers"

# ---- topology -------------------------------------------------------------------------

# link NS BRIDGE DEV ADDR/LEN: ck-NS joins BRIDGE through DEV
link() { lab_link ck "$@"; }

topo_up() {
	for n in $NS; do
		ip netns add "ck-$n" && ip -n "ck-$n" link set lo up || return 1
	done
	ip link add ckbr1 type bridge && ip link set ckbr1 up &&
		ip link add ckbr2 type bridge && ip link set ckbr2 up || return 1
	link c ckbr1 eth0 10.200.12.10/24 && link d ckbr1 eth0 10.200.12.1/24 &&
		link d ckbr2 eth1 10.200.13.1/24 &&
		link r1 ckbr2 eth0 $RS1/24 && link r2 ckbr2 eth0 $RS2/24 &&
		link s ckbr2 eth0 $SORRY/24 || return 1
	ip -n ck-d addr add $VIP/24 dev eth0 || return 1
	for n in r1 r2 s; do
		ip -n "ck-$n" route add default via 10.200.13.1 || return 1
	done
	ip netns exec ck-d sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' || return 1
	srv_spawn r1 r1 && srv_spawn r2 r2 && srv_spawn s sorry &&
		srv_ready r1 && srv_ready r2 && srv_ready s
}

topo_down() {
	vip_client_stop
	for n in r1 r2 s; do
		srv_stop "$n"
	done
	lab_links_del
	for n in $NS; do
		ip netns del "ck-$n" 2>/dev/null
	done
	ip link del ckbr1 2>/dev/null
	ip link del ckbr2 2>/dev/null
}

# ---- the servers and the client ---------------------------------------------------------

# srv_spawn NS NAME / srv_ready NS: NAME's HTTP server in ck-NS (ipvs_lab.sh)
srv_spawn() { lab_srv_spawn ck "$@"; }
srv_ready() { lab_srv_ready "$@"; }

# srv_start NS NAME: both (a python start takes seconds in an emulated guest:
# to start several, spawn them all, then wait for each)
srv_start() {
	srv_spawn "$1" "$2" && srv_ready "$1"
}

# srv_stop NS: stop ck-NS's HTTP server and wait until it is gone (port closed)
srv_stop() {
	[ -e "$LAB_TMP/$1.pid" ] || return 0
	_p=$(cat "$LAB_TMP/$1.pid")
	rm -f "$LAB_TMP/$1.pid"
	kill -TERM "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	return 0
}

# mark: the number of answers so far.  The request in flight when a state is
# reached may have been scheduled before it, so the answers that count start
# one after the mark.
mark() {
	_l=$(wc -l <"$ANS")
	echo $((_l + 1))
}

# answers_after MARK COUNT: wait (WAIT s) for COUNT answers after MARK and
# print them, one a line; the answers so far when they do not come
answers_after() {
	_start=$(lab_now)
	while [ "$(wc -l <"$ANS")" -lt $(($1 + $2)) ]; do
		if [ "$(lab_elapsed "$_start" | cut -d. -f1)" -ge "$WAIT" ]; then
			tail -n +$(($1 + 1)) "$ANS"
			return 1
		fi
		sleep 0.2
	done
	tail -n +$(($1 + 1)) "$ANS" | head -n "$2"
}

# check_answers DESC MARK NAME: the next ANSWERS answers after MARK are all NAME
check_answers() {
	if _got=$(answers_after "$2" "$ANSWERS") &&
		! printf '%s\n' "$_got" | grep -qvx "$3"; then
		tap_ok "$1 ($(echo "$_got" | tr '\n' ' '))"
	else
		tap_fail "$1"
		printf 'wanted %s answers, all "%s"; got:\n%s\n' "$ANSWERS" "$3" "$_got" | tap_diag
		dests | sed 's/^/ipvsadm: /' | tap_diag
	fi
}

# answered_after MARK NAME: NAME answered after MARK
answered_after() {
	tail -n +$(($1 + 1)) "$ANS" | grep -qx "$2"
}

# ---- reading the kernel's table ------------------------------------------------------------

# dests: the real servers of the VIP's service in the kernel, "ADDR:PORT
# WEIGHT" a line, sorted; read with ipvsadm -Ln in the director
dests() {
	ip netns exec ck-d ipvsadm -Ln -t "$VIP:80" 2>&1 |
		awk '$1 == "->" && $2 != "RemoteAddress:Port" { print $2, $4 }' | LC_ALL=C sort
}

# wait_dests WANT: poll (WAIT s) until dests prints WANT ("\n" separated);
# DESTS_WAITED is the time it took, $LAB_TMP/dests the last table read
wait_dests() {
	_start=$(lab_now)
	_want=$(printf '%b' "$1")
	while :; do
		dests >"$LAB_TMP/dests"
		DESTS_WAITED=$(lab_elapsed "$_start")
		[ "$(cat "$LAB_TMP/dests")" != "$_want" ] || return 0
		[ "${DESTS_WAITED%.*}" -lt "$WAIT" ] || break
		sleep 0.2
	done
	return 1
}

# check_dests DESC WANT: one test: the table becomes WANT
check_dests() {
	if wait_dests "$2"; then
		tap_ok "$1 (${DESTS_WAITED}s)"
	else
		tap_fail "$1"
		{
			echo "after ${DESTS_WAITED}s ipvsadm -Ln shows:"
			ip netns exec ck-d ipvsadm -Ln
			echo "wanted (addr:port weight):"
			printf '%b\n' "$2"
		} | tap_diag
		lab_log_tail "$SC" 15
	fi
}

# ---- one scenario ---------------------------------------------------------------------------

# conf NAME RS_OPTIONS VS_OPTIONS WEIGHT: the config of scenario NAME, with
# RS_OPTIONS in both real servers and VS_OPTIONS in the virtual server
conf() {
	cat >"$LAB_TMP/$1.conf" <<EOF
global_defs {
	router_id checker_ipvs_$1
}
virtual_server $VIP 80 {
	delay_loop 1
	lvs_sched wrr
	lvs_method NAT
	protocol TCP
	$3
	real_server $RS1 80 {
		weight $4
		$2
		HTTP_GET {
			url {
				path /
				status_code 200
			}
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS2 80 {
		weight $4
		$2
		HTTP_GET {
			url {
				path /
				status_code 200
			}
			connect_timeout 1
			retry 0
		}
	}
}
EOF
}

# begin NAME WEIGHT: start lbha on NAME's config and the client; ok when both
# real servers are in the table and both answer
begin() {
	SC=$1
	lab_start "$SC" "$LAB_TMP/$SC.conf" ck-d
	check_dests "$SC: lbha installs r1 and r2 with weight $2" "$RS1:80 $2\n$RS2:80 $2"
	# a request every ~0.2 s (with a Host header), one answer a line in $ANS
	vip_client_start ck-c "$VIP" "$ANS" 0.2 80 "$VIP"
	_m=$(mark)
	if lab_wait_for answered_after "$_m" r1 && lab_wait_for answered_after "$_m" r2; then
		tap_ok "$SC: the client's requests reach r1 and r2"
	else
		tap_fail "$SC: the client's requests reach r1 and r2"
		tap_diag <"$ANS"
	fi
}

# finish: stop the client and lbha; lbha removes its service
finish() {
	vip_client_stop
	if lab_stop "$SC" 30; then
		_left=$(ip netns exec ck-d ipvsadm -S -n)
		if [ -z "$_left" ]; then
			tap_ok "$SC: lbha stops and removes its service"
		else
			tap_fail "$SC: lbha stops and removes its service"
			printf '%s\n' "$_left" | tap_diag
		fi
	else
		tap_fail "$SC: lbha stops on SIGTERM (within 30 s)"
		lab_log_tail "$SC" 10
	fi
	# whatever happened, the next scenario starts with every server up
	ip netns exec ck-d ipvsadm -C
	for n in r1 r2; do
		if ! [ -e "$LAB_TMP/$n.pid" ] && ! srv_start "$n" "$n" >"$LAB_TMP/why" 2>&1; then
			tap_diag <"$LAB_TMP/why"
		fi
	done
}

# stop_rs NS: stop ck-NS's HTTP server, and say so
stop_rs() {
	srv_stop "$1"
	echo "# $SC: $1's HTTP server stopped at $(lab_now)"
}

# restart_rs NS...: start their HTTP servers again (r1 answers "r1", ...)
restart_rs() {
	for _n in "$@"; do
		srv_spawn "$_n" "$_n"
	done
	for _n in "$@"; do
		if srv_ready "$_n" >"$LAB_TMP/why" 2>&1; then
			echo "# $SC: $_n's HTTP server started again at $(lab_now)"
		else
			tap_diag <"$LAB_TMP/why"
		fi
	done
}

# ---- the scenarios ---------------------------------------------------------------------

scenario_plain() {
	conf plain "rise 2
		fall 2" "" 1
	begin plain 1
	stop_rs r2
	check_dests "plain: r2 down (fall 2) leaves the table, only r1 is left" "$RS1:80 1"
	check_answers "plain: the client gets only r1 while r2 is down" "$(mark)" r1
	if [ "${LBHA_VM_IPVS_INSTALLER:-lbha}" = keepalived ]; then
		tap_skip "plain: the log says why r2 went down" "lbha's log line; keepalived runs"
	elif grep -q "real server $RS2:80 down: connection refused" "$LAB_LOG/plain.log"; then
		tap_ok "plain: the log says why r2 went down"
	else
		tap_fail "plain: the log says why r2 went down (\"real server $RS2:80 down: connection refused\")"
		lab_log_tail plain 15
	fi
	restart_rs r2
	check_dests "plain: r2 up again (rise 2) is back in the table" "$RS1:80 1\n$RS2:80 1"
	_m=$(mark)
	if lab_wait_for answered_after "$_m" r2; then
		tap_ok "plain: the client gets answers from r2 again"
	else
		tap_fail "plain: the client gets answers from r2 again"
		tail -n 12 "$ANS" | tap_diag
	fi
	finish
}

scenario_inhibit() {
	conf inhibit "inhibit_on_failure
		rise 1
		fall 1" "" 1
	begin inhibit 1
	stop_rs r2
	check_dests "inhibit: r2 down stays in the table with weight 0" "$RS1:80 1\n$RS2:80 0"
	check_answers "inhibit: the client gets only r1 while r2 is at weight 0" "$(mark)" r1
	# r2 must stay at 0 while it is down, not disappear a moment later
	sleep 2
	dests >"$LAB_TMP/dests"
	if [ "$(cat "$LAB_TMP/dests")" = "$(printf '%s\n' "$RS1:80 1" "$RS2:80 0")" ]; then
		tap_ok "inhibit: r2 is still there with weight 0 two seconds later"
	else
		tap_fail "inhibit: r2 is still there with weight 0 two seconds later"
		tap_diag <"$LAB_TMP/dests"
	fi
	restart_rs r2
	check_dests "inhibit: r2 up again gets its weight back" "$RS1:80 1\n$RS2:80 1"
	_m=$(mark)
	if lab_wait_for answered_after "$_m" r2; then
		tap_ok "inhibit: the client gets answers from r2 again"
	else
		tap_fail "inhibit: the client gets answers from r2 again"
		tail -n 12 "$ANS" | tap_diag
	fi
	finish
}

# r2_weight: r2's weight in the kernel now, "-" when it has no dest
r2_weight() {
	dests | awk -v rs="$RS2:80" '$1 == rs { w = $2 } END { print (w == "" ? "-" : w) }'
}

scenario_slow() {
	conf slow "rise 1
		fall 1
		slow_start 4" "" 8
	begin slow 8
	stop_rs r2
	check_dests "slow: r2 down leaves the table" "$RS1:80 8"
	restart_rs r2
	# every weight of r2 seen from the restart until it is 8 (or WAIT + 10 s)
	_seen="" _last="" _start=$(lab_now)
	while :; do
		_w=$(r2_weight)
		[ "$_w" = "$_last" ] || _seen="$_seen $_w"
		_last=$_w
		[ "$_w" != 8 ] || break
		[ "$(lab_elapsed "$_start" | cut -d. -f1)" -lt $((WAIT + 10)) ] || break
	done
	_took=$(lab_elapsed "$_start")
	echo "# slow: r2's weights in ipvsadm after the restart:$_seen (${_took}s)"
	# shellcheck disable=SC2086 # one weight an argument
	_ramp=$(printf '%s\n' $_seen | awk '
		$1 == "-" { if (w != "") bad = "removed again after " w; next }
		$1 == 0 { bad = "weight 0 during the ramp"; next }
		w != "" && $1 + 0 < w + 0 { bad = "went down from " w " to " $1 }
		$1 + 0 < 8 { low = 1 }
		{ w = $1 }
		END {
			if (bad != "") print bad
			else if (w != 8) print "never reached 8 (last " w ")"
			else if (!low) print "was never below 8"
			else print "ok"
		}')
	if [ "$_ramp" = ok ]; then
		tap_ok "slow: r2 comes back below weight 8 and rises in steps to 8 ($_seen )"
	else
		tap_fail "slow: r2 comes back below weight 8 and rises in steps to 8: $_ramp"
		echo "weights seen:$_seen" | tap_diag
		lab_log_tail slow 15
	fi
	finish
}

scenario_sorry() {
	conf sorry "rise 1
		fall 1" "sorry_server $SORRY 80" 1
	begin sorry 1
	stop_rs r1
	stop_rs r2
	check_dests "sorry: r1 and r2 down, only the sorry server is in the table" "$SORRY:80 1"
	check_answers "sorry: the client gets the sorry server's answer" "$(mark)" sorry
	restart_rs r1 r2
	check_dests "sorry: r1 and r2 up again are back, the sorry server is out" \
		"$RS1:80 1\n$RS2:80 1"
	check_answers "sorry: the client no longer gets \"sorry\"" "$(mark)" '\(r1\|r2\)'
	finish
}

# ---- main ---------------------------------------------------------------------------------

echo "# kernel $(uname -r), installer ${LBHA_VM_IPVS_INSTALLER:-lbha}, WAIT ${WAIT}s"
SC=setup
if topo_up >"$LAB_TMP/why" 2>&1; then
	tap_ok "the namespaces, bridges and HTTP servers are set up"
	for sc in ${CHECKER_IPVS_SCENARIOS:-plain inhibit slow sorry}; do
		echo "# ---- $sc at $(lab_now)"
		"scenario_$sc"
	done
else
	tap_fail "the namespaces, bridges and HTTP servers are set up"
	tap_diag <"$LAB_TMP/why"
fi
topo_down
tap_done
