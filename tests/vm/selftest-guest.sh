#!/bin/sh
# selftest-guest.sh - the checks tests/vm/selftest.sh runs inside the VM; prints TAP.
#
# Usage (in the guest): selftest-guest.sh RWDIR
#   RWDIR is a directory the host shared read-write (run-in-vm.sh --rw): the script
#   writes hello and status there, and a marker to stderr, for the host-side checks.
# It prints test lines but no plan: selftest.sh adds its own tests and the plan.
# Exit status: 0 if every check passed (or was skipped), 1 otherwise.

# The checks are functions that check() calls by name, which shellcheck cannot see.
# shellcheck disable=SC2317
set -u

rw=${1:?usage: selftest-guest.sh RWDIR}
. "$(dirname "$0")/guest_tap.sh"
module_loaded() {
	grep -q "^$1 " /proc/modules
}
# ipvs_listing_ok: ipvsadm -Ln shows the rr service with its two DR destinations
ipvs_listing_ok() {
	out=$(ipvsadm -Ln) || return 1
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -Eq '^TCP +10\.0\.0\.1:80 +rr *$' &&
		printf '%s\n' "$out" | grep -Eq -- '-> 10\.0\.0\.2:80 +Route +1 ' &&
		printf '%s\n' "$out" | grep -Eq -- '-> 10\.0\.0\.3:80 +Route +1 '
}
# the kernel answers a generic netlink lookup of the family "IPVS" with its id
genl_ipvs_ok() {
	out=$(genl ctrl get name IPVS) || return 1
	if printf '%s\n' "$out" | grep -q '^Name: IPVS *$' &&
		printf '%s\n' "$out" | grep -Eq '^[[:space:]]*ID: 0x[0-9a-f]+ '; then
		return 0
	fi
	printf '%s\n' "$out"
	return 1
}
sed_autoloads() {
	if module_loaded ip_vs_sed; then
		echo "ip_vs_sed was loaded before its first use"
		return 1
	fi
	ipvsadm -A -t 10.0.0.1:81 -s sed || return 1
	module_loaded ip_vs_sed || {
		echo "ip_vs_sed is not in /proc/modules"
		return 1
	}
	ipvsadm -Ln | grep -Eq '^TCP +10\.0\.0\.1:81 +sed'
}
ipvs_cleared() {
	ipvsadm -C || return 1
	out=$(ipvsadm -Ln) || return 1
	if printf '%s\n' "$out" | grep -Eq '^(TCP|UDP|SCTP|FWM) '; then
		printf '%s\n' "$out"
		return 1
	fi
}
# two namespaces joined by a veth pair; a ping from one to the other
netns_veth_ping() {
	ip netns add lbha-vm-a && ip netns add lbha-vm-b &&
		ip link add lbha-va type veth peer name lbha-vb &&
		ip link set lbha-va netns lbha-vm-a && ip link set lbha-vb netns lbha-vm-b &&
		ip -n lbha-vm-a addr add 192.0.2.1/24 dev lbha-va &&
		ip -n lbha-vm-b addr add 192.0.2.2/24 dev lbha-vb &&
		ip -n lbha-vm-a link set lbha-va up && ip -n lbha-vm-b link set lbha-vb up &&
		ip netns exec lbha-vm-a ping -c 1 -W 5 192.0.2.2
}
netns_cleanup() {
	ip netns del lbha-vm-a 2>/dev/null
	ip netns del lbha-vm-b 2>/dev/null
	left=$(ip netns list)
	[ -z "$left" ] || {
		echo "left: $left"
		return 1
	}
}

echo "# kernel $(uname -r), $(nproc) CPUs, LBHA_IN_VM=${LBHA_IN_VM:-}"
check "the guest runs as root" test "$(id -u)" = 0
check "IPVS is available (/proc/net/ip_vs, module ip_vs loaded)" \
	sh -c 'test -r /proc/net/ip_vs && grep -q "^ip_vs " /proc/modules'

if command -v ipvsadm >/dev/null; then
	check "ipvsadm adds a TCP service with scheduler rr" ipvsadm -A -t 10.0.0.1:80 -s rr
	check "ipvsadm adds two direct-routing destinations" sh -c \
		'ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g && ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.3:80 -g'
	check "ipvsadm -Ln lists the service and both destinations" ipvs_listing_ok
	check "/proc/net/ip_vs shows the service" grep -q '0A000001:0050 rr' /proc/net/ip_vs
	check "the scheduler module ip_vs_sed auto-loads on first use" sed_autoloads
	check "ipvsadm -C clears every service" ipvs_cleared
else
	for t in add-service add-dests list proc sed clear; do skip "no ipvsadm on the host ($t)"; done
fi

if command -v genl >/dev/null; then
	check "generic netlink family IPVS resolves (genl ctrl get name IPVS)" genl_ipvs_ok
else
	skip "no genl (iproute2) on the host"
fi

if command -v ping >/dev/null; then
	check "two netns joined by a veth pair ping each other" netns_veth_ping
else
	skip "no ping (iputils-ping) on the host"
fi
check "the namespaces are removed" netns_cleanup

# for the host-side checks of the runner itself
echo "selftest-guest: stderr marker" >&2
echo "hello from $(uname -r)" >"$rw/hello"
status=0
[ "$failed" -eq 0 ] || status=1
echo "$status" >"$rw/status"
exit "$status"
