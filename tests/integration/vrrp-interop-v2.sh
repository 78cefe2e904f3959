#!/bin/sh
# The VRRPv2 rounds (advert_int 1) of the keepalived interop suite,
# vrrp-interop.sh, in a file of their own so each suite stays short.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
INTEROP_SET=v2
. "$top_srcdir/tests/integration/vrrp-interop.sh"
