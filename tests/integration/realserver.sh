#!/bin/sh
# `lbha realserver` in a private network namespace (root): the DR and TUN
# set-ups are made, a second run changes nothing, --dry-run changes nothing,
# --undo restores exactly what was found (values set before, addresses that
# were there) and leaves what someone changed since.  Every sysctl touched is
# per network namespace (net.ipv4.conf.*), so the host's are never changed;
# the suite checks that too.  TUN needs the ipip module: skipped, with the
# reason, where it cannot be loaded.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
. "$top_srcdir/tests/integration/netns.sh"
tap_require_root
if [ ! -x "$LBHA" ]; then echo "1..0 # SKIP lbha binary not built ($LBHA)"; exit 0; fi

tmp=$(test_tmpdir)
ns=$(netns_new rs)
state="$tmp/run/realserver.state"
VIP=10.200.0.100
VIP2=10.200.0.101
VIP6=fd00:200::100

rs() { ip netns exec "$ns" "$LBHA" realserver --runtime-dir "$tmp/run" "$@"; }
# get KEY / set KEY VALUE: a sysctl inside the namespace
get() { ip netns exec "$ns" cat "/proc/sys/$(echo "$1" | tr ./ /.)"; }
set_() { echo "$2" | ip netns exec "$ns" tee "/proc/sys/$(echo "$1" | tr ./ /.)" >/dev/null; }
has_addr() { ip -n "$ns" addr show dev "$1" | grep -q "inet6\? $2 "; }
is_up() { ip -n "$ns" link show dev "$1" | grep -q "<[^>]*[<,]UP[,>]"; }
# sysctl KEY=VALUE ... all as given
sysctls_are() {
	for _kv in "$@"; do
		[ "$(get "${_kv%%=*}")" = "${_kv#*=}" ] || { tap_diag "${_kv%%=*} is $(get "${_kv%%=*}")"; return 1; }
	done
}
# contains "output" "line": the output has that exact line
contains() { printf '%s\n' "$1" | grep -qxF "$2" || { tap_diag "no line '$2' in:" "$1"; return 1; }; }

host_before=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/all/arp_announce \
	/proc/sys/net/ipv4/conf/all/rp_filter /proc/sys/net/ipv4/conf/lo/arp_ignore)

# ---- DR --------------------------------------------------------------------------
# What was there before: all.arp_announce 1 (undo must bring back 1, not the
# kernel default), lo.arp_ignore 2 (good enough: left alone), VIP2 on lo.
set_ net.ipv4.conf.all.arp_announce 1
set_ net.ipv4.conf.lo.arp_ignore 2
ip -n "$ns" addr add "$VIP2/32" dev lo

out=$(rs --vip "$VIP" --vip "$VIP2" --vip "$VIP6" --mode dr --dry-run); rc=$?
tap_check "dr --dry-run exits 0" [ "$rc" -eq 0 ]
tap_check "dr --dry-run says what it would change" \
	contains "$out" "would set net.ipv4.conf.all.arp_ignore 0 -> 1"
tap_check "dr --dry-run changes nothing" \
	sh -c "! [ -e '$state' ] && [ \"\$(ip netns exec $ns cat /proc/sys/net/ipv4/conf/all/arp_ignore)\" = 0 ]"
tap_check "dr --dry-run adds no address" sh -c "! ip -n $ns addr show dev lo | grep -q '$VIP/'"

out=$(rs --vip "$VIP" --vip "$VIP2" --vip "$VIP6" --mode dr); rc=$?
tap_diag "$out"
tap_check "dr exits 0" [ "$rc" -eq 0 ]
tap_check "dr prints one line per change" [ "$(printf '%s\n' "$out" | wc -l)" -eq 5 ]
tap_check "dr prints the sysctl change" contains "$out" "set net.ipv4.conf.all.arp_announce 1 -> 2"
tap_check "dr prints the address change" contains "$out" "added $VIP/32 to lo"
tap_check "dr: VIPs on lo as /32 and /128" sh -c "
	ip -n $ns addr show dev lo | grep -q 'inet $VIP/32 ' &&
	ip -n $ns addr show dev lo | grep -q 'inet6 $VIP6/128 '"
tap_check "dr: ARP sysctls set (lo.arp_ignore 2 kept)" sysctls_are \
	net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
	net.ipv4.conf.lo.arp_ignore=2 net.ipv4.conf.lo.arp_announce=2
tap_check "dr: state file written" [ -s "$state" ]
cp "$state" "$tmp/state.1"

out=$(rs --vip "$VIP" --vip "$VIP2" --vip "$VIP6" --mode dr); rc=$?
tap_check "dr second run exits 0" [ "$rc" -eq 0 ]
tap_check "dr second run changes nothing and says so" \
	[ "$out" = "nothing to change: dr for $VIP, $VIP2, $VIP6 is in place" ]
tap_check "dr second run leaves the state file" cmp -s "$state" "$tmp/state.1"

out=$(rs --undo --dry-run); rc=$?
tap_check "undo --dry-run says what it would restore" \
	contains "$out" "would restore net.ipv4.conf.all.arp_announce 2 -> 1"
tap_check "undo --dry-run changes nothing" sh -c "
	cmp -s '$state' '$tmp/state.1' && ip -n $ns addr show dev lo | grep -q 'inet $VIP/32 '"

out=$(rs --undo); rc=$?
tap_diag "$out"
tap_check "undo exits 0" [ "$rc" -eq 0 ]
tap_check "undo says what it restored" contains "$out" "removed $VIP/32 from lo"
tap_check "undo restores the values found before" sysctls_are \
	net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=1 \
	net.ipv4.conf.lo.arp_ignore=2 net.ipv4.conf.lo.arp_announce=0
