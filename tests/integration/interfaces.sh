#!/bin/sh
# Namespaces: a configured interface that does not exist is a warning (lbha -t
# and the daemon both go on), and several lbha run side by side on one host,
# each with its own --runtime-dir, one per namespace.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
tap_require_root
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi

tmp=$(test_tmpdir)
cat >"$tmp/lbha.conf" <<'CONF'
vrrp_instance VI_1 {
    state BACKUP
    interface lbha0
    virtual_router_id 51
    priority 100
    advert_int 1
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

with_if=$(netns_new with-if)
netns_iface "$with_if" lbha0
without_if=$(netns_new without-if)

# lbha -t in a namespace that has the interface: no warning about it.
out=$(ip netns exec "$with_if" "$LBHA" -t -f "$tmp/lbha.conf" 2>&1); rc=$?
tap_check "lbha -t exits 0 where lbha0 exists" [ "$rc" -eq 0 ]
if echo "$out" | grep -q "'lbha0' does not exist"; then
	tap_fail "no interface warning where lbha0 exists"; tap_diag "$out"
else
	tap_ok "no interface warning where lbha0 exists"
fi

# ... and in one that has not: exit 0 with a warning naming it and its line.
out=$(ip netns exec "$without_if" "$LBHA" -t -f "$tmp/lbha.conf" 2>&1); rc=$?
tap_check "lbha -t exits 0 where lbha0 is missing" [ "$rc" -eq 0 ]
if echo "$out" | grep -q "lbha.conf:3: warning: .*'lbha0' does not exist"; then
	tap_ok "warning names the missing interface and its line"
else
	tap_fail "warning names the missing interface and its line"; tap_diag "$out"
fi
out=$(ip netns exec "$without_if" "$LBHA" -t --strict -f "$tmp/lbha.conf" 2>&1); rc=$?
tap_check "--strict makes the missing interface an error (exit 1)" [ "$rc" -eq 1 ]

# Two daemons at once, one per namespace, each with its own runtime dir.
for ns in "$with_if" "$without_if"; do
	mkdir -p "$tmp/run-$ns"
	ip netns exec "$ns" "$LBHA" -n -l -f "$tmp/lbha.conf" --runtime-dir "$tmp/run-$ns" \
		>"$tmp/log-$ns" 2>&1 &
	netns_track_pid $!
	eval "pid_$(echo "$ns" | tr -c 'a-z0-9\n' '_')=$!"
done
both_published() {
	for ns in "$with_if" "$without_if"; do
		[ -s "$tmp/run-$ns/vrrp.json" ] && [ -s "$tmp/run-$ns/checker.json" ] || return 1
	done
}
if wait_until 10 both_published; then
	tap_ok "two lbha run side by side with separate runtime dirs"
else
	tap_fail "two lbha run side by side with separate runtime dirs"
	tap_diag "$(cat "$tmp"/log-*)"
fi
for ns in "$with_if" "$without_if"; do
	out=$("$LBHA" status --runtime-dir "$tmp/run-$ns" 2>&1); rc=$?
	tap_check "lbha status answers for the instance in $ns" [ "$rc" -eq 0 ]
done
if grep -q "lbha0.*does not exist" "$tmp/log-$without_if"; then
	tap_ok "the daemon logs the missing interface and keeps running"
else
	tap_fail "the daemon logs the missing interface and keeps running"
	tap_diag "$(cat "$tmp/log-$without_if")"
fi
pid_var="pid_$(echo "$without_if" | tr -c 'a-z0-9\n' '_')"
eval "pid=\$$pid_var"
tap_check "the daemon without the interface is still running" kill -0 "$pid"

tap_done
