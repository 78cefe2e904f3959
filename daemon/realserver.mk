# realserver.mk: `lbha realserver` (LVS-DR/TUN set-up of a real server) and
# `lbha -t`'s preflight warnings about the director's host.  The decisions
# (realserver_plan, realserver_state, preflight_rules) are pure and
# unit-tested; realserver.c and preflight.c are the I/O around them.
lbha_SOURCES += \
	daemon/realserver.c daemon/realserver.h \
	daemon/realserver_plan.c daemon/realserver_plan.h \
	daemon/realserver_state.c daemon/realserver_state.h \
	daemon/preflight.c daemon/preflight.h \
	daemon/preflight_rules.c daemon/preflight_rules.h

REALSERVER_TESTS = \
	tests/unit/test-realserver-plan \
	tests/unit/test-realserver-state \
	tests/unit/test-preflight-rules

if HAVE_CMOCKA
check_PROGRAMS += $(REALSERVER_TESTS)
TESTS += $(REALSERVER_TESTS)
endif

tests_unit_test_realserver_plan_SOURCES = tests/unit/test-realserver-plan.c \
	daemon/realserver_plan.c daemon/realserver_plan.h
tests_unit_test_realserver_plan_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_realserver_plan_LDADD = daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_realserver_state_SOURCES = tests/unit/test-realserver-state.c \
	daemon/realserver_state.c daemon/realserver_state.h \
	daemon/realserver_plan.c daemon/realserver_plan.h
tests_unit_test_realserver_state_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_realserver_state_LDADD = daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

tests_unit_test_preflight_rules_SOURCES = tests/unit/test-preflight-rules.c \
	daemon/preflight_rules.c daemon/preflight_rules.h \
	daemon/realserver_plan.c daemon/realserver_plan.h
tests_unit_test_preflight_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_preflight_rules_LDADD = daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)

# Root suites in private network namespaces (skip with the reason otherwise).
TESTS += \
	tests/integration/realserver.sh \
	tests/integration/preflight.sh
EXTRA_DIST += \
	tests/integration/realserver.sh \
	tests/integration/preflight.sh

# The same suite in the VM, whose kernel has ipip (the TUN half).
TESTS += tests/vm/realserver.sh
EXTRA_DIST += tests/vm/realserver.sh
