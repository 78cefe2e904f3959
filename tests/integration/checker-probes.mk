# Probes against real servers in network namespaces (host kernel, root):
# HTTP, HTTPS (self-signed certificate made by the test), TCP listeners and
# scripts, each failure mode with its reason.  probe_driver runs one probe
# from the command line and prints its result; checker-probes.sh reports
# SKIP without root, python3 or openssl.
check_PROGRAMS += tests/integration/probe_driver
tests_integration_probe_driver_SOURCES = tests/integration/probe_driver.c
tests_integration_probe_driver_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBCURL_CFLAGS)
tests_integration_probe_driver_LDADD = checker/libchecker.a daemon/libconfig.a lib/liblbha.a \
	$(LIBSYSTEMD_LIBS) $(LIBCURL_LIBS) $(OPENSSL_LIBS)
TESTS += tests/integration/checker-probes.sh
EXTRA_DIST += tests/integration/checker-probes.sh tests/integration/probe_servers.py \
	tests/integration/probe_lab.sh
# keepalive_time: checks one after another over a kept connection, and
# every way a kept connection ends, counted on the servers' side.
TESTS += tests/integration/checker-keepalive.sh
EXTRA_DIST += tests/integration/checker-keepalive.sh
