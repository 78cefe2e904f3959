#!/bin/sh
# vrrp-lvs-sync-guest.sh: runs inside the VM (tests/vm/vrrp-lvs-sync.sh boots
# it); prints TAP.  Two lbha directors from the VRRP lab (tests/integration/
# vrrp_lab.sh) with `lvs_sync_daemon eth0 VI_1`: the master runs the kernel's
# master sync daemon, the backup the backup daemon, a connection made through
# the master shows up in the backup's table, and the daemons swap on failover.
# Every address exists only in the lab's namespaces inside the VM.
set -u
top_srcdir=${top_srcdir:?}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"

tap_require_root
lab_require lbha
command -v ipvsadm >/dev/null 2>&1 || { echo "1..0 # SKIP ipvsadm is not installed"; exit 0; }
lab_up || { echo "1..0 # SKIP the lab could not be built"; exit 0; }

SYNC_PORT=7001
# daemons NAME: ipvsadm's view of the sync daemons in a director's namespace.
daemons() { ip netns exec "$(lab_ns "$1")" ipvsadm -L --daemon 2>&1; }
has_daemon() { daemons "$1" | grep -q "^$2 sync daemon (mcast=eth0, syncid=51"; }
no_daemon() { [ -z "$(daemons "$1")" ]; }
# conn_on NAME: the director's IPVS connection table lists the client.
conn_on() {
	ip netns exec "$(lab_ns "$1")" ipvsadm -L -n -c 2>/dev/null |
		grep -q "$(lab_addr client):[0-9]* *$LAB_VIP4:$SYNC_PORT"
}

for d in dir1 dir2; do
	ns=$(lab_ns "$d")
	# The same UDP service on both, as the checker would install it; the real
	# server need not exist: the connection entry is made before forwarding.
	ip netns exec "$ns" ipvsadm -A -u "$LAB_VIP4:$SYNC_PORT" -s rr
	ip netns exec "$ns" ipvsadm -a -u "$LAB_VIP4:$SYNC_PORT" -r 10.200.1.60 -g
	# Sync every connection from its first packet, not the default 3rd.
	ip netns exec "$ns" sysctl -qw net.ipv4.vs.sync_threshold="1 50" || true
done

g="script_user root
enable_script_security
lvs_sync_daemon eth0 VI_1"
c1=$(lab_config dir1 PRIORITY=150 GLOBAL="$g")
c2=$(lab_config dir2 PRIORITY=100 GLOBAL="$g")
lab_start_director dir2 lbha "$c2"
lab_start_director dir1 lbha "$c1"
tap_check "dir1 becomes master" lab_wait_holder dir1 30
tap_check "dir1 runs the master sync daemon (ipvsadm -L --daemon)" \
	wait_until 10 has_daemon dir1 master
tap_check "dir2 runs the backup sync daemon" wait_until 10 has_daemon dir2 backup
tap_check "dir1 runs no backup daemon" sh -c "! ip netns exec $(lab_ns dir1) ipvsadm -L --daemon | grep -q backup"

ask() {
	ip netns exec "$(lab_ns client)" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 40000))
for _ in range(3):
    s.sendto(b"x", (sys.argv[1], int(sys.argv[2])))' "$LAB_VIP4" "$SYNC_PORT"
}
ask
tap_check "the client's connection is in dir1's table" wait_until 10 conn_on dir1
tap_check "and was synced to dir2's table" wait_until 20 conn_on dir2

lab_stop_director dir1
tap_check "after dir1 stops, dir2 holds the VIP" lab_wait_holder dir2 30
tap_check "dir2 now runs the master sync daemon" wait_until 10 has_daemon dir2 master
tap_check "dir2's backup daemon is stopped" sh -c "! ip netns exec $(lab_ns dir2) ipvsadm -L --daemon | grep -q backup"
tap_check "dir1's daemons are stopped with lbha" no_daemon dir1
tap_check "dir2 logs the daemon switch" sh -c "grep -q 'IPVS master sync daemon started' '$LAB_TMP/dir2.log'"
if ! has_daemon dir2 master; then
	tap_diag "dir2: $(daemons dir2)"
	tap_diag "$(lab_log dir2 | tail -n 20)"
fi
lab_stop_director dir2
tap_done
