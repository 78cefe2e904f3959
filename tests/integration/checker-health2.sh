#!/bin/sh
# checker-health2: SSL_GET, the global SSL block, misc_dynamic and
# slow_start end to end (host kernel, root; no IPVS needed: checker.json is
# the reader).  lbha -C runs in a director namespace, real servers in
# another:
#   8443  HTTPS with a self-signed certificate: SSL_GET is up (keepalived
#         does not verify the server's certificate, nor does lbha)
#   9443  HTTPS demanding a client certificate: up while the SSL block gives
#         one (encrypted key + password); a reload without the block takes
#         it down with a TLS reason; a reload with it brings it back
#   8085  MISC_CHECK misc_dynamic, weight 7: exit 5 -> weight 3 (exit - 2),
#         exit 0 -> 7, exit 1 -> down
#   8086  MISC_CHECK weight 20, slow_start 5: after it comes back its weight
#         climbs in steps (a value below 20 is seen, then 20)
# Everything is polled; nothing sleeps and then asserts on time.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"

tap_require_root
LBHA=${LBHA:-$top_builddir/lbha}
SERVERS="$top_srcdir/tests/integration/probe_servers.py"
for tool in python3 openssl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
[ -x "$LBHA" ] || { echo "1..0 # SKIP $LBHA not built"; exit 0; }

tmp=$(test_tmpdir)
dir=$(netns_new dir)
srv=$(netns_new srv)
netns_link "$dir" eth0 "$srv" eth0
ip -n "$dir" addr add 10.200.12.1/24 dev eth0
ip -n "$srv" addr add 10.200.12.2/24 dev eth0
SRV=10.200.12.2

# The server's self-signed certificate, and a client certificate whose key
# is encrypted (the SSL block's password opens it).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=www.example.test" \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP openssl cannot make a certificate"; exit 0; }
openssl req -x509 -newkey rsa:2048 -days 2 -subj "/CN=lbha-client" -passout pass:s3cret \
	-keyout "$tmp/ckey.pem" -out "$tmp/ccert.pem" >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP openssl cannot make an encrypted key"; exit 0; }
# TLS 1.2 at most for the server that demands a client certificate: it then
# refuses a client without one inside the handshake (TLS 1.3 refuses after
# it, which curl may see as a failed read instead of a TLS error).
cat >"$tmp/tls12.cnf" <<'EOF'
openssl_conf = lbha_test
[lbha_test]
ssl_conf = lbha_ssl
[lbha_ssl]
system_default = lbha_tls12
[lbha_tls12]
MaxProtocol = TLSv1.2
EOF

# MISC_CHECK scripts: the exit code of the dynamic one is in a file; the
# slow-start one passes while a flag file exists.
cat >"$tmp/dyn.sh" <<EOS
#!/bin/sh
exit \$(cat "$tmp/dyn.code")
EOS
chmod 755 "$tmp/dyn.sh"
echo 0 >"$tmp/dyn.code"
touch "$tmp/slow.flag"

# write_conf with|without: the config, with or without the SSL block
write_conf() {
	{
		cat <<EOF
global_defs {
	router_id health2-test
	script_user root
}
EOF
		[ "$1" = with ] && cat <<EOF
SSL {
	password s3cret
	ca $tmp/cert.pem
	certificate $tmp/ccert.pem
	key $tmp/ckey.pem
}
EOF
		cat <<EOF
virtual_server 10.200.13.1 443 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $SRV 8443 {
		SSL_GET {
			url {
				path /ok
			}
			connect_timeout 2
			retry 0
		}
	}
	real_server $SRV 9443 {
		SSL_GET {
			url {
				path /ok
			}
			connect_timeout 2
			retry 0
		}
	}
	real_server $SRV 8085 {
		weight 7
		MISC_CHECK {
			misc_path "$tmp/dyn.sh"
			misc_timeout 2
			misc_dynamic
		}
	}
	real_server $SRV 8086 {
		weight 20
		slow_start 5
		MISC_CHECK {
			misc_path "/bin/test -e $tmp/slow.flag"
			misc_timeout 2
		}
	}
}
EOF
	} >"$tmp/lbha.conf"
}

