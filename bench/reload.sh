#!/bin/sh
# reload.sh - reload benchmark (issue 6): lbha running a config of 2,000
# virtual servers x 20 real servers (bench/ipvs_gen_config.sh) against a
# real kernel's IPVS, in ONE VM (tests/vm/run-in-vm.sh).  Times SIGHUP to
# "applied" and counts the IPVS netlink requests each reload caused, for:
#   unchanged   the same file again (the target: under 0.1 s, zero requests)
#   comment     a comment added: the file is parsed, means the same, and
#               the children are left alone
#   1 weight    one real server's weight changed: parsed, sent, applied by
#               both children, one IPVS edit
# "applied" is the parent's log line "... is unchanged" / "... means what
# the running config means", or both children's "config generation N
# applied" (the "parent's own figure" is then its "every child runs config
# generation N, T us after SIGHUP", which also waits for both children's
# status, checker.json of 40,000 real servers, to reach it).
# Figures only, never fails on them.  Root only (the VM).  See bench/README.md.
#
# Usage: sudo [LBHA=path/to/lbha] bench/reload.sh [run-in-vm.sh OPTION...]
#   SERVICES=2000 DESTS=20 ROUNDS=5     the table and the reloads of each kind
#   BENCH_OUT=DIR                        keep the configs, the log, the table
# Exit status: 0 when the benchmark ran (whatever the figures), 1 when it
# could not run (not root, no VM, no lbha...).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SERVICES=${SERVICES:-2000}
DESTS=${DESTS:-20}
ROUNDS=${ROUNDS:-5}

die() {
	echo "bench/reload.sh: $*" >&2
	exit 1
}
. "$here/bench_lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (it boots a VM)"
why=$(bash "$top/tests/vm/run-in-vm.sh" "$@" --check 2>&1) || die "no VM here: $why"
bench_find_lbha
command -v python3 >/dev/null || die "needs python3 (the guest runs the host's)"

bench_out_dir reload
sh "$here/ipvs_gen_config.sh" "$SERVICES" "$DESTS" >"$out/base.conf" || die "config generator failed"
sh "$here/ipvs_gen_config.sh" "$SERVICES" "$DESTS" 1 >"$out/changed.conf" ||
	die "config generator failed"
cat >"$out/guest.py" <<'EOF'
# The guest side of bench/reload.sh: start lbha on base.conf, wait for the
# install, then ROUNDS reloads of each kind, timed from the SIGHUP to the
# parent's log line, with checker.json's netlink counters before and after.
import json, os, re, shutil, signal, subprocess, sys, time

out, lbha, services, dests, rounds = sys.argv[1:6]
services, dests, rounds = int(services), int(dests), int(rounds)
rd, conf, log = "/tmp/bench-reload", "/tmp/bench-reload.conf", os.path.join(out, "lbha.log")
res = {"services": services, "dests": dests, "kernel": os.uname().release, "runs": {}}


def netlink():
    try:
        with open(os.path.join(rd, "checker.json")) as f:
            d = json.load(f)
    except (OSError, ValueError):
        return None, {}
    return d, d.get("ipvs", {}).get("netlink", {})


def wait_until(pred, timeout, step=0.05):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return True
        time.sleep(step)
    return False


def log_lines(pattern):
    with open(log, errors="replace") as f:
        return [line for line in f if pattern in line]


def reload(kind, pattern, src):
    """One reload: install src as the config, SIGHUP, wait for pattern."""
    if src:
        shutil.copy(src, conf + ".new")
        os.rename(conf + ".new", conf)
    if kind == "comment":
        with open(conf, "a") as f:
            f.write("# comment %f\n" % time.monotonic())
    st0, nl0 = netlink()
    gen0 = (st0 or {}).get("config_generation", 0)
    want = 2 if kind == "weight" else 1   # both children's lines
    n0 = len(log_lines(pattern))
    t0 = time.monotonic()
    os.kill(pid, signal.SIGHUP)
    ok = wait_until(lambda: len(log_lines(pattern)) >= n0 + want, 300, 0.001)
    wall = time.monotonic() - t0 if ok else None
    if kind == "weight":
        # the parent's figure comes once both children's status reached it
        n1 = len(log_lines("every child runs config generation"))
        wait_until(lambda: len(log_lines("every child runs config generation")) > n1 or
                   len(log_lines("not every child answered")) > 0, 300, 0.05)
        mine = log_lines("every child runs config generation")
        line = mine[-1] if len(mine) > n1 else ""
    else:
        line = log_lines(pattern)[-1] if ok else ""
    m = re.search(r"\((\d+) us\)|, (\d+) us after SIGHUP", line)
    own = int(m.group(1) or m.group(2)) / 1e6 if m else None
    if kind == "weight":
        # the counters after the reconcile: checker.json of the new generation
        wait_until(lambda: (netlink()[0] or {}).get("config_generation", 0) > gen0, 300, 0.1)
    time.sleep(0.2)
    _, nl1 = netlink()
    reqs = nl1.get("requests", 0) - nl0.get("requests", 0) if nl0 and nl1 else None
    chg = nl1.get("change_requests", 0) - nl0.get("change_requests", 0) if nl0 and nl1 else None
    return {"wall_s": wall, "logged_s": own, "requests": reqs, "change_requests": chg}


