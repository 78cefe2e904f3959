# doc/guide.mk: the operator guide (doc/guide.md) and the tests that keep the
# documentation honest:
#   tests/unit/doc-keywords.sh   lbha.conf(5) documents every keyword the
#                                schema accepts, and no other (it asks
#                                tests/unit/doc-keywords-list, which walks the
#                                schema's section tables)
#   tests/unit/doc-guide-configs.sh  every ```conf block of doc/guide.md passes
#                                `lbha -t`
# The walker is part of libconfig so it sees the same tables lbha uses.
daemon_libconfig_a_SOURCES += \
	daemon/config_keywords_list.c daemon/config_keywords_list.h

check_PROGRAMS += tests/unit/doc-keywords-list
tests_unit_doc_keywords_list_LDADD = daemon/libconfig.a lib/liblbha.a

TESTS += tests/unit/doc-keywords.sh tests/unit/doc-guide-configs.sh
EXTRA_DIST += \
	doc/guide.md \
	tests/unit/doc-keywords.sh \
	tests/unit/doc-guide-configs.sh
