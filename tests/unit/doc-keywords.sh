#!/bin/sh
# lbha.conf(5) documents every keyword the config schema accepts, and no
# keyword the schema does not know (TAP, one test per keyword).
#
# The schema's side comes from tests/unit/doc-keywords-list (it walks the
# section tables: "KIND SECTION KEYWORD" lines, KIND supported or ignored).
# The man page's side comes from its markup, which is kept regular for this:
#   .\" keywords: SECTION...   the entries below document keywords of these
#                              sections ("top" is the top level of the file)
#   .\" ignored: SECTION...    the lines below list keywords of these sections
#                              that are accepted but ignored, with a warning
#   .\" end-keywords           nothing below counts
# A supported keyword is the first word of a .B/.BI/.BR line right after .TP
# or .TQ; an ignored one the first word of any .B/.BR line.  The page must
# also format without a groff warning.
#
#   top_srcdir=... top_builddir=... sh tests/unit/doc-keywords.sh
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
page=$top_srcdir/doc/lbha.conf.5
lister=$top_builddir/tests/unit/doc-keywords-list

if [ ! -x "$lister" ]; then
	echo "1..0 # SKIP $lister is not built (make check builds it)"
	exit 0
fi
if [ ! -r "$page" ]; then
	echo "1..1"
	echo "not ok 1 - $page cannot be read"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc-keywords.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! "$lister" >"$tmp/schema.raw"; then
	echo "1..1"
	echo "not ok 1 - $lister failed"
	exit 1
fi
LC_ALL=C sort -u "$tmp/schema.raw" >"$tmp/schema"

LC_ALL=C awk '
function word(s) {
	sub(/^\.B[IR]?[ \t]+/, "", s)
	sub(/^"/, "", s)
	sub(/[ \t"].*$/, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\f[BIRP]/, "", s)
	return s
}
function emit(kind, w,    i) {
	if (w == "")
		return
	for (i = 1; i <= n_sec; i++)
		print kind, sec[i], w
}
/^\.\\" keywords:/ || /^\.\\" ignored:/ {
	mode = ($2 == "keywords:") ? "supported" : "ignored"
	n_sec = 0
	for (i = 3; i <= NF; i++)
		sec[++n_sec] = $i
	tag = 0
	next
}
/^\.\\" end-keywords/ { mode = ""; next }
mode == "supported" && tag && /^\.B[IR]?[ \t]/ { emit("supported", word($0)) }
mode == "ignored" && /^\.BR?[ \t]/ { emit("ignored", word($0)) }
{ tag = /^\.T[PQ]([ \t]|$)/ }
' "$page" | LC_ALL=C sort -u >"$tmp/doc"

LC_ALL=C comm -3 "$tmp/schema" "$tmp/doc" >"$tmp/diff"
LC_ALL=C sort -u "$tmp/schema" "$tmp/doc" >"$tmp/all"
total=$(wc -l <"$tmp/all")
echo "1..$((total + 1))"

i=0
fail=0
while read -r kind section keyword; do
	i=$((i + 1))
	line="$kind $section $keyword"
	if grep -qxF "$line" "$tmp/schema" && grep -qxF "$line" "$tmp/doc"; then
		echo "ok $i - $section: $keyword ($kind) is documented"
	elif grep -qxF "$line" "$tmp/schema"; then
		fail=1
		if [ "$kind" = supported ]; then
			echo "not ok $i - $section: $keyword is accepted by the schema but not documented in lbha.conf(5)"
		else
			echo "not ok $i - $section: $keyword is accepted and ignored (a warning) but not listed as such in lbha.conf(5)"
		fi
	else
		fail=1
		if [ "$kind" = supported ]; then
			echo "not ok $i - $section: $keyword is documented in lbha.conf(5) but the schema has no such keyword there"
		else
			echo "not ok $i - $section: $keyword is listed as ignored in lbha.conf(5) but the schema does not ignore it there"
		fi
	fi
done <"$tmp/all"

i=$((i + 1))
if ! command -v groff >/dev/null 2>&1; then
	echo "ok $i # SKIP groff is not installed"
elif out=$(groff -man -ww -z "$page" 2>&1) && [ -z "$out" ]; then
	echo "ok $i - lbha.conf.5 formats without a groff warning"
else
	fail=1
	echo "not ok $i - groff -man -ww -z lbha.conf.5 warns"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
exit $fail
