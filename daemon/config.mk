# daemon/config: the config schema (syntax tree -> typed, validated structs).
# One library so the daemon and the tests link the same code.
noinst_LIBRARIES += daemon/libconfig.a
daemon_libconfig_a_SOURCES = \
	daemon/lbha_config.h daemon/config_types.h \
	daemon/config_addr.c daemon/config_addr.h \
	daemon/config_schema.c daemon/config_schema.h daemon/config_sections.h \
	daemon/config_value.c daemon/config_text.c \
	daemon/config_global.c daemon/config_ssl.c \
	daemon/config_vrrp.c daemon/config_vrrp_lines.c \
	daemon/config_vsg.c daemon/config_vs.c daemon/config_check.c \
	daemon/config_validate.c \
	daemon/config_load.c \
	daemon/keepalived_keywords.c daemon/keepalived_keywords.h
