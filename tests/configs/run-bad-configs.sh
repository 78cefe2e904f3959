#!/bin/sh
# run-bad-configs.sh: `lbha -t` against the config corpus, as TAP.
#
#   bad/NAME.expect   one test per file: `lbha -t -f NAME.conf`, run in bad/,
#                     must fail the way the .expect says (format: README.md)
#   generated cases   too big or too binary to commit: written to a temp dir
#                     (NUL bytes, a 70 kB line, 100 nested blocks, 10 MB of
#                     garbage, 10 MB of comments around a valid config)
#   good/NAME.conf    one test per file: exit 0 and no `error:` line
#   etc/lbha.conf     the installed sample: the same, and no keyword lbha
#                     does not support
#
# Any case also fails when lbha dies from a signal, hangs (120 s), or prints
# a sanitizer or segfault report.
#
# Environment: LBHA (the lbha binary, default ./lbha), top_srcdir (default:
# two levels above this script).  Without an lbha binary every test is a SKIP.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
cfg=$top_srcdir/tests/configs
LBHA=${LBHA:-./lbha}
case $LBHA in
/*) ;;
*) LBHA=$(pwd)/$LBHA ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbha-configs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if command -v timeout >/dev/null 2>&1; then
	limit="timeout 120"
else
	limit=
fi

generated="nul-bytes long-line deep-nesting garbage-10mb"
generated_good="comments-10mb"

n=0
for e in "$cfg"/bad/*.expect; do [ -e "$e" ] && n=$((n + 1)); done
for _ in $generated $generated_good; do n=$((n + 1)); done
for c in "$cfg"/good/*.conf; do [ -f "$c" ] && n=$((n + 1)); done
n=$((n + 1)) # etc/lbha.conf
echo "1..$n"

t=0
ok() { t=$((t + 1)); echo "ok $t - $1"; }
not_ok() {
	t=$((t + 1))
	echo "not ok $t - $1: $2"
	# The first lines of what lbha said, to see why without rerunning.
	if [ -s "$tmp/out" ]; then
		head -n 20 "$tmp/out" | sed 's/^/#   /'
	else
		echo "#   (lbha printed nothing)"
	fi
}

if [ ! -x "$LBHA" ]; then
	for i in $(seq 1 "$n"); do echo "ok $i # SKIP lbha binary not built ($LBHA)"; done
	exit 0
fi

# run DIR FILE ARGS...: lbha -t -f FILE in DIR; output in $tmp/out, exit in $rc.
run() {
	_dir=$1 _file=$2
	shift 2
	# The outer subshell takes the shell's own "Segmentation fault" note to
	# /dev/null (sane() reports the signal from the exit status); the explicit
	# `exit $?` keeps dash from folding the two subshells into one.
	# shellcheck disable=SC2086 # $limit is a command prefix or nothing
	( (cd "$_dir" && exec $limit "$LBHA" -t -f "$_file" "$@") >"$tmp/out" 2>&1; exit $?) 2>/dev/null
	rc=$?
}

# Problems every case checks; prints the reason and returns 1 on one.
sane() {
	if [ "$rc" -eq 124 ] && [ -n "$limit" ]; then
		echo "timed out (120 s)"
		return 1
	fi
	if [ "$rc" -gt 128 ]; then
		echo "killed by signal $((rc - 128))"
		return 1
	fi
	if grep -q -E 'Segmentation|AddressSanitizer|LeakSanitizer|runtime error' "$tmp/out"; then
		echo "crash or sanitizer report"
		return 1
	fi
	return 0
}

# has_diag NAME LOCATIONS SUBSTRING: some output line is a diagnostic for
# NAME.conf at one of LOCATIONS (lines separated by '|'; 0 = no line) that
# contains SUBSTRING.
has_diag() {
	_hd_name=$1 _hd_subst=$3
	_hd_ifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086 # split on '|' on purpose
	set -- $2
	IFS=$_hd_ifs
	for _hd_loc in "$@"; do
		if [ "$_hd_loc" = 0 ]; then
			_hd_place="$_hd_name: "
		else
			_hd_place="$_hd_name:$_hd_loc:"
		fi
		grep -F -- "$_hd_place" "$tmp/out" | grep -q -F -- "$_hd_subst" && return 0
	done
	return 1
}

# check_expect NAME EXPECTFILE: prints why the output does not match, or nothing.
check_expect() {
	_name=$1 _expect=$2
	_want_rc=
	while IFS= read -r _line || [ -n "$_line" ]; do
		case $_line in
		'' | '#'*) ;;
		'exit '*) _want_rc=${_line#exit } ;;
		'*:'*)
			grep -q -F -- "${_line#\*:}" "$tmp/out" ||
				echo "no output line contains '${_line#\*:}'"
			;;
		[0-9]*)
			has_diag "$_name.conf" "${_line%%:*}" "${_line#*:}" ||
				echo "no diagnostic for $_name.conf line ${_line%%:*} containing '${_line#*:}'"
			;;
		*)
			_file=${_line%%:*} _rest=${_line#*:}
			has_diag "$_file" "${_rest%%:*}" "${_rest#*:}" ||
				echo "no diagnostic for $_file line ${_rest%%:*} containing '${_rest#*:}'"
			;;
		esac
	done <"$_expect"
	if [ -z "$_want_rc" ]; then
		echo "$_expect has no 'exit N' line"
	elif [ "$rc" != "$_want_rc" ]; then
		echo "exit $rc, expected $_want_rc"
	fi
}

# finish NAME: ok/not ok from sane + the problems collected in $tmp/why.
finish() {
	if why=$(sane); then
		if [ -s "$tmp/why" ]; then
			not_ok "$1" "$(paste -s -d ';' "$tmp/why")"
		else
			ok "$1"
		fi
	else
		not_ok "$1" "$why"
	fi
}

# ---- hand-written bad configs ------------------------------------------------
for e in "$cfg"/bad/*.expect; do
	[ -e "$e" ] || continue
	name=$(basename "$e" .expect)
	run "$cfg/bad" "$name.conf"
	check_expect "$name" "$e" >"$tmp/why"
	finish "bad/$name"
done

# ---- generated bad configs ---------------------------------------------------
gen=$tmp/gen
mkdir -p "$gen"
for name in $generated; do
	case $name in
	nul-bytes)
		printf 'global_defs {\n    router_id lbha\000test\n}\n' >"$gen/$name.conf"
		printf 'exit 1\n2:binary data\n' >"$gen/$name.expect"
		;;
	long-line)
		awk 'BEGIN { printf "global_defs {\n    router_id ";
			     for (i = 0; i < 70000; i++) printf "x"; printf "\n}\n" }' >"$gen/$name.conf"
		printf 'exit 1\n2:longer\n' >"$gen/$name.expect"
		;;
	deep-nesting)
		awk 'BEGIN { for (i = 0; i < 100; i++) printf "block%d {\n", i;
			     for (i = 0; i < 100; i++) printf "}\n" }' >"$gen/$name.conf"
		printf 'exit 1\n*:nested\n' >"$gen/$name.expect"
		;;
	garbage-10mb)
		# Every line an unknown keyword: lbha must cap its messages, not
		# print a million of them, and finish.
		yes 'garbage_keyword with some arguments' | head -c 10485760 >"$gen/$name.conf"
		printf 'exit 1\n1:garbage_keyword\n' >"$gen/$name.expect"
		;;
	esac
	run "$gen" "$name.conf"
	check_expect "$name" "$gen/$name.expect" >"$tmp/why"
	lines=$(wc -l <"$tmp/out")
	if [ "$lines" -gt 2000 ]; then
		echo "$lines lines of output: diagnostics are not capped" >>"$tmp/why"
	fi
	finish "generated/$name"
done

for name in $generated_good; do
	{
		yes '# padding: a big config is mostly comments' | head -c 10485760
		printf '\n'
		cat "$cfg/good/dr.conf"
	} >"$gen/$name.conf"
	run "$gen" "$name.conf"
	: >"$tmp/why"
	[ "$rc" -eq 0 ] || echo "exit $rc, expected 0" >>"$tmp/why"
	grep -q 'error:' "$tmp/out" && echo "prints an error" >>"$tmp/why"
	finish "generated/$name"
done

# ---- good configs ------------------------------------------------------------
for c in "$cfg"/good/*.conf; do
	[ -f "$c" ] || continue
	name=$(basename "$c" .conf)
	run "$cfg/good" "$name.conf"
	: >"$tmp/why"
	[ "$rc" -eq 0 ] || echo "exit $rc, expected 0" >>"$tmp/why"
	grep -q 'error:' "$tmp/out" && echo "prints an error" >>"$tmp/why"
	finish "good/$name"
done

# ---- the sample config lbha installs -------------------------------------------
run "$top_srcdir/etc" lbha.conf
: >"$tmp/why"
[ "$rc" -eq 0 ] || echo "exit $rc, expected 0" >>"$tmp/why"
grep -q 'error:' "$tmp/out" && echo "prints an error" >>"$tmp/why"
grep -q 'not supported' "$tmp/out" && echo "uses a keyword lbha does not support" >>"$tmp/why"
finish "etc/lbha.conf"
exit 0
