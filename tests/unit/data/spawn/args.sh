#!/bin/sh
# test-vrrp-notify: write the argument count, then each argument on its own
# line, to the file $1 (appending, one block per run).
f=$1
shift
printf '%s\n' "$#" "$@" >> "$f"