tap_check "undo removes only the addresses it added" sh -c "
	! ip -n $ns addr show dev lo | grep -q 'inet $VIP/' &&
	! ip -n $ns addr show dev lo | grep -q '$VIP6/' &&
	ip -n $ns addr show dev lo | grep -q 'inet $VIP2/32 '"
tap_check "undo leaves lo up (it was up)" is_up lo
tap_check "undo removes the state file" [ ! -e "$state" ]
out=$(rs --undo); rc=$?
tap_check "a second undo has nothing to do" sh -c "[ $rc -eq 0 ] && echo '$out' | grep -q '^nothing to undo'"

# A value someone changed after lbha set it is left alone.
rs --vip "$VIP" --mode dr >/dev/null
set_ net.ipv4.conf.all.arp_ignore 3
out=$(rs --undo)
tap_check "undo leaves a value changed since" sh -c "
	echo '$out' | grep -qxF 'left net.ipv4.conf.all.arp_ignore at 3 (lbha set 1, something changed it since)' &&
	[ \"\$(ip netns exec $ns cat /proc/sys/net/ipv4/conf/all/arp_ignore)\" = 3 ]"

rs --vip nonsense --mode dr 2>/dev/null; rc=$?
tap_check "a bad --vip is a usage error" [ "$rc" -eq 64 ]
rs --vip "$VIP" --mode nat 2>/dev/null; rc=$?
tap_check "a bad --mode is a usage error" [ "$rc" -eq 64 ]

# ---- TUN -------------------------------------------------------------------------
# lbha loads ipip itself; the suite only asks modprobe whether it could.
# (Never name tunl0 to `ip` before lbha runs: looking a missing device up
# by name makes the kernel load ipip, its "netdev-tunl0" alias.)
has_tunl0() { ip -n "$ns" -o link show | grep -q '^[0-9]*: tunl0[@:]'; }
tun_why=""
if ! has_tunl0; then
	if ! why=$(modprobe -n ipip 2>&1); then
		tun_why="the ipip module cannot be loaded: $(echo "$why" | head -n 1)"
	fi
fi

tun_tests="tun --dry-run changes nothing|tun exits 0|tun: tunl0 up with the VIP|tun: rp_filter 0, ARP sysctls set|tun second run changes nothing|tun undo restores|tun undo leaves ipip loaded and says so"
if [ -n "$tun_why" ]; then
	echo "$tun_tests" | tr '|' '\n' | while read -r t; do tap_skip "$t" "$tun_why"; done
	TAP_N=$((TAP_N + $(echo "$tun_tests" | tr '|' '\n' | wc -l)))
	# without the module, it fails with the reason and records nothing
	rs --vip "$VIP" --mode tun >"$tmp/out" 2>"$tmp/err"; rc=$?
	tap_check "tun without ipip fails, says why, records nothing" sh -c "
		[ $rc -eq 1 ] && grep -q 'cannot load module ipip' '$tmp/err' && [ ! -e '$state' ]"
else
	# tunl0 inherits "default" when ipip creates it; the dry run predicts that
	set_ net.ipv4.conf.all.rp_filter 1
	set_ net.ipv4.conf.default.rp_filter 2
	if has_tunl0; then set_ net.ipv4.conf.tunl0.rp_filter 2; fi
	out=$(rs --vip "$VIP" --mode tun --dry-run)
	tap_check "tun --dry-run changes nothing" sh -c "
		echo '$out' | grep -qxF 'would set net.ipv4.conf.tunl0.rp_filter 2 -> 0' &&
		[ ! -e '$state' ] && ! ip -n $ns -o addr show | grep -q ' tunl0 .*$VIP/'"
	out=$(rs --vip "$VIP" --mode tun); rc=$?
	tap_diag "$out"
	tap_check "tun exits 0" [ "$rc" -eq 0 ]
	tap_check "tun: tunl0 up with the VIP" sh -c "
		ip -n $ns addr show dev tunl0 | grep -q 'inet $VIP/32 ' &&
		ip -n $ns link show dev tunl0 | grep -q '[<,]UP[,>]'"
	tap_check "tun: rp_filter 0, ARP sysctls set" sysctls_are \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0 \
		net.ipv4.conf.all.arp_ignore=3 net.ipv4.conf.all.arp_announce=2
	out=$(rs --vip "$VIP" --mode tun)
	tap_check "tun second run changes nothing" [ "$out" = "nothing to change: tun for $VIP is in place" ]
	out=$(rs --undo); rc=$?
	tap_diag "$out"
	tap_check "tun undo restores" sh -c "[ $rc -eq 0 ] &&
		! ip -n $ns addr show dev tunl0 | grep -q '$VIP/' &&
		! ip -n $ns link show dev tunl0 | grep -q '[<,]UP[,>]' &&
		[ \"\$(ip netns exec $ns cat /proc/sys/net/ipv4/conf/all/rp_filter)\" = 1 ] &&
		[ \"\$(ip netns exec $ns cat /proc/sys/net/ipv4/conf/tunl0/rp_filter)\" = 2 ]"
	if printf '%s\n' "$out" | grep -q "module ipip"; then
		tap_check "tun undo leaves ipip loaded and says so" \
			contains "$out" "left module ipip loaded (other tunnels may use it; rmmod ipip if none does)"
	else
		tap_skip "tun undo leaves ipip loaded and says so" "ipip was loaded before"
	fi
fi

host_after=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/all/arp_announce \
	/proc/sys/net/ipv4/conf/all/rp_filter /proc/sys/net/ipv4/conf/lo/arp_ignore)
tap_check "the host's own sysctls are untouched" [ "$host_before" = "$host_after" ]
tap_done