start_server() { # name env args...
	_name=$1; _env=$2; shift 2
	ip netns exec "$srv" env $_env python3 "$SERVERS" "$@" >"$tmp/$_name.out" \
		2>"$tmp/$_name.err" &
	netns_track_pid $!
	wait_until 10 grep -q ready "$tmp/$_name.out" ||
		tap_diag "$_name did not start: $(cat "$tmp/$_name.err")"
}
start_server https "" http 8443 --cert "$tmp/cert.pem" --key "$tmp/key.pem"
start_server mtls "OPENSSL_CONF=$tmp/tls12.cnf" http 9443 --cert "$tmp/cert.pem" \
	--key "$tmp/key.pem" --client-ca "$tmp/ccert.pem"

write_conf with
run="$tmp/run"
mkdir -p "$run"
log="$tmp/lbha.log"
ip netns exec "$dir" "$LBHA" -n -l -D -C -f "$tmp/lbha.conf" --runtime-dir "$run" \
	-p "$run/lbha.pid" >"$log" 2>&1 &
PID_lbha=$!
netns_track_pid $PID_lbha

# rs PORT FIELD...: fields of a real server in checker.json, read from one
# version of the file, space-separated ("" if absent)
rs() {
	python3 - "$run/checker.json" "$@" <<'PY' 2>/dev/null
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
for vs in doc.get("virtual_servers", []):
    for r in vs["real_servers"]:
        if r["port"] == int(sys.argv[2]):
            print(" ".join("null" if r.get(f) is None else str(r.get(f)) for f in sys.argv[3:]))
PY
}
# rs_is PORT "FIELD..." "VALUE...": fields (one snapshot) are these values
rs_is() { [ "$(rs "$1" $2)" = "$3" ]; }
rs_sw() { rs_is "$1" "state weight" "$2"; }
show_log() { tap_diag "$(tail -n 30 "$log")"; }
show_rs() { tap_diag "$1: state $(rs "$1" state) weight $(rs "$1" weight) last $(rs "$1" last_result) reason $(rs "$1" reason)"; }
# up after at least one check (a real server starts up before its first check)
checked_up() { rs_is "$1" state up && [ "$(rs "$1" checks)" -ge 1 ] 2>/dev/null; }

# ---- SSL_GET, self-signed server certificate ----
if wait_until 20 checked_up 8443 && rs_is 8443 "state last_result" "up ok"; then
	tap_ok "SSL_GET against a self-signed certificate: up (not verified, as keepalived)"
else
	tap_fail "SSL_GET self-signed"; show_rs 8443; show_log
fi
# (checked after the first SSL_GET verdict: the engine exists by then)
if grep -q "HTTPS probe engine (libcurl) is set up" "$log"; then
	tap_ok "SSL_GET: the HTTPS probe engine is set up (on the first SSL_GET check)"
else
	tap_fail "SSL_GET: no HTTPS probe engine set-up in the log"
fi

# ---- the SSL block's client certificate ----
if wait_until 20 checked_up 9443 && rs_is 9443 "state last_result" "up ok"; then
	tap_ok "SSL block: client certificate with an encrypted key accepted: up"
else
	tap_fail "SSL block client certificate"; show_rs 9443; show_log
fi

reload() {
	_gen=$(grep -c "reloading" "$log")
	kill -HUP "$PID_lbha"
	wait_until 10 sh -c "[ \$(grep -c reloading '$log') -gt $_gen ]"
}
write_conf without
reload
if wait_until 15 rs_is 9443 "state last_result" "down tls-error"; then
	tap_ok "reload without the SSL block: the server demanding a certificate is down (tls-error)"
else
	tap_fail "down without the client certificate"; show_rs 9443; show_log
fi
if grep -q "real server $SRV:9443 down: tls-error" "$log" ||
   grep -q "real server $SRV:9443 down: .*tls" "$log"; then
	tap_ok "the down line names the TLS error"
