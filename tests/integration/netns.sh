# netns.sh: shared helpers for the root integration suites (sourced, POSIX sh).
#
#   . "$top_srcdir/tests/integration/netns.sh"
#   tap_require_root            # prints "1..0 # SKIP ..." and exits when not root
#   ns=$(netns_new dir1)        # a namespace, removed at exit (with its processes)
#   netns_link "$ns1" eth0 "$ns2" eth0
#   netns_bridge NAME           # a namespace holding bridge br0; netns_attach adds hosts
#   tap_ok "what" / tap_fail "what" / tap_skip "what" "why" / tap_check "what" cmd...
#   tap_done                    # prints the plan and returns non-zero on failures
#
# Names are prefixed with lbhat-<pid>- so parallel suites never collide, and
# everything is torn down by the EXIT trap even when a test fails half way.
# Addresses used by tests come from 10.200.0.0/16 and fd00:200::/32 and exist
# only inside these namespaces.

NETNS_PREFIX="lbhat-$$-"
NETNS_PIDS=""
TAP_N=0
TAP_FAILED=0

tap_ok()   { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_fail() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $1"; }
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
tap_diag() { echo "$*" | sed 's/^/# /'; }

# tap_check "description" command args...: ok when the command succeeds.
tap_check() {
	_what=$1; shift
	if "$@"; then tap_ok "$_what"; else tap_fail "$_what"; fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

tap_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root (network namespaces)"
		exit 0
	fi
	if ! command -v ip >/dev/null 2>&1; then
		echo "1..0 # SKIP iproute2 (ip) is not installed"
		exit 0
	fi
}

# A private temporary directory, removed at exit.  Its name and the
# namespaces' names derive from $$ (the same in $(...) subshells), so the
# cleanup finds them even when they were made in a subshell.
NETNS_TMP="/tmp/lbha-test.$$"
test_tmpdir() {
	mkdir -p "$NETNS_TMP" && chmod 700 "$NETNS_TMP" && echo "$NETNS_TMP"
}

netns_new() {
	_ns="$NETNS_PREFIX$1"
	ip netns add "$_ns" || return 1
	ip -n "$_ns" link set lo up
	echo "$_ns"
}

# netns_iface NS IFNAME: an interface that is up in NS (a veth whose peer
# stays in NS too; some kernels have no 'dummy' module).
netns_iface() {
	ip -n "$1" link add "$2" type veth peer name "$2p" || return 1
	ip -n "$1" link set "$2p" up
	ip -n "$1" link set "$2" up
}

# netns_link NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up.
netns_link() {
	_tmp="lbv$$$(date +%N | cut -c1-5)"
	ip link add "${_tmp}a" type veth peer name "${_tmp}b" || return 1
	ip link set "${_tmp}a" netns "$1" name "$2"
	ip link set "${_tmp}b" netns "$3" name "$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# netns_bridge NAME: a namespace with a bridge br0 to plug hosts into.
netns_bridge() {
	_br=$(netns_new "$1") || return 1
	ip -n "$_br" link add br0 type bridge
	ip -n "$_br" link set br0 up
	echo "$_br"
}

# netns_attach BRIDGE_NS HOST_NS IFNAME: plug a host into the bridge.
netns_attach() {
	_port="p$(echo "$2" | cksum | cut -c1-6)"
	netns_link "$1" "$_port" "$2" "$3" || return 1
	ip -n "$1" link set "$_port" master br0
}

# Remember a background process to stop at exit.
netns_track_pid() { NETNS_PIDS="$NETNS_PIDS $1"; }

# wait_until SECONDS command...: poll every 0.05 s until the command succeeds.
wait_until() {
	_deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
	while ! "$@"; do
		[ "$(( $(date +%s%N) / 1000000 ))" -lt "$_deadline" ] || return 1
		sleep 0.05
	done
}

netns_cleanup() {
	for _p in $NETNS_PIDS; do kill -TERM "$_p" 2>/dev/null; done
	for _p in $NETNS_PIDS; do
		wait_until 2 sh -c "! kill -0 $_p 2>/dev/null" || kill -KILL "$_p" 2>/dev/null
	done
	for _ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NETNS_PREFIX"); do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$_ns" 2>/dev/null
	done
	rm -rf "$NETNS_TMP"
}
trap netns_cleanup EXIT
trap 'exit 130' INT TERM
