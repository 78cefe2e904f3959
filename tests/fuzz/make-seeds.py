#!/usr/bin/env python3
"""make-seeds.py: write the seed inputs of tests/fuzz/corpus/{vrrp,http,ipvs}.

The seeds are committed; this script says where they came from and makes
them again (python3 tests/fuzz/make-seeds.py from the top source directory).
Input formats: tests/fuzz/README.md.  The conf seeds are copies of
tests/configs/good/*.conf plus a few hand-written ones.  Crash inputs found
by fuzzing are added to the corpus by hand (named crash-*), not here."""
import os
import struct

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
corpus = os.path.join(top, "tests", "fuzz", "corpus")


def write(target, name, data):
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)


# ---- vrrp: control byte + the VRRP part ----------------------------------------
IPV6, FIX, NO_PSEUDO, TTL, CHECK_ADDRS, WANT_PASS, WANT_V3, WANT_1S = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
# keepalived 2.2.7 on the wire (/work/shared/vrrp/keepalived-capture.txt),
# from 10.99.0.11 to 224.0.0.18 as the harness assumes
v2_150 = bytes.fromhex("2133960100013e030a630064") + bytes(8)
v2_0 = bytes.fromhex("213300010001d4030a630064") + bytes(8)
v3_150 = bytes.fromhex("31339601000a42fd0a630064")
v3_0 = bytes.fromhex("31330001000ad8fd0a630064")
write("vrrp", "keepalived-v2-prio150", bytes([CHECK_ADDRS | WANT_1S]) + v2_150)
write("vrrp", "keepalived-v2-prio0", bytes([WANT_1S]) + v2_0)
write("vrrp", "keepalived-v3-prio150", bytes([CHECK_ADDRS | WANT_V3]) + v3_150)
write("vrrp", "keepalived-v3-prio0", bytes([WANT_V3]) + v3_0)
# checksums left to the harness (FIX)
write("vrrp", "v2-pass-two-addrs",
      bytes([FIX | CHECK_ADDRS | WANT_PASS | WANT_1S])
      + bytes([0x21, 7, 100, 2, 1, 1, 0, 0]) + bytes([192, 0, 2, 1, 192, 0, 2, 2])
      + b"secret\0\0")
write("vrrp", "v3-ipv4-no-pseudo",
      bytes([FIX | NO_PSEUDO | WANT_V3]) + bytes([0x31, 9, 200, 1, 0, 100, 0, 0, 10, 0, 0, 1]))
write("vrrp", "v3-ipv6-two-addrs",
      bytes([IPV6 | FIX | CHECK_ADDRS | WANT_V3])
      + bytes([0x31, 51, 254, 2, 0x0f, 0xff, 0, 0])
      + bytes.fromhex("20010db8000000000000000000000001")
      + bytes.fromhex("fe800000000000000000000000000064"))
