# daemon/: the lbha binary, its process skeleton (parent, supervisor, child
# frame, status) and the lib/ glue it needs.  The config schema is in
# daemon/config.mk (daemon/libconfig.a).

# Every library the children will link, in dependency order.
LBHA_LIBS = \
	vrrp/libvrrp.a checker/libchecker.a daemon/libconfig.a lib/liblbha.a
LBHA_EXTERNAL_LIBS = \
	$(LIBSYSTEMD_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(LIBMNL_LIBS) \
	$(LIBCURL_LIBS) $(OPENSSL_LIBS)

sbin_PROGRAMS += lbha
lbha_SOURCES = \
	daemon/main.c \
	daemon/options.c daemon/options.h \
	daemon/parent.c daemon/parent.h \
	daemon/supervisor.c daemon/supervisor.h \
	daemon/child.c daemon/child.h \
	daemon/msg.h \
	daemon/status.c daemon/status.h
lbha_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
lbha_LDADD = $(LBHA_LIBS) $(LBHA_EXTERNAL_LIBS)