else
	tap_fail "down log line"; tap_diag "$(grep "$SRV:9443" "$log" | tail -n 5)"
fi
if rs_is 8443 state up; then tap_ok "self-signed SSL_GET stays up without the block"; else tap_fail "8443 after reload"; show_rs 8443; fi
write_conf with
reload
if wait_until 15 rs_is 9443 state up; then
	tap_ok "reload with the SSL block again: up"
else
	tap_fail "up again with the SSL block"; show_rs 9443; show_log
fi
if grep -q "the SSL block changed" "$log"; then
	tap_ok "a changed SSL block is logged"
else
	tap_fail "SSL block change not logged"
fi

# ---- misc_dynamic: the exit code sets the weight ----
if wait_until 15 checked_up 8085 && wait_until 5 rs_sw 8085 "up 7"; then
	tap_ok "misc_dynamic exit 0: up with the configured weight 7"
else
	tap_fail "misc_dynamic exit 0"; show_rs 8085
fi
echo 5 >"$tmp/dyn.code"
if wait_until 15 rs_sw 8085 "up 3"; then
	tap_ok "misc_dynamic exit 5: weight 3 (exit - 2)"
else
	tap_fail "misc_dynamic exit 5"; show_rs 8085
fi
echo 0 >"$tmp/dyn.code"
if wait_until 15 rs_sw 8085 "up 7"; then
	tap_ok "misc_dynamic exit 0 again: back to the configured weight"
else
	tap_fail "misc_dynamic back to 7"; show_rs 8085
fi
echo 1 >"$tmp/dyn.code"
if wait_until 15 rs_sw 8085 "down 0"; then
	tap_ok "misc_dynamic exit 1: down"
else
	tap_fail "misc_dynamic exit 1"; show_rs 8085
fi

# ---- slow_start: the weight climbs back in steps ----
if wait_until 15 checked_up 8086 && rs_sw 8086 "up 20"; then
	tap_ok "slow_start server up at its weight (no ramp at start)"
else
	tap_fail "slow_start server at start"; show_rs 8086
fi
rm -f "$tmp/slow.flag"
if wait_until 15 rs_is 8086 state down; then
	tap_ok "slow_start server down"
else
	tap_fail "slow_start server down"; show_rs 8086
fi
RAMP=""
RAMP_BAD=""
# one poll: remember every weight seen below 20 while up; done at 20 after one
ramp_poll() {
	_sw=$(rs 8086 state weight)
	[ "${_sw% *}" = up ] || return 1
	_w=${_sw#* }
	case "$_w" in ''|*[!0-9]*) return 1 ;; esac
	if [ "$_w" -lt 20 ]; then
		_last=${RAMP##* }
		[ -n "$_last" ] && [ "$_w" -lt "$_last" ] && RAMP_BAD="$RAMP_BAD $_last>$_w"
		[ "$_w" = "$_last" ] || RAMP="$RAMP $_w"
		return 1
	fi
	[ -n "$RAMP" ]
}
touch "$tmp/slow.flag"
if wait_until 30 ramp_poll; then
	tap_ok "slow_start: weight below 20 seen (${RAMP# }), then 20 reached"
else
	tap_fail "slow_start ramp: seen '${RAMP# }', now $(rs 8086 weight) $(rs 8086 state)"
	show_log
fi
if [ -z "$RAMP_BAD" ] && [ -n "$RAMP" ]; then
	tap_ok "slow_start: the weight only rises"
else
	tap_fail "slow_start: weight fell:$RAMP_BAD"
fi

if ! grep -qE "ERROR|AddressSanitizer|runtime error|LeakSanitizer" "$log"; then
	tap_ok "no errors or sanitizer reports in the log"
else
	tap_fail "errors in the log"
	tap_diag "$(grep -E "ERROR|AddressSanitizer|runtime error|LeakSanitizer" "$log" | head)"
fi
tap_done
