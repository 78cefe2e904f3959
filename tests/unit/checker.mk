# Unit tests of the checker's IPVS reconcile (checker/libchecker.a), no kernel
# needed.  Included from checker/ipvs.mk.
CHECKER_TESTS = \
	tests/unit/test-ipvs-desired \
	tests/unit/test-ipvs-diff

if HAVE_CMOCKA
check_PROGRAMS += $(CHECKER_TESTS)
TESTS += $(CHECKER_TESTS)
endif

CHECKER_TEST_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS) \
	$(LIBNL_GENL_LIBS) $(LIBNL_LIBS)

tests_unit_test_ipvs_desired_SOURCES = tests/unit/test-ipvs-desired.c tests/unit/test-config-util.h
tests_unit_test_ipvs_desired_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_desired_LDADD = $(CHECKER_TEST_LDADD)
tests_unit_test_ipvs_diff_SOURCES = tests/unit/test-ipvs-diff.c
tests_unit_test_ipvs_diff_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_diff_LDADD = $(CHECKER_TEST_LDADD)
