#!/bin/sh
# Interoperability with Debian's keepalived (issue 3, "Interop"): lbha and
# keepalived are the two directors of one virtual router in the VRRP lab
# (vrrp_lab.sh).  Each round runs one drill:
#   both start as BACKUP -> exactly one VIP holder (the higher priority,
#   dir1, prio 150) -> kill -9 of dir1: dir2 (prio 100) takes the VIP and the
#   client reaches it there -> dir1 restarts and preempts back -> SIGTERM of
#   dir1: dir2 takes over on the priority-0 advert -> SIGTERM of dir2,
# while the sampler watches that any split (both holding the VIP) resolves
# at once (lab_split_check); then checks that keepalived's log holds none of its bad-packet
# messages and that lbha's vrrp.json counted keepalived's adverts with zero
# drops.
# With tshark installed, the bridge is captured through the round and
# tshark judges lbha's frames: every advert decodes as VRRP with the right
# version, VRID and priority, a Good checksum, no malformed or expert flag;
# the priority-0 advert is there; the gratuitous ARPs (IPv6: unsolicited
# NAs) are well formed; and lbha's IP header (TOS/traffic class, TTL/hop
# limit), VRRP length and advert interval equal keepalived's.
#
# Round names say "VERSION-MODE ROLE": ROLE "lbha-high" has lbha as dir1
# (the higher priority, so it is master first and preempts back) and
# keepalived as dir2; "ka-high" swaps them.  INTEROP_SET picks the rounds:
#   v3 (default, advert_int 0.1): v3-mcast lbha-high, v3-mcast ka-high,
#       v3-unicast lbha-high, v3-ipv6-mcast ka-high, v3-ipv6-unicast lbha-high
#   v2 (advert_int 1, vrrp-interop-v2.sh): v2-mcast lbha-high,
#       v2-mcast ka-high, v2-unicast ka-high
# so multicast and unicast, v2 and v3, IPv4 and IPv6 each run with lbha
# in both roles.  Root only; SKIP without keepalived, python3 or lbha; the
# capture tests SKIP without tshark.
# For debugging: INTEROP_ONLY='v3-ipv6*' (a shell pattern) runs only the
# matching rounds; INTEROP_KEEP=DIR keeps each round's capture and daemon
# logs in DIR.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/vrrp_lab.sh"
lab_require keepalived lbha
HAVE_TSHARK=1
command -v tshark >/dev/null 2>&1 || HAVE_TSHARK=''
INTEROP_SET=${INTEROP_SET:-v3}

ms_now() { echo $(($(date +%s%N) / 1000000)); }
diag_logs() {
	for n in dir1 dir2; do tap_diag "--- $n:"; tap_diag "$(lab_log "$n" | tail -n 15)"; done
}

# keepalived 2.2.7's messages (vrrp.c, vrrp_check_packet and friends) about
# an advert it rejects or distrusts.  "advertisement interval updated" and
# "Setting unicast VRRPv3 checksum to old version" are not rejections, but
# with equal configured intervals and keepalived's default checksum they
# mean our interval field or checksum differs from keepalived's.
KA_COMPLAINTS='invalid|checksum|vrrp packet too|TTL/HL|wrong version|auth|advertisement interval|packet type|ip number count|ip_tot_len|icast packet|VIPs but received|associated with VRID|not a unicast peer|packet too short|AH header|our IP address|CONFIGURATION ERROR|malformed|bogus'

# _ka_new_lines NAME FROM: keepalived's log lines of this round.
_ka_new_lines() { lab_log "$1" | tail -n "+$(($2 + 1))"; }

# lbha_json NAME: one line from lbha's vrrp.json for VI_1:
# "STATE RECEIVED PRIO0_RECEIVED DROPS" (DROPS "-" when every drop counter,
# the instance's and the unmatched ones, is zero, else "reason=count,...").
lbha_json() {
	python3 - "$(lab_runtime_dir "$1")/vrrp.json" <<'PY'
import json, sys
try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
    vi = next(i for i in d["instances"] if i["name"] == "VI_1")
except (OSError, ValueError, StopIteration, KeyError):
    print("missing 0 0 unreadable")
    sys.exit(1)
c = vi["counters"]
bad = ["%s=%s" % (k, v) for k, v in c["drops"].items() if v]
bad += ["unmatched_%s=%s" % (k, v) for k, v in d.get("unmatched_drops", {}).items() if v]
if d.get("bad_headers"):
    bad.append("bad_headers=%s" % d["bad_headers"])
print(vi["state"], c["adverts_received"], c["prio0_received"], ",".join(bad) or "-")
PY
}

