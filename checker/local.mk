# checker/: the checker child (linked into lbha, see daemon/local.mk).
noinst_LIBRARIES += checker/libchecker.a
checker_libchecker_a_SOURCES = \
	checker/checker_child.c checker/checker_child.h
checker_libchecker_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
