# tests/unit/ipvs.mk: unit tests of lib/ipvs (no kernel needed).
IPVS_UNIT_TESTS = \
	tests/unit/test-ipvs-table \
	tests/unit/test-ipvs-msg

if HAVE_CMOCKA
check_PROGRAMS += $(IPVS_UNIT_TESTS)
TESTS += $(IPVS_UNIT_TESTS)
endif

IPVS_UNIT_LDADD = lib/liblbha.a $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ipvs_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_table_LDADD = $(IPVS_UNIT_LDADD)
tests_unit_test_ipvs_msg_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
tests_unit_test_ipvs_msg_LDADD = $(IPVS_UNIT_LDADD)
