#!/bin/sh
# drill-checker-guest.sh - the checks tests/vm/drill-checker.sh runs inside
# the VM; prints TAP (no plan: the host side adds it).
#
# Usage (in the guest): drill-checker-guest.sh WORKDIR
# NAT topology: dr-c (client 10.200.22.10) - drbr1 - dr-d (director, VIP
# 10.200.22.100, lbha -C) - drbr2 - dr-r (the real servers 10.200.23.11-18,
# all served by one HTTP server on port 80, default route via the director).
# Each real server has a TCP_CHECK (delay_loop 1); 10.200.23.19 is checked on
# port 81, where nothing listens: never in the table.
#   kill     while the client sends requests to the VIP and a sampler reads
#            `ipvsadm -S -n` in a loop, the checker child is killed (SIGKILL)
#            KILLS times, each time once its successor is up: the parent
#            restarts it, and no sample ever lacks the service or a healthy
#            real server;
#   race     a loop edits RS1's weight by hand and deletes it, over and over,
#            while lbha repairs every 50 ms: an edit of lbha's that meets the
#            deleted destination fails, is logged, and the next repair
#            converges (the race is a matter of timing: when it is not hit,
#            the "logged" check says so and skips);
#   rmmod    the ip_vs module is removed (after ipvsadm -C) under the running
#            lbha: it logs the failure, reopens IPVS (the kernel loads the
#            module again on lbha's request) and converges.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_init "${1:?usage: drill-checker-guest.sh WORKDIR}"
WAIT=${DRILL_WAIT:-30}
KILLS=${DRILL_KILLS:-5}
VIP=10.200.22.100
RS="10.200.23.11 10.200.23.12 10.200.23.13 10.200.23.14 10.200.23.15 10.200.23.16 10.200.23.17 10.200.23.18"
RS1=10.200.23.11
DEAD=10.200.23.19
NRS=8

# ---- topology ------------------------------------------------------------------------

topo_up() {
	for n in c d r; do ip netns add "dr-$n" && ip -n "dr-$n" link set lo up || return 1; done
	ip link add drbr1 type bridge && ip link set drbr1 up &&
		ip link add drbr2 type bridge && ip link set drbr2 up || return 1
	for l in "c drbr1 eth0 10.200.22.10/24" "d drbr1 eth0 10.200.22.1/24" \
		"d drbr2 eth1 10.200.23.1/24" "r drbr2 eth0 10.200.23.11/24"; do
		# shellcheck disable=SC2086
		set -- $l
		ip link add "v-$1-$3" type veth peer name "$3" netns "dr-$1" &&
			ip link set "v-$1-$3" master "$2" up &&
			ip -n "dr-$1" addr add "$4" dev "$3" && ip -n "dr-$1" link set "$3" up || return 1
	done
	for a in $RS; do
		[ "$a" = "$RS1" ] || ip -n dr-r addr add "$a/24" dev eth0 || return 1
	done
	ip -n dr-d addr add $VIP/24 dev eth0 &&
		ip -n dr-r route add default via 10.200.23.1 &&
		ip -n dr-c route add default via 10.200.22.1 &&
		ip netns exec dr-d sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' || return 1
	rm -f "$LAB_TMP/srv.ready"
	ip netns exec dr-r "$PY" -S "$here/http_name_server.py" rs 80 "$LAB_TMP/srv.ready" \
		>>"$LAB_LOG/srv.log" 2>&1 &
	echo $! >"$LAB_TMP/srv.pid"
	_i=0
	while ! [ -e "$LAB_TMP/srv.ready" ]; do
		_i=$((_i + 1))
		[ $_i -lt 300 ] || { echo "the HTTP server did not start"; return 1; }
		sleep 0.1
	done
}

topo_down() {
	vip_client_stop; bg_stop sampler
	kill "$(cat "$LAB_TMP/srv.pid" 2>/dev/null)" 2>/dev/null
	for l in v-c-eth0 v-d-eth0 v-d-eth1 v-r-eth0; do ip link del "$l" 2>/dev/null; done
	for n in c d r; do ip netns del "dr-$n" 2>/dev/null; done
	ip link del drbr1 2>/dev/null; ip link del drbr2 2>/dev/null
}

