# Test harness.  Each part owns a fragment under tests/unit/.
include tests/unit/lib.mk
include tests/unit/config.mk
include tests/unit/daemon.mk
