# Test harness.  Each part owns a fragment; every suite speaks TAP.
# Shell suites (*.sh) run with $(SHELL) so they need no exec bit in a tarball.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
SH_LOG_DRIVER = $(LOG_DRIVER)

include tests/unit/lib.mk
include tests/unit/config.mk
include tests/unit/ssl.mk
include tests/unit/daemon.mk
include tests/unit/keywords.mk
include tests/unit/vrrp.mk
include tests/configs/local.mk
include tests/integration/local.mk
include tests/integration/vrrp.mk
include tests/integration/vrrp-lbha-features.mk
include tests/integration/vrrp-lbha.mk
include tests/integration/vrrp-interop.mk
include tests/vm/local.mk
include tests/unit/ipvs.mk
include tests/unit/health.mk
include tests/vm/ipvs.mk
include tests/vm/checker-ipvs.mk
include tests/vm/vrrp.mk
include tests/vm/ipvs-client.mk
include tests/integration/checker-health.mk
include tests/integration/checker-health2.mk
include tests/integration/reload.mk
include tests/vm/reload.mk
include tests/vm/demo.mk
include tests/integration/drills.mk
include tests/vm/drills.mk
