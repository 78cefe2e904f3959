# The health-check benchmark (bench/README.md, "The checker benchmark"), as
# root: `make bench-checker` builds lbha and the one-process HTTP server
# (bench/http_many, a check program so `make check` keeps it compiling under
# the project's warnings) and runs bench/checker.sh: lbha's checker vs
# keepalived's on 1,000 and 10,000 real servers, on this host (keepalived with
# bench/fake_ipvs.c preloaded, as the kernel has no IPVS) or, VM=1, in one VM.
check_PROGRAMS += bench/http_many
bench_http_many_SOURCES = bench/http_many.c
EXTRA_DIST += bench/checker.sh bench/fake_ipvs.c

bench-checker: bench/http_many$(EXEEXT) lbha$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	LBHA='$(abs_top_builddir)/lbha' HTTP_MANY='$(abs_top_builddir)/bench/http_many' \
	bash '$(top_srcdir)/bench/checker.sh'
.PHONY: bench-checker
