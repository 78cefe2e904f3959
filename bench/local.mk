# Benchmarks (bench/README.md), as root: `make bench` runs them all
# (bench/run.sh: failover, checker, ipvs, reload, soak); `make bench-failover`
# only the failover drill.
# The observer is a check program, so `make check` keeps it compiling under
# the project's warnings without installing it; bench/failover.sh uses the
# built one (or compiles it itself when run from a bare source tree).
check_PROGRAMS += bench/vrrp_probe
bench_vrrp_probe_SOURCES = bench/vrrp_probe.c
check_PROGRAMS += bench/stall_probe
bench_stall_probe_SOURCES = bench/stall_probe.c
EXTRA_DIST += \
	bench/failover.sh \
	bench/soak.sh \
	bench/run.sh \
	bench/ipvs.sh \
	bench/ipvs_gen_config.sh \
	bench/reload.sh \
	bench/bench_lib.sh \
	bench/README.md

bench-failover: bench/vrrp_probe$(EXEEXT) lbha$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	LBHA='$(abs_top_builddir)/lbha' VRRP_PROBE='$(abs_top_builddir)/bench/vrrp_probe' \
	$(SHELL) '$(top_srcdir)/bench/failover.sh'

bench: bench/vrrp_probe$(EXEEXT) bench/http_many$(EXEEXT) lbha$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	LBHA='$(abs_top_builddir)/lbha' VRRP_PROBE='$(abs_top_builddir)/bench/vrrp_probe' \
	HTTP_MANY='$(abs_top_builddir)/bench/http_many' \
	$(SHELL) '$(top_srcdir)/bench/run.sh'
# The IPVS install/reload benchmark, in one VM (bench/README.md).
bench-ipvs: lbha$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	LBHA='$(abs_top_builddir)/lbha' $(SHELL) '$(top_srcdir)/bench/ipvs.sh'
.PHONY: bench bench-failover bench-ipvs
# The reload benchmark (2,000 virtual servers x 20 real servers), in one VM
# (bench/README.md, "The reload benchmark").
bench-reload: lbha$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	LBHA='$(abs_top_builddir)/lbha' $(SHELL) '$(top_srcdir)/bench/reload.sh'
.PHONY: bench-reload
