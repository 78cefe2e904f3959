#!/bin/sh
# replay.sh: run every input of tests/fuzz/corpus/TARGET/ (seeds and the
# crashes found so far) through each fuzz target as built by the normal
# compiler (tests/fuzz/replay-TARGET), with no fuzzing: regressions fail
# here even where clang is missing, and under the sanitizer build they are
# checked by ASan+UBSan too.  TAP, one line per target.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
targets=${FUZZ_TARGETS:-conf vrrp http ipvs json}

n=0
for t in $targets; do n=$((n + 1)); done
echo "1..$n"

log=$(mktemp "${TMPDIR:-/tmp}/lbha-replay.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT INT TERM

status=0
i=0
for t in $targets; do
	i=$((i + 1))
	bin=$top_builddir/tests/fuzz/replay-$t
	corpus=$top_srcdir/tests/fuzz/corpus/$t
	if [ ! -x "$bin" ]; then
		echo "not ok $i - replay-$t: $bin not built"
		status=1
		continue
	fi
	if out=$("$bin" "$corpus" 2>"$log"); then
		echo "ok $i - replay-$t: $out of tests/fuzz/corpus/$t"
	else
		echo "not ok $i - replay-$t: failed on $(grep '^replay: ' "$log" | tail -n 1 | sed 's/^replay: //')"
		tail -n 40 "$log" | sed 's/^/# /'
		status=1
	fi
done
exit $status
