#!/usr/bin/python3 -S
# http_name_server.py - the smallest HTTP server that answers every request
# with its own name, for tests/vm/ipvs-e2e-guest.sh (one per real server).
#
# Usage: http_name_server.py NAME PORT [READY_FILE]
#   Listens on every IPv4 address (so a VIP on lo or tunl0 is served too),
#   answers "NAME\n" with HTTP/1.0 and closes the connection, so each request
#   of one curl command is a new connection and is scheduled anew by IPVS.
#   READY_FILE is created once the socket listens.
# Plain sockets and no imports beyond the core (-S): python starts in under a
# second even in an emulated guest.
import socket
import sys


def main():
    name, port = sys.argv[1], int(sys.argv[2])
    body = (name + "\n").encode()
    reply = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n" \
            b"Connection: close\r\n\r\n%s" % (len(body), body)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    if len(sys.argv) > 3:
        open(sys.argv[3], "w").close()
    while True:
        conn, _ = s.accept()
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            if data:
                conn.sendall(reply)
        except OSError:
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
