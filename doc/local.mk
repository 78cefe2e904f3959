# doc/: the man pages.  Check them with
#   groff -man -ww -z doc/lbha.8 doc/lbha.conf.5 && man -l doc/lbha.8 >/dev/null
dist_man_MANS += doc/lbha.8 doc/lbha.conf.5
