#!/bin/sh
# ipvs-client-guest.sh - the checks tests/vm/ipvs-client.sh runs inside the VM; prints TAP.
#
# Usage (in the guest): ipvs-client-guest.sh IPVS_TOOL
# IPVS_TOOL is tests/vm/ipvs-tool (lib/ipvs driven by a line format, see
# ipvs_client_tool.c).  What it installs is read back two ways: through lib/ipvs
# itself (ipvs-tool dump) and through Debian's ipvsadm (its own netlink code),
# whose output is turned into the same line format by awk here.  Both must
# equal what was applied.  The guest CPU is slow: few processes, no shell loops
# over data.  Prints test lines but no plan (the host script adds the plan).
set -u

tool=${1:?usage: ipvs-client-guest.sh IPVS_TOOL}
w=$(mktemp -d /tmp/ipvs-client.XXXXXX)
. "$(dirname "$0")/guest_tap.sh"
# same FILE_WANT FILE_GOT: sorted equality, the difference shown on failure
same() {
	sort "$1" >"$1.s"
	sort "$2" >"$2.s"
	diff -u "$1.s" "$2.s"
}

# ipvsadm -S -n (rules) -> the tool's line format, without the thresholds
# (which -S does not show; see thresholds below).
ipvsadm_rules() {
	ipvsadm -S -n | awk '
	function flagset(f, name) { return f == "" ? name : f "," name }
	{
		proto = ""; key = ""; v6 = 0; sched = ""; timeout = 0; mask = ""; pe = "-"
		ops = 0; bflags = ""; rs = ""; fwd = ""; weight = ""; tt = ""; tport = ""; tflags = ""
		for (i = 2; i <= NF; i++) {
			t = $i
			if (t == "-t") { proto = "tcp"; key = $(++i) }
			else if (t == "-u") { proto = "udp"; key = $(++i) }
			else if (t == "--sctp-service") { proto = "sctp"; key = $(++i) }
			else if (t == "-f") { proto = "fwm"; key = $(++i) }
			else if (t == "-6") v6 = 1
			else if (t == "-s") sched = $(++i)
			else if (t == "-p") timeout = $(++i)
			else if (t == "-M") mask = $(++i)
			else if (t == "--pe") pe = $(++i)
			else if (t == "-o") ops = 1
			else if (t == "-b") bflags = $(++i)
			else if (t == "-r") rs = $(++i)
			else if (t == "-g") fwd = "dr"
			else if (t == "-i") fwd = "tun"
			else if (t == "-m") fwd = "nat"
			else if (t == "-w") weight = $(++i)
			else if (t == "--tun-type") tt = $(++i)
			else if (t == "--tun-port") tport = $(++i)
			else if (t == "--tun-nocsum") tflags = "nocsum"
			else if (t == "--tun-csum") tflags = "csum"
			else if (t == "--tun-remcsum") tflags = "remcsum"
			else print "unparsed ipvsadm token: " t
		}
		if (proto == "fwm" && v6) proto = "fwm6"
		if (key ~ /^\[/) v6 = 1
		svc = proto " " key
		if ($1 == "-A") {
			f = ""
			if (timeout) f = flagset(f, "persistent")
			if (ops) f = flagset(f, "ops")
			if (bflags ~ /(fallback|flag-1)/) f = flagset(f, "sched1")
			if (bflags ~ /(-port|flag-2)/) f = flagset(f, "sched2")
			if (bflags ~ /flag-3/) f = flagset(f, "sched3")
			if (mask == "") mask = v6 ? 128 : "255.255.255.255"
			printf "service %s sched %s flags %s timeout %d netmask %s pe %s\n", svc, sched, f == "" ? "-" : f, timeout, mask, pe
		} else if ($1 == "-a") {
			tun = ""
			if (fwd == "tun" && tt == "") tt = "ipip"
			if (tt == "ipip") tun = " tun ipip"
			if (tt == "gue") tun = " tun gue tunport " tport " tunflags " (tflags == "" ? "nocsum" : tflags)
			if (tt == "gre") tun = " tun gre tunflags " (tflags == "" ? "nocsum" : tflags)
			printf "dest %s %s fwd %s weight %s%s\n", svc, rs, fwd, weight, tun
		}
	}'
}
# ipvsadm -Ln --thresholds -> "thr SVC DEST UTHR LTHR"
ipvsadm_thresholds() {
	ipvsadm -Ln --thresholds | awk '
	$1 == "TCP" || $1 == "UDP" || $1 == "SCTP" { svc = tolower($1) " " $2 }
	$1 == "FWM" { svc = ($3 == "IPv6" ? "fwm6 " : "fwm ") $2 }
	$1 == "->" && $2 != "RemoteAddress:Port" { print "thr", svc, $2, $3, $4 }'
}
# the service and dest lines of an apply file, thresholds dropped (ipvsadm -S form)
want_rules() {
	awk '$1 == "service" || $1 == "dest" { sub(/ uthr [0-9]+ lthr [0-9]+/, ""); print }' "$1"
}
want_thresholds() {
	awk '$1 == "dest" { for (i = 5; i < NF; i++) { if ($i == "uthr") u = $(i + 1); if ($i == "lthr") l = $(i + 1) }
		print "thr", $2, $3, $4, u, l }' "$1"
}

# kernel_matches FILE: ipvsadm -S -n and ipvsadm --thresholds both show FILE
kernel_matches() {
	want_rules "$1" >"$w/want.rules"
	ipvsadm_rules >"$w/got.rules" || return 1
	same "$w/want.rules" "$w/got.rules"
}
kernel_thresholds_match() {
	want_thresholds "$1" >"$w/want.thr"
	ipvsadm_thresholds >"$w/got.thr" || return 1
	same "$w/want.thr" "$w/got.thr"
}
# dump_matches FILE: lib/ipvs dumps exactly the service and dest lines of FILE
dump_matches() {
	grep -E '^(service|dest) ' "$1" >"$w/want.dump"
	"$tool" dump >"$w/got.dump" || return 1
	same "$w/want.dump" "$w/got.dump"
}
# apply_ok FILE: every op of FILE succeeded
apply_ok() {
	"$tool" apply "$1" >"$w/apply.out" 2>&1
	rc=$?
	cat "$w/apply.out"
	[ "$rc" = 0 ] && grep -q ' failed 0$' "$w/apply.out"
}

check "ipvs_open resolves the IPVS family and ipvs_get_info reads version 1.2.1" \
	sh -c "'$tool' info | grep -E '^version 1\.2\.1 conn_tab_size [0-9]+$'"

# ---- every kind of service and dest -------------------------------------------
# 13 schedulers (twos is not in 6.1); all but rr wrr wlc lc sh are autoloaded.
cat >"$w/table" <<'EOF'
flush
service tcp 10.0.0.1:80 sched wlc flags persistent timeout 300 netmask 255.255.255.0 pe -
dest tcp 10.0.0.1:80 10.0.0.2:80 fwd dr weight 3 uthr 10 lthr 5
dest tcp 10.0.0.1:80 10.0.0.3:80 fwd tun weight 1 uthr 0 lthr 0 tun ipip
dest tcp 10.0.0.1:80 10.0.0.4:80 fwd tun weight 1 uthr 0 lthr 0 tun gue tunport 6080 tunflags csum
dest tcp 10.0.0.1:80 10.0.0.5:80 fwd tun weight 2 uthr 0 lthr 0 tun gre tunflags nocsum
dest tcp 10.0.0.1:80 10.0.0.6:8080 fwd nat weight 0 uthr 100 lthr 0
dest tcp 10.0.0.1:80 10.0.0.7:80 fwd tun weight 1 uthr 0 lthr 0 tun gue tunport 6081 tunflags remcsum
dest tcp 10.0.0.1:80 10.0.0.8:80 fwd tun weight 1 uthr 0 lthr 0 tun gre tunflags csum
dest tcp 10.0.0.1:80 [2001:db8::9]:80 fwd tun weight 1 uthr 0 lthr 0 tun ipip
service udp 10.0.0.1:53 sched sh flags persistent,ops,sched1,sched2 timeout 30 netmask 255.255.255.255 pe -
dest udp 10.0.0.1:53 10.0.0.2:53 fwd dr weight 1 uthr 0 lthr 0
service udp 10.0.0.1:5060 sched rr flags persistent timeout 120 netmask 255.255.255.255 pe sip
service sctp 10.0.0.1:5000 sched fo flags - timeout 0 netmask 255.255.255.255 pe -
dest sctp 10.0.0.1:5000 10.0.0.2:5000 fwd nat weight 5 uthr 0 lthr 0
service tcp [2001:db8::1]:443 sched lc flags persistent timeout 600 netmask 64 pe -
dest tcp [2001:db8::1]:443 [2001:db8::2]:443 fwd dr weight 1 uthr 20 lthr 10
dest tcp [2001:db8::1]:443 [2001:db8::3]:8443 fwd nat weight 4 uthr 0 lthr 0
dest tcp [2001:db8::1]:443 [2001:db8::4]:443 fwd tun weight 1 uthr 0 lthr 0 tun gue tunport 5555 tunflags nocsum
service udp [2001:db8::1]:53 sched mh flags sched2 timeout 0 netmask 128 pe -
dest udp [2001:db8::1]:53 [2001:db8::2]:53 fwd dr weight 1 uthr 0 lthr 0
service sctp [2001:db8::1]:5000 sched nq flags - timeout 0 netmask 128 pe -
service fwm 7 sched wrr flags persistent timeout 60 netmask 255.255.0.0 pe -
dest fwm 7 10.0.0.2:0 fwd dr weight 2 uthr 0 lthr 0
service fwm6 7 sched lblc flags persistent timeout 60 netmask 48 pe -
dest fwm6 7 [2001:db8::2]:0 fwd dr weight 1 uthr 0 lthr 0
service fwm 8 sched lblcr flags - timeout 0 netmask 255.255.255.255 pe -
service tcp 10.0.0.1:82 sched dh flags - timeout 0 netmask 255.255.255.255 pe -
service tcp 10.0.0.1:83 sched sed flags - timeout 0 netmask 255.255.255.255 pe -
service tcp 10.0.0.1:84 sched ovf flags - timeout 0 netmask 255.255.255.255 pe -
service tcp 10.0.0.1:85 sched mh flags sched1,sched2 timeout 0 netmask 255.255.255.255 pe -
service tcp 10.0.0.1:86 sched rr flags sched3 timeout 0 netmask 255.255.255.255 pe -
EOF
check "a batch of services (TCP UDP SCTP, IPv4 IPv6, fwmark v4/v6, 13 schedulers) and dests (DR, TUN ipip/gue/gre, NAT) applies without error" \
	apply_ok "$w/table"
check "ipvsadm -S -n shows exactly what was applied" kernel_matches "$w/table"
check "ipvsadm -Ln --thresholds shows the applied thresholds" kernel_thresholds_match "$w/table"
check "ipvs_dump returns exactly what was applied" dump_matches "$w/table"

# ---- edit and delete ------------------------------------------------------------
cat >"$w/edits" <<'EOF'
edit-service tcp 10.0.0.1:80 sched rr flags - timeout 0 netmask 255.255.255.255 pe -
edit-dest tcp 10.0.0.1:80 10.0.0.2:80 fwd nat weight 9 uthr 0 lthr 0
edit-dest tcp 10.0.0.1:80 10.0.0.3:80 fwd tun weight 1 uthr 7 lthr 2 tun gue tunport 7000 tunflags csum
edit-dest tcp 10.0.0.1:80 10.0.0.4:80 fwd dr weight 1 uthr 0 lthr 0
del-dest tcp 10.0.0.1:80 10.0.0.6:8080
del-service sctp 10.0.0.1:5000
edit-service udp 10.0.0.1:53 sched sh flags sched1 timeout 0 netmask 255.255.255.255 pe -
edit-service fwm6 7 sched wlc flags persistent timeout 90 netmask 56 pe -
del-dest fwm 7 10.0.0.2:0
EOF
# The table after the edits, derived from the two files.
awk 'FNR == NR {
		if ($1 == "edit-service") { sub(/^edit-/, ""); rep["service " $2 " " $3] = $0 }
		else if ($1 == "edit-dest") { sub(/^edit-/, ""); rep["dest " $2 " " $3 " " $4] = $0 }
		else if ($1 == "del-dest") gone["dest " $2 " " $3 " " $4] = 1
		else if ($1 == "del-service") gonesvc[$2 " " $3] = 1
		next
	}
	$1 == "service" || $1 == "dest" {
		k = $1 == "service" ? "service " $2 " " $3 : "dest " $2 " " $3 " " $4
		if (($2 " " $3) in gonesvc || k in gone) next
		print (k in rep) ? rep[k] : $0
	}' "$w/edits" "$w/table" >"$w/edited"
