#!/bin/sh
# reload-guest.sh - the checks tests/vm/reload.sh runs inside the VM; prints
# TAP (no plan: the host side adds it).
#
# Usage (in the guest): reload-guest.sh WORKDIR
# NAT topology as checker-ipvs-guest.sh: namespaces rl-c (client
# 10.200.22.10), rl-d (director, VIP 10.200.22.100, lbha -C, gateway
# 10.200.23.1), rl-r1..rl-r3 (real servers 10.200.23.11-13, HTTP servers
# answering their name).  r1 and r2 are in the config from the start, with
# a TCP_CHECK each; the periodic reconcile is off (LBHA_RECONCILE_INTERVAL_MS
# =0) so that every netlink request counted is a reload's.  While a client
# sends a request to the VIP every ~0.1 s:
#   1. RELOADS SIGHUPs of the unchanged file, then 20 reloads that change
#      only global_defs (the checker applies each: config_generation in
#      checker.json): zero netlink requests (checker.json's netlink
#      counters), the same table (ipvsadm -S -n) and the real servers'
#      connection counters never go back (ipvsadm -Ln --stats: no dest was
#      deleted and added again);
#   2. r2's weight 1 -> 2: exactly one change request, one change applied;
#   3. r3 added with TCP_CHECK and alpha while its server is down: no
#      request for 3 s (its probes fail: never in the table); its server
#      started: exactly one change request (the add), then r3 answers;
#   4. the client saw no failed request during all of it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_init "${1:?usage: reload-guest.sh WORKDIR}"
RELOADS=${RELOADS:-100}
WAIT=${RELOAD_VM_WAIT:-25}
NS="c d r1 r2 r3"
VIP=10.200.22.100
ANS="$LAB_TMP/answers"
export LBHA_RECONCILE_INTERVAL_MS=0

# ---- topology --------------------------------------------------------------------

link() { lab_link rl "$@"; }

# srv_spawn NS / srv_ready NS: rl-NS's HTTP server, answering NS (ipvs_lab.sh)
srv_spawn() { lab_srv_spawn rl "$1" "$1"; }
srv_ready() { lab_srv_ready "$1"; }

topo_up() {
	for n in $NS; do
		ip netns add "rl-$n" && ip -n "rl-$n" link set lo up || return 1
	done
	ip link add rlbr1 type bridge && ip link set rlbr1 up &&
		ip link add rlbr2 type bridge && ip link set rlbr2 up || return 1
	link c rlbr1 eth0 10.200.22.10/24 && link d rlbr1 eth0 10.200.22.1/24 &&
		link d rlbr2 eth1 10.200.23.1/24 || return 1
	for i in 1 2 3; do
		link "r$i" rlbr2 eth0 "10.200.23.1$i/24" &&
			ip -n "rl-r$i" route add default via 10.200.23.1 || return 1
	done
	ip -n rl-d addr add $VIP/24 dev eth0 || return 1
	ip netns exec rl-d sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' || return 1
	srv_spawn r1 && srv_spawn r2 && srv_ready r1 && srv_ready r2
}

topo_down() {
	vip_client_stop
	for n in r1 r2 r3; do
		[ -e "$LAB_TMP/$n.pid" ] && kill "$(cat "$LAB_TMP/$n.pid")" 2>/dev/null
	done
	lab_links_del
	for n in $NS; do ip netns del "rl-$n" 2>/dev/null; done
	ip link del rlbr1 2>/dev/null
	ip link del rlbr2 2>/dev/null
}

# ---- config and daemon --------------------------------------------------------------

# conf ROUTER_ID R2_WEIGHT WITH_R3: write $LAB_TMP/rl.conf
conf() {
	{
		printf 'global_defs {\n\trouter_id %s\n}\n' "$1"
		printf 'virtual_server %s 80 {\n\tdelay_loop 1\n\tlvs_sched wrr\n\tlvs_method NAT\n\tprotocol TCP\n' $VIP
		for i in 1 2 3; do
			[ "$i" != 3 ] || [ "$3" = 1 ] || continue
			w=1
			[ "$i" != 2 ] || w=$2
			printf '\treal_server 10.200.23.1%s 80 {\n\t\tweight %s\n' "$i" "$w"
			[ "$i" != 3 ] || printf '\t\talpha\n'
			printf '\t\tTCP_CHECK {\n\t\t\tconnect_timeout 1\n\t\t\tretry 0\n\t\t}\n\t}\n'
		done
		echo "}"
	} >"$LAB_TMP/rl.conf.new" && mv "$LAB_TMP/rl.conf.new" "$LAB_TMP/rl.conf"
}

