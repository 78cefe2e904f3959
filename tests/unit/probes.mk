# Unit tests of the checker's probes (pure parts).  Included from
# checker/probes.mk.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-http-verdict
TESTS += tests/unit/test-http-verdict
endif
tests_unit_test_http_verdict_SOURCES = tests/unit/test-http-verdict.c
tests_unit_test_http_verdict_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBCURL_CFLAGS) \
	$(OPENSSL_CFLAGS)
tests_unit_test_http_verdict_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a \
	$(CMOCKA_LIBS) $(LIBCURL_LIBS) $(OPENSSL_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-http1-parse
TESTS += tests/unit/test-http1-parse
endif
tests_unit_test_http1_parse_SOURCES = tests/unit/test-http1-parse.c
tests_unit_test_http1_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_http1_parse_LDADD = checker/libchecker.a $(CMOCKA_LIBS)
