# vrrp/fsm.mk: the pure VRRP state machine (RFC 5798/9568 section 6) and its tests
# (RFC transitions, outside events, randomized invariants; one fake-clock rig).
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_fsm.c vrrp/vrrp_fsm.h

VRRP_FSM_TESTS = \
	tests/unit/test-vrrp-fsm \
	tests/unit/test-vrrp-fsm-events \
	tests/unit/test-vrrp-fsm-random

if HAVE_CMOCKA
check_PROGRAMS += $(VRRP_FSM_TESTS)
TESTS += $(VRRP_FSM_TESTS)
endif

VRRP_FSM_TEST_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a $(CMOCKA_LIBS)
tests_unit_test_vrrp_fsm_SOURCES = tests/unit/test-vrrp-fsm.c tests/unit/test-vrrp-fsm-rig.h
tests_unit_test_vrrp_fsm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_fsm_LDADD = $(VRRP_FSM_TEST_LDADD)
tests_unit_test_vrrp_fsm_events_SOURCES = tests/unit/test-vrrp-fsm-events.c tests/unit/test-vrrp-fsm-rig.h
tests_unit_test_vrrp_fsm_events_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_fsm_events_LDADD = $(VRRP_FSM_TEST_LDADD)
tests_unit_test_vrrp_fsm_random_SOURCES = tests/unit/test-vrrp-fsm-random.c tests/unit/test-vrrp-fsm-rig.h
tests_unit_test_vrrp_fsm_random_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_fsm_random_LDADD = $(VRRP_FSM_TEST_LDADD)
