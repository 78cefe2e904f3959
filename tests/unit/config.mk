# Unit tests of the config schema (daemon/libconfig.a).
CONFIG_TESTS = \
	tests/unit/test-config-engine \
	tests/unit/test-config-vrrp \
	tests/unit/test-config-vs \
	tests/unit/test-config-validate \
	tests/unit/test-config-dump

if HAVE_CMOCKA
check_PROGRAMS += $(CONFIG_TESTS)
TESTS += $(CONFIG_TESTS)
endif

EXTRA_DIST += tests/unit/test-config-util.h tests/unit/data/config

CONFIG_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DCONFIG_TEST_DATA='"$(abs_top_srcdir)/tests/unit/data/config"' \
	-DKEEPALIVED_SAMPLES='"/usr/share/doc/keepalived/samples"'
CONFIG_TEST_LDADD = daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_config_engine_SOURCES = tests/unit/test-config-engine.c tests/unit/test-config-util.h
tests_unit_test_config_engine_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_engine_LDADD = $(CONFIG_TEST_LDADD)
tests_unit_test_config_vrrp_SOURCES = tests/unit/test-config-vrrp.c tests/unit/test-config-util.h
tests_unit_test_config_vrrp_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_vrrp_LDADD = $(CONFIG_TEST_LDADD)
tests_unit_test_config_vs_SOURCES = tests/unit/test-config-vs.c tests/unit/test-config-util.h
tests_unit_test_config_vs_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_vs_LDADD = $(CONFIG_TEST_LDADD)
tests_unit_test_config_validate_SOURCES = tests/unit/test-config-validate.c tests/unit/test-config-util.h
tests_unit_test_config_validate_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_validate_LDADD = $(CONFIG_TEST_LDADD)
tests_unit_test_config_dump_SOURCES = tests/unit/test-config-dump.c tests/unit/test-config-util.h
tests_unit_test_config_dump_CFLAGS = $(CONFIG_TEST_CFLAGS)
tests_unit_test_config_dump_LDADD = $(CONFIG_TEST_LDADD)
