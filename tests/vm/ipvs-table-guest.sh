#!/bin/sh
# ipvs-table-guest.sh - the checks tests/vm/ipvs-table.sh runs inside the VM; prints TAP.
#
# Usage (in the guest): ipvs-table-guest.sh WORKDIR
# lbha -C installs tests/configs/ipvs-table.conf; the kernel's table must be
# exactly the rules written by hand below (an independent statement of what
# the config means, in `ipvsadm -S -n` form).  Then hand edits must be
# repaired within a few reconcile periods and nothing else touched, a foreign
# service must be left alone, a SIGHUP with one weight changed must change
# only that weight, and stopping must remove what lbha installed (or flush
# everything with lvs_flush_on_stop).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_init "${1:?usage: ipvs-table-guest.sh WORKDIR}"
conf_src="$here/../configs/ipvs-table.conf"
PERIOD_MS=${LBHA_RECONCILE_INTERVAL_MS:-1000}
export LBHA_RECONCILE_INTERVAL_MS=$PERIOD_MS
# "within one reconcile period", polled: a few periods plus the guest's slowness
REPAIR_MAX=$((PERIOD_MS * 5 / 1000 + 10))

# What tests/configs/ipvs-table.conf says, by hand.  -x/-y (thresholds) are
# not printed by `ipvsadm -S`: they are stripped for that comparison and
# checked through `ipvsadm -Ln --thresholds` of the same rules restored in a
# scratch namespace.
cat >"$LAB_TMP/expected.rules" <<'EOF'
-A -t 10.200.10.1:80 -s rr
-a -t 10.200.10.1:80 -r 10.200.20.1:8080 -m -w 1
-a -t 10.200.10.1:80 -r 10.200.20.2:8081 -m -w 3 -x 100 -y 10
-A -u 10.200.10.1:53 -s wrr -o
-a -u 10.200.10.1:53 -r 10.200.20.3:53 -g -w 2
-a -u 10.200.10.1:53 -r 10.200.20.4:53 -g -w 0
-A --sctp-service 10.200.10.1:3868 -s lc
-a --sctp-service 10.200.10.1:3868 -r 10.200.20.5:3868 -i -w 1 --tun-type ipip
-a --sctp-service 10.200.10.1:3868 -r 10.200.20.6:3868 -i -w 7 --tun-type ipip
-A -t 10.200.10.2:443 -s wlc -p 600 -M 255.255.255.0
-a -t 10.200.10.2:443 -r 10.200.20.7:443 -g -w 10
-a -t 10.200.10.2:443 -r 10.200.20.8:443 -g -w 20
-A -t 10.200.10.2:8443 -s lblc
-a -t 10.200.10.2:8443 -r 10.200.20.9:8443 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-a -t 10.200.10.2:8443 -r 10.200.20.10:8443 -i -w 1 --tun-type gre --tun-nocsum
-a -t 10.200.10.2:8443 -r 10.200.20.11:8443 -i -w 4 --tun-type gue --tun-port 6081 --tun-remcsum
-A -t [fd00:200:10::1]:80 -s dh
-a -t [fd00:200:10::1]:80 -r [fd00:200:20::1]:8080 -m -w 1
-a -t [fd00:200:10::1]:80 -r [fd00:200:20::2]:8080 -m -w 2
-A -u [fd00:200:10::1]:53 -s sh -b sh-fallback,sh-port
-a -u [fd00:200:10::1]:53 -r [fd00:200:20::3]:53 -g -w 1
-a -u [fd00:200:10::1]:53 -r [fd00:200:20::4]:53 -g -w 1
-A --sctp-service [fd00:200:10::1]:3868 -s sed
-a --sctp-service [fd00:200:10::1]:3868 -r [fd00:200:20::5]:3868 -i -w 3 --tun-type ipip -x 1000
-A -t [fd00:200:10::2]:80 -s nq -p 300 -M 64
-a -t [fd00:200:10::2]:80 -r [fd00:200:20::6]:80 -g -w 1 -x 20 -y 5
-A -f 1 -s mh -p 120 -b mh-fallback,mh-port
-a -f 1 -r 10.200.20.12:0 -g -w 1
-a -f 1 -r 10.200.20.13:0 -g -w 5
-A -f 2 -6 -s fo
-a -f 2 -6 -r [fd00:200:20::7]:0 -g -w 2
-a -f 2 -6 -r [fd00:200:20::8]:0 -g -w 1
-A -t 10.200.10.3:80 -s ovf
-a -t 10.200.10.3:80 -r 10.200.20.14:80 -m -w 4 -x 50
-a -t 10.200.10.3:80 -r 10.200.20.15:8080 -m -w 1
# virtual_server_group G1: 10.200.10.20-22 port 80, and fwmark 3
-A -t 10.200.10.20:80 -s lblcr
-a -t 10.200.10.20:80 -r 10.200.20.18:80 -g -w 1
-a -t 10.200.10.20:80 -r 10.200.20.19:80 -g -w 2
-A -t 10.200.10.21:80 -s lblcr
-a -t 10.200.10.21:80 -r 10.200.20.18:80 -g -w 1
-a -t 10.200.10.21:80 -r 10.200.20.19:80 -g -w 2
-A -t 10.200.10.22:80 -s lblcr
-a -t 10.200.10.22:80 -r 10.200.20.18:80 -g -w 1
-a -t 10.200.10.22:80 -r 10.200.20.19:80 -g -w 2
-A -f 3 -s lblcr
-a -f 3 -r 10.200.20.18:0 -g -w 1
-a -f 3 -r 10.200.20.19:0 -g -w 2
EOF