# The capture's frames, one line each, tab-separated (tshark -T fields).
CAP_FIELDS="frame.number eth.src eth.dst vrrp.version vrrp.virt_rtr_id vrrp.prio
vrrp.addr_count vrrp.checksum.status _ws.malformed _ws.expert.severity ip.dsfield ip.ttl
ip.len ip.hdr_len ipv6.tclass ipv6.hlim ipv6.plen vrrp.adver_int vrrp.short_adver_int
vrrp.ip_addr vrrp.ipv6_addr arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.proto_ipv4
icmpv6.type icmpv6.nd.na.target_address icmpv6.checksum.status icmpv6.nd.na.flag.o ipv6.dst
icmp.type"
cap_decode() {
	_e=""
	for _f in $CAP_FIELDS; do _e="$_e -e $_f"; done
	# shellcheck disable=SC2086
	HOME=$LAB_TMP XDG_CONFIG_HOME=$LAB_TMP tshark -n -r "$1" \
		-Y 'vrrp || arp || icmpv6.type == 136' -T fields -E separator=/t -E occurrence=f \
		$_e 2>>"$LAB_TMP/tshark.err"
}

# cap_awk MAC VIP PROGRAM: run an awk program over the decoded frames with
# names for the columns, mac and vip, and the round's version (v) and lbha's
# priority (p).
cap_awk() {
	awk -F'\t' -v mac="$1" -v vip="$2" -v v="$V" -v p="${lprio:-}" '
	{ num = $1; src = $2; dst = $3; ver = $4; vrid = $5; prio = $6; count = $7; csum = $8
	  malformed = $9; expert = $10; tos = $11; ttl = $12; iplen = $13; ihl = $14
	  tclass = $15; hlim = $16; plen = $17; adv2 = $18; adv3 = $19; vip4 = $20; vip6 = $21
	  arpop = $22; arpsha = $23; arpspa = $24; arptpa = $25; icmptype = $26; natarget = $27
	  icmpcsum = $28; naover = $29; ip6dst = $30; icmp4type = $31
	  # An ICMP error quoting an advert (a director without a daemon
	  # answers a unicast advert with one) comes from the kernel.
	  isvrrp = (ver != "" && icmp4type == "" && icmptype == ""); vlen = (iplen != "") ? iplen - ihl : plen
	  adv = (ver == 2) ? adv2 : adv3 }
	'"$3" "$LAB_TMP/cap.txt"
}

# The IP header and VRRP fields two implementations must agree on:
# "TOS TTL VRRP-LENGTH ADVERT-INTERVAL" of the adverts from MAC.
cap_shape() {
	cap_awk "$1" "" 'isvrrp && src == mac {
		print (tos != "" ? tos : tclass), (ttl != "" ? ttl : hlim), vlen, adv }' | sort -u
}

