# checker/health.mk: the pure health logic of the checker (per-checker state
# machine, per-real-server tally, slow start).  Included after
# checker/local.mk; its tests are in tests/unit/health.mk.
checker_libchecker_a_SOURCES += \
	checker/health.c checker/health.h \
	checker/slow_start.c checker/slow_start.h
