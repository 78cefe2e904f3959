#!/usr/bin/env python3
"""UDP "who are you" responder and asker for the VRRP lab (tests/integration/vrrp_lab.sh).

  vrrp_lab_udp.py serve NAME PORT ADDR...   answer every datagram sent to ADDR:PORT with NAME
  vrrp_lab_udp.py ask ADDR PORT TIMEOUT [EXPECT]
                                            ask ADDR every 50 ms; print the first answer (or,
                                            with EXPECT, keep asking until EXPECT answers)

The responder binds each address with IP_FREEBIND, so it can start before the
VIP exists and answers only while this namespace holds it, from the VIP
itself (a wildcard bind would answer from the primary address).
"""
import select
import socket
import sys
import time

IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(name, port, addrs):
    socks = []
    for addr in addrs:
        s = socket.socket(family_of(addr), socket.SOCK_DGRAM)
        # IP_FREEBIND at SOL_IP also covers AF_INET6 sockets on Linux.
        s.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
        s.bind((addr, port))
        socks.append(s)
    reply = name.encode()
    while True:
        ready, _, _ = select.select(socks, [], [])
        for s in ready:
            try:
                _, peer = s.recvfrom(512)
                s.sendto(reply, peer)
            except OSError:
                pass


def ask(addr, port, timeout, expect):
    s = socket.socket(family_of(addr), socket.SOCK_DGRAM)
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            s.sendto(b"who", (addr, port))
        except OSError:
            pass
        end = min(deadline, time.monotonic() + 0.05)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([s], [], [], left)
            if not ready:
                break
            try:
                data, _ = s.recvfrom(512)
            except OSError:
                continue
            last = data.decode(errors="replace")
            if expect is None or last == expect:
                print(last)
                return 0
    print(last)
    return 1


def main(argv):
    if len(argv) >= 4 and argv[1] == "serve":
        serve(argv[2], int(argv[3]), argv[4:])
        return 0
    if len(argv) in (5, 6) and argv[1] == "ask":
        return ask(argv[2], int(argv[3]), float(argv[4]), argv[5] if len(argv) == 6 else None)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
