#!/bin/sh
# test-spawn: leave a background child behind and exit at once; write its pid
# to $1 so the test can check it is gone with the rest of the process group.
sleep 60 &
echo "$!" > "$1"
exit 0
