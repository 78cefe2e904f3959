# tests/unit/health.mk: unit tests of checker/health.c and
# checker/slow_start.c (fake clock, fixed seeds; no I/O).  Included from
# tests/local.mk, after checker/health.mk.
HEALTH_TESTS = \
	tests/unit/test-health \
	tests/unit/test-slow-start

if HAVE_CMOCKA
check_PROGRAMS += $(HEALTH_TESTS)
TESTS += $(HEALTH_TESTS)
endif

HEALTH_TEST_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_health_SOURCES = tests/unit/test-health.c
tests_unit_test_health_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_health_LDADD = $(HEALTH_TEST_LDADD)
tests_unit_test_slow_start_SOURCES = tests/unit/test-slow-start.c
tests_unit_test_slow_start_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_slow_start_LDADD = $(HEALTH_TEST_LDADD)
