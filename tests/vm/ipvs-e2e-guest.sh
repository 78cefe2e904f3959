#!/bin/sh
# ipvs-e2e-guest.sh - the checks tests/vm/ipvs-e2e.sh runs inside the VM; prints TAP.
#
# Usage (in the guest): ipvs-e2e-guest.sh WORKDIR
# For each forwarding method (DR, NAT, TUN) it builds namespaces c (client),
# d (director, holds the VIP, runs lbha -C), r1 and r2 (real servers, each an
# HTTP server answering its own name), joined by bridges in the guest's root
# namespace, and sends requests from c to the VIP: with scheduler rr they
# must reach r1 and r2 strictly alternately.
#   DR:  one segment 10.200.1.0/24; the VIP 10.200.1.100 on the real servers'
#        lo, arp_ignore=1 / arp_announce=2.
#   NAT: client 10.200.2.0/24, servers 10.200.3.0/24 behind the director, which
#        is their default gateway (ip_forward=1); VIP 10.200.2.100.
#   TUN: one segment as DR; ipip, the VIP on the real servers' tunl0,
#        rp_filter=0 (all, default, tunl0).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/ipvs_lab.sh"
lab_init "${1:?usage: ipvs-e2e-guest.sh WORKDIR}"
REQUESTS=${IPVS_E2E_REQUESTS:-6}
NS="c d r1 r2"

# ns_sh NS SCRIPT: a few commands in NS with one process start
ns_sh() {
	ip netns exec "e2e-$1" sh -c "$2"
}
# ns_ip NS: `ip -batch` in NS, commands on stdin
ns_ip() {
	ip -n "e2e-$1" -batch -
}

# hosts on a bridge: link NS BRIDGE DEV ADDR/LEN
link() { lab_link e2e "$@"; }

topo_up() {
	method=$1
	for n in $NS; do
		ip netns add "e2e-$n" && ip -n "e2e-$n" link set lo up || return 1
	done
	case $method in
	DR | TUN)
		VIP=10.200.1.100 RS1=10.200.1.11 RS2=10.200.1.12
		ip link add br1 type bridge && ip link set br1 up || return 1
		link c br1 eth0 10.200.1.10/24 && link d br1 eth0 10.200.1.2/24 &&
			link r1 br1 eth0 $RS1/24 && link r2 br1 eth0 $RS2/24 || return 1
		ip -n e2e-d addr add $VIP/32 dev eth0 || return 1
		for r in r1 r2; do
			if [ "$method" = DR ]; then
				echo "addr add $VIP/32 dev lo" | ns_ip $r || return 1
			else
				printf '%s\n' "addr add $VIP/32 dev tunl0" "link set tunl0 up" |
					ns_ip $r || return 1
				ns_sh $r 'for i in all default tunl0; do
					echo 0 >/proc/sys/net/ipv4/conf/$i/rp_filter; done' || return 1
			fi
			ns_sh $r 'for i in all eth0; do
				echo 1 >/proc/sys/net/ipv4/conf/$i/arp_ignore
				echo 2 >/proc/sys/net/ipv4/conf/$i/arp_announce; done' || return 1
		done
		;;
	NAT)
		VIP=10.200.2.100 RS1=10.200.3.11 RS2=10.200.3.12
		ip link add br2 type bridge && ip link set br2 up &&
			ip link add br3 type bridge && ip link set br3 up || return 1
		link c br2 eth0 10.200.2.10/24 && link d br2 eth0 10.200.2.1/24 &&
			link d br3 eth1 10.200.3.1/24 &&
			link r1 br3 eth0 $RS1/24 && link r2 br3 eth0 $RS2/24 || return 1
		ip -n e2e-d addr add $VIP/24 dev eth0 || return 1
		echo "route add default via 10.200.3.1" | ns_ip r1 &&
			echo "route add default via 10.200.3.1" | ns_ip r2 || return 1
		ns_sh d 'echo 1 >/proc/sys/net/ipv4/ip_forward' || return 1
		;;
	esac
	# the real servers' HTTP servers
	for r in r1 r2; do
		rm -f "$LAB_TMP/$r.ready"
		ip netns exec "e2e-$r" "$PY" -S "$here/http_name_server.py" "$r" 80 \
			"$LAB_TMP/$r.ready" >>"$LAB_LOG/$r.log" 2>&1 &
		echo $! >"$LAB_TMP/$r.pid"
	done
	i=0
	while ! [ -e "$LAB_TMP/r1.ready" ] || ! [ -e "$LAB_TMP/r2.ready" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || {
			echo "the HTTP servers did not start"
			cat "$LAB_LOG/r1.log" "$LAB_LOG/r2.log"
			return 1
		}
		sleep 0.1
	done
}

