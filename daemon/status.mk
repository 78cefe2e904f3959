# daemon/status.mk: `lbha status [--json]` reads the children's status files
# back with a strict, bounded JSON reader (lib/json_parse.c) and prints them
# as a table (daemon/status_table.c, pure: parsed JSON in, text out).
# daemon/status.c itself is listed in daemon/local.mk (lbha) and
# tests/unit/daemon.mk (test-status).
lib_liblbha_a_SOURCES += lib/json_parse.c lib/json_parse.h lib/hex_digit.h
lbha_SOURCES += daemon/status_table.c daemon/status_table.h
# status.c prints through status_table.c.
tests_unit_test_status_SOURCES += daemon/status_table.c daemon/status_table.h

STATUS_TESTS = \
	tests/unit/test-json-parse \
	tests/unit/test-status-table

if HAVE_CMOCKA
check_PROGRAMS += $(STATUS_TESTS)
TESTS += $(STATUS_TESTS)
endif

tests_unit_test_json_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_json_parse_LDADD = lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_status_table_SOURCES = tests/unit/test-status-table.c \
	daemon/status_table.c daemon/status_table.h
tests_unit_test_status_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_status_table_LDADD = lib/liblbha.a $(CMOCKA_LIBS)

# Root suite (SKIP without root, python3 or setpriv): lbha status and
# --json against a live daemon, as root and as user nobody.
TESTS += tests/integration/status.sh
EXTRA_DIST += tests/integration/status.sh
