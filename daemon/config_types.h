/* config_types: the typed, validated lbha configuration.
 *
 * What config_load_file() returns.  Every value is resolved: defaults are
 * filled (keepalived's), inherited values are copied down (virtual_server ->
 * real_server -> checker timing, global vrrp_* -> vrrp_instance garp_*),
 * references are resolved to pointers (track_script -> vrrp_script, sync
 * group <-> instance, virtual_server group -> virtual_server_group), so the
 * VRRP and checker code read plain fields and never look at defaults.
 *
 * Times are microseconds (uint64_t, fields end in _us).  Every repeated item
 * sits in a struct config_list of heap pointers, in file order.  Every object
 * starts with a struct config_obj naming the file and line it came from, so
 * later stages (reload diff, runtime warnings) can point at the config.
 *
 * Lifetime: the whole tree is owned by struct lbha_config and freed by
 * config_free(); nothing here points into the syntax tree. */
#ifndef LBHA_CONFIG_TYPES_H
#define LBHA_CONFIG_TYPES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_addr.h"

struct config_section;

/* ---- common pieces ------------------------------------------------------ */

/* Header of every config object and list item. */
struct config_obj {
	const struct config_section *section; /* schema section (NULL for line items) */
	const char *file;                     /* interned in lbha_config.files */
	unsigned line;
	uint64_t set[3];                      /* schema: which rows were written */
	unsigned *row_lines;                  /* schema: the line each row was written on */
};

/* An ordered list of heap objects (struct config_vip *, ...).  Grown only by
 * config_list_append, which keeps room for the next item (see there). */
struct config_list {
	void **items;
	size_t n;
};