# nl KEY: a netlink counter of checker.json ("requests", "read_requests", ...)
nl() {
	sed -n "s/.*\"netlink\": {.*\"$1\": \([0-9]*\).*/\1/p" "$LAB_TMP/rl/checker.json" | head -n 1
}
gen() { lab_counter rl config_generation; }
gen_is() { [ "$(gen)" = "$1" ]; }

# The reload driver: one python process sends N SIGHUPs, each once the one
# before was answered: MODE "log" waits for the parent's "is unchanged"
# line, "gen" for checker.json's config_generation to move, after it set
# router_id in CONF to id_0, id_1, id_0, ... (a change for the checker,
# none for IPVS).
drive() {
	"$PY" -S - "$@" <<'EOF'
import os, re, signal, sys, time
mode, n, pid, log, status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
conf = sys.argv[6] if len(sys.argv) > 6 else ""
gen_re = re.compile(r'"config_generation": (\d+)')
def unchanged():
    with open(log, errors="replace") as f:
        return sum(1 for line in f if "is unchanged" in line)
def gen():
    try:
        with open(status) as f:
            m = gen_re.search(f.read(600))
            return int(m.group(1)) if m else 0
    except OSError:
        return 0
t0 = time.monotonic()
for i in range(n):
    if conf:
        with open(conf) as f:
            text = re.sub(r"router_id \S+", "router_id id_%d" % (i % 2), f.read())
        with open(conf + ".new", "w") as f:
            f.write(text)
        os.rename(conf + ".new", conf)
    before = unchanged() if mode == "log" else gen()
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + 30
    while (unchanged() if mode == "log" else gen()) <= before:
        if time.monotonic() > deadline:
            print("reload %d not answered" % (i + 1))
            sys.exit(1)
        time.sleep(0.01)
print("%d reloads in %.2f s" % (n, time.monotonic() - t0))
EOF
}

rules() { ip netns exec rl-d ipvsadm -S -n | LC_ALL=C sort; }
# conns: "ADDR:PORT CONNS" of each real server (ipvsadm -Ln --stats)
conns() {
	ip netns exec rl-d ipvsadm -Ln --stats -t $VIP:80 |
		awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $3 }' | LC_ALL=C sort
}
# conns_grew BEFORE AFTER: every real server of BEFORE is in AFTER with at
# least as many connections (a dest deleted and added again starts at 0)
conns_grew() {
	printf '%s\n' "$1" | while read -r a c; do
		_n=$(printf '%s\n' "$2" | awk -v a="$a" '$1 == a { print $2 }')
		[ -n "$_n" ] && [ "$_n" -ge "$c" ] || { echo "$a: $c -> ${_n:-gone}"; exit 1; }
	done
}
dests() {
	ip netns exec rl-d ipvsadm -Ln -t $VIP:80 | awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $4 }' |
		LC_ALL=C sort | tr '\n' ' '
}
dests_are() { [ "$(dests)" = "$1" ]; }

# ---- main ---------------------------------------------------------------------------

echo "# kernel $(uname -r), $RELOADS reloads"
if ! topo_up >"$LAB_TMP/why" 2>&1; then
	tap_fail "the namespaces, bridges and HTTP servers are set up"
	tap_diag <"$LAB_TMP/why"
	topo_down
	tap_done
	exit 1
fi
srv_spawn r3   # started now (it takes seconds), stopped until it is wanted
srv_ready r3 && kill "$(cat "$LAB_TMP/r3.pid")" && wait "$(cat "$LAB_TMP/r3.pid")" 2>/dev/null
rm -f "$LAB_TMP/r3.pid"
conf id_a 1 0
lab_start rl "$LAB_TMP/rl.conf" rl-d
PID=$(lab_pid rl)
if lab_wait_for dests_are "10.200.23.11:80 1 10.200.23.12:80 1 "; then
	tap_ok "lbha installs r1 and r2"
else
	tap_fail "lbha installs r1 and r2 ($(dests))"
	lab_log_tail rl
fi
# a request to the VIP every ~0.1 s (no Host header), one answer a line in $ANS
vip_client_start rl-c "$VIP" "$ANS" 0.1
lab_wait_for sh -c "grep -q r1 '$ANS' && grep -q r2 '$ANS'"
# every probe has had its first result (checker.json is written then)
sleep 1

req0=$(nl requests) chg0=$(nl change_requests) rules0=$(rules) conns0=$(conns) gen0=$(gen)
out=$(drive log "$RELOADS" "$PID" "$LAB_LOG/rl.log" "$LAB_TMP/rl/checker.json")
if [ $? = 0 ]; then tap_ok "$RELOADS unchanged reloads answered ($out)"; else
	tap_fail "$RELOADS unchanged reloads answered: $out"; lab_log_tail rl; fi
