# etc/: the sample config and the systemd unit.
#
# The unit names the binary, so it is made from etc/lbha.service.in with the
# configured paths.  It installs under $(prefix) (not the system's
# /lib/systemd/system) so that `make distcheck` and a non-root `make install`
# work; a package passes --prefix=/usr or sets systemdsystemunitdir.
systemdsystemunitdir = $(prefix)/lib/systemd/system
systemdsystemunit_DATA = etc/lbha.service
CLEANFILES += etc/lbha.service
EXTRA_DIST += etc/lbha.service.in

etc/lbha.service: $(srcdir)/etc/lbha.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/etc/lbha.service.in >$@.tmp && mv $@.tmp $@

# The sample goes to the documentation, not to $(sysconfdir): installing it
# as /etc/lbha.conf would overwrite the operator's config on every upgrade.
examplesdir = $(docdir)/examples
dist_examples_DATA = etc/lbha.conf