# interop_round NAME VERSION FAMILY MODE ROLE
interop_round() {
	R=$1 V=$2 FAM=$3 MODE=$4 ROLE=$5
	# INTEROP_ONLY (a shell pattern) runs only the rounds it matches.
	# shellcheck disable=SC2254
	case $R in ${INTEROP_ONLY:-*}) ;; *) return 0 ;; esac
	if [ "$ROLE" = lbha-high ]; then I1=lbha I2=keepalived LB=dir1 KA=dir2; else
		I1=keepalived I2=lbha LB=dir2 KA=dir1
	fi
	if [ "$FAM" = 6 ]; then VIP=$LAB_VIP6; else VIP=$LAB_VIP4; fi
	if [ "$V" = 2 ]; then
		ADV=1 WAIT=8 SETTLE=1.1 EXPECT_LEN=20 EXPECT_ADV=1 OVERLAP_MS=1000
	else
		ADV=0.1 WAIT=3 SETTLE=0.5 EXPECT_ADV=10 OVERLAP_MS=100
		if [ "$FAM" = 6 ]; then EXPECT_LEN=24; else EXPECT_LEN=12; fi
	fi
	uc=''
	[ "$MODE" != unicast ] || uc=UNICAST=1
	lab_reset
	rm -rf "$(lab_runtime_dir dir1)" "$(lab_runtime_dir dir2)"
	ka_from=$(lab_log "$KA" | wc -l)
	c1=$(lab_config dir1 PRIORITY=150 VERSION="$V" FAMILY="$FAM" ADVERT="$ADV" $uc)
	c2=$(lab_config dir2 PRIORITY=100 VERSION="$V" FAMILY="$FAM" ADVERT="$ADV" $uc)
	capturing=''
	if [ -n "$HAVE_TSHARK" ]; then
		if lab_capture_start "$LAB_TMP/round.pcap"; then capturing=1; else
			tap_fail "$R: tshark captures the bridge"
			tap_diag "$(cat "$LAB_TMP/capture.err" 2>/dev/null)"
		fi
	fi

	lab_sample_start
	lab_start_director dir2 "$I2" "$c2"
	lab_start_director dir1 "$I1" "$c1"
	if lab_wait_holder dir1 "$WAIT" "$VIP" && sleep "$SETTLE" && _lab_holder_is dir1 "$VIP"; then
		tap_ok "$R: one master elected: only dir1 ($I1) holds the VIP"
	else
		tap_fail "$R: one master elected: only dir1 ($I1) holds the VIP"
		tap_diag "holder: '$(lab_vip_holder "$VIP")'"; diag_logs
	fi
	tap_check "$R: the client reaches the VIP at dir1 ($I1)" lab_client_reaches dir1 "$VIP"

	t0=$(ms_now)
	lab_kill_director dir1
	if lab_wait_holder dir2 "$WAIT" "$VIP"; then
		tap_ok "$R: kill -9 of dir1 ($I1): dir2 ($I2) holds the VIP ($(($(ms_now) - t0)) ms)"
	else
		tap_fail "$R: kill -9 of dir1 ($I1): dir2 ($I2) holds the VIP"
		tap_diag "holder: '$(lab_vip_holder "$VIP")'"; diag_logs
	fi
	tap_check "$R: the client reaches the VIP at dir2 ($I2)" lab_client_reaches dir2 "$VIP"
	tap_check "$R: the client's neighbour entry for the VIP has dir2's MAC" \
		lab_client_neigh_is dir2 "$VIP"

	lab_start_director dir1 "$I1" "$c1"
	if lab_wait_holder dir1 "$WAIT" "$VIP"; then
		tap_ok "$R: restarted dir1 ($I1, higher priority) preempts back"
	else
		tap_fail "$R: restarted dir1 ($I1, higher priority) preempts back"
		tap_diag "holder: '$(lab_vip_holder "$VIP")'"; diag_logs
	fi
	tap_check "$R: the client reaches the VIP at dir1 ($I1) again" lab_client_reaches dir1 "$VIP"
	# A few adverts of the new master, so the capture has some to judge.
	sleep 0.3

	# lbha heard keepalived's adverts (as backup) and dropped none of them.
	if [ "$LB" = dir1 ]; then want=MASTER; else want=BACKUP; fi
	# shellcheck disable=SC2046
	set -- $(lbha_json "$LB")
	if [ "$1" = "$want" ] && [ "${2:-0}" -gt 0 ] && [ "$4" = - ]; then
		tap_ok "$R: lbha's vrrp.json: $want, $2 adverts received from keepalived, zero drops"
	else
		tap_fail "$R: lbha's vrrp.json: $want, adverts received from keepalived, zero drops"
		tap_diag "state received prio0_received drops: $*"
	fi

	# A graceful stop of dir1: dir2 takes over on the priority-0 advert
	# after its Skew_Time, not after Master_Down_Interval.
	t0=$(ms_now)
	lab_stop_director dir1
	if lab_wait_holder dir2 "$WAIT" "$VIP"; then
		tap_ok "$R: SIGTERM of dir1 ($I1): dir2 ($I2) holds the VIP ($(($(ms_now) - t0)) ms)"
	else
		tap_fail "$R: SIGTERM of dir1 ($I1): dir2 ($I2) holds the VIP"; diag_logs
	fi
	if [ "$LB" = dir2 ]; then
		# shellcheck disable=SC2046
		set -- $(lbha_json dir2)
		if [ "$1" = MASTER ] && [ "${3:-0}" -ge 1 ]; then
			tap_ok "$R: lbha (dir2) took over on keepalived's priority-0 advert"
		else
			tap_fail "$R: lbha (dir2) took over on keepalived's priority-0 advert"
			tap_diag "state received prio0_received drops: $*"
		fi
	elif _ka_new_lines dir2 "$ka_from" | grep -q "Backup received priority 0 advertisement"; then
		tap_ok "$R: keepalived (dir2) took over on lbha's priority-0 advert"
	else
		tap_fail "$R: keepalived (dir2) took over on lbha's priority-0 advert"; diag_logs
	fi
	tap_check "$R: the client reaches the VIP at dir2 ($I2) after the handover" \
		lab_client_reaches dir2 "$VIP"
	lab_stop_director dir2
	lab_sample_stop
	lab_split_check "$R" "$OVERLAP_MS"
	if [ -n "$capturing" ]; then
		lab_capture_stop
		# INTEROP_KEEP=DIR keeps each round's capture and logs there.
		if [ -n "${INTEROP_KEEP:-}" ]; then
			_k="$INTEROP_KEEP/$(echo "$R" | tr ' ' _)"
			mkdir -p "$_k" && cp "$LAB_TMP/round.pcap" "$LAB_TMP"/dir?.log "$_k/"
		fi
	fi

	complaints=$(_ka_new_lines "$KA" "$ka_from" | grep -iE "$KA_COMPLAINTS")
	if [ -z "$complaints" ]; then
		tap_ok "$R: keepalived ($KA) logs no complaint about lbha's packets"
	else
		tap_fail "$R: keepalived ($KA) logs no complaint about lbha's packets"
		tap_diag "$(printf '%s\n' "$complaints" | head -n 10)"
	fi

	if [ -z "$HAVE_TSHARK" ]; then
		tap_skip "$R: tshark judges lbha's frames" "tshark is not installed"
		return 0
	fi
	[ -n "$capturing" ] || return 0
	check_capture
}