#define config_list_foreach(type, var, list)                                         \
	for (size_t _i_##var = 0, _n_##var = (list)->n; _i_##var < _n_##var; _i_##var++) \
		for (type *var = (list)->items[_i_##var]; var; var = NULL)

void config_list_append(struct config_list *l, void *item);

/* A list of strings (notification_email, vrrp_iptables chains, ...), grown
 * only by config_strv_append. */
struct config_strv {
	char **v;
	size_t n;
};

/* A script or program to run: notify_*, quorum_up, misc_path, vrrp_script.
 * Scripts are execve'd, never given to a shell, so the command is split here:
 * on unquoted spaces, with 'single quotes' grouping (keepalived's rule). */
struct config_script {
	char *cmd;        /* as written, path and arguments */
	char **argv;      /* NULL-terminated split of cmd */
	size_t argc;
	char *user;       /* NULL: global script_user */
	char *group;      /* NULL: the user's group */
};

/* ---- global_defs -------------------------------------------------------- */

enum config_lvs_flush_onstop {
	CONFIG_LVS_FLUSH_ONSTOP_OFF,
	CONFIG_LVS_FLUSH_ONSTOP_ON,   /* flush the whole IPVS table at stop */
	CONFIG_LVS_FLUSH_ONSTOP_VS,   /* remove our virtual servers only */
	_CONFIG_LVS_FLUSH_ONSTOP_MAX,
	_CONFIG_LVS_FLUSH_ONSTOP_INVALID = -EINVAL,
};

struct config_lvs_sync_daemon {
	char *interface;          /* NULL: no sync daemon */
	char *instance;           /* vrrp_instance whose state drives it, or NULL */
	uint32_t syncid;          /* 0..255; CONFIG_SYNCID_VRID: the instance's VRID */
	uint32_t maxlen;          /* 0: kernel default */
	uint16_t port;            /* default 8848 */
	uint8_t ttl;              /* 0: kernel default */
	struct config_addr group; /* unset: kernel default 224.0.0.81 */
};
#define CONFIG_SYNCID_VRID UINT32_MAX

struct config_lvs_timeouts {
	uint32_t tcp, tcpfin, udp; /* seconds; 0: leave as is */
};

struct config_global {
	struct config_obj obj;
	char *router_id;                    /* NULL: host name */
	struct config_strv notification_email;
	char *notification_email_from;      /* NULL: keepalived@<host> */
	char *smtp_server;                  /* host or address; NULL: no mail */
	uint16_t smtp_port;                 /* 25 */
	char *smtp_helo_name;               /* NULL: host name */
	uint64_t smtp_connect_timeout_us;   /* 30 s */
	bool smtp_alert, smtp_alert_vrrp, smtp_alert_checker;
	bool checker_log_all_failures;
	bool no_email_faults;
	char *script_user, *script_group;   /* NULL: keepalived_script or root */
	bool enable_script_security;
	char *default_interface;            /* "eth0" */
	/* defaults for every vrrp_instance (see config_vrrp_instance) */
	uint64_t vrrp_garp_master_delay_us;      /* 5 s */
	uint32_t vrrp_garp_master_repeat;        /* 5 */
	uint64_t vrrp_garp_lower_prio_delay_us;  /* = master delay */
	uint32_t vrrp_garp_lower_prio_repeat;    /* = master repeat */
	uint64_t vrrp_garp_master_refresh_us;    /* 0: no refresh */
	uint32_t vrrp_garp_master_refresh_repeat;/* 1 */
	uint64_t vrrp_garp_interval_us;          /* 0 */
	uint64_t vrrp_gna_interval_us;           /* 0 */
	bool vrrp_min_garp;
	uint8_t vrrp_version;                    /* 2 */
	bool vrrp_strict;
	struct config_strv vrrp_iptables;        /* parsed only: lbha has no firewall part */
	bool vrrp_iptables_set;
	struct config_addr vrrp_mcast_group4;    /* 224.0.0.18 */
	struct config_addr vrrp_mcast_group6;    /* ff02::12 */
	bool vrrp_skip_check_adv_addr;
	bool vrrp_check_unicast_src;
	bool vrrp_lower_prio_no_advert;          /* default: vrrp_strict */
	bool vrrp_higher_prio_send_advert;
	uint32_t vrrp_down_timer_adverts;        /* 3 */
	uint64_t vrrp_startup_delay_us;          /* 0 */
	struct config_script *notify_fifo;       /* fifo path [user [group]] */
	struct config_script *vrrp_notify_fifo;
	struct config_script *lvs_notify_fifo;
	/* LVS */
	struct config_lvs_timeouts lvs_timeouts;
	struct config_lvs_sync_daemon lvs_sync_daemon;
	bool lvs_flush;
	enum config_lvs_flush_onstop lvs_flush_onstop;
	bool dynamic_interfaces;
	bool dynamic_interfaces_allow_changes;
	int32_t max_auto_priority;               /* -1..99, 0 = off */
	/* lbha: Prometheus metrics over HTTP, served by the parent */
	struct config_addr metrics_address;      /* unset: no metrics, nothing listens */
	uint16_t metrics_port;                   /* CONFIG_METRICS_PORT_DEFAULT */
};

#define CONFIG_METRICS_PORT_DEFAULT 9650

/* ---- SSL ------------------------------------------------------------------ */

/* The top-level `SSL { password  ca  certificate  key }` block: the client
 * side of every SSL_GET's TLS (keepalived's global SSL context).  Files are
 * paths as written, checked readable when the config is loaded.  As in
 * keepalived, the server's certificate is never verified: `ca` is loaded
 * but does not change a check's verdict. */
struct config_ssl {
	struct config_obj obj;
	char *password;      /* of the key (PEM pass phrase), NULL: none */
	char *ca;            /* CA file (PEM), NULL: none */
	char *certificate;   /* client certificate chain (PEM), NULL: none */
	char *key;           /* its private key (PEM), NULL: in certificate */
};

/* ---- vrrp_script and track_file ---------------------------------------- */

struct config_vrrp_script {
	struct config_obj obj;
	char *name;
	struct config_script *script;     /* required */
	uint64_t interval_us;             /* 1 s */
	uint64_t timeout_us;              /* default: interval */
	int32_t weight;                   /* -253..253, 0 */
	bool weight_reverse;
	uint32_t rise, fall;              /* 1, 1 */
	char *user, *group;               /* also copied into script */
	bool init_fail;
};

struct config_track_file {
	struct config_obj obj;
	char *name;
	char *path;                       /* required */
	int32_t weight;                   /* 1 */
	bool weight_reverse;
	bool init_file;                   /* create/initialise it at start */
	int32_t init_value;               /* 0 */
	bool init_overwrite;
};

/* ---- vrrp_instance ------------------------------------------------------ */

enum config_vrrp_state {
	CONFIG_VRRP_STATE_BACKUP,
	CONFIG_VRRP_STATE_MASTER,
	_CONFIG_VRRP_STATE_MAX,
	_CONFIG_VRRP_STATE_INVALID = -EINVAL,
};

enum config_auth_type {
	CONFIG_AUTH_NONE,
	CONFIG_AUTH_PASS,
	CONFIG_AUTH_AH,
	_CONFIG_AUTH_MAX,
	_CONFIG_AUTH_INVALID = -EINVAL,
};

/* track_interface / track_script / track_file lines. */
struct config_track {
	struct config_obj obj;
	char *name;                  /* interface, vrrp_script or track_file name */
	int32_t weight;              /* resolved: a script's own weight if not written */
	bool weight_set;             /* written on the track line */
	bool reverse;
	void *target;                /* resolved vrrp_script / track_file (NULL for interfaces) */
};

/* rtnetlink scopes as `ip` names them. */
enum config_scope {
	CONFIG_SCOPE_GLOBAL = 0,
	CONFIG_SCOPE_SITE = 200,
	CONFIG_SCOPE_LINK = 253,
	CONFIG_SCOPE_HOST = 254,
	CONFIG_SCOPE_NOWHERE = 255,
	CONFIG_SCOPE_UNSET = -1,
};

/* One virtual_ipaddress / virtual_ipaddress_excluded line:
 * `ADDR[/LEN] [brd ADDR|+|-] [dev IF] [scope S] [label L] [peer ADDR] [home]
 *  [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [no_track] [use_vmac]
 *  [preferred_lft N|forever]` */
struct config_vip {
	struct config_obj obj;
	struct config_prefix addr;   /* len defaults to 32/128 */
	struct config_addr brd;      /* unset: none */
	char *dev;                   /* resolved: the instance's interface if not written */
	int scope;                   /* enum config_scope; default global */
	char *label;
	struct config_addr peer;
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin, no_track, use_vmac;
	int64_t preferred_lft;       /* -1: kernel default; CONFIG_LFT_FOREVER */
};
#define CONFIG_LFT_FOREVER ((int64_t)UINT32_MAX)

enum config_route_type {
	CONFIG_ROUTE_UNICAST,
	CONFIG_ROUTE_BLACKHOLE,
	CONFIG_ROUTE_UNREACHABLE,
	CONFIG_ROUTE_PROHIBIT,
	CONFIG_ROUTE_THROW,
	_CONFIG_ROUTE_MAX,
	_CONFIG_ROUTE_INVALID = -EINVAL,
};

/* One virtual_routes line: `[TYPE] [src ADDR] [to] DST/LEN [via|gw ADDR
 * [or ADDR]] [dev IF] [table N|main|local|default] [metric|priority|preference N]
 * [scope S] [proto N] [onlink] [no_track] [...rest]`. */
struct config_vroute {
	struct config_obj obj;
	enum config_route_type type;
	struct config_prefix dst;
	struct config_addr src;      /* preferred source (`src`) */
	struct config_addr via;      /* gateway (`via`, `gw`) */
	struct config_addr via2;     /* second gateway (`or`) */
	char *dev;
	uint32_t table;              /* 254 (main) */
	uint32_t metric;             /* 0 */
	int scope;                   /* enum config_scope; UNSET: kernel decides */
	int32_t protocol;            /* -1: default (boot) */
	bool onlink, no_track;
	char *extra;                 /* options lbha keeps but does not interpret, as written */
};

struct config_unicast_peer {
	struct config_obj obj;
	struct config_addr addr;
	int32_t min_ttl, max_ttl;    /* -1: no check */
};

struct config_vrrp_auth {
	struct config_obj obj;
	enum config_auth_type type;  /* NONE when there is no authentication block */
	char *pass;                  /* at most 8 characters (the rest is cut, with a warning) */
};

struct config_vrrp_sync_group;

/* notify_master / _backup / _fault / _stop and the generic `notify` of an
 * instance or a sync group; each NULL when not written. */
struct config_notify {
	struct config_script *master, *backup, *fault, *stop;
	struct config_script *generic;
};

struct config_vrrp_instance {
	struct config_obj obj;
	char *name;
	enum config_vrrp_state state;        /* BACKUP */
	char *interface;                     /* required unless unicast */
	uint32_t vrid;                       /* 1..255, required */
	uint32_t priority;                   /* 100 */
	uint64_t advert_int_us;              /* 1 s */
	uint32_t version;                    /* resolved 2 or 3 */
	int family;                          /* resolved from the VIPs (AF_INET if none) */
	bool nopreempt;
	uint64_t preempt_delay_us;           /* 0..1000 s */
	bool dont_track_primary;
	struct config_list track_interfaces; /* struct config_track * */
	struct config_list track_scripts;
	struct config_list track_files;
	struct config_addr mcast_src_ip;
	struct config_addr unicast_src_ip;
	struct config_addr mcast_dst_ip;     /* unset: global vrrp_mcast_group4/6 */
	struct config_list unicast_peers;    /* struct config_unicast_peer * */
	uint32_t unicast_ttl;                /* 255 */
	struct config_vrrp_auth auth;
	struct config_list vips;             /* struct config_vip * */
	struct config_list evips;            /* virtual_ipaddress_excluded */
	struct config_list vroutes;          /* struct config_vroute * */
	uint64_t garp_master_delay_us;       /* global vrrp_garp_* by default */
	uint32_t garp_master_repeat;
	uint64_t garp_lower_prio_delay_us;
	uint32_t garp_lower_prio_repeat;
	uint64_t garp_master_refresh_us;
	uint32_t garp_master_refresh_repeat;
	uint32_t down_timer_adverts;         /* 3 */
	struct config_notify notify;
	bool smtp_alert;                     /* global smtp_alert(_vrrp) by default */
	int accept;                          /* resolved 0/1: accept unless strict */
	bool strict;                         /* strict_mode, default global vrrp_strict */
	bool use_vmac;                       /* parsed only */
	char *vmac_ifname;
	bool vmac_xmit_base;
	bool lower_prio_no_advert, higher_prio_send_advert;
	bool skip_check_adv_addr, check_unicast_src;
	struct config_vrrp_sync_group *sync_group; /* resolved, or NULL */
};

struct config_vrrp_sync_group {
	struct config_obj obj;
	char *name;
	struct config_list members;          /* struct config_track * (name + instance in target) */
	struct config_list track_interfaces, track_scripts, track_files;
	struct config_notify notify;
	bool smtp_alert;
	bool global_tracking;                /* deprecated, parsed */
};

/* ---- LVS ---------------------------------------------------------------- */

enum config_lvs_sched {
	CONFIG_SCHED_RR, CONFIG_SCHED_WRR, CONFIG_SCHED_LC, CONFIG_SCHED_WLC,
	CONFIG_SCHED_LBLC, CONFIG_SCHED_LBLCR, CONFIG_SCHED_DH, CONFIG_SCHED_SH,
	CONFIG_SCHED_SED, CONFIG_SCHED_NQ, CONFIG_SCHED_MH, CONFIG_SCHED_FO,
	CONFIG_SCHED_OVF, CONFIG_SCHED_TWOS,
	_CONFIG_SCHED_MAX,
	_CONFIG_SCHED_INVALID = -EINVAL,
};

enum config_lvs_method {
	CONFIG_LVS_NAT, CONFIG_LVS_DR, CONFIG_LVS_TUN,
	_CONFIG_LVS_METHOD_MAX,
	_CONFIG_LVS_METHOD_INVALID = -EINVAL,
};

enum config_tun_type {
	CONFIG_TUN_IPIP, CONFIG_TUN_GUE, CONFIG_TUN_GRE,
	_CONFIG_TUN_TYPE_MAX,
	_CONFIG_TUN_TYPE_INVALID = -EINVAL,
};

enum config_tun_csum {
	CONFIG_TUN_CSUM_DEFAULT, CONFIG_TUN_NOCSUM, CONFIG_TUN_CSUM, CONFIG_TUN_REMCSUM,
	_CONFIG_TUN_CSUM_MAX,
	_CONFIG_TUN_CSUM_INVALID = -EINVAL,
};

/* `lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]` */
struct config_fwd {
	enum config_lvs_method method;
	enum config_tun_type tun_type;
	uint16_t tun_port;           /* GUE only */
	enum config_tun_csum tun_csum;
};

enum config_protocol {
	CONFIG_PROTO_TCP, CONFIG_PROTO_UDP, CONFIG_PROTO_SCTP,
	_CONFIG_PROTO_MAX,
	_CONFIG_PROTO_INVALID = -EINVAL,
};

enum config_checker_type {
	CONFIG_CHECK_HTTP_GET,
	CONFIG_CHECK_SSL_GET,
	CONFIG_CHECK_TCP,
	CONFIG_CHECK_MISC,
	_CONFIG_CHECK_MAX,
	_CONFIG_CHECK_INVALID = -EINVAL,
};

enum config_http_protocol {
	CONFIG_HTTP_1_0, CONFIG_HTTP_1_0C, CONFIG_HTTP_1_1,
	_CONFIG_HTTP_PROTOCOL_MAX,
	_CONFIG_HTTP_PROTOCOL_INVALID = -EINVAL,
};

struct config_status_range {
	uint16_t lo, hi;             /* inclusive, 100..599 */
};

struct config_url {
	struct config_obj obj;
	char *path;                  /* required */
	char *digest;                /* lower-case hex MD5, or NULL */
	struct config_status_range *status;  /* default 200-299 */
	size_t n_status;
	char *virtualhost;           /* resolved from checker/RS/VS if not written */
	char *regex;
	bool regex_no_match;
};

/* One checker block; which fields matter depends on type. */
struct config_checker {
	struct config_obj obj;
	enum config_checker_type type;
	struct config_addr connect_ip;       /* resolved: the real server's address */
	uint16_t connect_port;               /* resolved: the real server's port */
	struct config_addr bindto;
	char *bind_if;
	uint16_t bind_port;
	uint32_t fwmark;                     /* SO_MARK for probe packets, 0: none */
	uint64_t connect_timeout_us;         /* 5 s */
	uint32_t retry;                      /* 1 (MISC_CHECK: 0) */
	uint64_t delay_before_retry_us;      /* 3 s HTTP/SSL, 1 s others */
	uint64_t delay_loop_us;              /* from real/virtual server, 60 s */
	uint64_t warmup_us;                  /* default: delay_loop */
	bool alpha;
	bool log_all_failures;
	uint32_t rise, fall;                 /* lbha: checks in a row to go up/down; 1 */
	/* HTTP_GET / SSL_GET */
	struct config_list urls;             /* struct config_url * */
	enum config_http_protocol http_protocol; /* 1.0 */
	char *virtualhost;                   /* resolved from RS/VS */
	bool enable_sni;
	bool fast_recovery;
	bool tls_compliant;
	uint64_t keepalive_time_us;          /* lbha: reuse a connection this long; 0: a new
					      * connection per check (keepalived) */
	/* MISC_CHECK */
	struct config_script *misc_path;     /* user/group copied from `user` */
	char *misc_user, *misc_group;
	uint64_t misc_timeout_us;            /* default: delay_loop */
	bool misc_dynamic;
};

struct config_virtual_server;

struct config_real_server {
	struct config_obj obj;
	struct config_addr addr;
	uint16_t port;                       /* 0: same as the service (fwmark, DR, TUN) */
	uint32_t weight;                     /* 1, 0..65535 */
	struct config_fwd fwd;               /* resolved from the virtual server */
	struct config_script *notify_up, *notify_down;
	uint32_t uthreshold, lthreshold;     /* 0: none */
	bool smtp_alert;
	char *virtualhost;
	bool alpha;
	bool inhibit_on_failure;
	uint64_t connect_timeout_us, delay_before_retry_us, delay_loop_us, warmup_us;
	uint32_t retry;
	uint32_t rise, fall;                 /* lbha: from the virtual server, 1 */
	uint64_t slow_start_us;              /* lbha: weight ramp after recovery, 0: none */
	uint64_t keepalive_time_us;          /* lbha: default of its HTTP checkers, 0 */
	struct config_list checkers;         /* struct config_checker * */
	struct config_virtual_server *vs;    /* back pointer, resolved */
};

enum config_vs_kind {
	CONFIG_VS_ADDR,
	CONFIG_VS_FWMARK,
	CONFIG_VS_GROUP,
	_CONFIG_VS_KIND_MAX,
	_CONFIG_VS_KIND_INVALID = -EINVAL,
};

/* One virtual_server_group line: `ADDR[-END] [PORT]`, `ADDR/LEN [PORT]`,
 * `fwmark N [inet|inet6]`. */
struct config_vsg_entry {
	struct config_obj obj;
	bool is_fwmark;
	struct config_addr start, end;       /* inclusive range; end == start for one */
	uint16_t port;
	uint32_t fwmark;
	int family;                          /* fwmark: AF_UNSPEC, AF_INET or AF_INET6 */
};

struct config_vs_group {
	struct config_obj obj;
	char *name;
	struct config_list entries;          /* struct config_vsg_entry * */
};

struct config_virtual_server {
	struct config_obj obj;
	enum config_vs_kind kind;
	struct config_addr addr;             /* CONFIG_VS_ADDR */
	uint16_t port;
	uint32_t fwmark;                     /* CONFIG_VS_FWMARK */
	char *group_name;                    /* CONFIG_VS_GROUP */
	struct config_vs_group *group;       /* resolved */
	int family;                          /* resolved address family of the service */
	int ip_family;                       /* `ip_family`, AF_UNSPEC if not written */
	uint64_t delay_loop_us;              /* 60 s */
	enum config_lvs_sched sched;         /* wlc (ipvsadm's default) */
	bool sched_flag1, sched_flag2, sched_flag3; /* sh-fallback/mh-fallback, sh-port/mh-port */
	bool ops;
	struct config_fwd fwd;               /* NAT */
	enum config_protocol protocol;       /* TCP */
	uint32_t persistence_timeout;        /* seconds, 0: not persistent */
	struct config_addr persistence_granularity; /* netmask, unset: none */
	char *persistence_engine;
	bool ha_suspend;
	bool smtp_alert;
	char *virtualhost;
	bool alpha, omega;
	uint32_t quorum;                     /* 1 */
	uint32_t hysteresis;                 /* 0 */
	struct config_script *quorum_up, *quorum_down;
	struct config_addr sorry_addr;       /* unset: no sorry server */
	uint16_t sorry_port;
	bool sorry_server_inhibit;
	struct config_fwd sorry_fwd;         /* resolved: the service's */
	uint64_t connect_timeout_us;         /* 5 s, default for real servers */
	uint32_t retry;                      /* 1 */
	uint64_t delay_before_retry_us;      /* 1 s (HTTP checkers: 3 s) */
	uint64_t warmup_us;                  /* default: delay_loop */
	uint32_t rise, fall;                 /* lbha: 1, default for real servers */
	uint64_t slow_start_us;              /* lbha: 0, default for real servers */
	uint64_t keepalive_time_us;          /* lbha: 0, default for HTTP checkers */
	bool inhibit_on_failure;
	struct config_list real_servers;     /* struct config_real_server * */
};

/* ---- the whole ---------------------------------------------------------- */

struct lbha_config {
	struct config_obj obj;
	struct config_global global;
	struct config_ssl ssl;               /* all NULL without an SSL block */
	struct config_list vrrp_scripts;     /* struct config_vrrp_script * */
	struct config_list track_files;      /* struct config_track_file * */
	struct config_list vrrp_instances;   /* struct config_vrrp_instance * */
	struct config_list sync_groups;      /* struct config_vrrp_sync_group * */
	struct config_list vs_groups;        /* struct config_vs_group * */
	struct config_list virtual_servers;  /* struct config_virtual_server * */
	struct config_strv files;            /* interned file names */
};

/* ---- enum names (keepalived's spelling) ---------------------------------- */

const char *config_vrrp_state_to_string(enum config_vrrp_state s);
const char *config_auth_type_to_string(enum config_auth_type t);
const char *config_lvs_sched_to_string(enum config_lvs_sched s);
const char *config_lvs_method_to_string(enum config_lvs_method m);
const char *config_protocol_to_string(enum config_protocol p);
const char *config_checker_type_to_string(enum config_checker_type t);
const char *config_route_type_to_string(enum config_route_type t);
const char *config_scope_to_string(int scope); /* NULL for a number with no name */

/* Human names for log prefixes: "10.0.0.1:80/TCP", "fwmark 1", "group VSG_1";
 * "[2001:db8::1]:80".  Returns buf. */
#define CONFIG_SERVICE_STRLEN 96
const char *config_vs_to_string(const struct config_virtual_server *vs, char *buf, size_t size);
const char *config_rs_to_string(const struct config_real_server *rs, char *buf, size_t size);

/* Lookups by name; NULL when there is none. */
struct config_vrrp_instance *config_find_instance(const struct lbha_config *cfg, const char *name);
struct config_vrrp_script *config_find_vrrp_script(const struct lbha_config *cfg, const char *name);
struct config_track_file *config_find_track_file(const struct lbha_config *cfg, const char *name);
struct config_vs_group *config_find_vs_group(const struct lbha_config *cfg, const char *name);

#endif
