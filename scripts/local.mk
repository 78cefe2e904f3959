dist_noinst_SCRIPTS += scripts/install-deps
