#!/usr/bin/env python3
"""Real servers for checker-probes.sh and checker-keepalive.sh.

  probe_servers.py http PORT [--cert CERT --key KEY [--client-ca CA]]
                   [--keepalive [--idle-close-ms N] [--max-requests N]]
      /ok      200 "hello world\\n"
      /status/N   status N
      /regex   200 "app status: fine\\n"
      /sni     200, body: the TLS server name the client sent, or "none"
      /big     200, body streamed until the client goes away (up to 1 GiB);
               with --keepalive: 256 KiB with a Content-Length
      /chunked 200 "hello world\\n" in two chunks (HTTP/1.1 chunked coding);
               the connection stays open with --keepalive
      /continue   a 100 Continue head, then 200 "hello world\\n"
      /slow    200 "hello world\\n": the head, then the body in two parts 100 ms apart
      /request 200, body: the request's head as received
      /garbage    not HTTP at all
      /close   200 "hello world\\n" with "Connection: close"
      /http10  "HTTP/1.0 200" "hello world\\n" with a Content-Length, no keep-alive
               (both leave the connection open: only the client's reading
               of the response may end it)
      /drop-second  the first request on a connection: 200 "hello world\\n";
               the second: closed without an answer
      /hang-second  the first request on a connection: 200 "hello world\\n";
               the second: no answer until the client closes
  probe_servers.py hang PORT     accepts connections and never answers
  probe_servers.py tcp PORT      accepts and closes

--keepalive: HTTP/1.1, connections persist (an HTTP/1.1 request without
"Connection: close"); --idle-close-ms N closes one idle that long;
--max-requests N: the Nth response on a connection says "Connection: close"
and the server closes it.

Listens on every address of its namespace; prints "ready" once listening,
then "conn N" for the Nth connection accepted (before anything is read from
it), so a suite counts connections without a request of its own.
"""
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


HELLO = b"hello world\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    max_requests = 0  # per connection; 0: no limit
    requests = 0      # read on this connection (a handler per connection)

    def log_message(self, *args):
        pass

    def body(self, code, data):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        if self.max_requests and self.requests >= self.max_requests:
            self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()
        self.wfile.write(data)

    def raw(self, data):
        self.wfile.write(data)
        self.close_connection = True

    def do_GET(self):
        self.requests += 1
        if self.path == "/ok":
            self.body(200, HELLO)
        elif self.path.startswith("/status/"):
            self.body(int(self.path[8:]), b"status\n")
        elif self.path == "/regex":
            self.body(200, b"app status: fine\n")
        elif self.path == "/sni":
            name = getattr(self.connection, "lbha_sni", None)
            self.body(200, (name or "none").encode())
        elif self.path == "/chunked":
            self.raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"6\r\nhello \r\n6;x=y\r\nworld\n\r\n0\r\n\r\n")
            # a chunked HTTP/1.1 response may keep its connection
            self.close_connection = self.protocol_version != "HTTP/1.1"
        elif self.path == "/slow":
            # the head, then the body in two parts 100 ms apart
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")
            self.wfile.flush()
            time.sleep(0.1)
            self.wfile.write(b"hello ")
            self.wfile.flush()
            time.sleep(0.1)
            self.wfile.write(b"world\n")
        elif self.path == "/continue":
            self.raw(b"HTTP/1.1 100 Continue\r\n\r\n"
                     b"HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n")
        elif self.path == "/request":
            self.body(200, (self.requestline + "\r\n" + str(self.headers)).encode())
        elif self.path == "/garbage":
            self.raw(b"SSH-2.0-OpenSSH_9.2\r\n")
        elif self.path == "/close":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
                             b"Content-Length: 12\r\n\r\n" + HELLO)
        elif self.path == "/http10":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n" + HELLO)
        elif self.path == "/drop-second":
            if self.requests == 2:
                self.close_connection = True
            else:
                self.body(200, HELLO)
        elif self.path == "/hang-second":
            if self.requests == 2:
                self.rfile.read()  # until the client gives up
                self.close_connection = True
            else:
                self.body(200, HELLO)
        elif self.path == "/big" and self.protocol_version == "HTTP/1.1":
            self.body(200, b"x" * (256 * 1024))
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(16384):
                    self.wfile.write(chunk)
            except OSError:
                pass
        else:
            self.body(404, b"not found\n")


class Server(ThreadingHTTPServer):
    # listen() backlog: the default 5 drops SYNs when a test fires 40 probes at once
    request_queue_size = 128
    accepted = 0

    def process_request(self, request, client_address):
        # the accepting thread, before the handler's: every "conn" line is out
        # before any answer on that connection
        self.accepted += 1
        print("conn", self.accepted, flush=True)
        super().process_request(request, client_address)


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def serve_http(port, args):
    attrs = {}
    if "--keepalive" in args:
        attrs["protocol_version"] = "HTTP/1.1"
        idle = int(option(args, "--idle-close-ms", 0))
        if idle:
            attrs["timeout"] = idle / 1000.0  # an idle read times out: closed
        attrs["max_requests"] = int(option(args, "--max-requests", 0))
    srv = Server(("0.0.0.0", port), type("KeptHandler", (Handler,), attrs) if attrs else Handler)
    srv.daemon_threads = True
    if "--cert" in args:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args[args.index("--cert") + 1], args[args.index("--key") + 1])
        if "--client-ca" in args:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(args[args.index("--client-ca") + 1])

        def sni(sock, name, _ctx):
            sock.lbha_sni = name
        ctx.sni_callback = sni
        # handshake in the handler's thread, so a bad client cannot stall the rest
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)

        orig = srv.finish_request

        def finish_request(request, client_address):
            try:
                request.do_handshake()
            except (ssl.SSLError, OSError):
                return
            orig(request, client_address)
        srv.finish_request = finish_request
    print("ready", flush=True)
    srv.serve_forever()


def serve_raw(port, hang):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    print("ready", flush=True)
    held = []
    while True:
        c, _ = s.accept()
        if hang:
            held.append(c)  # keep it open, say nothing
        else:
            c.close()


def main():
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "http":
        serve_http(port, sys.argv[3:])
    else:
        serve_raw(port, kind == "hang")


if __name__ == "__main__":
    main()