out=$(drive gen 20 "$PID" "$LAB_LOG/rl.log" "$LAB_TMP/rl/checker.json" "$LAB_TMP/rl.conf")
if [ $? = 0 ]; then tap_ok "20 reloads changing global_defs applied by the checker ($out, generation $gen0 -> $(gen))"; else
	tap_fail "20 reloads changing global_defs applied: $out"; lab_log_tail rl; fi
req1=$(nl requests) chg1=$(nl change_requests) rules1=$(rules) conns1=$(conns)
if [ "$req1" = "$req0" ]; then
	tap_ok "zero IPVS netlink requests over $((RELOADS + 20)) reloads (requests $req0 -> $req1)"
else
	tap_fail "zero IPVS netlink requests over $((RELOADS + 20)) reloads (requests $req0 -> $req1, changes $chg0 -> $chg1)"
	lab_log_tail rl
fi
if [ "$rules1" = "$rules0" ]; then tap_ok "the table is the same (ipvsadm -S -n)"; else
	tap_fail "the table is the same"; printf '%s\n---\n%s\n' "$rules0" "$rules1" | tap_diag; fi
if why=$(conns_grew "$conns0" "$conns1"); then
	tap_ok "the real servers' connection counters only grew ($(echo "$conns0" | tr '\n' ' ')-> $(echo "$conns1" | tr '\n' ' '))"
else
	tap_fail "the real servers' connection counters only grew: $why"
fi

# ---- one weight ----
g=$(gen)
conf id_a 2 0
lab_hup rl
lab_wait_for gen_is $((g + 1))
lab_wait_for dests_are "10.200.23.11:80 1 10.200.23.12:80 2 "
chg2=$(nl change_requests) req2=$(nl requests)
if [ $((chg2 - chg1)) = 1 ] && [ $((req2 - req1)) = 1 ] && dests_are "10.200.23.11:80 1 10.200.23.12:80 2 "; then
	tap_ok "r2's weight 1 -> 2: exactly one IPVS request, an edit ($(dests))"
else
	tap_fail "r2's weight 1 -> 2: exactly one IPVS request (requests +$((req2 - req1)), changes +$((chg2 - chg1)); $(dests))"
	lab_log_tail rl
fi
grep -q "edit dest.*10.200.23.12" "$LAB_LOG/rl.log" || grep -i "10.200.23.12" "$LAB_LOG/rl.log" | tail -n 3 | tap_diag

# ---- a new real server with alpha ----
g=$(gen)
conf id_a 2 1
lab_hup rl
lab_wait_for gen_is $((g + 1))
sleep 3
chg3=$(nl change_requests) req3=$(nl requests)
if [ "$req3" = "$req2" ] && dests_are "10.200.23.11:80 1 10.200.23.12:80 2 "; then
	tap_ok "r3 added with alpha, its server down: not in the table, no request, for 3 s"
else
	tap_fail "r3 added with alpha, its server down: not in the table, no request (requests +$((req3 - req2)); $(dests))"
	lab_log_tail rl
fi
srv_spawn r3
srv_ready r3
if lab_wait_for dests_are "10.200.23.11:80 1 10.200.23.12:80 2 10.200.23.13:80 1 "; then
	chg4=$(nl change_requests)
	if [ $((chg4 - chg3)) = 1 ]; then
		tap_ok "r3's server up: its first good probe adds it, one change request"
	else
		tap_fail "r3's server up: one change request (+$((chg4 - chg3)))"
		lab_log_tail rl
	fi
else
	tap_fail "r3's server up: it is added ($(dests))"
	lab_log_tail rl
fi
m=$(wc -l <"$ANS")
if lab_wait_for sh -c "tail -n +$((m + 1)) '$ANS' | grep -qx r3"; then tap_ok "the client gets answers from r3"; else
	tap_fail "the client gets answers from r3"; fi

vip_client_stop
total=$(wc -l <"$ANS") fails=$(grep -c '^fail$' "$ANS")
if [ "$fails" = 0 ] && [ "$total" -gt 20 ]; then
	tap_ok "the client's $total requests through the VIP all succeeded"
else
	tap_fail "the client's requests all succeeded ($fails of $total failed)"
	grep -n fail "$ANS" | head -n 5 | tap_diag
fi
if lab_stop rl 30 && [ -z "$(ip netns exec rl-d ipvsadm -S -n)" ]; then
	tap_ok "lbha stops and removes its service"
else
	tap_fail "lbha stops and removes its service"
fi
topo_down
tap_done