write("vrrp", "v3-ttl-254", bytes([TTL | FIX]) + bytes([254]) + v3_150)
write("vrrp", "v2-255-addrs",
      bytes([FIX | WANT_1S]) + bytes([0x21, 1, 255, 255, 0, 1, 0, 0])
      + b"".join(bytes([10, 1, i // 256, i % 256]) for i in range(255)) + bytes(8))

# ---- http: control byte, k, k piece lengths, the response -----------------------
DIGEST_REGEX, DIGEST, REGEX_NO_MATCH, STATUS_ONLY, SMALL = 0, 1, 2, 3, 0x04


def http(name, ctl, lens, resp):
    write("http", name, bytes([ctl, len(lens)]) + bytes(lens) + resp)


http("200-length", DIGEST_REGEX, [],
     b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nServer: x\r\n\r\nhello world\n")
http("200-chunked-split", DIGEST, [1, 5, 2, 17],
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
     b"5\r\nhello\r\n7;ext=1\r\n world\n\r\n0\r\nX-Trailer: t\r\n\r\n")
http("100-continue-then-201", DIGEST_REGEX, [3],
     b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\n"
     b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
http("204-no-body", STATUS_ONLY, [], b"HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n")
http("301-listed", STATUS_ONLY, [7], b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n")
http("http10-close", REGEX_NO_MATCH | SMALL, [2, 200],
     b"HTTP/1.0 200 OK\r\n\r\nall fine here, no error at all, a long body past the window")
http("503-lf-only", DIGEST, [], b"HTTP/1.0 503 Busy\ncontent-length:2\n\nno")
http("bad-length", DIGEST, [], b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
http("big-body-small-limits", DIGEST_REGEX | SMALL, [16],
     b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 90 + b"hello okok")
http("not-http", STATUS_ONLY, [], b"SSH-2.0-OpenSSH_9.2\r\n")

# ---- ipvs: control byte, then the attributes after the genetlink header ----------
NLA_F_NESTED = 0x8000
SERVICE, DEST, DAEMON, INFO, TIMEOUTS = 0, 1, 2, 3, 4
SVC_V6_FOR_DEST = 0x08


def nla(t, data):
    hdr = struct.pack("=HH", 4 + len(data), t)
    return hdr + data + bytes((4 - len(data) % 4) % 4)


def u8(v): return struct.pack("=B", v)
def u16(v): return struct.pack("=H", v)
def u32(v): return struct.pack("=I", v)
def be16(v): return struct.pack(">H", v)
def ip4(s): return bytes(int(x) for x in s.split(".")) + bytes(12)


def nest(t, *attrs):
    return nla(t | NLA_F_NESTED, b"".join(attrs))


stats = nest(10, nla(1, u32(12)), nla(2, u32(100)))
flags = struct.pack("=II", 0x0003, 0xffffffff)
write("ipvs", "service-tcp-v4", bytes([SERVICE]) + nest(
    1, nla(1, u16(2)), nla(2, u16(6)), nla(3, ip4("10.0.0.1")), nla(4, be16(80)),
    nla(6, b"wlc\0"), nla(7, flags), nla(8, u32(300)), nla(9, bytes([255, 255, 255, 0])),
    stats))
write("ipvs", "service-fwmark-v6-pe", bytes([SERVICE]) + nest(
    1, nla(1, u16(10)), nla(5, u32(7)), nla(6, b"mh\0"), nla(11, b"sip\0"),
    nla(7, flags), nla(8, u32(0)), nla(9, u32(128))))
write("ipvs", "dest-dr-v4", bytes([DEST]) + nest(
    2, nla(1, ip4("10.0.0.2")), nla(2, be16(8080)), nla(3, u32(3)), nla(4, u32(7)),
    nla(5, u32(100)), nla(6, u32(50)), nla(7, u32(1)), nla(8, u32(2)), nla(9, u32(0)),
    nla(11, u16(2)), stats))
write("ipvs", "dest-gue-tunnel-v4-in-v6", bytes([DEST | SVC_V6_FOR_DEST]) + nest(
    2, nla(1, ip4("10.0.0.9")), nla(2, be16(53)), nla(3, u32(2)), nla(4, u32(1)),
    nla(5, u32(0)), nla(6, u32(0)), nla(11, u16(2)), nla(13, u8(1)), nla(14, be16(6080)),
    nla(15, u16(2))))
write("ipvs", "dest-no-family-v6", bytes([DEST | SVC_V6_FOR_DEST]) + nest(
    2, nla(1, bytes.fromhex("20010db8000000000000000000000002")), nla(2, be16(53)),
    nla(3, u32(0)), nla(4, u32(1)), nla(5, u32(0)), nla(6, u32(0))))
write("ipvs", "daemon-master-v4", bytes([DAEMON]) + nest(
    3, nla(1, u32(1)), nla(2, b"eth0\0"), nla(3, u32(5)), nla(4, u16(1400)),
    nla(5, bytes([224, 0, 0, 81])), nla(7, u16(8850)), nla(8, u8(2))))
write("ipvs", "daemon-backup-v6", bytes([DAEMON]) + nest(
    3, nla(1, u32(2)), nla(2, b"eth1\0"), nla(3, u32(6)),
    nla(6, bytes.fromhex("ff020000000000000000000000000081"))))
write("ipvs", "info", bytes([INFO]) + nla(1, u32(0x010201)) + nla(2, u32(4096)))
write("ipvs", "timeouts", bytes([TIMEOUTS]) + nla(4, u32(900)) + nla(5, u32(120))
      + nla(6, u32(300)))
write("ipvs", "service-wrong-cmd", bytes([SERVICE | 0x10, 5]) + nest(
    1, nla(1, u16(2)), nla(5, u32(1)), nla(6, b"rr\0"), nla(7, flags), nla(8, u32(0)),
    nla(9, u32(0xffffffff))))
