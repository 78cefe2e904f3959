# lbha on both directors of the VRRP lab (vrrp_lab.sh): tracking
# (track_interface, track_script, track_file, sync groups) and the other
# modes (unicast, IPv6 with v3, notify scripts and fifo).  Root only: each
# suite reports SKIP without root, python3 or the lbha binary.
TESTS += \
	tests/integration/vrrp-lbha-tracking.sh \
	tests/integration/vrrp-lbha-modes.sh
EXTRA_DIST += \
	tests/integration/vrrp_lbha_checks.sh \
	tests/integration/vrrp-lbha-tracking.sh \
	tests/integration/vrrp-lbha-modes.sh