# A service lbha never created: it must survive every reconcile.
cat >"$LAB_TMP/foreign.rules" <<'EOF'
-A -t 10.200.99.1:80 -s rr
-a -t 10.200.99.1:80 -r 10.200.99.2:80 -g -w 1
EOF

cp "$conf_src" "$LAB_TMP/lbha.conf"
# twos came with Linux 6.2: test it where the kernel has it.
if modinfo ip_vs_twos >/dev/null 2>&1 ||
	ls /lib/modules/"$(uname -r)"/kernel/net/netfilter/ipvs/ip_vs_twos.ko* >/dev/null 2>&1; then
	cat >>"$LAB_TMP/lbha.conf" <<'EOF'
virtual_server 10.200.10.3 81 {
	protocol TCP
	lvs_sched twos
	lvs_method DR
	real_server 10.200.20.16 81 {
		weight 3
	}
}
EOF
	cat >>"$LAB_TMP/expected.rules" <<'EOF'
-A -t 10.200.10.3:81 -s twos
-a -t 10.200.10.3:81 -r 10.200.20.16:81 -g -w 3
EOF
	have_twos=1
else
	have_twos=0
fi

lab_norm <"$LAB_TMP/expected.rules" >"$LAB_TMP/expected.full"
# what `ipvsadm -S` prints: no thresholds
sed -e 's/ -[xy] [0-9]*//g' "$LAB_TMP/expected.full" | LC_ALL=C sort >"$LAB_TMP/expected"
lab_norm <"$LAB_TMP/foreign.rules" >"$LAB_TMP/foreign"
LC_ALL=C sort "$LAB_TMP/expected" "$LAB_TMP/foreign" >"$LAB_TMP/expected+foreign"

echo "# kernel $(uname -r), installer ${LBHA_VM_IPVS_INSTALLER:-lbha}, reconcile period ${PERIOD_MS} ms"
echo "# $(grep -c '^-A' "$LAB_TMP/expected") services, $(grep -c '^-a' "$LAB_TMP/expected") destinations expected"

# ---- install ---------------------------------------------------------------------------

ipvsadm -C
lab_start table "$LAB_TMP/lbha.conf"
if lab_wait_rules "$LAB_TMP/expected" 90 >"$LAB_TMP/why" 2>&1; then
	tap_ok "lbha -C installs the table the config says (ipvsadm -S -n, ${LAB_WAITED}s)"
