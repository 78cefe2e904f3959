# lib/: no knowledge of VRRP or IPVS.
noinst_LIBRARIES += lib/liblbha.a
lib_liblbha_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
lib_liblbha_a_SOURCES = \
	lib/xalloc.c lib/xalloc.h \
	lib/monotonic.h \
	lib/json_out.c lib/json_out.h \
	lib/diag.c lib/diag.h \
	lib/conf_lexer.c lib/conf_lexer.h \
	lib/conf_macro.c lib/conf_macro.h \
	lib/conf_parse.c lib/conf_parse.h \
	lib/log.c lib/log.h \
	lib/ratelimit.c lib/ratelimit.h \
	lib/ipc.c lib/ipc.h \
	lib/channel.c lib/channel.h \
	lib/pidfile.c lib/pidfile.h \
	lib/backoff.c lib/backoff.h \
	lib/timer_set.c lib/timer_set.h \
	lib/atomic_file.c lib/atomic_file.h \
	lib/daemonize.c lib/daemonize.h \
	lib/event_signals.c lib/event_signals.h \
	lib/control.c lib/control.h
