# Root-only suites: each checks for root itself and reports SKIP with the
# reason otherwise.  They share tests/integration/netns.sh.
TESTS += \
	tests/integration/interfaces.sh
EXTRA_DIST += \
	tests/integration/netns.sh \
	tests/integration/interfaces.sh
# Suites that need neither root nor a network.
TESTS += \
	tests/integration/cli.sh \
	tests/integration/notify.sh
EXTRA_DIST += \
	tests/integration/cli.sh \
	tests/integration/notify.sh
