# lib/: no knowledge of VRRP or IPVS.
noinst_LIBRARIES += lib/liblbha.a
lib_liblbha_a_SOURCES = \
	lib/xalloc.c lib/xalloc.h \
	lib/diag.c lib/diag.h \
	lib/conf_lexer.c lib/conf_lexer.h \
	lib/conf_macro.c lib/conf_macro.h \
	lib/conf_parse.c lib/conf_parse.h
