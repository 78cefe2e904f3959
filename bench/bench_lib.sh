# bench_lib.sh: what the benchmarks that run lbha share (sourced after `top`
# and a `die MESSAGE` are set).
#
# bench_find_lbha: LBHA made absolute: as given, else the build tree's
#   (top_builddir, LBHA_BUILD_DIR, $top/build, .); dies when there is none.
# bench_out_dir NAME: $out, an absolute directory for the run's files:
#   BENCH_OUT (made if missing), else a new /tmp/lbha-bench-NAME.XXXXXX.

bench_find_lbha() {
	if [ -z "${LBHA:-}" ]; then
		for _b in "${top_builddir:-}" "${LBHA_BUILD_DIR:-}" "$top/build" .; do
			[ -n "$_b" ] && [ -x "$_b/lbha" ] && LBHA=$_b/lbha && break
		done
	fi
	[ -x "${LBHA:-}" ] || die "no lbha binary (set LBHA=)"
	LBHA=$(cd "$(dirname "$LBHA")" && pwd)/$(basename "$LBHA")
}

bench_out_dir() {
	if [ -n "${BENCH_OUT:-}" ]; then
		out=$BENCH_OUT
		mkdir -p "$out"
	else
		out=$(mktemp -d "${TMPDIR:-/tmp}/lbha-bench-$1.XXXXXX")
	fi
	out=$(cd "$out" && pwd)
}
