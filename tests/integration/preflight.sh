#!/bin/sh
# `lbha -t` preflight warnings from the live system, in a private network
# namespace (root): lvs_method NAT warns while net.ipv4.ip_forward is 0 and
# not once it is 1; DR warns about send_redirects on "all" and on the
# configured interface until both are 0; --strict turns the warnings into
# errors; IPVS is reported missing exactly when the kernel has no way to load
# it; the daemon logs the same warnings at start.  Only the namespace's
# sysctls are set (they are per network namespace).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
tap_require_root
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi

tmp=$(test_tmpdir)
ns=$(netns_new pf)
netns_iface "$ns" lbha0

cat >"$tmp/nat.conf" <<'CONF'
virtual_server 10.200.0.100 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.200.1.11 80 {
        TCP_CHECK {
            connect_timeout 2
        }
    }
}
CONF
cat >"$tmp/dr.conf" <<'CONF'
vrrp_instance VI_1 {
    state BACKUP
    interface lbha0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.200.0.100/24
    }
}
virtual_server 10.200.0.100 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 10.200.1.11 80 {
        TCP_CHECK {
            connect_timeout 2
        }
    }
}
CONF

set_() { echo "$2" | ip netns exec "$ns" tee "/proc/sys/$(echo "$1" | tr ./ /.)" >/dev/null; }
# check CONF [--strict]: lbha -t in the namespace; stderr in $out, status in $rc
check() {
	_conf=$1; shift
	out=$(ip netns exec "$ns" "$LBHA" -t -f "$tmp/$_conf" "$@" 2>&1); rc=$?
}
has() { printf '%s\n' "$out" | grep -qF "$1" || { tap_diag "no '$1' in:" "$out"; return 1; }; }
lacks() { ! printf '%s\n' "$out" | grep -qF "$1" || { tap_diag "'$1' in:" "$out"; return 1; }; }

host_forward=$(cat /proc/sys/net/ipv4/ip_forward)

set_ net.ipv4.ip_forward 0
check nat.conf
tap_check "NAT with ip_forward=0: valid, exit 0" [ "$rc" -eq 0 ]
tap_check "NAT with ip_forward=0: warns with what to run" \
	has "nat.conf:1: warning: lvs_method NAT needs IPv4 forwarding (replies go back through the director), but net.ipv4.ip_forward is 0: run 'sysctl -w net.ipv4.ip_forward=1'"
check nat.conf --strict
tap_check "NAT with ip_forward=0 --strict: an error, exit 1" \
	sh -c "[ $rc -eq 1 ] && printf '%s\n' \"\$0\" | grep -q 'nat.conf:1: error: lvs_method NAT'" "$out"
set_ net.ipv4.ip_forward 1
check nat.conf
tap_check "NAT with ip_forward=1: no forwarding warning" lacks "ip_forward"

# DR: send_redirects defaults to 1 on "all" and on every interface.
set_ net.ipv4.conf.all.send_redirects 1
set_ net.ipv4.conf.lbha0.send_redirects 1
check dr.conf
tap_check "DR: warns about all.send_redirects" \
	has "run 'sysctl -w net.ipv4.conf.all.send_redirects=0'"
tap_check "DR: warns about the configured interface, at its line" \
	has "dr.conf:3: warning: lvs_method DR"
tap_check "DR: no forwarding warning" lacks "ip_forward"
set_ net.ipv4.conf.all.send_redirects 0
set_ net.ipv4.conf.lbha0.send_redirects 0
check dr.conf
tap_check "DR with send_redirects=0: no redirect warning" lacks "send_redirects"

# IPVS: missing only when neither loaded nor known to the module lists.
rel=$(uname -r)
if [ -e /proc/net/ip_vs ] || grep -qsE '(^|/)ip_vs\.ko' \
	"/lib/modules/$rel/modules.dep" "/lib/modules/$rel/modules.builtin" \
	"/usr/lib/modules/$rel/modules.dep" "/usr/lib/modules/$rel/modules.builtin"; then
	tap_check "IPVS present or loadable: no IPVS warning" lacks "CONFIG_IP_VS"
else
	tap_check "no IPVS in this kernel: warned, at the virtual_server" \
		has "dr.conf:10: warning: virtual_server needs IPVS, but this kernel has none"
fi

# The daemon logs the same warnings when it loads a config (a service
# started without `lbha -t` still says what the host lacks).
set_ net.ipv4.ip_forward 0
mkdir -p "$tmp/run"
ip netns exec "$ns" "$LBHA" -n -l -C -f "$tmp/nat.conf" --runtime-dir "$tmp/run" \
	>"$tmp/daemon.log" 2>&1 &
netns_track_pid $!
daemon=$!
tap_check "the daemon logs the preflight warning at start" \
	wait_until 10 grep -qE "warning: .*nat.conf:1: lvs_method NAT needs IPv4 forwarding" "$tmp/daemon.log"
kill "$daemon" 2>/dev/null
wait "$daemon" 2>/dev/null

tap_check "the host's ip_forward is untouched" [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_forward" ]
tap_done
