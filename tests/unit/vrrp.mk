# Unit tests of the VRRP glue's pure helpers and lib/control.
VRRP_GLUE_TESTS = \
	tests/unit/test-vrrp-priority \
	tests/unit/test-control \
	tests/unit/test-vrrp-lvs-sync

if HAVE_CMOCKA
check_PROGRAMS += $(VRRP_GLUE_TESTS)
TESTS += $(VRRP_GLUE_TESTS)
endif

tests_unit_test_vrrp_priority_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_priority_LDADD = vrrp/libvrrp.a $(CMOCKA_LIBS)
tests_unit_test_control_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_control_LDADD = lib/liblbha.a $(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/test-inet-util.h
tests_unit_test_vrrp_lvs_sync_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_lvs_sync_LDADD = vrrp/libvrrp.a lib/liblbha.a \
	$(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(CMOCKA_LIBS)
