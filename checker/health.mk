# checker/health.mk: the pure health logic of the checker (per-checker state
# machine, per-real-server tally, slow start).  Included after
# checker/local.mk; its tests are in tests/unit/health.mk.
checker_libchecker_a_SOURCES += \
	checker/health.c checker/health.h \
	checker/slow_start.c checker/slow_start.h

# The runtime around it: real servers and shared probes, probe dispatch,
# notify scripts, the health part of checker.json.
checker_libchecker_a_SOURCES += \
	checker/probe_run.c checker/probe_run.h \
	checker/servers.c checker/servers.h checker/servers_int.h \
	checker/servers_status.c \
	checker/status_pace.c checker/status_pace.h \
	checker/check_notify.c checker/check_notify.h
