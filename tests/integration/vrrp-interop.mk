# Interop with Debian's keepalived: lbha and keepalived as the two directors
# of one virtual router, in both roles, v2 and v3, multicast and unicast,
# IPv4 and IPv6; tshark judges lbha's frames on the lab's bridge.  Root
# only: SKIP without root, keepalived, python3 (tshark: its tests SKIP).
TESTS += \
	tests/integration/vrrp-interop.sh \
	tests/integration/vrrp-interop-v2.sh
EXTRA_DIST += \
	tests/integration/vrrp-interop.sh \
	tests/integration/vrrp-interop-v2.sh
