#!/bin/sh
# test-vrrp-notify: append the arguments after $1 to the file $1, slowly
# (a run that overtook an earlier one would show up out of order).
f=$1
shift
sleep 0.1
echo "$*" >> "$f"