else
	tap_fail "lbha -C installs the table the config says (ipvsadm -S -n)"
	tap_diag <"$LAB_TMP/why"
	lab_log_tail table
fi
if [ "$have_twos" = 1 ]; then
	tap_ok "the kernel has twos: a twos service is part of the table"
else
	tap_skip "a twos service" "kernel $(uname -r) has no ip_vs_twos (Linux 6.2+)"
fi

# The listings (-Ln, thresholds, tunnel info) of lbha's table must equal
# those of the hand-written rules restored by ipvsadm in a scratch namespace.
ip netns add ipvs-scratch && ip -n ipvs-scratch link set lo up
ipvsadm_views() {
	for v in "" --thresholds --tun-info --persistent-conn; do
		echo "== ipvsadm -Ln $v"
		# shellcheck disable=SC2086
		lab_in "${1:-}" ipvsadm -Ln $v
	done
}
if ip netns exec ipvs-scratch ipvsadm -R <"$LAB_TMP/expected.full" 2>"$LAB_TMP/why"; then
	ipvsadm_views ipvs-scratch >"$LAB_TMP/views.expected" 2>&1
	ipvsadm_views >"$LAB_TMP/views.actual" 2>&1
	if cmp -s "$LAB_TMP/views.expected" "$LAB_TMP/views.actual"; then
		tap_ok "ipvsadm -Ln (plain, --thresholds, --tun-info, --persistent-conn) shows the same"
	else
		tap_fail "ipvsadm -Ln (plain, --thresholds, --tun-info, --persistent-conn) shows the same"
		diff -u "$LAB_TMP/views.expected" "$LAB_TMP/views.actual" | tail -n +3 | tap_diag
	fi
else
	tap_fail "the hand-written rules restore in a scratch namespace"
	tap_diag <"$LAB_TMP/why"
fi
ip netns del ipvs-scratch

# ---- repairs -------------------------------------------------------------------------

# repair DESCRIPTION EXPECTED_FILE COMMAND...: damage the table with COMMAND
# (a shell string), then the table must be EXPECTED_FILE again.
repair() {
	_desc=$1 _want=$2
	shift 2
	if ! sh -c "$*" >"$LAB_TMP/why" 2>&1; then
		tap_fail "$_desc (the damage itself failed: $*)"
		tap_diag <"$LAB_TMP/why"
		return
	fi
	if lab_wait_rules "$_want" "$REPAIR_MAX" >"$LAB_TMP/why" 2>&1; then
		tap_ok "$_desc: repaired in ${LAB_WAITED}s, nothing else touched"
	else
		tap_fail "$_desc: repaired within ${REPAIR_MAX}s, nothing else touched"
		tap_diag <"$LAB_TMP/why"
		lab_log_tail table 10
	fi
}

# wait_reconciles N: let N reconcile periods pass (by checker.json's count of
# reconcile passes when it has one; else by the clock).
wait_reconciles() {
	_r0=$(lab_counter table reconciles)
	if [ -n "$_r0" ]; then
		_i=0
		while [ "$_i" -lt $(($1 * PERIOD_MS / 100 + 100)) ]; do
			_r=$(lab_counter table reconciles)
			[ "${_r:-0}" -ge $((_r0 + $1)) ] && return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		return 1
	fi
	sleep $(($1 * PERIOD_MS / 1000 + 1))
}

repair "ipvsadm -C" "$LAB_TMP/expected" ipvsadm -C

ipvsadm -R <"$LAB_TMP/foreign.rules"
wait_reconciles 3
lab_rules >"$LAB_TMP/actual"
if cmp -s "$LAB_TMP/expected+foreign" "$LAB_TMP/actual"; then
	tap_ok "a foreign service is left alone (3 reconcile periods)"
else
	tap_fail "a foreign service is left alone (3 reconcile periods)"
	diff -u "$LAB_TMP/expected+foreign" "$LAB_TMP/actual" | tail -n +3 | tap_diag
fi