# check_capture: the tshark tests of one round (uses interop_round's variables).
check_capture() {
	if ! cap_decode "$LAB_TMP/round.pcap" >"$LAB_TMP/cap.txt"; then
		tap_fail "$R: tshark decodes the capture"
		tap_diag "$(tail -n 5 "$LAB_TMP/tshark.err")"
		return 0
	fi
	lmac=$(lab_mac "$LB") kmac=$(lab_mac "$KA")
	if [ "$LB" = dir1 ]; then lprio=150; else lprio=100; fi

	# Every advert lbha sent: VRRP VERSION, VRID 51, its priority (or 0),
	# one address (the VIP), checksum Good (1), no malformed or expert mark.
	bad=$(cap_awk "$lmac" "$VIP" 'isvrrp && src == mac {
		n++
		a = (vip4 != "") ? vip4 : vip6
		if (ver != v || vrid != 51 || (prio != p && prio != 0) || count != 1 || a != vip ||
		    csum != 1 || malformed != "" || expert != "") {
			nbad++
			if (nbad <= 5) print "frame " num ": v" ver " vrid " vrid " prio " prio " count " count \
				" addr " a " checksum-status " csum " malformed \"" malformed "\" expert \"" expert "\""
		}
	} END { if (!n) print "no advert from lbha in the capture"; else print n > "/dev/stderr" }' \
		2>"$LAB_TMP/cap.n")
	if [ -z "$bad" ]; then
		tap_ok "$R: tshark: all $(cat "$LAB_TMP/cap.n") adverts from lbha decode as VRRPv$V vrid 51 prio $lprio/0, checksum Good, not malformed, no expert flag"
	else
		tap_fail "$R: tshark: every advert from lbha decodes as VRRPv$V vrid 51 prio $lprio/0, checksum Good, not malformed, no expert flag"
		tap_diag "$bad"
	fi

	n0=$(cap_awk "$lmac" "" 'isvrrp && src == mac && prio == 0 { n++ } END { print n + 0 }')
	if [ "$n0" -ge 1 ]; then
		tap_ok "$R: tshark: lbha's priority-0 advert on SIGTERM is in the capture"
	else
		tap_fail "$R: tshark: lbha's priority-0 advert on SIGTERM is in the capture"
		tap_diag "lbha's last adverts (frame prio):"
		tap_diag "$(cap_awk "$lmac" "" 'isvrrp && src == mac { print num, prio }' | tail -n 3)"
		tap_diag "$(lab_log "$LB" | tail -n 12)"
	fi

	if [ "$FAM" = 4 ]; then
		# A gratuitous ARP: sender = target = VIP.  lbha's must be
		# broadcast requests from its own MAC.  The kernel's unicast reply
		# to keepalived's gratuitous request (while this director still
		# holds the VIP) has the same addresses: not lbha's.
		bad=$(cap_awk "$lmac" "$VIP" 'arpop != "" && src == mac && arpspa == vip && arptpa == vip &&
			!(arpop == 2 && dst != "ff:ff:ff:ff:ff:ff") {
			n++
			if (arpop != 1 || dst != "ff:ff:ff:ff:ff:ff" || arpsha != mac || malformed != "")
				print "frame " num ": opcode " arpop " eth.dst " dst " sender-mac " arpsha \
					" malformed \"" malformed "\""
		} END { if (!n) print "no gratuitous ARP from lbha"; else print n > "/dev/stderr" }' \
			2>"$LAB_TMP/cap.n")
		what="gratuitous ARPs are broadcast ARP requests with sender = target = VIP"
	else
		# An unsolicited NA: to all-nodes, hop limit 255, override set,
		# target the VIP, ICMPv6 checksum Good.
		bad=$(cap_awk "$lmac" "$VIP" 'icmptype == 136 && src == mac && natarget == vip && ip6dst == "ff02::1" {
			n++
			if (hlim != 255 || naover != 1 || icmpcsum != 1 || malformed != "")
				print "frame " num ": hop limit " hlim " override " naover " checksum-status " \
					icmpcsum " malformed \"" malformed "\""
		} END { if (!n) print "no unsolicited NA from lbha"; else print n > "/dev/stderr" }' \
			2>"$LAB_TMP/cap.n")
		what="unsolicited NAs are to ff02::1, hop limit 255, override set, target VIP, checksum Good"
	fi
	if [ -z "$bad" ]; then
		tap_ok "$R: tshark: lbha's $(cat "$LAB_TMP/cap.n") $what"
	else
		tap_fail "$R: tshark: lbha's $what"
		tap_diag "$bad"
	fi

	# Same header shape as keepalived's adverts in the same virtual router.
	# One exception: keepalived 2.2.7 sets the IPv6 hop limit on its
	# multicast socket only, so its IPv6 unicast adverts leave with the
	# kernel's default (64); RFC 5798 (5.1.2.3) wants 255, which lbha sends
	# (and, like keepalived, lbha does not insist on 255 for unicast).
	ours=$(cap_shape "$lmac") theirs=$(cap_shape "$kmac")
	if [ "$FAM" = 4 ]; then tos=0xc0; else tos=0x000000c0; fi
	want="$tos 255 $EXPECT_LEN $EXPECT_ADV" ka_want=$want note=''
	if [ "$FAM" = 6 ] && [ "$MODE" = unicast ]; then
		ka_want="$tos 64 $EXPECT_LEN $EXPECT_ADV"
		note=" (keepalived's IPv6 unicast hop limit: 64)"
	fi
	if [ "$ours" = "$want" ] && [ "$theirs" = "$ka_want" ]; then
		tap_ok "$R: lbha's adverts match keepalived's: TOS/class, TTL/hop limit, VRRP length, interval = $ours$note"
	else
		tap_fail "$R: lbha's adverts match keepalived's: TOS/class, TTL/hop limit, VRRP length, interval$note"
		tap_diag "lbha: $(echo "$ours" | tr '\n' ' ')(want $want)"
		tap_diag "keepalived: $(echo "$theirs" | tr '\n' ' ')(want $ka_want)"
	fi
}

if lab_up; then tap_ok "lab up: bridge, two directors, a client, responders"; else
	tap_fail "lab up: bridge, two directors, a client, responders"; tap_done; exit 1
fi

case $INTEROP_SET in
v2)
	interop_round "v2-mcast lbha-high" 2 4 mcast lbha-high
	interop_round "v2-mcast ka-high" 2 4 mcast ka-high
	interop_round "v2-unicast ka-high" 2 4 unicast ka-high
	;;
*)
	interop_round "v3-mcast lbha-high" 3 4 mcast lbha-high
	interop_round "v3-mcast ka-high" 3 4 mcast ka-high
	interop_round "v3-unicast lbha-high" 3 4 unicast lbha-high
	interop_round "v3-ipv6-mcast ka-high" 3 6 mcast ka-high
	interop_round "v3-ipv6-unicast lbha-high" 3 6 unicast lbha-high
	;;
esac
lab_reset
tap_done
