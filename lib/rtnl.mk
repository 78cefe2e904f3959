# lib/rtnl.mk: rtnetlink helpers over libmnl (addresses, routes, links, monitor).
# libmnl's pkg-config cflags are empty on Debian; programs that use rtnl link
# $(LIBMNL_LIBS) themselves (a static archive pulls in only what is used).
lib_liblbha_a_SOURCES += \
	lib/rtnl.c lib/rtnl.h lib/rtnl_msg.h \
	lib/rtnl_addr.c \
	lib/rtnl_route.c \
	lib/rtnl_link.c \
	lib/rtnl_monitor.c

# Needs root and unshare(CLONE_NEWNET); skips every case (with the reason) otherwise.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-rtnl
TESTS += tests/unit/test-rtnl
endif
tests_unit_test_rtnl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_rtnl_LDADD = lib/liblbha.a $(LIBMNL_LIBS) $(CMOCKA_LIBS)
