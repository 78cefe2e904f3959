# lib/ipvs.mk: the IPVS generic-netlink client (libnl-3 + libnl-genl-3).
# Programs that use it link $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) themselves.
lib_liblbha_a_SOURCES += \
	lib/ipvs.h \
	lib/ipvs_table.c \
	lib/ipvs_msg.c lib/ipvs_msg.h \
	lib/ipvs.c
lib_liblbha_a_CFLAGS += $(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
