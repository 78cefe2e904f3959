/* config_sections: the section tables, shared between the schema files.
 * Internal to daemon/config_*.c. */
#ifndef LBHA_CONFIG_SECTIONS_H
#define LBHA_CONFIG_SECTIONS_H

#include "daemon/config_schema.h"

extern const struct config_section config_section_top;        /* config_load.c */
extern const struct config_section config_section_global;     /* config_global.c */
extern const struct config_section config_section_vrrp_script; /* config_vrrp.c */
extern const struct config_section config_section_track_file;
extern const struct config_section config_section_vrrp_track_file;
extern const struct config_section config_section_vrrp_instance;
extern const struct config_section config_section_sync_group;
extern const struct config_section config_section_vs_group;   /* config_vs.c */
extern const struct config_section config_section_vs;
extern const struct config_section config_section_rs;
extern const struct config_section config_section_http_get;   /* config_check.c */
extern const struct config_section config_section_ssl_get;
extern const struct config_section config_section_tcp_check;
extern const struct config_section config_section_misc_check;
extern const struct config_section config_section_ssl;       /* config_ssl.c */

/* Line item types (config_vrrp_lines.c). */
extern const struct config_item_type config_item_vip;
extern const struct config_item_type config_item_vroute;
extern const struct config_item_type config_item_track_if;
extern const struct config_item_type config_item_track_script;
extern const struct config_item_type config_item_track_file;
extern const struct config_item_type config_item_unicast_peer;
extern const struct config_item_type config_item_member;

/* Shared value types. */
extern const struct config_type config_type_fwd;      /* lvs_method ... (config_vs.c) */

/* Name tables, NULL-terminated, indexed by the enums. */
extern const char *const config_vrrp_state_names[];
extern const char *const config_auth_type_names[];
extern const char *const config_lvs_sched_names[];
extern const char *const config_lvs_method_names[];
extern const char *const config_protocol_names[];
extern const char *const config_http_protocol_names[];

/* `1..65535` with an error naming `what` (config_vsg.c). */
int config_parse_port(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, uint16_t *ret);
/* ADDR [PORT] from n->args[first..]; port 0 when not written. */
int config_parse_addr_port(struct config_ctx *c, const struct conf_node *n, const char *what,
			   size_t first, struct config_addr *ret_addr, uint16_t *ret_port);
void config_print_addr_port(struct config_printer *p, const struct config_addr *a, uint16_t port);

/* Resolve the real-server/checker inheritance of one virtual server
 * (config_vs.c calls it from its finish hook; config_check.c implements the
 * checker half). */
void config_checker_inherit(struct config_ctx *c, struct config_checker *ck,
			    const struct config_real_server *rs,
			    const struct config_virtual_server *vs);

/* Cross-reference checks and resolution after the whole file is read
 * (config_validate.c). */
void config_validate(struct config_ctx *c);

#endif
