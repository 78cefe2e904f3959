#!/usr/bin/python3 -S
# vip_client.py - the client loop of the VM suites (checker-ipvs, reload,
# drill-checker): a request to a VIP every INTERVAL seconds until STOP_FILE
# exists, one line a request on stdout: the server's name (the body that
# http_name_server.py answers), or "fail" (refused, timed out, no 200, no
# body).  Started through vip_client_start in ipvs_lab.sh.
#
# Usage: vip_client.py STOP_FILE VIP [PORT [INTERVAL [HOST]]]
#   PORT 80, INTERVAL 0.2 s; HOST, when given, is sent as the Host header
#   (the request is HTTP/1.0, so a suite chooses whether to send one).
# One process and a new connection per request: a curl per request costs
# more than a second of an emulated CPU, and -S keeps the start-up short.
import os
import socket
import sys
import time


def ask(vip, port, request):
    try:
        s = socket.create_connection((vip, port), timeout=2)
        try:
            s.sendall(request)
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
    except OSError:
        return "fail"
    head, sep, body = data.partition(b"\r\n\r\n")
    if sep and head.startswith(b"HTTP/1.0 200") and body.strip():
        return body.strip().decode(errors="replace")
    return "fail"


def main():
    if not 3 <= len(sys.argv) <= 6:
        sys.exit("usage: vip_client.py STOP_FILE VIP [PORT [INTERVAL [HOST]]]")
    stop, vip = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
    host = sys.argv[5] if len(sys.argv) > 5 else ""
    request = b"GET / HTTP/1.0\r\n"
    if host:
        request += b"Host: " + host.encode() + b"\r\n"
    request += b"\r\n"
    while not os.path.exists(stop):
        print(ask(vip, port, request), flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()
