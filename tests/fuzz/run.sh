#!/bin/sh
# run.sh: fuzz each libFuzzer target (tests/fuzz, built by `make fuzz`) for
# FUZZ_SECONDS (default 20) with ASan+UBSan, FUZZ_JOBS (default 2) at a time.
# Speaks TAP, one line per target, with the executions it ran; a crash, leak,
# timeout or failed property is a "not ok" with the sanitizer's report, and
# the input is kept in tests/fuzz/artifacts/ of the build directory (once the
# bug is fixed, copy it into tests/fuzz/corpus/TARGET/ so replay.sh keeps it
# fixed).  Exits non-zero on any failure.
#
#   FUZZ_SECONDS=0           report every target skipped (a pass that does
#                            not fuzz, e.g. a second make check)
#   FUZZ_TARGETS="conf vrrp" fuzz only those
#   FUZZ_SKIP_REASON=...     set by configure when clang/libFuzzer is missing
#
# Seeds are read from tests/fuzz/corpus/TARGET/ and never written: new
# inputs go to a scratch directory that is deleted afterwards.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-conf vrrp http ipvs json}

n=0
for t in $targets; do n=$((n + 1)); done
echo "1..$n"

skip_all() {
	i=0
	for t in $targets; do
		i=$((i + 1))
		echo "ok $i - fuzz-$t # SKIP $1"
	done
	exit 0
}

[ -n "${FUZZ_SKIP_REASON:-}" ] && skip_all "$FUZZ_SKIP_REASON"
[ "$seconds" -gt 0 ] 2>/dev/null || skip_all "FUZZ_SECONDS=$seconds"

work=$(mktemp -d "${TMPDIR:-/tmp}/lbha-fuzz.XXXXXX") || exit 1
pids=""
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2317 # called from the trap
stop_fuzzers() {
	for pid in $pids; do kill "$pid" 2>/dev/null; done
	exit 1
}
trap stop_fuzzers INT TERM
artifacts=$top_builddir/tests/fuzz/artifacts

# ASan+UBSan settings for every target: abort on the first finding, with a
# stack; UBSan reports are fatal too (built with -fno-sanitize-recover).
# A smaller quarantine than the default 256 MB keeps two targets in little memory.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:quarantine_size_mb=64}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

# make check runs other suites beside this one, some of them timing-sensitive
# (VRRP failover): the fuzzers take only the CPU time they leave.
nice=""
command -v nice >/dev/null 2>&1 && nice="nice -n ${FUZZ_NICE:-10}"

# Fuzz one target in the background; its pid goes to $work/$t.pid.
start() {
	t=$1
	bin=$top_builddir/tests/fuzz/fuzz-$t
	mkdir -p "$work/$t.new" "$work/$t.art"
	if [ ! -x "$bin" ]; then
		echo "missing" >"$work/$t.rc"
		return
	fi
	# a target's tokens (tests/fuzz/TARGET.dict), when it has some
	dict=""
	[ -f "$top_srcdir/tests/fuzz/$t.dict" ] && dict="-dict=$top_srcdir/tests/fuzz/$t.dict"
	# shellcheck disable=SC2086 # $dict is one word or none
	$nice "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/$t.art/" $dict \
		"$work/$t.new" "$top_srcdir/tests/fuzz/corpus/$t" \
		</dev/null >"$work/$t.log" 2>&1 &
	echo $! >"$work/$t.pid"
	pids="$pids $!"
}

report() {
	i=$1 t=$2
	rc=$(cat "$work/$t.rc" 2>/dev/null || echo "?")
	if [ "$rc" = missing ]; then
		echo "ok $i - fuzz-$t # SKIP not built (make fuzz)"
		return 0
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)
	new=$(find "$work/$t.new" -type f | wc -l)
	art=$(find "$work/$t.art" -type f | head -n 1)
	if [ "$rc" = 0 ] && [ -z "$art" ]; then
		echo "ok $i - fuzz-$t: ${execs:-?} executions in ${seconds} s, $new new inputs"
		return 0
	fi
	if [ -n "$art" ]; then
		mkdir -p "$artifacts"
		cp "$art" "$artifacts/$t-$(basename "$art")"
		saved="$artifacts/$t-$(basename "$art")"
	else
		saved="(none)"
	fi
	echo "not ok $i - fuzz-$t: failed (exit $rc) after ${execs:-?} executions; input: $saved"
	# the report, from its first line (sanitizer, libFuzzer or property)
	first=$(grep -n -m 1 -E 'runtime error:|ERROR: |fuzz check failed' "$work/$t.log" | cut -d: -f1)
	if [ -n "$first" ]; then
		sed -n "$first,\$p" "$work/$t.log"
	else
		tail -n 40 "$work/$t.log"
	fi | head -n 40 | sed 's/^/# /'
	return 1
}

status=0
i=0
batch=""
nb=0
flush() {
	for t in $batch; do
		[ -f "$work/$t.pid" ] || continue
		wait "$(cat "$work/$t.pid")"
		echo $? >"$work/$t.rc"
	done
	pids=""
	for t in $batch; do
		i=$((i + 1))
		report "$i" "$t" || status=1
	done
	batch="" nb=0
}
for t in $targets; do
	start "$t"
	batch="$batch $t"
	nb=$((nb + 1))
	[ "$nb" -ge "$jobs" ] && flush
done
[ "$nb" -gt 0 ] && flush
exit $status
