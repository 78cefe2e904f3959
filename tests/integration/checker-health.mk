# The checker child end to end on the host kernel (root, namespaces; no IPVS
# needed): real HTTP/TCP/script servers, rise/fall, reasons, notify scripts,
# checker.json.  Reports SKIP without root or python3.  Included from
# tests/local.mk.
TESTS += tests/integration/checker-health.sh
EXTRA_DIST += tests/integration/checker-health.sh
