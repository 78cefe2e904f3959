# vrrp/: the VRRP child (linked into lbha, see daemon/local.mk).  The pure
# parts and their tests have their own fragments (vrrp/packet.mk, fsm.mk,
# announce.mk, socket.mk, notify.mk); this one holds the glue around them.
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp_child.c vrrp/vrrp_child.h \
	vrrp/vrrp_ctx.h \
	vrrp/vrrp_instance.c \
	vrrp/vrrp_sockpool.c \
	vrrp/vrrp_links.c \
	vrrp/vrrp_addrs.c \
	vrrp/vrrp_track.c \
	vrrp/vrrp_priority.c vrrp/vrrp_priority.h \
	vrrp/vrrp_sync.c \
	vrrp/vrrp_status.c \
	vrrp/vrrp_control.c \
	vrrp/vrrp_lvs_sync.c vrrp/vrrp_lvs_sync.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
