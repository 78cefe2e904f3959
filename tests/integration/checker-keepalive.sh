#!/bin/sh
# checker-keepalive: keepalive_time (HTTP_GET on the checker's own client,
# SSL_GET on libcurl) against real servers in network namespaces (host
# kernel, root).  probe_driver --sequence runs checks one after another over
# one kept-connection slot, as the checker does for one real server, and
# prints reused=0|1 per check; the servers (probe_servers.py --keepalive)
# print one "conn N" line per accepted connection, so every case asserts
# the checks' results and how many connections they took.  Reports SKIP
# without root, python3 or openssl.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/integration/netns.sh"
. "$top_srcdir/tests/integration/probe_lab.sh"

probe_lab 10.200.15
HELLO_MD5=6f5902ac237024bdd0c176cb93063dc4

start_server ka http 8080 --keepalive
start_server idle http 8081 --keepalive --idle-close-ms 100
start_server maxreq http 8082 --keepalive --max-requests 2
start_server victim http 8083 --keepalive
start_server tls http 8443 --keepalive --cert "$tmp/cert.pem" --key "$tmp/key.pem"

conns() { grep -c '^conn' "$tmp/$1.out"; }

# split: from the driver's lines in $out, $reasons (each check's reason) and
# $reused (each check's reused=), space separated.
split() {
	reasons=$(echo $(echo "$out" | awk '{print $1}'))
	reused=$(echo $(echo "$out" | sed -n 's/.* reused=\([01]\)$/\1/p'))
}

# run SERVER ARGS...: the driver in cli; its lines in $out, $reasons and
# $reused (see split), and in $conns the connections SERVER accepted
# meanwhile.  Every connection is accepted before its answer, and the driver
# has all its answers when it exits, so the count is final then.
run() {
	_srv=$1; shift
	_before=$(conns "$_srv")
	out=$(ip netns exec "$cli" "$DRIVER" "$@" 2>"$tmp/driver.err")
	split
	conns=$(( $(conns "$_srv") - _before ))
}

# is WHAT GOT WANT: one TAP line; on failure the driver's output.
is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_fail "$1"
		tap_diag "want '$3', got '$2'; driver said:
$out
$(cat "$tmp/driver.err")"
	fi
}

# cases T ENGINE PORT: a.-c. and g. (a failure at the body's end), for HTTP_GET (ENGINE http) and SSL_GET (ssl)
cases() {
	T=$1 E=$2 P=$3
	srvname=ka
	[ "$E" = ssl ] && srvname=tls

	# a. one connection carries every check
	run $srvname --keepalive-ms 10000 --sequence 5 --path /ok --digest $HELLO_MD5 $E $SRV $P
	is "$T a: keepalive_time, 5 checks: all ok" "$reasons" "ok ok ok ok ok"
	is "$T a: the first on a new connection, the rest reused" "$reused" "0 1 1 1 1"
	is "$T a: the server accepted 1 connection" "$conns" 1

	# b. without keepalive_time: keepalived's one connection per check
	run $srvname --sequence 3 --path /request --regex '^GET /request HTTP/1\.0' $E $SRV $P
	is "$T b: no keepalive_time: keepalived's HTTP/1.0 request, all ok" "$reasons" "ok ok ok"
	is "$T b: no keepalive_time: nothing reused" "$reused" "0 0 0"
	is "$T b: no keepalive_time: a connection per check" "$conns" 3

	# c. the request with keepalive_time: HTTP/1.1, no "Connection: close",
	# http_protocol 1.1 (which asks for close) notwithstanding, on the reused
	# connection too
	run $srvname --keepalive-ms 10000 --path /request --regex '^GET /request HTTP/1\.1' $E $SRV $P
	is "$T c: keepalive_time: the request is HTTP/1.1" "$reasons" "ok"
	run $srvname --keepalive-ms 10000 --http 1.1 --sequence 2 --path /request \
		--regex '[Cc]onnection:' --regex-no-match $E $SRV $P
	is "$T c: keepalive_time: no Connection header, with http_protocol 1.1 too" "$reasons" "ok ok"
	is "$T c: ... and the second request went over the kept connection" "$reused $conns" "0 1 1"

	# g. a check that fails at the body's end (digest) ends its connection
	# (libcurl has put it back in its cache by then: probe_http.c shuts it)
	run $srvname --keepalive-ms 10000 --sequence 3 --path /ok \
		--digest d41d8cd98f00b204e9800998ecf8427e $E $SRV $P
	is "$T g: a wrong digest: every check fails, none reused, a connection each" \
		"$reasons $reused $conns" "digest-mismatch digest-mismatch digest-mismatch 0 0 0 3"
}

# ---- HTTP_GET: the checker's own client ----
cases http http 8080

