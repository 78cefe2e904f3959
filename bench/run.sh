#!/bin/sh
# bench/run.sh: every benchmark in one command, keepalived beside lbha in
# each: the failover drill (bench/failover.sh), the checker's CPU and memory
# at 1,000 and 10,000 real servers (bench/checker.sh), IPVS install and
# reconcile of 10,000 destinations (bench/ipvs.sh), reload time at 37,000
# real servers (bench/reload.sh), and the 10 ms advert soak under load
# (bench/soak.sh).  Prints every table at the end.  Root only.
#   BENCHES="failover checker ipvs reload soak"   which ones, in this order
#
#   sudo bench/run.sh                 # after scripts/test-all built build/
#   cd BUILD && sudo make bench       # the same from any build tree
#
# It finds lbha and bench/vrrp_probe in $top_builddir (set by make), else in
# $LBHA_BUILD_DIR, else in build/ of the source tree (where scripts/test-all
# builds).  Every setting of failover.sh (ROUNDS, IMPLS, DRILLS, MODES, ...)
# and of soak.sh (SOAK_SECONDS, SOAK_IMPLS, ...) passes through.
#   BENCH_OUT=dir     keep the tables and both scripts' progress logs there
#                     (default: a fresh directory under /tmp, printed at the end)
# An implementation that is missing (no keepalived, lbha not built) shows as
# n/a with the reason, and the exit status stays 0; it is non-zero only when
# a benchmark itself could not run (not root, the lab could not be built).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_srcdir

say() { echo "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	say "bench/run.sh: needs root (the benchmarks build network namespaces)"
	exit 1
fi

# The build tree: make's, then scripts/test-all's.
if [ -z "${top_builddir:-}" ]; then
	for d in "${LBHA_BUILD_DIR:-}" "$top_srcdir/build" "$top_srcdir"; do
		[ -n "$d" ] && [ -x "$d/lbha" ] && { top_builddir=$d; break; }
	done
fi
if [ -n "${top_builddir:-}" ]; then
	top_builddir=$(cd "$top_builddir" && pwd)
	export top_builddir
	[ -n "${LBHA:-}" ] || [ ! -x "$top_builddir/lbha" ] || LBHA=$top_builddir/lbha
	[ -n "${VRRP_PROBE:-}" ] || [ ! -x "$top_builddir/bench/vrrp_probe" ] ||
		VRRP_PROBE=$top_builddir/bench/vrrp_probe
	[ -n "${HTTP_MANY:-}" ] || [ ! -x "$top_builddir/bench/http_many" ] ||
		{ HTTP_MANY=$top_builddir/bench/http_many; export HTTP_MANY; }
fi
if [ -n "${LBHA:-}" ] && [ -x "$LBHA" ]; then
	export LBHA
	say "bench/run.sh: lbha is $LBHA"
else
	say "bench/run.sh: no lbha binary found (build it with scripts/test-all, or set LBHA);"
	say "              lbha's columns will read n/a"
	LBHA=/nonexistent/lbha
	export LBHA
fi
[ -z "${VRRP_PROBE:-}" ] || export VRRP_PROBE
command -v keepalived >/dev/null 2>&1 ||
	say "bench/run.sh: keepalived is not installed (scripts/install-deps); its columns will read n/a"

out=${BENCH_OUT:-$(mktemp -d /tmp/lbha-bench.XXXXXX)}
mkdir -p "$out" || exit 1
status=0

# run NAME SCRIPT: the script's table to $out/NAME.txt, its progress to the
# terminal and to $out/NAME.log.
run() {
	say "=== bench/$2 ($(date +%T))"
	# bash runs them all (some are bash scripts, the rest plain sh)
	{ bash "$top_srcdir/bench/$2" 2>&1 >"$out/$1.txt"; echo $? >"$out/$1.rc"; } |
		tee "$out/$1.log" >&2
	rc=$(cat "$out/$1.rc")
	if [ "$rc" -ne 0 ]; then
		echo "bench/$2 could not run (exit $rc); its log: $out/$1.log" >>"$out/$1.txt"
		status=1
	fi
}

BENCHES=${BENCHES:-failover checker ipvs reload soak}
# reload.sh: 1,850 virtual servers x 20 real servers, the 37,000 of issue 7
# (its own default is 2,000 x 20); SERVICES= overrides
SERVICES=${SERVICES:-1850}
export SERVICES
for b in $BENCHES; do
	if [ -f "$top_srcdir/bench/$b.sh" ]; then
		run "$b" "$b.sh"
	else
		echo "bench/$b.sh is not in this tree" >"$out/$b.txt"
	fi
done

title() {
	case $1 in
	failover) echo "VRRP failover (bench/failover.sh)" ;;
	checker) echo "Checker CPU and memory (bench/checker.sh)" ;;
	ipvs) echo "IPVS install and reconcile (bench/ipvs.sh)" ;;
	reload) echo "Reload (bench/reload.sh)" ;;
	soak) echo "VRRP soak, 10 ms adverts under load (bench/soak.sh)" ;;
	*) echo "bench/$1.sh" ;;
	esac
}
for b in $BENCHES; do
	echo "=== $(title "$b")"
	cat "$out/$b.txt"
	echo
done
echo "Tables and progress logs: $out"
exit "$status"
