# vrrp/: the VRRP child (linked into lbha, see daemon/local.mk).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp_child.c vrrp/vrrp_child.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
