#!/usr/bin/env python3
"""Hostile VRRP traffic and a wire listener for the fault drills (tests/integration/drill-*.sh).

  vrrp_hostile.py send IFNAME SRC KIND COUNT [RATE] [VAR=VALUE...]
      send COUNT adverts of KIND from SRC (an address of this namespace) out of
      IFNAME to 224.0.0.18, or to DST=ADDR; RATE per second (0: as fast as the
      socket takes them), paced in 1 ms batches.  Prints "sent N".
  vrrp_hostile.py listen IFNAME SECONDS|FILE
      record every VRRP advert and ARP frame seen on IFNAME, one line each:
        TIME vrrp SRC VRID PRIORITY        TIME arp SENDER_IP SENDER_MAC
      (TIME: seconds since the epoch, as `ip -ts monitor` prints them), until
      SECONDS have passed or FILE exists.

KINDs, all IPv4 (the header is ours: IP_HDRINCL), each dropped by a receiver
for exactly one reason (the name of lbha's drop counter in brackets):
  good      a correct advert (VRID, priority, version from the settings)
  ttl       correct but TTL 254                          [ttl]
  vrid      correct, VRID 99 (nobody's)                   [vrid]
  checksum  the VRRP checksum off by one                  [checksum]
  auth      v2 PASS authentication, wrong password        [auth]
  short     6 bytes: less than a header                   [too_short]
  truncated the header counts one address more than sent  [length]
  addrs255  correct, 255 addresses (not the instance's)   [addresses]
  mix       the flood: every kind above but good, in turn
Settings: VRID=52 PRIO=254 VERSION=3 INTERVAL=0.1 (seconds) PASS=secret
(the receiver's password; "auth" sends another one) ADDRS=10.200.1.100 (the
advertised addresses) DST=224.0.0.18 TTL=255.
The checksums of the "good but hostile" kinds (ttl, vrid, auth, addrs255,
truncated) are correct, so only the intended check can drop them.
"""
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
VRRP_PROTO = 112
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def inet_csum(data, start=0):
    """RFC 1071 one's complement sum, folded and complemented."""
    if len(data) % 2:
        data += b"\0"
    s = start + sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def vrrp_body(version, vrid, prio, addrs, interval, password, count=None):
    """The VRRP part with a zero checksum field."""
    n = len(addrs) if count is None else count
    if version == 2:
        head = struct.pack("!BBBBBBH", 0x21, vrid, prio, n, 1 if password else 0,
                           max(1, int(round(interval))), 0)
        tail = password.encode()[:8].ljust(8, b"\0") if password else b"\0" * 8
    else:
        cs = max(1, int(round(interval * 100)))
        head = struct.pack("!BBBBHH", 0x31, vrid, prio, n, cs & 0x0FFF, 0)
        tail = b""
    return head + b"".join(socket.inet_aton(a) for a in addrs) + tail


def with_csum(body, version, src, dst, fix=0):
    if version == 2:
        c = inet_csum(body)
    else:
        # RFC 5798 5.2.8: the IPv4 pseudo-header (src, dst, zero, proto, length)
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
            "!BBH", 0, VRRP_PROTO, len(body))
        c = inet_csum(pseudo + body)
    c = (c + fix) & 0xFFFF
    return body[:6] + struct.pack("!H", c) + body[8:]


def ip_header(src, dst, ttl, payload_len):
    # Linux fills in the total length and the header checksum of an
    # IP_HDRINCL packet; we set them right anyway.
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + payload_len, 0, 0, ttl, VRRP_PROTO, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", inet_csum(h)) + h[12:]


def settings(args):
    s = {"VRID": "52", "PRIO": "254", "VERSION": "3", "INTERVAL": "0.1", "PASS": "secret",
         "ADDRS": "10.200.1.100", "DST": "224.0.0.18", "TTL": "255"}
    for a in args:
        k, _, v = a.partition("=")
        if k not in s:
            sys.exit("vrrp_hostile: unknown setting %r" % a)
        s[k] = v
    return s


