# vrrp/packet.mk: the VRRP advertisement codec and its tests.
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_packet.c vrrp/vrrp_packet.h

VRRP_PACKET_TEST_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vrrp-packet
TESTS += tests/unit/test-vrrp-packet
endif
tests_unit_test_vrrp_packet_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_packet_LDADD = $(VRRP_PACKET_TEST_LDADD)

# Writes a pcap of our adverts for tshark to judge (test-vrrp-tshark.sh);
# needs no cmocka.
check_PROGRAMS += tests/unit/vrrp-pcap
tests_unit_vrrp_pcap_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a
TESTS += tests/unit/test-vrrp-tshark.sh
EXTRA_DIST += tests/unit/test-vrrp-tshark.sh
