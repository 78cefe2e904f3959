# checker/probes.mk: the probes of the checker child (HTTP_GET/SSL_GET over
# libcurl multi, TCP_CHECK, MISC_CHECK), the HTTP verdict and `lbha digest`.
# Included after checker/local.mk.
checker_libchecker_a_SOURCES += \
	checker/probe_result.c checker/probe_result.h \
	checker/http_verdict.c checker/http_verdict.h \
	checker/http1_parse.c checker/http1_parse.h \
	checker/http1_judge.c checker/http1_judge.h \
	checker/probe_http.c checker/probe_http.h \
	checker/probe_http1.c checker/probe_http1.h \
	checker/probe_socket.c checker/probe_socket.h \
	checker/probe_tcp.c checker/probe_tcp.h \
	checker/probe_misc.c checker/probe_misc.h \
	checker/digest_cmd.c checker/digest_cmd.h
checker_libchecker_a_CFLAGS += $(LIBCURL_CFLAGS) $(OPENSSL_CFLAGS)

include tests/unit/probes.mk
include tests/integration/checker-probes.mk
