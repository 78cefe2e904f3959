# The top-level SSL block of the config (daemon/config_ssl.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-config-ssl
TESTS += tests/unit/test-config-ssl
endif
tests_unit_test_config_ssl_SOURCES = tests/unit/test-config-ssl.c tests/unit/test-config-util.h
tests_unit_test_config_ssl_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_ssl_LDADD = $(CONFIG_TEST_LDADD)
