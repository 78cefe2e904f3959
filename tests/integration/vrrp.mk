# VRRP failover lab.  vrrp_lab.sh is the library the VRRP namespace suites
# source (two directors, a client, a dual-holder sampler); the keepalived
# suite proves it with Debian's keepalived on both directors.  Root only: it
# reports SKIP without root, keepalived or python3.
TESTS += \
	tests/integration/vrrp-keepalived-lab.sh
EXTRA_DIST += \
	tests/integration/vrrp_lab.sh \
	tests/integration/vrrp_lab_udp.py \
	tests/integration/vrrp-keepalived-lab.sh