repair "a hand-deleted destination" "$LAB_TMP/expected+foreign" \
	ipvsadm -d -t 10.200.10.1:80 -r 10.200.20.2:8081
repair "a hand-deleted IPv6 fwmark destination" "$LAB_TMP/expected+foreign" \
	ipvsadm -d -f 2 -6 -r '[fd00:200:20::8]:0'
repair "a hand-changed weight" "$LAB_TMP/expected+foreign" \
	ipvsadm -e -t 10.200.10.2:443 -r 10.200.20.7:443 -g -w 99
repair "a hand-changed scheduler and persistence" "$LAB_TMP/expected+foreign" \
	ipvsadm -E -t 10.200.10.2:443 -s rr
repair "a hand-changed forwarding method (TUN gue -> DR)" "$LAB_TMP/expected+foreign" \
	ipvsadm -e -t 10.200.10.2:8443 -r 10.200.20.9:8443 -g -w 1
repair "a hand-deleted service" "$LAB_TMP/expected+foreign" \
	ipvsadm -D --sctp-service '[fd00:200:10::1]:3868'
repair "a hand-added destination in a configured service" "$LAB_TMP/expected+foreign" \
	ipvsadm -a -t 10.200.10.1:80 -r 10.200.20.99:80 -m

# ---- reload ---------------------------------------------------------------------------

sed -e '/real_server 10.200.20.8 443/,/}/s/weight 20/weight 25/' "$LAB_TMP/lbha.conf" \
	>"$LAB_TMP/lbha.conf.new"
sed -e 's/-r 10.200.20.8:443 -g -w 20/-r 10.200.20.8:443 -g -w 25/' "$LAB_TMP/expected+foreign" \
	>"$LAB_TMP/expected.reloaded"
if cmp -s "$LAB_TMP/expected+foreign" "$LAB_TMP/expected.reloaded" ||
	cmp -s "$LAB_TMP/lbha.conf" "$LAB_TMP/lbha.conf.new"; then
	tap_fail "the reload test edits one weight (the sed matched nothing)"
else
	c0=$(lab_counter table changes_applied) q0=$(lab_counter table change_requests)
	mv "$LAB_TMP/lbha.conf.new" "$LAB_TMP/lbha.conf"
	lab_hup table
	if lab_wait_rules "$LAB_TMP/expected.reloaded" "$REPAIR_MAX" >"$LAB_TMP/why" 2>&1; then
		tap_ok "SIGHUP with one weight changed: only that weight changes (${LAB_WAITED}s)"
	else
		tap_fail "SIGHUP with one weight changed: only that weight changes"
		tap_diag <"$LAB_TMP/why"
		lab_log_tail table 10
	fi
	wait_reconciles 1
	c1=$(lab_counter table changes_applied) q1=$(lab_counter table change_requests)
	if [ -n "$c0" ] && [ -n "$c1" ] && [ -n "$q0" ] && [ -n "$q1" ]; then
		what="the reload applied one change in one netlink request (checker.json changes_applied $c0 -> $c1, change_requests $q0 -> $q1)"
		if [ $((c1 - c0)) -eq 1 ] && [ $((q1 - q0)) -eq 1 ]; then
			tap_ok "$what"
		else
			tap_fail "$what"
		fi
	else
		tap_skip "the reload applied one change in one netlink request" \
			"no changes_applied/change_requests in checker.json"
	fi
fi
cp "$LAB_TMP/expected.reloaded" "$LAB_TMP/expected+foreign"
sed -e 's/-r 10.200.20.8:443 -g -w 20/-r 10.200.20.8:443 -g -w 25/' "$LAB_TMP/expected" \
	>"$LAB_TMP/expected.new" && mv "$LAB_TMP/expected.new" "$LAB_TMP/expected"

# ---- stop -------------------------------------------------------------------------------

