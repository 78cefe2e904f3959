# daemon/metrics.mk: Prometheus metrics over HTTP (global_defs metrics_address,
# metrics_port) and the systemd watchdog decision.
#
# The parent serves GET /metrics (daemon/metrics_http.c) with its own
# families (daemon/metrics_parent.c) and the latest text each child sent
# (MSG_METRICS): vrrp/vrrp_metrics.c, checker/checker_metrics.c.  The
# exposition-format writer (daemon/metrics_text.c) is linked into lbha, and
# into each unit test that needs it.
lbha_SOURCES += \
	daemon/metrics_text.c daemon/metrics_text.h \
	daemon/metrics_http.c daemon/metrics_http.h \
	daemon/metrics_parent.c daemon/metrics_parent.h \
	daemon/watchdog.c daemon/watchdog.h
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_metrics.c vrrp/vrrp_metrics.h
checker_libchecker_a_SOURCES += checker/checker_metrics.c checker/checker_metrics.h

METRICS_TESTS = \
	tests/unit/test-metrics-text \
	tests/unit/test-metrics-http \
	tests/unit/test-watchdog \
	tests/unit/test-vrrp-metrics \
	tests/unit/test-checker-metrics

if HAVE_CMOCKA
check_PROGRAMS += $(METRICS_TESTS)
TESTS += $(METRICS_TESTS)
endif

METRICS_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)

tests_unit_test_metrics_text_SOURCES = tests/unit/test-metrics-text.c \
	daemon/metrics_text.c daemon/metrics_parent.c
tests_unit_test_metrics_text_CFLAGS = $(METRICS_TEST_CFLAGS)
tests_unit_test_metrics_text_LDADD = lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_metrics_http_SOURCES = tests/unit/test-metrics-http.c \
	daemon/metrics_text.c daemon/metrics_http.c
tests_unit_test_metrics_http_CFLAGS = $(METRICS_TEST_CFLAGS)
tests_unit_test_metrics_http_LDADD = daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS) \
	$(LIBSYSTEMD_LIBS)

tests_unit_test_watchdog_SOURCES = tests/unit/test-watchdog.c daemon/watchdog.c
tests_unit_test_watchdog_CFLAGS = $(METRICS_TEST_CFLAGS)
tests_unit_test_watchdog_LDADD = $(CMOCKA_LIBS)

tests_unit_test_vrrp_metrics_SOURCES = tests/unit/test-vrrp-metrics.c daemon/metrics_text.c
tests_unit_test_vrrp_metrics_CFLAGS = $(METRICS_TEST_CFLAGS)
tests_unit_test_vrrp_metrics_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a \
	$(CMOCKA_LIBS) $(LIBSYSTEMD_LIBS)

tests_unit_test_checker_metrics_SOURCES = tests/unit/test-checker-metrics.c \
	daemon/metrics_text.c
tests_unit_test_checker_metrics_CFLAGS = $(METRICS_TEST_CFLAGS)
tests_unit_test_checker_metrics_LDADD = $(LBHA_LIBS) $(LBHA_EXTERNAL_LIBS) $(CMOCKA_LIBS)

# Root suites (each reports SKIP without root or its tools), and the unit
# file check (SKIP without systemd-analyze).
TESTS += \
	tests/integration/metrics.sh \
	tests/integration/sd-notify.sh \
	tests/integration/systemd-unit.sh
EXTRA_DIST += \
	tests/integration/metrics.sh \
	tests/integration/sd-notify.sh \
	tests/integration/systemd-unit.sh \
	tests/integration/prom_parse.py
