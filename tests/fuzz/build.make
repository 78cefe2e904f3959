# tests/fuzz/build.make: builds the libFuzzer targets with clang.
#
# A plain GNU make file, run from the top build directory by `make fuzz`
# (tests/fuzz/local.mk passes the variables below); automake never reads
# it, so it may use pattern rules and dependency files.  The code under test
# is compiled again here, with coverage instrumentation
# (-fsanitize=fuzzer-no-link) and ASan+UBSan, into tests/fuzz/obj/.
#
# Inputs: FUZZ_CC, srcdir (the top source directory), FUZZ_PKG_CFLAGS (the
# libraries' -I flags), FUZZ_CONFIG_SOURCES (daemon/libconfig.a's sources, so the list is kept in
# one place), FUZZ_LIBS_http, FUZZ_LIBS_ipvs.

FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -g -O1 -Wall -Wextra -Wno-unused-parameter $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link \
	-fsanitize-coverage-ignorelist=$(srcdir)/tests/fuzz/coverage-ignore.txt
FUZZ_LDFLAGS = $(FUZZ_SAN) -fsanitize=fuzzer
FUZZ_CPPFLAGS = -I. -I$(srcdir) -I$(srcdir)/lib $(FUZZ_PKG_CFLAGS)

O = tests/fuzz/obj

CONF_SRCS = tests/fuzz/fuzz-conf.c lib/xalloc.c lib/diag.c lib/conf_lexer.c \
	lib/conf_macro.c lib/conf_parse.c $(filter %.c,$(FUZZ_CONFIG_SOURCES))
VRRP_SRCS = tests/fuzz/fuzz-vrrp.c vrrp/vrrp_packet.c daemon/config_addr.c
HTTP_SRCS = tests/fuzz/fuzz-http.c checker/http1_parse.c checker/http1_judge.c checker/http_verdict.c \
	checker/probe_result.c lib/xalloc.c
IPVS_SRCS = tests/fuzz/fuzz-ipvs.c lib/ipvs_msg.c lib/ipvs_table.c lib/xalloc.c
JSON_SRCS = tests/fuzz/fuzz-json.c tests/fuzz/json-ref.c lib/json_parse.c lib/json_out.c lib/xalloc.c

objs = $(patsubst %.c,$(O)/%.o,$(1))

# fuzz-conf must not open what its input names: see fuzz-conf.c
CONF_WRAP = -Wl,--wrap=open,--wrap=open64,--wrap=glob,--wrap=realpath

TARGETS = tests/fuzz/fuzz-conf tests/fuzz/fuzz-vrrp tests/fuzz/fuzz-http tests/fuzz/fuzz-ipvs \
	tests/fuzz/fuzz-json

all: $(TARGETS)

tests/fuzz/fuzz-conf: $(call objs,$(CONF_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) $(CONF_WRAP) -o $@ $^
tests/fuzz/fuzz-vrrp: $(call objs,$(VRRP_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^
tests/fuzz/fuzz-http: $(call objs,$(HTTP_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(FUZZ_LIBS_http)
tests/fuzz/fuzz-ipvs: $(call objs,$(IPVS_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(FUZZ_LIBS_ipvs)
tests/fuzz/fuzz-json: $(call objs,$(JSON_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

$(O)/%.o: $(srcdir)/%.c $(srcdir)/tests/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard $(O)/*/*.d $(O)/*/*/*.d)

.PHONY: all
.DELETE_ON_ERROR:
