#!/bin/sh
# status: `lbha status` and `lbha status --json` against a live lbha (host
# kernel, root; no IPVS needed).  lbha runs in a director namespace with one
# peer-less VRRP instance (it becomes MASTER) and one virtual server with
# two HTTP_GET real servers in another namespace: python3's http.server on
# one port (up), nothing on the other (down).  lbha is started under umask
# 077 and makes its runtime directory itself, so the modes checked are the
# ones lbha chooses.  Asserted: the table shows the instance MASTER with
# its priority and master, and both real servers with health and weights;
# --json parses with python3's json module and holds the same facts; both
# work the same for user nobody; after a stop both say "not running".
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

tap_require_root
LBHA=${LBHA:-$top_builddir/lbha}
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
command -v setpriv >/dev/null 2>&1 || { echo "1..0 # SKIP setpriv (util-linux) is not installed"; exit 0; }
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
# Searchable (not readable) for user nobody: the runtime dir is below.
chmod 711 "$tmp"
dir=$(netns_new dir)
srv=$(netns_new srv)
netns_link "$dir" eth0 "$srv" eth0
ip -n "$dir" addr add 10.200.31.1/24 dev eth0
ip -n "$srv" addr add 10.200.31.2/24 dev eth0
SRV=10.200.31.2

cat >"$tmp/lbha.conf" <<EOF
global_defs {
	router_id status-test
}
vrrp_instance VI_1 {
	interface eth0
	state MASTER
	virtual_router_id 61
	priority 150
	advert_int 1
	virtual_ipaddress {
		10.200.31.100/24
	}
}
virtual_server 10.200.31.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $SRV 8080 {
		weight 3
		HTTP_GET {
			url {
				path /
				status_code 200
			}
			connect_timeout 1
			retry 0
		}
	}
	real_server $SRV 8081 {
		weight 2
		HTTP_GET {
			url {
				path /
				status_code 200
			}
			connect_timeout 1
			retry 0
		}
	}
}
EOF

mkdir "$tmp/www"
echo hello >"$tmp/www/index.html"
ip netns exec "$srv" python3 -m http.server --bind "$SRV" --directory "$tmp/www" 8080 \
	>"$tmp/http.log" 2>&1 &
netns_track_pid $!

run="$tmp/run"
log="$tmp/lbha.log"
(umask 077; exec ip netns exec "$dir" "$LBHA" -n -l -D -f "$tmp/lbha.conf" --runtime-dir "$run") \
	>"$log" 2>&1 &
lbha_pid=$!
netns_track_pid "$lbha_pid"

# facts_json: the facts of `lbha status --json` on stdin, one per line, in
# the table's words: "VI_1 MASTER 150/150 10.200.31.1" and
# "10.200.31.2:8080 up 3/3"; fails on anything that is not JSON.
facts_json() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["running"] is True
for i in d["children"]["vrrp"]["instances"]:
    print(i["name"], i["state"], "%d/%d" % (i["priority"], i["base_priority"]), i["master"])
for vs in d["children"]["checker"]["virtual_servers"]:
    for r in vs["real_servers"]:
        print("%s:%d" % (r["address"], r["port"]), r["state"],
              "%d/%d" % (r["weight"], r["configured_weight"]))'
}
# facts_table: the same facts from the table on stdin.
facts_table() {
	awk '/^VRRP INSTANCE / { v = 1; next } v && NF == 0 { v = 0 }
	     v { print $1, $4, $5, $6 }
	     $1 == "->" { print $2, $3, $4 }'
}
# ready: the instance is MASTER and both real servers have a verdict.
ready() {
	"$LBHA" status --json --runtime-dir "$run" 2>/dev/null | facts_json >"$tmp/facts" 2>/dev/null &&
		grep -q "^VI_1 MASTER " "$tmp/facts" &&
		grep -q "^$SRV:8080 up " "$tmp/facts" && grep -q "^$SRV:8081 down " "$tmp/facts"
}
if wait_until 20 ready; then
	tap_ok "lbha starts: VI_1 becomes MASTER, one real server up and one down"
else
	tap_fail "lbha starts: VI_1 becomes MASTER, one real server up and one down"
	tap_diag "$(cat "$tmp/facts" 2>/dev/null)"; tap_diag "$(tail -n 20 "$log")"
fi

# ---- modes: what lbha made, under umask 077 ----
mode() { stat -c %a "$1" 2>/dev/null; }
tap_check "the runtime directory lbha made is 0755 (got $(mode "$run"))" [ "$(mode "$run")" = 755 ]
for f in vrrp.json checker.json; do
	tap_check "$f is 0644 (got $(mode "$run/$f"))" [ "$(mode "$run/$f")" = 644 ]
done

# ---- the table, as root ----
failed_before=$TAP_FAILED
out=$("$LBHA" status --runtime-dir "$run" 2>&1); rc=$?
printf '%s\n' "$out" >"$tmp/table"
tap_check "lbha status exits 0 (got $rc)" [ "$rc" -eq 0 ]
tap_check "the table says lbha is running with its pid" \
	grep -q "^lbha is running: pid $lbha_pid, runtime directory $run\$" "$tmp/table"
tap_check "the table shows VI_1 on eth0, VRID 61, MASTER, priority 150/150, master 10.200.31.1" \
	grep -Eq '^VI_1 +eth0 +61 +MASTER +150/150 +10\.200\.31\.1 +[0-9].* ago ' "$tmp/table"
tap_check "the table shows the virtual server with its quorum" \
	grep -Eq '^10\.200\.31\.100:80/TCP +quorum up$' "$tmp/table"
tap_check "the table shows $SRV:8080 up, weight 3/3" \
	grep -Eq "^  -> $SRV:8080 +up +3/3 +[0-9]+ +[0-9]+ " "$tmp/table"
tap_check "the table shows $SRV:8081 down, weight 0/2, with the reason" \
	grep -Eq "^  -> $SRV:8081 +down +0/2 +[0-9]+ +[1-9][0-9]* +[0-9].* ago +refused" "$tmp/table"
[ "$TAP_FAILED" -eq "$failed_before" ] || tap_diag "$out"

# ---- --json: the same facts ----
"$LBHA" status --json --runtime-dir "$run" >"$tmp/json" 2>&1; rc=$?
tap_check "lbha status --json exits 0 (got $rc)" [ "$rc" -eq 0 ]
tap_check "--json is one JSON object for python3's json module" \
	python3 -c 'import json, sys; assert isinstance(json.load(open(sys.argv[1])), dict)' "$tmp/json"
facts_json <"$tmp/json" >"$tmp/facts.json" 2>"$tmp/facts.err"
facts_table <"$tmp/table" >"$tmp/facts.table"
if [ -s "$tmp/facts.json" ] && cmp -s "$tmp/facts.json" "$tmp/facts.table"; then
	tap_ok "--json and the table state the same facts"
else
	tap_fail "--json and the table state the same facts"
	tap_diag "json: $(cat "$tmp/facts.json" "$tmp/facts.err")"; tap_diag "table: $(cat "$tmp/facts.table")"
fi
json_pid=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pid"])' "$tmp/json")
tap_check "--json names the parent's pid ($lbha_pid, got $json_pid)" [ "$json_pid" = "$lbha_pid" ]

# ---- as user nobody (no group, no capability): the same output ----
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups "$@"; }
if ! as_nobody test -x "$LBHA"; then
	for what in "table" "json" "not running"; do
		tap_skip "lbha status as nobody: $what" "user nobody cannot execute $LBHA (build dir not world-readable)"
	done
	nobody=false
else
	nobody=true
	out=$(as_nobody "$LBHA" status --runtime-dir "$run" 2>&1); rc=$?
	printf '%s\n' "$out" | facts_table >"$tmp/facts.nobody"
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^lbha is running: pid $lbha_pid," &&
		cmp -s "$tmp/facts.table" "$tmp/facts.nobody"; then
		tap_ok "lbha status as nobody: table with the same facts, exit 0"
	else
		tap_fail "lbha status as nobody: table with the same facts, exit 0"; tap_diag "rc=$rc $out"
	fi
	as_nobody "$LBHA" status --json --runtime-dir "$run" 2>&1 | facts_json >"$tmp/facts.nobody.json" 2>&1
	if cmp -s "$tmp/facts.json" "$tmp/facts.nobody.json"; then
		tap_ok "lbha status as nobody: json with the same facts"
	else
		tap_fail "lbha status as nobody: json with the same facts"; tap_diag "$(cat "$tmp/facts.nobody.json")"
	fi
fi

# ---- stopped ----
kill -TERM "$lbha_pid"
wait_until 10 sh -c "! kill -0 $lbha_pid 2>/dev/null"
out=$("$LBHA" status --runtime-dir "$run" 2>&1); rc=$?
tap_check "after SIGTERM: lbha status says not running, exit 3 (got $rc: $out)" \
	[ "$rc" -eq 3 ] && [ "$out" = "lbha is not running (no lbha holds the runtime directory $run)" ]
running=$("$LBHA" status --json --runtime-dir "$run" 2>/dev/null |
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["running"], d["children"])')
tap_check "after SIGTERM: --json says running false, no children (got $running)" \
	[ "$running" = "False {'vrrp': None, 'checker': None}" ]
if $nobody; then
	as_nobody "$LBHA" status --runtime-dir "$run" >/dev/null 2>&1; rc=$?
	tap_check "lbha status as nobody: not running, exit 3 (got $rc)" [ "$rc" -eq 3 ]
fi

tap_done
