#!/bin/sh
# ipvs.sh - IPVS benchmark (issue 4): lbha vs keepalived installing 1,000 services
# x 10 destinations into a real kernel's IPVS from empty, and reconciling after 1%
# of them changed, in ONE VM (tests/vm/run-in-vm.sh).  Prints figures, never
# fails on time.  Root only (the VM).  See bench/README.md.
#
# Usage: sudo [LBHA=path/to/lbha] bench/ipvs.sh [run-in-vm.sh OPTION...]
#   SERVICES=1000 DESTS=10 CHANGED=100   the table and the 1% change (weights)
#   IMPLS="lbha keepalived"              who is measured
#   STRACE=1                             also count netlink sendmsg/sendto with
#                                        strace (separate runs; 0 to skip)
#   BENCH_OUT=DIR                        keep the table, the logs and the configs
# Exit status: 0 when the benchmark ran (whatever the figures), 1 when it could
# not run (not root, no VM, no lbha...).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SERVICES=${SERVICES:-1000}
DESTS=${DESTS:-10}
CHANGED=${CHANGED:-100}
IMPLS=${IMPLS:-lbha keepalived}
STRACE=${STRACE:-1}

die() {
	echo "bench/ipvs.sh: $*" >&2
	exit 1
}
. "$here/bench_lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (it boots a VM)"
why=$(bash "$top/tests/vm/run-in-vm.sh" "$@" --check 2>&1) || die "no VM here: $why"
case " $IMPLS " in
*" lbha "*)
	bench_find_lbha
	;;
esac
command -v python3 >/dev/null || die "needs python3 (the guest runs the host's)"
[ "$STRACE" = 0 ] || command -v strace >/dev/null || STRACE=0

bench_out_dir ipvs
sh "$here/ipvs_gen_config.sh" "$SERVICES" "$DESTS" >"$out/base.conf" || die "config generator failed"
sh "$here/ipvs_gen_config.sh" "$SERVICES" "$DESTS" "$CHANGED" >"$out/changed.conf" ||
	die "config generator failed"
cat >"$out/guest.py" <<'EOF'
# The guest side of bench/ipvs.sh: runs each daemon on base.conf, times the
# install (polling /proc/net/ip_vs, no netlink), swaps in changed.conf, SIGHUPs,
# times the reconcile, stops it; then the same under strace for the counts.
import json, os, shutil, signal, subprocess, sys, time

out, impls, services, dests, changed, do_strace = sys.argv[1:7]
services, dests, changed = int(services), int(dests), int(changed)
impls = impls.split()
lbha = os.environ.get("LBHA", "")
conf = "/tmp/bench-ipvs.conf"
res = {"services": services, "dests": dests, "changed": changed,
       "kernel": os.uname().release}


def table():
    """(services, dests, dests with weight 2) from /proc/net/ip_vs."""
    s = d = w2 = 0
    with open("/proc/net/ip_vs") as f:
        for line in f:
            if line.startswith("  ->") and "RemoteAddress" not in line:
                d += 1
                if line.split()[3] == "2":
                    w2 += 1
            elif line[:3] in ("TCP", "UDP", "FWM", "SCT"):
                s += 1
    return s, d, w2


