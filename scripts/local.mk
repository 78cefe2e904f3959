dist_noinst_SCRIPTS += scripts/install-deps
dist_noinst_SCRIPTS += scripts/test-all
dist_noinst_SCRIPTS += scripts/demo
dist_noinst_SCRIPTS += scripts/valgrind-units
