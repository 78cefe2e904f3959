# vrrp/socket.mk: raw IP protocol 112 sockets (vrrp_socket) and their test.
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_socket.c vrrp/vrrp_socket.h

# Needs root and a private network namespace; skips itself otherwise.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vrrp-socket
TESTS += tests/unit/test-vrrp-socket
endif
tests_unit_test_vrrp_socket_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_socket_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)
