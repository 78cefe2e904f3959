#!/bin/sh
# checker-probes: the checker's probes against real servers in network
# namespaces (host kernel, root).  A client namespace runs probe_driver (one
# probe per line of output); a server namespace runs HTTP, HTTPS (a
# self-signed certificate made here), silent and plain TCP listeners.  Each
# failure mode must come back with its reason: refused, timeout,
# unreachable, http-status, digest-mismatch, regex, body-too-large,
# tls-error, and the scripts' exit/signal/timeout.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/probe_lab.sh"

probe_lab 10.200.5
# 10.200.7.0/24: an "unreachable" route, answered by the kernel at once
ip -n "$cli" route add unreachable 10.200.7.0/24
NOBODY=10.200.5.99   # on the link, but nobody answers ARP

# A client certificate, for a server that demands one.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lbha-client" \
	-keyout "$tmp/ckey.pem" -out "$tmp/ccert.pem" >/dev/null 2>&1

start_server http http 8080
start_server https http 8443 --cert "$tmp/cert.pem" --key "$tmp/key.pem"
start_server mtls http 9443 --cert "$tmp/cert.pem" --key "$tmp/key.pem" --client-ca "$tmp/ccert.pem"
start_server hang hang 8081
start_server tcp tcp 8082

# probe WANT DESCRIPTION ARGS...: run the driver in cli, check the reason
# (and, when WANT has "=", a field of the line too: "http-status code=503").
probe() {
	_want=$1 _what=$2; shift 2
	_out=$(ip netns exec "$cli" "$DRIVER" "$@" 2>&1)
	_ok=1
	for _w in $_want; do
		case " $_out " in *" $_w "* | "$_w "* | *" $_w"*) ;; *) _ok=0 ;; esac
	done
	if [ $_ok = 1 ]; then tap_ok "$_what"; else tap_fail "$_what"; tap_diag "want '$_want', got: $_out"; fi
}

HELLO_MD5=6f5902ac237024bdd0c176cb93063dc4

# ---- HTTP_GET ----
# Every case runs on the checker's own client ("http") and on libcurl
# ("http/curl", the engine SSL_GET uses), which must agree.
http_cases() {
	T=$1; shift
	probe "ok code=200" "$T: 200 within 200-299" "$@" --path /ok http $SRV 8080
	probe "ok" "$T: digest of the body" "$@" --path /ok --digest $HELLO_MD5 http $SRV 8080
	probe "digest-mismatch" "$T: wrong body -> digest mismatch" \
		"$@" --path /ok --digest d41d8cd98f00b204e9800998ecf8427e http $SRV 8080
	probe "http-status code=503" "$T: wrong status" "$@" --path /status/503 http $SRV 8080
	probe "ok code=301" "$T: status list with ranges" "$@" --status 200,301-302 --path /status/301 http $SRV 8080
	probe "ok" "$T: regex matches" "$@" --path /regex --regex 'status: (ok|fine)' http $SRV 8080
	probe "regex-no-match" "$T: regex does not match" "$@" --path /regex --regex 'status: broken' http $SRV 8080
	probe "regex-unexpected-match" "$T: regex_no_match and it matches" \
		"$@" --path /regex --regex fine --regex-no-match http $SRV 8080
	probe "ok code=200" "$T: HTTP/1.1 and a virtualhost" "$@" --http 1.1 --vhost www.example.test --path /ok http $SRV 8080
	probe "ok" "$T: the request line, Host with the port, keepalived's User-Agent" \
		"$@" --path /request --regex '^GET /request HTTP/1.0.*(Host: 10.200.5.2:8080.*User-Agent: KeepAliveClient|User-Agent: KeepAliveClient.*Host: 10.200.5.2:8080)' http $SRV 8080
	probe "ok" "$T: HTTP/1.1 asks the server to close" \
		"$@" --http 1.1 --vhost www.example.test --path /request \
		--regex '^GET /request HTTP/1.1.*Host: www.example.test.*Connection: close' http $SRV 8080
	probe "ok code=200" "$T: chunked body, digest over the content" "$@" --path /chunked --digest $HELLO_MD5 http $SRV 8080
	probe "ok code=200" "$T: a 100 Continue head is skipped" "$@" --path /continue --digest $HELLO_MD5 http $SRV 8080
	probe "http-error" "$T: not HTTP" "$@" --path /garbage http $SRV 8080
	probe "body-too-large" "$T: endless body with a digest stops at the limit" \
		"$@" --path /big --digest $HELLO_MD5 --max-body 1048576 http $SRV 8080
	probe "ok bytes=0" "$T: endless body, no digest: headers only" "$@" --path /big http $SRV 8080
	probe "timeout" "$T: server accepts and never answers" "$@" --timeout-ms 500 http $SRV 8081
	probe "http-error" "$T: server closes without a reply" "$@" --timeout-ms 500 http $SRV 8082
	probe "ok" "$T: bindto and bind_if and fwmark" "$@" --bind 10.200.5.1 --bind-if eth0 --fwmark 7 --path /ok http $SRV 8080
	probe "internal-error" "$T: bindto an address we do not have" "$@" --bind 10.200.9.9 --path /ok http $SRV 8080
	out=$(ip netns exec "$cli" "$DRIVER" "$@" --repeat 40 --path /ok http $SRV 8080 | grep -c '^ok code=200')
	if [ "$out" = 40 ]; then tap_ok "$T: 40 probes in flight at once share one engine"; else tap_fail "$T: 40 at once: $out ok"; fi
}
http_cases http
http_cases http/curl --engine curl