# bg_stop NAME: stop a background loop started with its stop file and pid
bg_stop() {
	[ -e "$LAB_TMP/$1.pid" ] || return 0
	touch "$LAB_TMP/$1.stop"
	_p=$(cat "$LAB_TMP/$1.pid")
	rm -f "$LAB_TMP/$1.pid"
	_i=0
	while lab_alive "$_p" && [ $_i -lt 100 ]; do _i=$((_i + 1)); sleep 0.1; done
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# sampler_start: `ipvsadm -S -n` in a loop in the director; one line per
# sample: "TIME SERVICE(0/1) DESTS" in $LAB_TMP/samples, the lasting dump in
# $LAB_TMP/sample.last
sampler_start() {
	rm -f "$LAB_TMP/sampler.stop"
	: >"$LAB_TMP/samples"
	ip netns exec dr-d sh -c '
		while ! [ -e "$1" ]; do
			ipvsadm -S -n >"$2.new" 2>&1
			read -r up idle </proc/uptime
			s=0; grep -q "^-A -t $3:80" "$2.new" && s=1
			d=$(grep -c "^-a -t $3:80 " "$2.new")
			x=0; grep -q " -r $5:" "$2.new" && x=1
			echo "$up $s $d $x" >>"$2"
			[ "$s" = 1 ] && [ "$d" -ge "$4" ] && [ "$x" = 0 ] || cp "$2.new" "$2.bad.$up"
		done' sampler "$LAB_TMP/sampler.stop" "$LAB_TMP/samples" "$VIP" "$NRS" "$DEAD" &
	echo $! >"$LAB_TMP/sampler.pid"
}

# ---- config and table ---------------------------------------------------------------

conf() {
	{
		echo "global_defs {"
		echo "    router_id drill_checker"
		echo "}"
		echo "virtual_server $VIP 80 {"
		echo "    delay_loop 1"
		echo "    lvs_sched rr"
		echo "    lvs_method NAT"
		echo "    protocol TCP"
		for a in $RS $DEAD; do
			p=80; [ "$a" = "$DEAD" ] && p=81
			echo "    real_server $a 80 {"
			echo "        weight 1"
			echo "        TCP_CHECK {"
			echo "            connect_port $p"
			echo "            connect_timeout 1"
			echo "            retry 0"
			echo "        }"
			echo "    }"
		done
		echo "}"
	} >"$LAB_TMP/drill.conf"
	{
		echo "-A -t $VIP:80 -s rr"
		for a in $RS; do echo "-a -t $VIP:80 -r $a:80 -m -w 1"; done
	} | lab_norm >"$LAB_TMP/want"
}

checker_pid() {
	ps -o pid=,comm= --ppid "$(lab_pid drill)" 2>/dev/null | awk '$2 == "lbha-checker" { print $1 }'
}

# wait_new_checker OLD: a checker child other than OLD runs and has
# published its checker.json (its own pid in it); prints its pid
wait_new_checker() {
	_i=0
	while [ $_i -lt $((WAIT * 10)) ]; do
		_c=$(checker_pid)
		if [ -n "$_c" ] && [ "$_c" != "$1" ] && [ "$(lab_counter drill pid)" = "$_c" ]; then
			echo "$_c"
			return 0
		fi
		_i=$((_i + 1))
		sleep 0.1
	done
	return 1
}

# ---- the drills -----------------------------------------------------------------------

drill_kill() {
	# a request to the VIP every ~0.1 s, one answer a line ("rs" or "fail")
	vip_client_start dr-c "$VIP" "$LAB_TMP/answers" 0.1
	sampler_start
	# a few samples and answers before the first kill
	_i=0
	while [ "$(wc -l <"$LAB_TMP/samples")" -lt 2 ] && [ $_i -lt 100 ]; do _i=$((_i + 1)); sleep 0.1; done
	old=$(checker_pid)
	killed=0
	for k in $(seq "$KILLS"); do
		kill -KILL "$old" 2>/dev/null || break
		killed=$((killed + 1))
		if ! new=$(wait_new_checker "$old"); then
			tap_fail "kill: the checker child is restarted after kill -9 number $k"
			lab_log_tail drill
			break
		fi
		echo "# kill $k: checker $old -> $new at $(lab_now)"
		old=$new
		# let the new child probe and reconcile once under the sampler
		sleep 1.5
	done
	[ "$killed" = "$KILLS" ] && [ -n "${new:-}" ] &&
		tap_ok "kill: the checker child was killed $KILLS times and restarted each time"
	bg_stop sampler
	vip_client_stop
	n=$(wc -l <"$LAB_TMP/samples")
	bad=$(awk -v want="$NRS" '$2 != 1 || $3 < want' "$LAB_TMP/samples" | wc -l)
	empty=$(awk '$2 != 1 || $3 == 0' "$LAB_TMP/samples" | wc -l)
	if [ "$n" -ge 5 ] && [ "$empty" = 0 ]; then
		tap_ok "kill: the IPVS table was never empty ($n ipvsadm samples)"
	else
		tap_fail "kill: the IPVS table was never empty ($n ipvsadm samples, $empty without the service or a dest)"
	fi
	if [ "$n" -ge 5 ] && [ "$bad" = 0 ]; then
		tap_ok "kill: no healthy real server was ever removed (all $NRS in each of $n samples)"
	else
		tap_fail "kill: no healthy real server was ever removed ($bad of $n samples short)"
		for f in "$LAB_TMP"/samples.bad.*; do
			[ -e "$f" ] || continue
			echo "sample at ${f##*.bad.}:"; cat "$f"
			break
		done | tap_diag
		awk -v want="$NRS" '$2 != 1 || $3 < want' "$LAB_TMP/samples" | head -n 5 | tap_diag
	fi
	dead=$(awk '$4 == 1' "$LAB_TMP/samples" | wc -l)
	if [ "$dead" = 0 ]; then
		tap_ok "kill: the failed real server ($DEAD) was never put back"
	else
		tap_fail "kill: the failed real server ($DEAD) was never put back ($dead of $n samples had it)"
	fi
	a=$(grep -c . "$LAB_TMP/answers" 2>/dev/null); f=$(grep -c fail "$LAB_TMP/answers" 2>/dev/null)
	echo "# kill: the client got $a answers, $f failures"
	[ "${a:-0}" -gt 0 ] && tap_ok "kill: the client's requests were answered ($((a - f)) of $a)" ||
		tap_fail "kill: the client's requests were answered (none)"
	r=$(grep -c "child.*restarting it" "$LAB_LOG/drill.log")
	tap_check "kill: the parent logged each restart ($r)" test "$r" -ge "$killed"
	tap_check "kill: the table is lbha's after the drill" lab_wait_rules "$LAB_TMP/want" "$WAIT" dr-d
}

drill_race() {
	f0=$(grep -c "failed: " "$LAB_LOG/drill.log")
	# Widen the window between lbha's dump and its edit: strace holds every
	# send() of the checker child for 1 s before it enters the kernel, so a
	# hand edit is dumped, and the delete lands before lbha's edit goes out.
	st=""
	if command -v strace >/dev/null 2>&1; then
		strace -qq -p "$(checker_pid)" -e trace=sendto -e inject=sendto:delay_enter=1000000 \
			-o /dev/null 2>"$LAB_TMP/strace.err" &
		st=$!
		sleep 1
	fi
	ip netns exec dr-d sh -c '
		# a reconcile is three sends (services, dests, changes), 1 s each
		# under strace: the delete lands at a different phase each time
		for d in 1.2 1.9 2.6 1.6 2.2; do
			ipvsadm -e -t "$1:80" -r "$2:80" -m -w 3 2>/dev/null || ipvsadm -a -t "$1:80" -r "$2:80" -m -w 3
			sleep $d
			ipvsadm -d -t "$1:80" -r "$2:80" 2>/dev/null
		done' race "$VIP" "$RS1"
	[ -z "$st" ] || { kill "$st" 2>/dev/null; wait "$st" 2>/dev/null; }
	f1=$(grep -c "failed: " "$LAB_LOG/drill.log")
	tap_check "race: after hand edits and deletes lbha converges to its table" \
		lab_wait_rules "$LAB_TMP/want" "$WAIT" dr-d
	if [ "$f1" -gt "$f0" ]; then
		tap_ok "race: lbha's changes that met a deleted destination were logged ($((f1 - f0)) lines)"
		grep "failed: " "$LAB_LOG/drill.log" | tail -n 2 | tap_diag
	else
		tap_skip "race: a change of lbha's that met a deleted destination is logged" \
			"the race (a delete between lbha's dump and its edit) was not hit in this run${st:+ (with strace delaying the sends)}"
	fi
	tap_check "race: lbha is still running" lab_running drill
}

drill_rmmod() {
	mods=$(awk '$1 ~ /^ip_vs/ { print $1 }' /proc/modules | sort -r | tr '\n' ' ')
	# the checker is frozen while the module goes (else its 50 ms repair
	# puts a service back and the scheduler module is in use again)
	cpid=$(checker_pid)
	kill -STOP "$cpid"
	_out=$(ip netns exec dr-d sh -c '
		for i in 1 2 3 4 5; do
			ipvsadm -C
			rmmod $(awk "\$1 ~ /^ip_vs_/ { print \$1 }" /proc/modules) ip_vs 2>&1 && exit 0
		done
		exit 1' 2>&1)
	_rc=$?
	if [ $_rc -ne 0 ]; then
		kill -CONT "$cpid"
		tap_skip "rmmod: lbha converges after ip_vs was unloaded" "rmmod ip_vs failed: $(echo "$_out" | tail -n 1)"
		return
	fi
	echo "# rmmod: removed $mods at $(lab_now)"
	# checked while the checker is still stopped: once it runs, its netlink
	# open loads ip_vs again at once (the kernel's module autoload)
	tap_check "rmmod: ip_vs is gone" sh -c '! grep -q "^ip_vs " /proc/modules'
	kill -CONT "$cpid"
	if lab_wait_rules "$LAB_TMP/want" 60 dr-d >"$LAB_TMP/why" 2>&1; then
		tap_ok "rmmod: lbha reopened IPVS and converged (${LAB_WAITED}s)"
	else
		tap_fail "rmmod: lbha reopened IPVS and converged"
		tap_diag <"$LAB_TMP/why"
		lab_log_tail drill
	fi
	if grep -qiE "IPVS.*(fail|cannot|closed|not open)|netlink.*fail|cannot read the kernel" "$LAB_LOG/drill.log"; then
		tap_ok "rmmod: the failure was logged"
		grep -iE "IPVS.*(fail|cannot|closed|not open)|netlink.*fail|cannot read the kernel" \
			"$LAB_LOG/drill.log" | tail -n 3 | tap_diag
	else
		tap_fail "rmmod: the failure was logged"
		lab_log_tail drill
	fi
	tap_check "rmmod: lbha is still running" lab_running drill
}

# ---- main ---------------------------------------------------------------------------------

echo "# kernel $(uname -r), WAIT ${WAIT}s"
if topo_up >"$LAB_TMP/why" 2>&1; then
	tap_ok "the namespaces and the real servers' HTTP server are set up"
	conf
	LBHA_RECONCILE_INTERVAL_MS=50 lab_start drill "$LAB_TMP/drill.conf" dr-d
	if lab_wait_rules "$LAB_TMP/want" "$WAIT" dr-d >"$LAB_TMP/why" 2>&1; then
		tap_ok "lbha installs the $NRS healthy real servers, not the dead one (${LAB_WAITED}s)"
		echo "# ---- kill at $(lab_now)"; drill_kill
		echo "# ---- race at $(lab_now)"; drill_race
		echo "# ---- rmmod at $(lab_now)"; drill_rmmod
	else
		tap_fail "lbha installs the $NRS healthy real servers, not the dead one"
		tap_diag <"$LAB_TMP/why"
		lab_log_tail drill
	fi
	if lab_stop drill 30; then tap_ok "lbha stops on SIGTERM"; else tap_fail "lbha stops on SIGTERM"; fi
	grep -E "runtime error:|Sanitizer" "$LAB_LOG/drill.log" | head -n 5 >"$LAB_TMP/san"
	tap_check "no sanitizer report in lbha's log" test ! -s "$LAB_TMP/san"
else
	tap_fail "the namespaces and the real servers' HTTP server are set up"
	tap_diag <"$LAB_TMP/why"
fi
topo_down
tap_done
