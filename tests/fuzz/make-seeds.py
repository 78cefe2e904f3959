#!/usr/bin/env python3
"""make-seeds.py: write the seed inputs of tests/fuzz/corpus/{vrrp,http,ipvs,json}.

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

# ---- json: control byte (limits), then the text ---------------------------------
# Control byte: bits 0-2 max_depth (0 default), bits 3-5 max_values 2^k (0
# default), 0x40 max_bytes in the next byte.  The status files' shapes are
# those of tests/unit/test-status-table.c (a real run's, trimmed).
DEFAULTS = 0


def depth(n): return n
def values(k): return k << 3
MAX_BYTES = 0x40


def js(name, text, ctl=DEFAULTS, extra=b""):
    if isinstance(text, str):
        text = text.encode("latin-1")   # "\xc3" is the byte, not U+00C3
    write("json", name, bytes([ctl]) + extra + text)


vrrp_json = """{
  "role": "vrrp",
  "pid": 24378,
  "parent_pid": 24371,
  "start_time": 1795299502,
  "updated": 1795299508,
  "config_generation": 1,
  "config_vrrp_instances": 2,
  "config_vrrp_scripts": 0,
  "config_sync_groups": 1,
  "config_virtual_servers": 1,
  "config_real_servers": 2,
  "config_checkers": 2,
  "instances": [
    {"name": "VI_1", "state": "MASTER", "vrid": 51, "version": 2, "interface": "eth0",
     "priority": 120, "base_priority": 120, "advert_priority": 120, "held": false, \
"advert_int_us": 1000000, "master_adver_int_us": 1000000,
     "source": "10.200.8.1", "master": "10.200.8.1", "master_priority": 120,
     "last_transition": 1795299506, "last_reason": "master down", "fault": null, \
"sync_group": "G1",
     "counters": {"adverts_sent": 3, "adverts_received": 0, "transitions": 2, \
"drops": {"ttl": 0, "vrid": 0}}},
    {"name": "VI_6", "state": "BACKUP", "vrid": 7, "version": 3, "interface": "bond0.100",
     "priority": 1, "base_priority": 150, "advert_priority": 1, "held": true, \
"advert_int_us": 1000000, "master_adver_int_us": 1000000,
     "source": "fd00:200::1", "master": "fd00:200::2", "master_priority": 100,
     "last_transition": 1795295000, "last_reason": "handover", "fault": null, \
"sync_group": "G1", "counters": {}}
  ],
  "sync_groups": [{"name": "G1", "state": "MASTER"}],
  "unmatched_drops": {"ttl": 0},
  "bad_headers": 0
}
"""


def real_server(addr, port, state, weight, cfg, result, reason, checkers):
    return ('{"address": "%s", "port": %d, "state": "%s", "weight": %d, '
            '"configured_weight": %d, "slow_start": false, "last_result": %s, '
            '"reason": %s, "last_change": 1795299503, "ups": 1, "downs": 0, '
            '"checks": 5, "failures": 0, "checkers": [%s]}'
            % (addr, port, state, weight, cfg, result, reason, checkers))


http_checker = ('{"type": "HTTP_GET", "port": 8080, "state": "up", "phase": "waiting", '
                '"last_result": "ok", "reason": "ok", "checks": 5, "failures": 0, '
                '"retries": 0, "shared_by": 1, "reused": 4}')


def checker_json(servers):
    rs = ",\n      ".join(servers)
    return ("""{
  "role": "checker",
  "pid": 24379,
  "parent_pid": 24371,
  "start_time": 1795200000,
  "updated": 1795299507,
  "config_generation": 3,
  "config_virtual_servers": 2,
  "config_real_servers": 4,
  "ipvs": {"available": true, "interval_ms": 10000, "open_failures": 0,
    "services_wanted": 2, "dests_wanted": 4, "services_installed": 2, "dests_installed": 3,
    "last_reconcile": 1795299503, "last_reason": "health", "last_result": "ok",
    "last_duration_us": 7, "netlink": {"requests": 0, "errors": 0}},
  "health": {"real_servers": 4, "up": 2, "down": 1, "unknown": 1, "probes": 4,
    "checks": 10, "failures": 5},
  "virtual_servers": [
    {"name": "10.200.8.100:80/TCP", "quorum": "up", "sorry_active": false, "real_servers": [
      %s]},
    {"name": "[fd00:200::100]:443/TCP", "quorum": "down", "sorry_active": true,
     "real_servers": []}]
}
""" % rs)


js("status-vrrp", vrrp_json)
js("status-checker", checker_json([
    real_server("10.200.8.2", 8080, "up", 3, 3, '"ok"', '"ok"', http_checker),
    real_server("10.200.8.2", 8081, "down", 0, 2, '"refused"',
                '"refused (Connection refused)"', ""),
    real_server("fd00:200::6", 443, "unknown", 0, 100, "null", "null", "")]))
js("status-checker-40-servers", checker_json([
    real_server("10.1.%d.%d" % (i // 200, i % 200 + 1), 80, "up", 1, 1, '"ok"', '"ok"', "")
    for i in range(40)]))
js("status-empty", '{"role": "checker", "pid": 6, "virtual_servers": []}')
js("status-cut", vrrp_json[:700])                       # a file read while written
js("status-escaped-name", '{"role": "vrrp", "instances": [{"name": "VI\\u001b[31m",'
   ' "state": "\\u00e9t\\u00e9 \xc3\xa9t\xc3\xa9"}]}')
js("status-small-limits", vrrp_json, depth(4) | values(7))

js("scalars-null", " null ")
js("scalars-true", "\n\t\rtrue")
js("scalars-false", "false")
js("number-zero", "0")
js("number-minus-zero", "-0")
js("number-u64-max", "18446744073709551615")
js("number-u64-max-plus-1", "18446744073709551616")
js("number-fraction-exponent", "[-2.25e2, 1E+2, 5e-1, 10.0, 0.1, 1.7976931348623157e308]")
js("number-underflow", "[1e-400, 4.9e-324, -1e-400]")
js("string-escapes", '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\te\\u007f\\u001F"')
js("string-utf8", '"\\u00e9\\u20AC\\ud83d\\ude00 '
   '\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xe0\xa0\x80\xed\x9f\xbf"')
js("object-repeated-keys", '{"name": "VI_1", "list": [1, [], {}, [true, null]], '
   '"o": {"k\\u0041": 3}, "name": "second", "e": [], "": {"": ""}}')
js("depth-64", "[" * 64 + "]" * 64)
js("depth-65", "{\"a\":" * 65 + "}" * 65)
js("depth-3-of-3", "[[{}]]", depth(3))
js("depth-4-of-3", "[[[{}]]]", depth(3))
js("values-4-of-4", "[1,2,3]", values(2))
js("values-5-of-4", "[1,2,3,4]", values(2))
js("bytes-7-of-8", "[1,2,3]", MAX_BYTES, bytes([8]))
js("bytes-9-of-8", "[1,2,3,4]", MAX_BYTES, bytes([8]))
# 4100 items: past a quarter of an arena chunk, so the array gets a chunk of
# its own: the first chunk, or one behind the one [1] went to
js("array-own-chunk-first", "[" + ",".join("0" * 4100) + "]")
js("array-own-chunk", "[[1],[" + ",".join("0" * 4100) + "],{}]")

for i, bad in enumerate([
        "", "   ", "{", "[1,", "[1,]", '{"a":1,}', '{"a" 1}', "{a:1}", "[1 2]",
        '{"a":1]', "[01]", "[1.]", "[.5]", "[1e+]", "[-]", "tru", "True",
        '"abc', '"a\x01"', '"a\tb"', '"\\x"', '"\\u12G4"', '"\\ud800\\u0041"',
        '"\\udc00"', '"\\u0000"', '"\xff"', '"\xc0\xaf"', '"\xed\xa0\x80"',
        '"\xf4\x90\x80\x80"', '"\xe2\x82"', "[1] x", '{"a":1}}', "NaN", "1e999",
        "[-1e999]", "\xef\xbb\xbf{}", "[1,\f2]", "[1\x00]", '"a\x00"', "/*c*/1"]):
    js("bad-%02d" % i, bad)