def build(kind, src, s):
    """One packet (IP header included) of KIND."""
    version, vrid, prio = int(s["VERSION"]), int(s["VRID"]), int(s["PRIO"])
    interval, dst, ttl = float(s["INTERVAL"]), s["DST"], int(s["TTL"])
    addrs = s["ADDRS"].split(",")
    password = s["PASS"] if version == 2 else ""
    fix, count = 0, None
    if kind == "ttl":
        ttl = 254
    elif kind == "vrid":
        vrid = 99
    elif kind == "checksum":
        fix = 1
    elif kind == "auth":
        version, password = 2, "wrong!!!"
    elif kind == "addrs255":
        addrs = ["10.201.%d.%d" % (i // 200, 1 + i % 200) for i in range(255)]
    elif kind == "truncated":
        count = len(addrs) + 1
    elif kind not in ("good", "short"):
        sys.exit("vrrp_hostile: unknown kind %r" % kind)
    body = with_csum(vrrp_body(version, vrid, prio, addrs, interval, password, count),
                     version, src, dst, fix)
    if kind == "short":
        body = body[:6]
    return ip_header(src, dst, ttl, len(body)) + body


MIX = ["ttl", "vrid", "checksum", "auth", "short", "truncated", "addrs255"]


def send(ifname, src, kind, count, rate, s):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    kinds = MIX if kind == "mix" else [kind]
    pkts = [build(k, src, s) for k in kinds]
    dst = (s["DST"], 0)
    sent = 0
    per_ms = rate / 1000.0 if rate > 0 else 0
    t0 = time.monotonic()
    while sent < count:
        if per_ms:
            due = min(count, int((time.monotonic() - t0) * 1000 * per_ms) + 1)
            if due <= sent:
                time.sleep(0.001)
                continue
        else:
            due = count
        while sent < due:
            try:
                sock.sendto(pkts[sent % len(pkts)], dst)
            except BlockingIOError:
                time.sleep(0.001)
                continue
            sent += 1
    print("sent %d in %.2f s" % (sent, time.monotonic() - t0))


def listen(ifname, until):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((ifname, 0))
    sock.settimeout(0.1)
    # the kernel's arrival time, not when python got round to reading it
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    deadline = None
    try:
        deadline = time.monotonic() + float(until)
    except ValueError:
        pass
    out = sys.stdout
    while (deadline is None and not os.path.exists(until)) or (
            deadline is not None and time.monotonic() < deadline):
        try:
            frame, anc, _flags, _addr = sock.recvmsg(4096, 64)
        except socket.timeout:
            continue
        now = time.time()
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and len(data) >= 16:
                sec, nsec = struct.unpack("qq", data[:16])
                now = sec + nsec / 1e9
        if len(frame) < 14:
            continue
        etype = struct.unpack("!H", frame[12:14])[0]
        if etype == ETH_P_IP and len(frame) >= 34 and frame[23] == VRRP_PROTO:
            ihl = (frame[14] & 0x0F) * 4
            v = frame[14 + ihl:]
            if len(v) >= 3:
                out.write("%.6f vrrp %s %d %d\n" % (now, socket.inet_ntoa(frame[26:30]), v[1], v[2]))
        elif etype == ETH_P_ARP and len(frame) >= 42:
            mac = ":".join("%02x" % b for b in frame[22:28])
            out.write("%.6f arp %s %s\n" % (now, socket.inet_ntoa(frame[28:32]), mac))
        else:
            continue
        out.flush()


def main(argv):
    if len(argv) >= 6 and argv[1] == "send":
        opt = argv[6:]
        rate = float(opt.pop(0)) if opt and "=" not in opt[0] else 0
        send(argv[2], argv[3], argv[4], int(argv[5]), rate, settings(opt))
        return 0
    if len(argv) == 4 and argv[1] == "listen":
        listen(argv[2], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
