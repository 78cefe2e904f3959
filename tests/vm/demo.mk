# tests/vm/demo.mk: README command (1), scripts/demo, runs to its end (issue 6).
# tests/vm/demo.sh checks the sample configs (etc/demo/) in lbha and
# keepalived, then runs the demo in its fast mode on the built tree (one VM,
# about a minute here) and checks its summary: both real servers answered,
# the checker took rs2 out and back, director2 took over and director1 back,
# no error outside the expected windows, nothing left behind.  The demo part
# SKIPs with the reason when not root or when no VM can run here.
TESTS += tests/vm/demo.sh
dist_noinst_SCRIPTS += tests/vm/demo.sh
EXTRA_DIST += etc/demo/director1.conf etc/demo/director2.conf