def wait_until(pred, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return True
        time.sleep(0.05)
    return False


def flush():
    subprocess.run(["ipvsadm", "-C"], check=False)


def status(rd):
    try:
        with open(os.path.join(rd, "checker.json")) as f:
            return json.load(f).get("ipvs", {})
    except (OSError, ValueError):
        return {}


def cmd_for(impl, rd):
    if impl == "lbha":
        return [lbha, "-n", "-l", "-C", "-f", conf, "--runtime-dir", rd]
    return ["keepalived", "-n", "-l", "-C", "-f", conf, "-p", rd + "/k.pid",
            "-c", rd + "/c.pid"]


def daemon_pid(p, trace):
    """The daemon's pid: strace's child when traced (signals go to it, not strace)."""
    if not trace:
        return p.pid
    with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
        return int(f.read().split()[0])


def stop(p, pid, timeout=300):
    t0 = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        return None
    return time.monotonic() - t0


def run(impl, trace):
    """One start, install, reload, stop; returns a dict of figures."""
    r = {}
    rd = "/tmp/bench-%s%s" % (impl, "-strace" if trace else "")
    shutil.rmtree(rd, ignore_errors=True)
    os.makedirs(rd)
    shutil.copy(os.path.join(out, "base.conf"), conf)
    flush()
    env = dict(os.environ, LBHA_RECONCILE_INTERVAL_MS="0")   # no periodic pass
    cmd = cmd_for(impl, rd)
    tf = os.path.join(out, "%s.strace" % impl)
    if trace:
        cmd = ["strace", "-f", "-qq", "-yy", "--seccomp-bpf", "-e",
               "trace=sendmsg,sendto,sendmmsg", "-o", tf] + cmd
    log = open(os.path.join(out, "%s%s.log" % (impl, ".strace" if trace else "")), "w")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    ok = wait_until(lambda: table()[:2] == (services, services * dests), 900)
    r["install_s"] = time.monotonic() - t0 if ok else None
    pid = daemon_pid(p, trace)
    if impl == "lbha" and not trace:
        wait_until(lambda: status(rd).get("dests_installed") == services * dests, 30)
        r["status_install"] = status(rd)
    if trace:
        time.sleep(1)
        r["install_sends"] = genl_sends(tf)
    shutil.copy(os.path.join(out, "changed.conf"), conf)
    runs0 = status(rd).get("reconciles", 0)
    t0 = time.monotonic()
    os.kill(pid, signal.SIGHUP)
    ok = wait_until(lambda: table()[2] == changed, 600)
    r["reload_s"] = time.monotonic() - t0 if ok else None
    if impl == "lbha" and not trace:
        wait_until(lambda: status(rd).get("reconciles", 0) > runs0, 30)
        r["status_reload"] = status(rd)
    if trace:
        time.sleep(1)
        r["reload_sends"] = genl_sends(tf) - r["install_sends"]
    r["stop_s"] = stop(p, pid, 60 if trace else 300)
    r["left_after_stop"] = table()[:2]
    flush()
    return r


def genl_sends(path):
    """sendmsg/sendto calls on generic netlink sockets in an strace -yy log."""
    n = 0
    with open(path) as f:
        for line in f:
            if "NETLINK:[GENERIC" in line and "(" in line and "resumed" not in line:
                n += 1
    return n


# The guest reads binaries and libraries from the host over 9p: a first
# exec pays for that, so each daemon's program is run once before any timing.
for impl in impls:
    subprocess.run([lbha if impl == "lbha" else "keepalived", "--version"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
for impl in impls:
    res[impl] = run(impl, False)
    if do_strace == "1":
        res[impl]["strace"] = run(impl, True)
    print("# %s done: %s" % (impl, json.dumps(res[impl])), flush=True)
with open(os.path.join(out, "result.json"), "w") as f:
    json.dump(res, f, indent=1)
EOF

echo "# bench/ipvs.sh: $SERVICES services x $DESTS destinations, $CHANGED changed; $IMPLS; output in $out"
LBHA=${LBHA:-} bash "$top/tests/vm/run-in-vm.sh" --timeout 3000 "$@" --workdir "$out" -- \
	/usr/bin/python3 -S "$out/guest.py" "$out" "$IMPLS" "$SERVICES" "$DESTS" "$CHANGED" "$STRACE"
rc=$?
[ "$rc" = 0 ] && [ -s "$out/result.json" ] || die "the VM run failed (status $rc); logs in $out"

python3 - "$out/result.json" <<'EOF' | tee "$out/table.txt"
import json, sys
r = json.load(open(sys.argv[1]))
n = r["services"] * r["dests"]
print("IPVS benchmark: %d services x %d destinations (%d rules), %d destinations' weight "
      "changed (%.1f%%); kernel %s, one VM" % (r["services"], r["dests"], r["services"] + n,
      r["changed"], 100.0 * r["changed"] / n, r["kernel"]))

def f(v, fmt="%.2f s"):
    return "n/a" if v is None else fmt % v

rows = []
for impl in ("lbha", "keepalived"):
    if impl not in r:
        continue
    x = r[impl]
    st = x.get("strace", {})
    if impl == "lbha":
        si = x.get("status_install", {}).get("netlink", {})
        sr = x.get("status_reload", {}).get("netlink", {})
        req_i = "%s (%s msgs)" % (si.get("change_requests", "?"), si.get("messages", "?"))
        req_r = "%s" % (sr.get("change_requests", 0) - si.get("change_requests", 0)) \
            if si and sr else "?"
    else:
        req_i = req_r = "-"
    rows.append((impl, f(x["install_s"]), req_i, str(st.get("install_sends", "-")),
                 f(x["reload_s"]), req_r, str(st.get("reload_sends", "-")),
                 f(x["stop_s"])))
hdr = ("", "install", "change requests (checker.json)", "genl sends (strace)",
       "1% reload", "change requests", "genl sends (strace)", "stop")
w = [max(len(str(row[i])) for row in rows + [hdr]) for i in range(len(hdr))]
for row in [hdr] + rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(row)).rstrip())
if "lbha" in r and "keepalived" in r and r["lbha"]["install_s"] and r["keepalived"]["install_s"]:
    print("install: lbha is %.1fx faster than keepalived (target: 3x)" %
          (r["keepalived"]["install_s"] / r["lbha"]["install_s"]))
if "lbha" in r:
    x = r["lbha"]
    si, sr = x.get("status_install", {}), x.get("status_reload", {})
    if si and sr:
        reqs = sr["netlink"]["change_requests"] - si["netlink"]["change_requests"]
        msgs = sr["netlink"]["messages"] - si["netlink"]["messages"]
        chg = sr.get("changes_applied", 0) - si.get("changes_applied", 0)
        print("1%% reload: lbha applied %d changes in %d change requests (%d netlink messages "
              "incl. the dump); target: requests <= changes (%d): %s" %
              (chg, reqs, msgs, r["changed"], "met" if reqs <= r["changed"] else "NOT met"))
        print("lbha read requests (dumps): install %s, reload %s" %
              (si["netlink"]["read_requests"], sr["netlink"]["read_requests"] -
               si["netlink"]["read_requests"]))
    print("times without strace; strace runs only count sendmsg/sendto on generic netlink sockets")
EOF
exit 0