# ---- SSL_GET ----
probe "ok code=200" "https: self-signed, not verified (keepalived's default)" --path /ok ssl $SRV 8443
probe "tls-error" "https: verify without the CA" --verify --path /ok ssl $SRV 8443
probe "ok" "https: verify with the CA, SNI and virtualhost" \
	--verify --ca "$tmp/cert.pem" --sni --vhost www.example.test --path /ok ssl $SRV 8443
probe "tls-error" "https: verify with the CA but the address as name" \
	--verify --ca "$tmp/cert.pem" --path /ok ssl $SRV 8443
probe "ok" "https: enable_sni sends the virtualhost" \
	--sni --vhost www.example.test --path /sni --regex '^www\.example\.test$' ssl $SRV 8443
probe "ok" "https: without enable_sni no name is sent" \
	--vhost www.example.test --path /sni --regex '^none$' ssl $SRV 8443
# With TLS 1.3 the server refuses the certificate after the client's side of
# the handshake is done: curl sees the alert on read (tls-error) or, when the
# server has closed already, a failed send (http-error).  Either is a failure.
out=$(ip netns exec "$cli" "$DRIVER" --path /ok ssl $SRV 9443 2>&1)
case "$out" in tls-error*|http-error*) tap_ok "https: server demands a client certificate" ;;
*) tap_fail "https: server demands a client certificate: $out" ;; esac
probe "ok" "https: client certificate" --cert "$tmp/ccert.pem" --key "$tmp/ckey.pem" --path /ok ssl $SRV 9443
probe "digest-mismatch" "https: digest" --path /ok --digest d41d8cd98f00b204e9800998ecf8427e ssl $SRV 8443

# ---- TCP_CHECK ----
probe "ok" "tcp: listener" tcp $SRV 8082
probe "ok" "tcp: bindto, bind_if, fwmark" --bind 10.200.5.1 --bind-if eth0 --fwmark 7 tcp $SRV 8082
probe "refused" "tcp: nothing listens" tcp $SRV 8099
probe "unreachable" "tcp: unreachable route" tcp 10.200.7.1 80
probe "unreachable" "tcp: no route at all" tcp 10.200.99.1 80
probe "timeout" "tcp: no ARP answer within the timeout" --timeout-ms 700 tcp $NOBODY 80
probe "unreachable" "tcp: no ARP answer, kernel gives up" --timeout-ms 6000 tcp $NOBODY 80

# ---- process killed: refused ----
kill -KILL "$PID_http"
wait "$PID_http" 2>/dev/null
for E in plain curl; do
	probe "refused" "http ($E): server killed -> refused" --engine $E --path /ok http $SRV 8080
	probe "unreachable" "http ($E): unreachable route" --engine $E --path /ok http 10.200.7.1 80
	probe "timeout" "http ($E): no ARP answer within the timeout" --engine $E --timeout-ms 700 --path /ok http $NOBODY 80
done

# ---- MISC_CHECK ----
probe "ok" "misc: exit 0" misc /bin/true
probe "script-exit code=1" "misc: exit 1" misc /bin/false
probe "script-exit code=5" "misc: exit 5 (misc_dynamic reads weight 3)" misc /bin/sh -c "'exit 5'"
probe "script-timeout" "misc: killed at misc_timeout" --timeout-ms 300 misc /bin/sleep 10
probe "script-signal code=9" "misc: killed by a signal" misc /bin/sh -c "'kill -9 \$\$'"
probe "script-error" "misc: program missing" misc /nonexistent/check
if id nobody >/dev/null 2>&1; then
	probe "ok" "misc: runs as script_user" --user nobody misc /bin/sh -c "'test \$(id -u) = $(id -u nobody)'"
else
	tap_skip "misc: runs as script_user" "no user nobody"
fi

# ---- lbha digest (genhash) ----
if [ -x "$LBHA" ]; then
	start_server http2 http 8080
	out=$(ip netns exec "$cli" "$LBHA" digest http://$SRV:8080/ok)
	case "$out" in *"digest $HELLO_MD5"*"status 200"*) tap_ok "lbha digest prints the body's MD5" ;;
	*) tap_fail "lbha digest: $out" ;; esac
	out=$(ip netns exec "$cli" "$LBHA" digest --ssl http://$SRV:8443/ok)
	case "$out" in *"digest $HELLO_MD5"*) tap_ok "lbha digest --ssl" ;; *) tap_fail "lbha digest --ssl: $out" ;; esac
	if command -v genhash >/dev/null 2>&1; then
		want=$(ip netns exec "$cli" genhash -s $SRV -p 8080 -u /regex 2>/dev/null | tail -1)
		got=$(ip netns exec "$cli" "$LBHA" digest http://$SRV:8080/regex | sed -n 's/^digest //p')
		if [ -n "$got" ] && [ "$got" = "$want" ]; then tap_ok "lbha digest agrees with keepalived's genhash"
		else tap_fail "lbha digest '$got' vs genhash '$want'"; fi
	else
		tap_skip "lbha digest agrees with keepalived's genhash" "genhash not installed"
	fi
	ip netns exec "$cli" "$LBHA" digest http://$SRV:8099/ >/dev/null 2>"$tmp/digest.err"
	rc=$?
	if [ $rc = 1 ] && grep -q refused "$tmp/digest.err"; then tap_ok "lbha digest reports a refused connection"
	else tap_fail "lbha digest on a closed port: rc $rc, $(cat "$tmp/digest.err")"; fi
else
	tap_skip "lbha digest" "$LBHA not built"
fi

tap_done