check "edits and deletes (scheduler, flags cleared by the mask, fwd and tunnel changes) apply without error" \
	apply_ok "$w/edits"
check "ipvsadm -S -n shows the edited table" kernel_matches "$w/edited"
check "ipvsadm -Ln --thresholds shows the edited thresholds" kernel_thresholds_match "$w/edited"
check "ipvs_dump returns the edited table" dump_matches "$w/edited"

# ---- failures inside a batch ----------------------------------------------------
cat >"$w/mixed" <<'EOF'
flush
service tcp 10.8.0.1:80 sched rr flags - timeout 0 netmask 255.255.255.255 pe -
dest tcp 10.8.0.99:80 10.8.0.2:80 fwd dr weight 1 uthr 0 lthr 0
dest tcp 10.8.0.1:80 10.8.0.2:80 fwd dr weight 1 uthr 0 lthr 0
service tcp 10.8.0.1:81 sched nosuch flags - timeout 0 netmask 255.255.255.255 pe -
dest tcp 10.8.0.1:80 10.8.0.2:80 fwd dr weight 1 uthr 0 lthr 0
del-dest tcp 10.8.0.1:80 10.8.0.77:80
service tcp 10.8.0.1:80 sched wlc flags - timeout 0 netmask 255.255.255.255 pe -
dest tcp 10.8.0.1:80 10.8.0.3:80 fwd dr weight 1 uthr 0 lthr 0
EOF
cat >"$w/mixed.want" <<'EOF'
FAIL line 3: add dest 10.8.0.2:80 in TCP 10.8.0.99:80: No such process (-ESRCH)
FAIL line 5: add service TCP 10.8.0.1:81: No such file or directory (-ENOENT)
FAIL line 6: add dest 10.8.0.2:80 in TCP 10.8.0.1:80: File exists (-EEXIST)
FAIL line 7: delete dest 10.8.0.77:80 in TCP 10.8.0.1:80: No such file or directory (-ENOENT)
FAIL line 8: add service TCP 10.8.0.1:80: File exists (-EEXIST)
EOF
cat >"$w/mixed.table" <<'EOF'
service tcp 10.8.0.1:80 sched rr flags - timeout 0 netmask 255.255.255.255 pe -
dest tcp 10.8.0.1:80 10.8.0.2:80 fwd dr weight 1 uthr 0 lthr 0
dest tcp 10.8.0.1:80 10.8.0.3:80 fwd dr weight 1 uthr 0 lthr 0
EOF
failing_ops_alone() {
	"$tool" apply "$w/mixed" >"$w/mixed.out" 2>&1
	cat "$w/mixed.out"
	grep '^FAIL' "$w/mixed.out" | diff -u "$w/mixed.want" - &&
		grep -q '^# ops 9 requests 1 messages 9 failed 5$' "$w/mixed.out"
}
check "failed ops in a batch (ESRCH, ENOENT, EEXIST) fail alone with their errno, in one request" failing_ops_alone
check "the other ops of that batch landed (ipvsadm -S -n)" kernel_matches "$w/mixed.table"

