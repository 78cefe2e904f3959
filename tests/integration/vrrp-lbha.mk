# lbha as both VRRP directors in the namespace lab (vrrp_lab.sh): election,
# kill -9, preempt, SIGTERM skew takeover, nopreempt, preempt_delay, a VIP
# deleted by hand, the handover drill, the dual-holder sampler.  Root only:
# it reports SKIP without root or python3.
TESTS += \
	tests/integration/vrrp-lbha-failover.sh
EXTRA_DIST += \
	tests/integration/vrrp-lbha-failover.sh
