# The checker child end to end, second suite (root, namespaces; no IPVS
# needed): SSL_GET against a self-signed server, the global SSL block's
# client certificate (and a reload without it), misc_dynamic weights and the
# slow_start ramp, all read from checker.json.  Reports SKIP without root,
# python3 or openssl.  Included from tests/local.mk.
TESTS += tests/integration/checker-health2.sh
EXTRA_DIST += tests/integration/checker-health2.sh
