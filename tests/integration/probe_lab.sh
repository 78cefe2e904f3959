# probe_lab.sh: the lab the probe suites share (checker-probes.sh,
# checker-keepalive.sh); source it after netns.sh.
#
# probe_lab NET: SKIP the suite without root, python3, openssl or the
#   driver; else a client namespace $cli (NET.1) and a server namespace $srv
#   (NET.2, in $SRV) on one link, a scratch directory $tmp with a
#   self-signed certificate for www.example.test ($tmp/cert.pem, key.pem),
#   and $DRIVER (probe_driver, or PROBE_DRIVER: a valgrind wrapper, by hand).
# start_server NAME ARGS...: probe_servers.py ARGS in $srv, its output in
#   $tmp/NAME.out, its pid in $PID_NAME; waits for its "ready".

probe_lab() {
	tap_require_root
	DRIVER=${PROBE_DRIVER:-$top_builddir/tests/integration/probe_driver}
	SERVERS="$top_srcdir/tests/integration/probe_servers.py"
	for _tool in python3 openssl; do
		command -v "$_tool" >/dev/null 2>&1 ||
			{ echo "1..0 # SKIP $_tool is not installed"; exit 0; }
	done
	[ -x "$DRIVER" ] || { echo "1..0 # SKIP $DRIVER not built"; exit 0; }

	tmp=$(test_tmpdir)
	cli=$(netns_new cli)
	srv=$(netns_new srv)
	netns_link "$cli" eth0 "$srv" eth0
	ip -n "$cli" addr add "$1.1/24" dev eth0
	ip -n "$srv" addr add "$1.2/24" dev eth0
	SRV=$1.2

	# DNS name only, no IP: verifying by address must fail
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=www.example.test" \
		-addext "subjectAltName=DNS:www.example.test" \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
		{ echo "1..0 # SKIP openssl cannot make a certificate"; exit 0; }
}

start_server() {
	_name=$1; shift
	: >"$tmp/$_name.out"
	ip netns exec "$srv" python3 "$SERVERS" "$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" &
	eval "PID_$_name=$!"
	netns_track_pid $!
	wait_until 10 grep -q ready "$tmp/$_name.out" ||
		tap_diag "$_name did not start: $(cat "$tmp/$_name.err")"
}
