# checker/ipvs.mk: the IPVS reconcile of the checker child (wanted table,
# diff, owned set, the reconcile loop).  Included after checker/local.mk.
checker_libchecker_a_SOURCES += \
	checker/ipvs_desired.c checker/ipvs_desired.h \
	checker/kernel_seed.c checker/kernel_seed.h \
	checker/ipvs_diff.c checker/ipvs_diff.h \
	checker/ipvs_owned.c checker/ipvs_owned.h \
	checker/reconcile.c checker/reconcile.h

# Its unit tests (kept with the code they test; see tests/unit/checker.mk).
include tests/unit/checker.mk
