# vrrp/announce.mk: gratuitous ARP / unsolicited NA frames, their sender and
# their schedule (garp_master_*).
vrrp_libvrrp_a_SOURCES += \
	vrrp/vrrp_announce.c vrrp/vrrp_announce.h \
	vrrp/vrrp_announce_sched.c vrrp/vrrp_announce_sched.h

ANNOUNCE_TESTS = \
	tests/unit/test-vrrp-announce \
	tests/unit/test-vrrp-announce-tshark \
	tests/unit/test-vrrp-announce-netns

if HAVE_CMOCKA
check_PROGRAMS += $(ANNOUNCE_TESTS)
TESTS += $(ANNOUNCE_TESTS)
endif

ANNOUNCE_TEST_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)
tests_unit_test_vrrp_announce_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_announce_LDADD = $(ANNOUNCE_TEST_LDADD)
tests_unit_test_vrrp_announce_tshark_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_announce_tshark_LDADD = $(ANNOUNCE_TEST_LDADD)
tests_unit_test_vrrp_announce_netns_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_announce_netns_LDADD = $(ANNOUNCE_TEST_LDADD)
