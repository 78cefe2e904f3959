# The keepalived keyword table (the test includes the .c itself).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-keepalived-keywords
TESTS += tests/unit/test-keepalived-keywords
endif
tests_unit_test_keepalived_keywords_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_keepalived_keywords_LDADD = $(CMOCKA_LIBS)