# ---- 10,000 dest adds, one failing in the middle --------------------------------
# 100 services x 100 dests: the kernel finds a dest by walking its service's
# list, so 10,000 dests in one service would time the kernel, not the batch.
awk 'BEGIN {
	print "flush"
	for (j = 0; j < 100; j++)
		printf "service tcp 10.9.0.%d:80 sched wrr flags - timeout 0 netmask 255.255.255.255 pe -\n", j + 1
	for (i = 0; i < 10000; i++) {
		if (i == 5000) print "dest tcp 10.9.9.9:80 10.9.0.2:80 fwd dr weight 1 uthr 0 lthr 0"
		printf "dest tcp 10.9.0.%d:80 10.10.%d.%d:80 fwd dr weight 1 uthr 0 lthr 0\n", i / 100 + 1, i / 250, i % 250 + 1
	}
}' >"$w/big"
big_batch() {
	"$tool" apply "$w/big" >"$w/big.out" 2>&1
	cat "$w/big.out"
	grep -q '^FAIL line 5102: add dest 10.9.0.2:80 in TCP 10.9.9.9:80: No such process (-ESRCH)$' "$w/big.out" &&
		[ "$(grep -c '^FAIL' "$w/big.out")" = 1 ] &&
		awk '$1 == "#" { exit !($3 == 10102 && $5 <= 64 && $7 == 10102 && $9 == 1) }' "$w/big.out"
}
start=$(date +%s.%N)
check "10,102 ops (100 services, 10,000 dests) in few requests: only the dest of a missing service fails (ESRCH)" big_batch
end=$(date +%s.%N)
grep '^#' "$w/big.out"
awk -v a="$start" -v b="$end" 'BEGIN { printf "# the 10,102-op batch took %.2f s in the guest\n", b - a }'
check "ipvsadm -Ln lists the 10,000 dests" \
	sh -c "test \"\$(ipvsadm -Ln | grep -c -- '->.*Route')\" = 10000"
check "ipvs_dump returns the 10,000 dests" \
	sh -c "test \"\$('$tool' dump | grep -c '^dest ')\" = 10000"

# ---- timeouts ---------------------------------------------------------------------
printf 'flush\ntimeouts 900 120 300\n' >"$w/t1"
printf 'timeouts 0 60 0\n' >"$w/t2"
timeouts_are() {   # timeouts_are TCP TCPFIN UDP
	got=$("$tool" timeouts) || return 1
	adm=$(ipvsadm -l --timeout) || return 1
	echo "ipvs-tool: $got"
	echo "ipvsadm: $adm"
	[ "$got" = "tcp $1 tcpfin $2 udp $3" ] && [ "$adm" = "Timeout (tcp tcpfin udp): $1 $2 $3" ]
}
check "set timeouts 900 120 300 applies" apply_ok "$w/t1"
check "ipvs_get_timeouts and ipvsadm -l --timeout both read 900 120 300" timeouts_are 900 120 300
check "timeouts 0 60 0 changes only tcpfin" apply_ok "$w/t2"
check "ipvs_get_timeouts and ipvsadm -l --timeout both read 900 60 300" timeouts_are 900 60 300

# ---- the sync daemon ----------------------------------------------------------------
cat >"$w/d1" <<'EOF'
daemon-start master lo syncid 5 maxlen 1400 group 224.0.0.81 port 8850 ttl 2
daemon-start backup lo syncid 6
EOF
printf 'daemon-stop master\ndaemon-stop backup\n' >"$w/d2"
# ipvsadm -l --daemon -> the tool's "daemons" format
daemons_agree() {
	"$tool" daemons >"$w/d.got" || return 1
	ipvsadm -l --daemon | sed -E 's/^(master|backup) sync daemon \(mcast=([^,]*), syncid=([0-9]+), maxlen=([0-9]+), group=([^,]*), port=([0-9]+), ttl=([0-9]+)\)$/daemon \1 \2 syncid \3 maxlen \4 group \5 port \6 ttl \7/' >"$w/d.adm"
	printf '%s\n' "$@" >"$w/d.want"
	[ "$#" -gt 0 ] || : >"$w/d.want"
	same "$w/d.want" "$w/d.got" && same "$w/d.want" "$w/d.adm"
}
check "start master (maxlen, group, port, ttl) and backup sync daemons" apply_ok "$w/d1"
check "ipvs_get_daemons and ipvsadm -l --daemon agree on both daemons" daemons_agree \
	"daemon master lo syncid 5 maxlen 1400 group 224.0.0.81 port 8850 ttl 2" \
	"daemon backup lo syncid 6 maxlen 65507 group 224.0.0.81 port 8848 ttl 1"
check "stop both sync daemons" apply_ok "$w/d2"
check "no daemon is left (ipvs_get_daemons, ipvsadm -l --daemon)" daemons_agree

# ---- flush --------------------------------------------------------------------------
printf 'flush\n' >"$w/f"
check "flush empties the table" sh -c "'$tool' apply '$w/f' >/dev/null && test -z \"\$(ipvsadm -S -n)\" && test -z \"\$('$tool' dump)\""

rm -rf "$w"
[ "$failed" = 0 ]
