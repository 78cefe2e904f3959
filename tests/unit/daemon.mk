# Unit tests of the process skeleton (daemon/ and its lib/ glue), and the
# daemon's integration test (no root needed: loopback only, temp dirs).
DAEMON_TESTS = \
	tests/unit/test-log \
	tests/unit/test-ratelimit \
	tests/unit/test-backoff \
	tests/unit/test-ipc \
	tests/unit/test-channel \
	tests/unit/test-pidfile \
	tests/unit/test-options \
	tests/unit/test-status

if HAVE_CMOCKA
check_PROGRAMS += $(DAEMON_TESTS)
TESTS += $(DAEMON_TESTS)
endif

DAEMON_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
DAEMON_TEST_LDADD = lib/liblbha.a $(CMOCKA_LIBS) $(LIBSYSTEMD_LIBS)

tests_unit_test_log_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_log_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_ratelimit_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_ratelimit_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_backoff_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_backoff_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_ipc_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_ipc_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_channel_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_channel_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_pidfile_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_pidfile_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_options_SOURCES = tests/unit/test-options.c daemon/options.c daemon/options.h
tests_unit_test_options_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_options_LDADD = $(DAEMON_TEST_LDADD)
tests_unit_test_status_SOURCES = tests/unit/test-status.c daemon/status.c daemon/status.h
tests_unit_test_status_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_status_LDADD = $(DAEMON_TEST_LDADD)

# Starts lbha (-n -l, temp runtime dir), kills and reloads it: needs the
# binary, not root.
TESTS += tests/integration/daemon.sh
EXTRA_DIST += tests/integration/daemon.sh