topo_down() {
	for r in r1 r2; do
		[ -e "$LAB_TMP/$r.pid" ] && kill "$(cat "$LAB_TMP/$r.pid")" 2>/dev/null
		rm -f "$LAB_TMP/$r.pid"
	done
	lab_links_del
	for n in $NS; do
		ip netns del "e2e-$n" 2>/dev/null
	done
	for b in br1 br2 br3; do
		ip link del $b 2>/dev/null
	done
	wait 2>/dev/null
}

# requests: REQUESTS requests to the VIP from the client, one connection each
# (the server closes it); prints one name per line.
requests() {
	set --
	i=0
	while [ $i -lt "$REQUESTS" ]; do
		set -- "$@" "http://$VIP/"
		i=$((i + 1))
	done
	ip netns exec e2e-c curl -sS --noproxy '*' --max-time 10 "$@"
}

# alternates FILE: REQUESTS lines, each r1 or r2, never the same twice in a row
alternates() {
	awk -v n="$REQUESTS" '
		$0 != "r1" && $0 != "r2" { print "unexpected answer: " $0; bad = 1 }
		NR > 1 && $0 == prev { print "line " NR ": " $0 " twice in a row"; bad = 1 }
		{ prev = $0; seen[$0] = 1 }
		END {
			if (NR != n) { print NR " answers, expected " n; bad = 1 }
			if (!seen["r1"] || !seen["r2"]) { print "not both real servers answered"; bad = 1 }
			exit bad
		}' "$1"
}

echo "# kernel $(uname -r), installer ${LBHA_VM_IPVS_INSTALLER:-lbha}, $REQUESTS requests per method"
for method in DR NAT TUN; do
	topo_down
	if ! topo_up $method >"$LAB_TMP/why" 2>&1; then
		tap_fail "$method: the namespaces, bridges and HTTP servers are set up"
		tap_diag <"$LAB_TMP/why"
		continue
	fi
	cat >"$LAB_TMP/$method.conf" <<EOF
global_defs {
	router_id e2e_$method
}
virtual_server $VIP 80 {
	protocol TCP
	lvs_sched rr
	lvs_method $method
	real_server $RS1 80 {
		weight 1
	}
	real_server $RS2 80 {
		weight 1
	}
}
EOF
	fwd=$(case $method in DR) echo "-g" ;; NAT) echo "-m" ;; TUN) echo "-i" ;; esac)
	tun=$([ "$method" = TUN ] && echo " --tun-type ipip")
	lab_norm >"$LAB_TMP/$method.expected" <<EOF
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RS1:80 $fwd -w 1$tun
-a -t $VIP:80 -r $RS2:80 $fwd -w 1$tun
EOF
	lab_start "$method" "$LAB_TMP/$method.conf" e2e-d
	if lab_wait_rules "$LAB_TMP/$method.expected" 60 e2e-d >"$LAB_TMP/why" 2>&1; then
		tap_ok "$method: lbha -C in the director installs the service (${LAB_WAITED}s)"
	else
		tap_fail "$method: lbha -C in the director installs the service"
		tap_diag <"$LAB_TMP/why"
		lab_log_tail "$method"
	fi
	if requests >"$LAB_TMP/answers" 2>"$LAB_TMP/why" &&
		alternates "$LAB_TMP/answers" >>"$LAB_TMP/why" 2>&1; then
		tap_ok "$method: $REQUESTS requests to the VIP reach r1 and r2 alternately ($(tr '\n' ' ' <"$LAB_TMP/answers"))"
	else
		tap_fail "$method: $REQUESTS requests to the VIP reach r1 and r2 alternately"
		{
			echo "answers:"
			cat "$LAB_TMP/answers"
			cat "$LAB_TMP/why"
			ip netns exec e2e-d ipvsadm -Ln --stats
		} | tap_diag
	fi
	if lab_stop "$method" 30; then
		tap_ok "$method: lbha stops on SIGTERM"
	else
		tap_fail "$method: lbha stops on SIGTERM (within 30 s)"
		lab_log_tail "$method" 10
	fi
	ip netns exec e2e-d ipvsadm -S -n >"$LAB_TMP/left"
	if [ -s "$LAB_TMP/left" ]; then
		tap_fail "$method: lbha removed its service when it stopped"
		tap_diag <"$LAB_TMP/left"
	else
		tap_ok "$method: lbha removed its service when it stopped"
	fi
done
topo_down
tap_done