# a. (more) the response's end found in a chunked body, and in a body that
# comes in parts after the head (the verdict is known at the head without a
# digest: the rest is read through before the connection is kept)
run ka --keepalive-ms 10000 --sequence 3 --path /chunked --digest $HELLO_MD5 http $SRV 8080
is "http a: chunked body: all ok, reused, 1 connection" "$reasons $reused $conns" "ok ok ok 0 1 1 1"
run ka --keepalive-ms 10000 --sequence 3 --path /slow http $SRV 8080
is "http a: body in parts after the head: all ok, reused, 1 connection" \
	"$reasons $reused $conns" "ok ok ok 0 1 1 1"

# d. the server closes an idle connection (100 ms) between checks (400 ms
# apart): the client sees the close and the next check connects afresh,
# without a failure.
run idle --keepalive-ms 10000 --interval-ms 400 --sequence 4 --path /ok http $SRV 8081
is "http d: idle connection closed by the server: all ok" "$reasons" "ok ok ok ok"
is "http d: ... nothing reused" "$reused" "0 0 0 0"
is "http d: ... a connection per check" "$conns" 4

# e. the server ends a connection after 2 requests ("Connection: close" on the 2nd)
run maxreq --keepalive-ms 10000 --sequence 6 --path /ok http $SRV 8082
is "http e: server's request limit 2, 6 checks: all ok" "$reasons" "ok ok ok ok ok ok"
is "http e: ... reused every other" "$reused" "0 1 0 1 0 1"
is "http e: ... 3 connections" "$conns" 3

# f. keepalive_time bounds a connection's age: 300 ms, checks 120 ms apart
run ka --keepalive-ms 300 --interval-ms 120 --sequence 8 --path /ok http $SRV 8080
is "http f: keepalive_time 300 ms, 8 checks 120 ms apart: all ok" "$reasons" "ok ok ok ok ok ok ok ok"
fresh=$(echo "$out" | grep -c ' reused=0$')
if [ "$conns" -ge 2 ] && echo "$out" | grep -q ' reused=1$' && [ "$conns" = "$fresh" ]; then
	tap_ok "http f: ... aged connections replaced ($conns connections), others reused"
else
	tap_fail "http f: $conns connections, $fresh checks on a new one, reused: $reused"
fi

# g. a failed check ends its connection: the next one starts afresh
run ka --keepalive-ms 10000 --sequence 3 --status 200 --path /status/503 http $SRV 8080
is "http g: 503 where 200 is wanted: all http-status" "$reasons" "http-status http-status http-status"
is "http g: ... nothing reused" "$reused" "0 0 0"
is "http g: ... a connection per check" "$conns" 3

# g. a timeout on a kept connection ends it too (the server answers the first
# request on a connection and never the second)
run ka --keepalive-ms 10000 --timeout-ms 300 --sequence 3 --path /hang-second http $SRV 8080
is "http g: no answer on the kept connection: a timeout, then a new connection" \
	"$reasons" "ok timeout ok"
is "http g: ... the timeout was on the reused one, the next on a new one" "$reused $conns" "0 1 0 2"

# h.-j. responses that do not allow reuse.  The server leaves /close's and
# /http10's connection open: only the client's reading of the response may
# end it.  /big is 256 KiB with a Content-Length: past the 64 KiB the client
# reads through to keep a connection.
for c in "h:/close:200 with Connection: close" "i:/http10:an HTTP/1.0 response" \
	"j:/big:a body past the drain limit"; do
	l=${c%%:*} rest=${c#*:}
	path=${rest%%:*} what=${rest#*:}
	run ka --keepalive-ms 10000 --sequence 3 --path "$path" http $SRV 8080
	is "http $l: $what: all ok" "$reasons" "ok ok ok"
	is "http $l: $what: not reused, a connection per check" "$reused $conns" "0 0 0 3"
done

# k. the server closes a kept connection on the next request without an
# answer.  probe_http1 sees the close before any of the response (stale())
# and sends the request again, once, on a new connection (retry_fresh()),
# which also counts as not reused.  That new connection answered its first
# request and is kept, so check 3 finds it, is dropped the same way and
# retried: 3 checks, 3 connections, all ok, none reported as reused.
run ka --keepalive-ms 10000 --sequence 3 --path /drop-second http $SRV 8080
is "http k: kept connection closed on the next request: retried, all ok" "$reasons" "ok ok ok"
is "http k: ... the retries count as new connections" "$reused $conns" "0 0 0 3"

# l. the server is killed between checks: the kernel closes the kept
# connection, the client drops it, the next check connects afresh and is
# refused; a kept connection must never hide a dead server.
ip netns exec "$cli" "$DRIVER" --keepalive-ms 10000 --interval-ms 1000 --sequence 2 \
	--path /ok http $SRV 8083 >"$tmp/l.out" 2>"$tmp/driver.err" &
drv=$!
netns_track_pid $drv
if wait_until 10 grep -q '^ok' "$tmp/l.out"; then
	kill -KILL "$PID_victim"
	wait "$PID_victim" 2>/dev/null
fi
wait $drv
out=$(cat "$tmp/l.out")
split
is "http l: server killed after check 1: check 2 refused" "$reasons" "ok refused"
is "http l: ... and not reused" "$reused" "0 0"

# ---- m. SSL_GET: libcurl's connection reuse ----
cases https ssl 8443

tap_done