# stop_check NAME DESCRIPTION EXPECTED_FILE: SIGTERM, then the table must be EXPECTED_FILE.
stop_check() {
	if ! lab_stop "$1" 30; then
		tap_fail "$2 (it did not exit within 30 s of SIGTERM)"
		lab_log_tail "$1" 10
		return
	fi
	lab_rules >"$LAB_TMP/actual"
	if cmp -s "$3" "$LAB_TMP/actual"; then
		tap_ok "$2"
	else
		tap_fail "$2"
		diff -u "$3" "$LAB_TMP/actual" | tail -n +3 | tap_diag
		lab_log_tail "$1" 10
	fi
}

stop_check table "stop (no lvs_flush_on_stop): lbha removes what it installed, the foreign service stays" \
	"$LAB_TMP/foreign"

# with_global LINE: the config with LINE added to global_defs
with_global() {
	sed -e "s/^global_defs {/global_defs {\n\t$1/" "$LAB_TMP/lbha.conf"
}
for mode in "lvs_flush_on_stop VS" "lvs_flush_on_stop"; do
	name=$(echo "$mode" | tr ' ' _)
	with_global "$mode" >"$LAB_TMP/$name.conf"
	lab_start "$name" "$LAB_TMP/$name.conf"
	if ! lab_wait_rules "$LAB_TMP/expected+foreign" 90 >"$LAB_TMP/why" 2>&1; then
		tap_fail "$mode: installed again"
		tap_diag <"$LAB_TMP/why"
		lab_stop "$name" 30
		continue
	fi
	if [ "$mode" = "lvs_flush_on_stop" ]; then
		: >"$LAB_TMP/empty"
		stop_check "$name" "stop with $mode: the whole table is flushed (foreign too)" \
			"$LAB_TMP/empty"
	else
		stop_check "$name" "stop with $mode: lbha's services are removed, the foreign one stays" \
			"$LAB_TMP/foreign"
	fi
	ipvsadm -R <"$LAB_TMP/foreign.rules" 2>/dev/null
done

if [ "${LBHA_VM_IPVS_INSTALLER:-lbha}" = lbha ]; then
	LAB_LBHA_ARGS=--dont-release-ipvs lab_start keep "$LAB_TMP/lbha.conf"
	if lab_wait_rules "$LAB_TMP/expected+foreign" 90 >"$LAB_TMP/why" 2>&1; then
		stop_check keep "stop with --dont-release-ipvs: the whole table stays" \
			"$LAB_TMP/expected+foreign"
	else
		tap_fail "--dont-release-ipvs: installed again"
		tap_diag <"$LAB_TMP/why"
		lab_stop keep 30
	fi
else
	tap_skip "stop with --dont-release-ipvs" "lbha's option"
fi

# lvs_flush empties the table at start (the foreign service too), and
# lvs_timeouts sets the kernel's connection timeouts.
if [ "${LBHA_VM_IPVS_INSTALLER:-lbha}" = lbha ]; then
	ipvsadm -R <"$LAB_TMP/foreign.rules" 2>/dev/null
	with_global "lvs_flush\n\tlvs_timeouts tcp 901 tcpfin 61 udp 301" >"$LAB_TMP/flush.conf"
	lab_start flush "$LAB_TMP/flush.conf"
	if lab_wait_rules "$LAB_TMP/expected" 90 >"$LAB_TMP/why" 2>&1; then
		tap_ok "lvs_flush: the table is emptied at start, then holds only the config's"
	else
		tap_fail "lvs_flush: the table is emptied at start, then holds only the config's"
		tap_diag <"$LAB_TMP/why"
	fi
	timeouts=$(ipvsadm -l --timeout)
	if [ "$timeouts" = "Timeout (tcp tcpfin udp): 901 61 301" ]; then
		tap_ok "lvs_timeouts: ipvsadm -l --timeout shows 901 61 301"
	else
		tap_fail "lvs_timeouts: ipvsadm -l --timeout shows 901 61 301"
		echo "$timeouts" | tap_diag
	fi
	lab_stop flush 30
else
	tap_skip "lvs_flush and lvs_timeouts" "lbha's run"
fi

ipvsadm -C
tap_done
