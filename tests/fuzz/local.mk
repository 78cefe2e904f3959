# tests/fuzz/local.mk: fuzz targets for the parsers that read what others
# send us (config text, VRRP adverts, HTTP responses, IPVS netlink replies)
# and the JSON status files `lbha status` reads back.
#
#   make fuzz                       build the libFuzzer targets (clang)
#   make fuzz-run FUZZ_SECONDS=600  fuzz each target longer than make check does
#
# Two suites in make check: replay.sh replays every corpus file through the
# targets built by the normal compiler (so a fixed crash stays fixed without
# clang); run.sh fuzzes each target FUZZ_SECONDS (30) with ASan+UBSan, two
# at a time.  The targets and their input formats: tests/fuzz/README.md.

FUZZ_NAMES = conf vrrp http ipvs json

# ---- corpus replay, normal build --------------------------------------------
FUZZ_REPLAY = tests/fuzz/replay-conf tests/fuzz/replay-vrrp tests/fuzz/replay-http \
	tests/fuzz/replay-ipvs tests/fuzz/replay-json
check_PROGRAMS += $(FUZZ_REPLAY)

# fuzz-conf.c wraps these so a fuzz input cannot open real files
FUZZ_CONF_WRAP = -Wl,--wrap=open,--wrap=open64,--wrap=glob,--wrap=realpath

tests_fuzz_replay_conf_SOURCES = tests/fuzz/fuzz-conf.c tests/fuzz/replay-main.c tests/fuzz/fuzz.h
tests_fuzz_replay_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CONF_WRAP)
tests_fuzz_replay_conf_LDADD = daemon/libconfig.a lib/liblbha.a
tests_fuzz_replay_vrrp_SOURCES = tests/fuzz/fuzz-vrrp.c tests/fuzz/replay-main.c tests/fuzz/fuzz.h
tests_fuzz_replay_vrrp_LDADD = vrrp/libvrrp.a daemon/libconfig.a lib/liblbha.a
tests_fuzz_replay_http_SOURCES = tests/fuzz/fuzz-http.c tests/fuzz/replay-main.c tests/fuzz/fuzz.h
tests_fuzz_replay_http_CFLAGS = $(AM_CFLAGS) $(LIBCURL_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_replay_http_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a \
	$(LIBCURL_LIBS) $(OPENSSL_LIBS)
tests_fuzz_replay_ipvs_SOURCES = tests/fuzz/fuzz-ipvs.c tests/fuzz/replay-main.c tests/fuzz/fuzz.h
tests_fuzz_replay_ipvs_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
tests_fuzz_replay_ipvs_LDADD = lib/liblbha.a $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
tests_fuzz_replay_json_SOURCES = tests/fuzz/fuzz-json.c tests/fuzz/json-ref.c \
	tests/fuzz/json-ref.h tests/fuzz/replay-main.c tests/fuzz/fuzz.h
tests_fuzz_replay_json_LDADD = lib/liblbha.a

# ---- libFuzzer targets, clang -----------------------------------------------
# Built by a plain GNU make file (pattern rules, its own compiler and flags);
# make check builds them first when configure found clang with libFuzzer.
FUZZ_MAKE = $(MAKE) -f $(top_srcdir)/tests/fuzz/build.make \
	FUZZ_CC='$(FUZZ_CC)' srcdir='$(top_srcdir)' \
	FUZZ_PKG_CFLAGS='$(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS) $(LIBCURL_CFLAGS) $(OPENSSL_CFLAGS)' \
	FUZZ_CONFIG_SOURCES='$(daemon_libconfig_a_SOURCES)' \
	FUZZ_LIBS_http='$(LIBCURL_LIBS) $(OPENSSL_LIBS)' \
	FUZZ_LIBS_ipvs='$(LIBNL_GENL_LIBS) $(LIBNL_LIBS)'

fuzz:
	@if test -n '$(FUZZ_SKIP_REASON)'; then \
		echo 'make fuzz: $(FUZZ_SKIP_REASON)' >&2; exit 1; fi
	+$(FUZZ_MAKE)

tests/fuzz/fuzz.stamp: fuzz
	@touch $@

fuzz-run: fuzz
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh

if HAVE_LIBFUZZER
check_DATA = tests/fuzz/fuzz.stamp
endif

.PHONY: fuzz fuzz-run

AM_TESTS_ENVIRONMENT += FUZZ_SKIP_REASON='$(FUZZ_SKIP_REASON)'; export FUZZ_SKIP_REASON;

TESTS += tests/fuzz/replay.sh tests/fuzz/run.sh

EXTRA_DIST += tests/fuzz/README.md tests/fuzz/build.make tests/fuzz/fuzz.m4 \
	tests/fuzz/coverage-ignore.txt tests/fuzz/make-seeds.py tests/fuzz/json.dict \
	tests/fuzz/replay.sh tests/fuzz/run.sh tests/fuzz/corpus
CLEANFILES += tests/fuzz/fuzz.stamp tests/fuzz/fuzz-conf tests/fuzz/fuzz-vrrp \
	tests/fuzz/fuzz-http tests/fuzz/fuzz-ipvs tests/fuzz/fuzz-json \
	tests/fuzz/obj/*/*.o tests/fuzz/obj/*/*.d tests/fuzz/obj/*/*/*.o tests/fuzz/obj/*/*/*.d \
	tests/fuzz/artifacts/*
