# lib/spawn.mk: running programs (lib/spawn.c) and the script security check
# (lib/spawn_security.c); sources and tests.
lib_liblbha_a_SOURCES += lib/spawn.c lib/spawn_security.c lib/spawn.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-spawn
TESTS += tests/unit/test-spawn
endif
tests_unit_test_spawn_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_spawn_CPPFLAGS = $(AM_CPPFLAGS) -DSPAWN_TEST_DATA='"$(abs_top_srcdir)/tests/unit/data/spawn"'
tests_unit_test_spawn_LDADD = lib/liblbha.a $(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/data/spawn/env.sh tests/unit/data/spawn/fork-bg.sh
