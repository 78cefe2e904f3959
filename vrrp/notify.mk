# vrrp/notify.mk: notify scripts and notify_fifo (vrrp/vrrp_notify.c); sources and tests.
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_notify.c vrrp/vrrp_notify.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vrrp-notify
TESTS += tests/unit/test-vrrp-notify
endif
tests_unit_test_vrrp_notify_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_vrrp_notify_CPPFLAGS = $(AM_CPPFLAGS) -DSPAWN_TEST_DATA='"$(abs_top_srcdir)/tests/unit/data/spawn"'
tests_unit_test_vrrp_notify_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/data/spawn/notify-append.sh tests/unit/data/spawn/args.sh
