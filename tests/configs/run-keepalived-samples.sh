#!/bin/sh
# run-keepalived-samples.sh: lbha must load the sample configs Debian's
# keepalived package ships, read in place (never copied into this tree).
# TAP, one test per /usr/share/doc/keepalived/samples/keepalived.conf.*
# (keepalived.conf.conditional_conf twice: with -i high and with -i low):
# `lbha -t -f FILE` exits 0 and prints no `error:` line.
#
# Two samples have mistakes keepalived 2.2.7 itself reports (instance names
# written directly in vrrp_sync_group; a bad address inside static_rules and
# virtual_rules).  lbha still loads them with zero errors: the first is
# accepted with a warning, the second sits in blocks lbha warns it ignores.
#
# Environment: LBHA (default ./lbha), KEEPALIVED_SAMPLES (default
# /usr/share/doc/keepalived/samples).
set -u

samples=${KEEPALIVED_SAMPLES:-/usr/share/doc/keepalived/samples}
LBHA=${LBHA:-./lbha}
case $LBHA in
/*) ;;
*) LBHA=$(pwd)/$LBHA ;;
esac

files=
for f in "$samples"/keepalived.conf.*; do
	[ -f "$f" ] && files="$files $f"
done
if [ -z "$files" ]; then
	echo "1..1"
	echo "ok 1 # SKIP keepalived package not installed (apt-get install keepalived)"
	exit 0
fi

n=0
for f in $files; do
	case $f in
	*.conditional_conf) n=$((n + 2)) ;;
	*) n=$((n + 1)) ;;
	esac
done
echo "1..$n"

if [ ! -x "$LBHA" ]; then
	for i in $(seq 1 "$n"); do echo "ok $i # SKIP lbha binary not built ($LBHA)"; done
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-samples.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
if command -v timeout >/dev/null 2>&1; then
	limit="timeout 60"
else
	limit=
fi

t=0
# check FILE ARGS...: one TAP line for `lbha -t -f FILE ARGS...`.
check() {
	_file=$1
	shift
	_base=$(basename "$_file")
	_desc="$_base${1:+ $*}"
	t=$((t + 1))
	# Run from an empty directory: nothing of ours can leak into the result.
	# The outer subshell keeps the shell's "Segmentation fault" note out of
	# the log; the exit status tells.
	# shellcheck disable=SC2086 # $limit is a command prefix or nothing
	( (cd "$tmp" && exec $limit "$LBHA" -t -f "$_file" "$@") >"$tmp/out" 2>&1; exit $?) 2>/dev/null
	_rc=$?
	_why=
	if [ "$_rc" -gt 128 ] || { [ "$_rc" -eq 124 ] && [ -n "$limit" ]; }; then
		_why="killed or timed out (exit $_rc)"
	elif grep -q -E 'Segmentation|AddressSanitizer|LeakSanitizer|runtime error' "$tmp/out"; then
		_why="crash or sanitizer report"
	else
		grep 'error:' "$tmp/out" >"$tmp/errors"
		[ "$_rc" -eq 0 ] || _why="exit $_rc, expected 0"
		[ -s "$tmp/errors" ] && _why="${_why:+$_why; }prints errors"
	fi
	if [ -z "$_why" ]; then
		echo "ok $t - $_desc"
	else
		echo "not ok $t - $_desc: $_why"
		head -n 20 "$tmp/out" | sed 's/^/#   /'
	fi
}

for f in $files; do
	case $f in
	*.conditional_conf)
		check "$f" -i high
		check "$f" -i low
		;;
	*) check "$f" ;;
	esac
done
exit 0
