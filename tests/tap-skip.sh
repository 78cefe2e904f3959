#!/bin/sh
# Run a TAP test program and pass its output on with one fix: cmocka 1.1.x
# prints a skipped test as "not ok N # SKIP", which the TAP driver counts as a
# failure; TAP says a skip is "ok N # SKIP".  The program's exit status is
# kept.
#
# LBHA_SKIP_DIRS="tests/vm ..." (with LBHA_SKIP_WHY): suites under those
# directories report one SKIP with the reason instead of running;
# scripts/test-all sets them for passes that repeat suites already run.
for dir in ${LBHA_SKIP_DIRS:-}; do
	case "$1" in
	*"$dir"/*) echo "1..0 # SKIP ${LBHA_SKIP_WHY:-skipped in this pass}"; exit 0 ;;
	esac
done
exec 4>&1
status=$( { { "$@"; echo $? >&3; } | sed 's/^not ok \([0-9]*\) # SKIP/ok \1 # SKIP/' >&4; } 3>&1 )
exit "$status"
