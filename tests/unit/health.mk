# tests/unit/health.mk: unit tests of checker/health.c,
# checker/slow_start.c and checker/status_pace.c (fake clock, fixed seeds;
# no I/O), and of the slow start ramp on the runtime's shared timer set
# (test-servers-timers: a real sd-event loop and MISC_CHECK scripts, a few
# seconds).  Included from tests/local.mk, after checker/health.mk.
HEALTH_TESTS = \
	tests/unit/test-health \
	tests/unit/test-slow-start \
	tests/unit/test-status-pace \
	tests/unit/test-servers-timers

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
tests_unit_test_status_pace_SOURCES = tests/unit/test-status-pace.c
tests_unit_test_status_pace_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_status_pace_LDADD = $(HEALTH_TEST_LDADD)
tests_unit_test_servers_timers_SOURCES = tests/unit/test-servers-timers.c \
	tests/unit/test-config-util.h daemon/metrics_text.c
tests_unit_test_servers_timers_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_servers_timers_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a \
	$(CMOCKA_LIBS) $(LBHA_EXTERNAL_LIBS)
