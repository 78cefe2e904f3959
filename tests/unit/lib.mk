# Unit tests of lib/.
LIB_TESTS = \
	tests/unit/test-diag \
	tests/unit/test-conf-lexer \
	tests/unit/test-conf-macro \
	tests/unit/test-conf-parse \
	tests/unit/test-xalloc \
	tests/unit/test-atomic-file \
	tests/unit/test-event-signals \
	tests/unit/test-json-out \
	tests/unit/test-timer-set

if HAVE_CMOCKA
check_PROGRAMS += $(LIB_TESTS)
TESTS += $(LIB_TESTS)
endif

LIB_TEST_LDADD = lib/liblbha.a $(CMOCKA_LIBS)
tests_unit_test_diag_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_conf_lexer_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_conf_macro_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_conf_parse_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_diag_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_conf_lexer_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_conf_macro_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_conf_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xalloc_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_atomic_file_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_xalloc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_atomic_file_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_event_signals_LDADD = $(LIB_TEST_LDADD) $(LIBSYSTEMD_LIBS)
tests_unit_test_event_signals_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_json_out_LDADD = $(LIB_TEST_LDADD)
tests_unit_test_json_out_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_timer_set_LDADD = $(LIB_TEST_LDADD) $(LIBSYSTEMD_LIBS)
tests_unit_test_timer_set_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
