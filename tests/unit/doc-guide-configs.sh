#!/bin/sh
# Every config example of the operator guide loads: each fenced block that
# opens with ```conf in doc/guide.md is a whole lbha.conf and must pass
# `lbha -t` (TAP, one test per block; its warnings are shown as comments).
# Fragments that are not whole files use another fence (```text).
#
#   LBHA=path/to/lbha top_srcdir=... sh tests/unit/doc-guide-configs.sh
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LBHA=${LBHA:-./lbha}
guide=$top_srcdir/doc/guide.md

if [ ! -x "$LBHA" ]; then
	echo "1..0 # SKIP lbha binary not built ($LBHA)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc-guide.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# block-N.conf gets the text of the Nth ```conf block; block-N.line its line.
awk -v dir="$tmp" '
/^```conf[ \t]*$/ { n++; f = dir "/block-" n ".conf"; print NR + 1 > (dir "/block-" n ".line"); inside = 1; next }
inside && /^```[ \t]*$/ { inside = 0; close(f); next }
inside { print > f }
END { if (inside) { print "unterminated block " n > "/dev/stderr"; exit 1 } }
' "$guide" || { echo "1..1"; echo "not ok 1 - doc/guide.md has an unterminated \`\`\`conf block"; exit 1; }

n=$(ls "$tmp" | grep -c '^block-.*\.conf$')
if [ "$n" -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - doc/guide.md has no \`\`\`conf block"
	exit 1
fi
echo "1..$n"
fail=0
i=1
while [ "$i" -le "$n" ]; do
	line=$(cat "$tmp/block-$i.line")
	if out=$("$LBHA" -t -f "$tmp/block-$i.conf" 2>&1); then
		echo "ok $i - doc/guide.md:$line: the config passes lbha -t"
	else
		fail=1
		echo "not ok $i - doc/guide.md:$line: lbha -t rejects the config"
	fi
	[ -n "$out" ] && printf '%s\n' "$out" | sed "s|$tmp/block-$i.conf|guide block $i|; s/^/# /"
	i=$((i + 1))
done
exit $fail