shutil.rmtree(rd, ignore_errors=True)
os.makedirs(rd)
shutil.copy(os.path.join(out, "base.conf"), conf)
subprocess.run(["ipvsadm", "-C"], check=False)
subprocess.run([lbha, "--version"], stdout=subprocess.DEVNULL, check=False)   # warm 9p
env = dict(os.environ, LBHA_RECONCILE_INTERVAL_MS="0")   # every request is a reload's
logf = open(log, "w")
t0 = time.monotonic()
p = subprocess.Popen([lbha, "-n", "-l", "-f", conf, "--runtime-dir", rd], env=env,
                     stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
pid = p.pid
ok = wait_until(lambda: (netlink()[0] or {}).get("ipvs", {}).get("dests_installed")
                == services * dests, 900, 0.2)
res["install_s"] = time.monotonic() - t0 if ok else None
print("# installed in %s s" % res["install_s"], flush=True)
time.sleep(1)
plan = [("unchanged", "is unchanged", None)] * rounds
plan += [("comment", "means what the running config means", None)] * rounds
for i in range(rounds):
    plan.append(("weight", " applied: ",
                 os.path.join(out, "changed.conf" if i % 2 == 0 else "base.conf")))
for kind, pattern, src in plan:
    r = reload(kind, pattern, src)
    res["runs"].setdefault(kind, []).append(r)
    print("# %s: %s" % (kind, json.dumps(r)), flush=True)
os.kill(pid, signal.SIGTERM)
try:
    p.wait(300)
except subprocess.TimeoutExpired:
    os.killpg(pid, signal.SIGKILL)
    p.wait()
subprocess.run(["ipvsadm", "-C"], check=False)
with open(os.path.join(out, "result.json"), "w") as f:
    json.dump(res, f, indent=1)
EOF

echo "# bench/reload.sh: $SERVICES services x $DESTS real servers, $ROUNDS reloads of each kind; output in $out"
bash "$top/tests/vm/run-in-vm.sh" --timeout 3000 "$@" --workdir "$out" -- \
	/usr/bin/python3 -S "$out/guest.py" "$out" "$LBHA" "$SERVICES" "$DESTS" "$ROUNDS"
rc=$?
[ "$rc" = 0 ] && [ -s "$out/result.json" ] || die "the VM run failed (status $rc); logs in $out"

python3 - "$out/result.json" <<'EOF' | tee "$out/table.txt"
import json, statistics, sys
r = json.load(open(sys.argv[1]))
print("Reload benchmark: %d virtual servers x %d real servers (%d IPVS rules); kernel %s, "
      "one VM (TCG)" % (r["services"], r["dests"], r["services"] * (r["dests"] + 1), r["kernel"]))
print("install from empty: %s" % ("n/a" if r["install_s"] is None else "%.1f s" % r["install_s"]))


def med(xs, fmt):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "n/a"
    return fmt % statistics.median(xs) + ("" if len(xs) == 1 else
                                            " (" + fmt % min(xs) + "-" + fmt % max(xs) + ")")


rows = [("reload", "SIGHUP -> applied (wall)", "parent's own figure", "netlink requests",
         "change requests")]
names = {"unchanged": "unchanged file", "comment": "comment added",
         "weight": "1 weight changed"}
for k in ("unchanged", "comment", "weight"):
    x = r["runs"].get(k, [])
    rows.append((names[k] + " x%d" % len(x), med([a["wall_s"] for a in x], "%.3f s"),
                 med([a["logged_s"] for a in x], "%.3f s"),
                 med([a["requests"] for a in x], "%d"),
                 med([a["change_requests"] for a in x], "%d")))
w = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
for row in rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(row)).rstrip())
u = [a for a in r["runs"].get("unchanged", []) if a["wall_s"] is not None]
if u:
    worst = max(a["wall_s"] for a in u)
    reqs = max(a["requests"] or 0 for a in u)
    print("unchanged: target under 0.1 s with zero netlink requests: %s (worst %.3f s, %d requests)"
          % ("met" if worst < 0.1 and reqs == 0 else "NOT met", worst, reqs))
print("medians (min-max); the guest CPU is emulated (TCG), 20-30x slower than the host")
EOF
exit 0
