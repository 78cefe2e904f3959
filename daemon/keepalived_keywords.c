/* keepalived_keywords: the keywords keepalived accepts, block by block.
 *
 * This is data, not a parser: one sorted array of names per block keyword,
 * and a table of blocks sorted by name, both searched with bsearch().  The
 * schema asks it one question: is a keyword we do not implement one that
 * keepalived has (a warning, the config still loads) or one nobody has (an
 * error: a typo, worth a did-you-mean)?
 *
 * Source of truth: keepalived.conf(5) of keepalived 2.2.7 (Debian bookworm),
 * cross-checked against the keyword strings in that version's binary and its
 * parser sources (vrrp_parser.c, global_parser.c, check_parser.c,
 * check_api.c, check_*.c, bfd_parser.c, track_file.c), so that deprecated
 * names keepalived still accepts are here too.  Keywords of newer keepalived
 * releases are not.
 *
 * Blocks whose lines are data rather than keywords (notification_email,
 * virtual_ipaddress, virtual_ipaddress_excluded, virtual_routes,
 * virtual_rules, static_ipaddress, static_routes, static_rules, unicast_peer,
 * track_interface, track_script, track_process, track_bfd, the track_file
 * list inside vrrp_instance/vrrp_sync_group, group, interfaces,
 * linkbeat_interfaces, interface_up_down_delays) have no table: the schema
 * reads their lines itself.
 *
 * Editing: keep every array in strcmp() order (LC_ALL=C sort: upper case
 * before lower case, '-' before '_'), without duplicates, and list each new
 * section in section_table[] and home_order[]; test-keepalived-keywords
 * checks all of that. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/keepalived_keywords.h"

/* The top level of the file.  track_file's old name vrrp_track_file and the
 * include variants of keepalived.conf(5) (includer/m/w/b/a) are accepted too. */
static const char *const kw_top[] = {
	"SSL", "bfd_instance", "child_wait_time", "garp_group", "global_defs", "include",
	"includea", "includeb", "includem", "includer", "includew", "instance",
	"interface_up_down_delays", "linkbeat_interfaces", "linkbeat_use_polling",
	"namespace_with_ipsets", "net_namespace", "net_namespace_ipvs", "static_ipaddress",
	"static_routes", "static_rules", "track_file", "track_group", "use_pid_dir",
	"virtual_server", "virtual_server_group", "vrrp_instance", "vrrp_script",
	"vrrp_sync_group", "vrrp_track_file", "vrrp_track_process",
};

/* global_defs.  Deprecated names keepalived still takes: lvs_process_name,
 * lvs_flush_onstop, vrrp_vmac_garp_intvl, *_rlimit_rtime, enable_snmp_keepalived. */
static const char *const kw_global_defs[] = {
	"bfd_cpu_affinity", "bfd_no_swap", "bfd_priority", "bfd_process_name", "bfd_rlimit_rtime",
	"bfd_rlimit_rttime", "bfd_rt_priority", "checker_cpu_affinity", "checker_log_all_failures",
	"checker_no_swap", "checker_priority", "checker_process_name", "checker_rlimit_rtime",
	"checker_rlimit_rttime", "checker_rt_priority", "config_save_dir", "data_use_instance",
	"dbus_service_name", "default_interface", "disable_local_igmp", "dynamic_interfaces",
	"enable_dbus", "enable_script_security", "enable_snmp_checker", "enable_snmp_keepalived",
	"enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_snmp_vrrp",
	"enable_traps", "fifo_write_vrrp_states_on_reload", "include_check", "log_unknown_vrids",
	"lvs_flush", "lvs_flush_on_stop", "lvs_flush_onstop", "lvs_netlink_cmd_rcv_bufs",
	"lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
	"lvs_netlink_monitor_rcv_bufs_force", "lvs_notify_fifo", "lvs_notify_fifo_script",
	"lvs_process_name", "lvs_sync_daemon", "lvs_timeouts", "max_auto_priority",
	"min_auto_priority_delay", "nftables", "nftables_counters", "nftables_ifindex",
	"nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark",
	"nftables_priority", "no_checker_emails", "no_email_faults", "notification_email",
	"notification_email_from", "notify_fifo", "notify_fifo_script", "process_monitor_rcv_bufs",
	"process_monitor_rcv_bufs_force", "process_name", "process_names", "random_seed",
	"reload_check_config", "reload_file", "reload_repeat", "reload_time_file", "router_id",
	"rs_init_notifies", "script_user", "shutdown_script", "shutdown_script_timeout",
	"smtp_alert", "smtp_alert_checker", "smtp_alert_vrrp", "smtp_connect_timeout",
	"smtp_helo_name", "smtp_server", "snmp_socket", "startup_script", "startup_script_timeout",
	"tmp_config_directory", "umask", "vmac_addr_prefix", "vmac_prefix",
	"vrrp_check_unicast_src", "vrrp_cpu_affinity", "vrrp_down_timer_adverts",
	"vrrp_garp_extra_if", "vrrp_garp_interval", "vrrp_garp_lower_prio_delay",
	"vrrp_garp_lower_prio_repeat", "vrrp_garp_master_delay", "vrrp_garp_master_refresh",
	"vrrp_garp_master_refresh_repeat", "vrrp_garp_master_repeat", "vrrp_gna_interval",
	"vrrp_higher_prio_send_advert", "vrrp_ipsets", "vrrp_iptables",
	"vrrp_lower_prio_no_advert", "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_min_garp",
	"vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
	"vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_no_swap",
	"vrrp_notify_fifo", "vrrp_notify_fifo_script", "vrrp_notify_priority_changes",
	"vrrp_priority", "vrrp_process_name", "vrrp_rlimit_rtime", "vrrp_rlimit_rttime",
	"vrrp_rt_priority", "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy",
	"vrrp_skip_check_adv_addr", "vrrp_startup_delay", "vrrp_strict", "vrrp_version",
	"vrrp_vmac_garp_intvl",
};

/* vrrp_instance.  vmac_garp_intvl is garp_extra_if's deprecated name;
 * lvs_sync_daemon_interface and linkbeat_use_polling are deprecated here but
 * still parsed. */
static const char *const kw_vrrp_instance[] = {
	"accept", "advert_int", "authentication", "check_unicast_src", "debug",
	"dont_track_primary", "down_timer_adverts", "garp_extra_if", "garp_lower_prio_delay",
	"garp_lower_prio_repeat", "garp_master_delay", "garp_master_refresh",
	"garp_master_refresh_repeat", "garp_master_repeat", "higher_prio_send_advert", "interface",
	"kernel_rx_buf_size", "linkbeat_use_polling", "lower_prio_no_advert",
	"lvs_sync_daemon_interface", "mcast_dst_ip", "mcast_src_ip", "native_ipv6", "no_accept",
	"nopreempt", "notify", "notify_backup", "notify_deleted", "notify_fault", "notify_master",
	"notify_master_rx_lower_pri", "notify_priority_changes", "notify_stop",
	"old_unicast_checksum", "preempt", "preempt_delay", "priority", "promote_secondaries",
	"skip_check_adv_addr", "smtp_alert", "state", "strict_mode", "track_bfd", "track_file",
	"track_interface", "track_process", "track_script", "track_src_ip",
	"unicast_fault_no_peer", "unicast_peer", "unicast_src_ip", "unicast_ttl", "use_ipvlan",
	"use_vmac", "use_vmac_addr", "version", "virtual_ipaddress", "virtual_ipaddress_excluded",
	"virtual_router_id", "virtual_routes", "virtual_rules", "vmac_garp_intvl",
	"vmac_xmit_base", "vrf",
};

/* authentication, inside vrrp_instance. */
static const char *const kw_authentication[] = {
	"auth_pass", "auth_type",
};

/* vrrp_sync_group (global_tracking is deprecated but accepted). */
static const char *const kw_vrrp_sync_group[] = {
	"global_tracking", "group", "notify", "notify_backup", "notify_deleted", "notify_fault",
	"notify_master", "notify_priority_changes", "notify_stop", "smtp_alert",
	"sync_group_tracking_weight", "track_bfd", "track_file", "track_interface",
	"track_process", "track_script",
};

/* vrrp_script. */
static const char *const kw_vrrp_script[] = {
	"fall", "init_fail", "interval", "rise", "script", "timeout", "user", "weight",
};

/* vrrp_track_process. */
static const char *const kw_vrrp_track_process[] = {
	"delay", "fork_delay", "full_command", "param_match", "process", "quorum", "quorum_max",
	"terminate_delay", "weight",
};

/* track_file and its deprecated synonym vrrp_track_file, at top level.  (Inside
 * vrrp_instance and vrrp_sync_group, track_file is a list of names instead.) */
static const char *const kw_track_file[] = {
	"file", "init_file", "weight",
};

/* garp_group. */
static const char *const kw_garp_group[] = {
	"garp_interval", "gna_interval", "interface", "interfaces",
};

/* track_group (static track groups). */
static const char *const kw_track_group[] = {
	"group",
};

/* bfd_instance (neighbour_ip is neighbor_ip's synonym, hoplimit ttl's). */
static const char *const kw_bfd_instance[] = {
	"checker", "hoplimit", "idle_tx", "max_hops", "min_rx", "min_tx", "multiplier",
	"neighbor_ip", "neighbour_ip", "passive", "source_ip", "ttl", "vrrp", "weight",
};

/* SSL, the top-level block with the client context for SSL_GET. */
static const char *const kw_ssl[] = {
	"ca", "certificate", "key", "password",
};

/* virtual_server_group: its other lines are addresses and ranges. */
static const char *const kw_virtual_server_group[] = {
	"fwmark",
};

/* virtual_server (lb_algo = lvs_sched, lb_kind = lvs_method). */
static const char *const kw_virtual_server[] = {
	"alpha", "connect_timeout", "delay_before_retry", "delay_loop", "flag-1", "flag-2",
	"flag-3", "ha_suspend", "hashed", "hysteresis", "inhibit_on_failure", "ip_family",
	"lb_algo", "lb_kind", "lvs_method", "lvs_sched", "mh-fallback", "mh-port", "omega", "ops",
	"persistence_engine", "persistence_granularity", "persistence_timeout", "protocol",
	"quorum", "quorum_down", "quorum_up", "real_server", "retry", "sh-fallback", "sh-port",
	"smtp_alert", "snmp_name", "sorry_server", "sorry_server_inhibit",
	"sorry_server_lvs_method", "virtualhost", "warmup", "weight",
};

/* real_server, with one block keyword per checker type. */
static const char *const kw_real_server[] = {
	"BFD_CHECK", "DNS_CHECK", "FILE_CHECK", "HTTP_GET", "MISC_CHECK", "PING_CHECK",
	"SMTP_CHECK", "SSL_GET", "TCP_CHECK", "UDP_CHECK", "alpha", "connect_timeout",
	"delay_before_retry", "delay_loop", "inhibit_on_failure", "lthreshold", "lvs_method",
	"notify_down", "notify_up", "retry", "smtp_alert", "snmp_name", "uthreshold",
	"virtualhost", "warmup", "weight",
};

/* HTTP_GET and SSL_GET: the connection options every checker has, plus
 * the HTTP ones (nb_get_retry is retry's deprecated name). */
static const char *const kw_http_get[] = {
	"alpha", "bind_if", "bind_port", "bindto", "connect_ip", "connect_port", "connect_timeout",
	"delay_before_retry", "delay_loop", "enable_sni", "fast_recovery", "fwmark",
	"http_protocol", "log_all_failures", "nb_get_retry", "retry", "url", "virtualhost",
	"warmup",
};

/* url, inside HTTP_GET/SSL_GET. */
static const char *const kw_url[] = {
	"digest", "path", "regex", "regex_max_offset", "regex_min_offset", "regex_no_match",
	"regex_options", "regex_stack", "status_code", "virtualhost",
};

/* TCP_CHECK, PING_CHECK and SMTP_CHECK's host: the common connection options. */
static const char *const kw_checker_conn[] = {
	"alpha", "bind_if", "bind_port", "bindto", "connect_ip", "connect_port", "connect_timeout",
	"delay_before_retry", "delay_loop", "fwmark", "log_all_failures", "retry", "warmup",
};

/* SMTP_CHECK (host is a deprecated sub-block with the connection options). */
static const char *const kw_smtp_check[] = {
	"alpha", "bind_if", "bind_port", "bindto", "connect_ip", "connect_port", "connect_timeout",
	"delay_before_retry", "delay_loop", "fwmark", "helo_name", "host", "log_all_failures",
	"retry", "warmup",
};

/* DNS_CHECK. */
static const char *const kw_dns_check[] = {
	"alpha", "bind_if", "bind_port", "bindto", "connect_ip", "connect_port", "connect_timeout",
	"delay_before_retry", "delay_loop", "fwmark", "log_all_failures", "name", "retry", "type",
	"warmup",
};

/* UDP_CHECK. */
static const char *const kw_udp_check[] = {
	"alpha", "bind_if", "bind_port", "bindto", "connect_ip", "connect_port", "connect_timeout",
	"delay_before_retry", "delay_loop", "fwmark", "log_all_failures", "max_reply_length",
	"min_reply_length", "payload", "require_reply", "retry", "warmup",
};

/* MISC_CHECK: no connection options, a script instead. */
static const char *const kw_misc_check[] = {
	"alpha", "delay_before_retry", "delay_loop", "log_all_failures", "misc_dynamic",
	"misc_path", "misc_timeout", "retry", "user", "warmup",
};

/* FILE_CHECK. */
static const char *const kw_file_check[] = {
	"dynamic", "track_file", "weight",
};

/* BFD_CHECK. */
static const char *const kw_bfd_check[] = {
	"alpha", "name",
};

struct kk_section {
	const char *name;           /* the block keyword; "" for the top level */
	const char *const *keywords;
	size_t n_keywords;
};

#define KK_SECTION(name, array) { (name), (array), sizeof(array) / sizeof((array)[0]) }

/* Sorted by name for bsearch().  Several blocks share one table when
 * keepalived installs the same keywords for them. */
static const struct kk_section section_table[] = {
	KK_SECTION("", kw_top),
	KK_SECTION("BFD_CHECK", kw_bfd_check),
	KK_SECTION("DNS_CHECK", kw_dns_check),
	KK_SECTION("FILE_CHECK", kw_file_check),
	KK_SECTION("HTTP_GET", kw_http_get),
	KK_SECTION("MISC_CHECK", kw_misc_check),
	KK_SECTION("PING_CHECK", kw_checker_conn),
	KK_SECTION("SMTP_CHECK", kw_smtp_check),
	KK_SECTION("SSL", kw_ssl),
	KK_SECTION("SSL_GET", kw_http_get),
	KK_SECTION("TCP_CHECK", kw_checker_conn),
	KK_SECTION("UDP_CHECK", kw_udp_check),
	KK_SECTION("authentication", kw_authentication),
	KK_SECTION("bfd_instance", kw_bfd_instance),
	KK_SECTION("garp_group", kw_garp_group),
	KK_SECTION("global_defs", kw_global_defs),
	KK_SECTION("host", kw_checker_conn),
	KK_SECTION("real_server", kw_real_server),
	KK_SECTION("track_file", kw_track_file),
	KK_SECTION("track_group", kw_track_group),
	KK_SECTION("url", kw_url),
	KK_SECTION("virtual_server", kw_virtual_server),
	KK_SECTION("virtual_server_group", kw_virtual_server_group),
	KK_SECTION("vrrp_instance", kw_vrrp_instance),
	KK_SECTION("vrrp_script", kw_vrrp_script),
	KK_SECTION("vrrp_sync_group", kw_vrrp_sync_group),
	KK_SECTION("vrrp_track_file", kw_track_file),
	KK_SECTION("vrrp_track_process", kw_vrrp_track_process),
};

/* The order keepalived_keyword_home() tries the sections in: where an
 * operator most likely meant a keyword to go when it is in several (weight:
 * vrrp_script before real_server; alpha: virtual_server before checkers). */
static const char *const home_order[] = {
	"", "global_defs", "vrrp_instance", "authentication", "vrrp_sync_group",
	"vrrp_script", "vrrp_track_process", "track_file", "vrrp_track_file", "track_group",
	"garp_group", "bfd_instance", "virtual_server_group", "virtual_server", "real_server",
	"HTTP_GET", "SSL_GET", "url", "TCP_CHECK", "SMTP_CHECK", "host", "DNS_CHECK",
	"UDP_CHECK", "PING_CHECK", "MISC_CHECK", "FILE_CHECK", "BFD_CHECK", "SSL",
};

static int kk_compare_section(const void *key, const void *elem)
{
	const struct kk_section *s = elem;

	return strcmp(key, s->name);
}

static int kk_compare_keyword(const void *key, const void *elem)
{
	const char *const *kw = elem;

	return strcmp(key, *kw);
}

static const struct kk_section *kk_find_section(const char *section)
{
	if (!section)
		return NULL;
	return bsearch(section, section_table, sizeof(section_table) / sizeof(section_table[0]),
		       sizeof(section_table[0]), kk_compare_section);
}

static bool kk_section_has(const struct kk_section *s, const char *keyword)
{
	return s && keyword &&
	       bsearch(keyword, s->keywords, s->n_keywords, sizeof(s->keywords[0]),
		       kk_compare_keyword) != NULL;
}

/* A NULL section or keyword is never known. */
bool keepalived_keyword_known(const char *section, const char *keyword)
{
	return kk_section_has(kk_find_section(section), keyword);
}

bool keepalived_keyword_known_anywhere(const char *keyword)
{
	return keepalived_keyword_home(keyword) != NULL;
}

const char *keepalived_keyword_home(const char *keyword)
{
	size_t i;

	if (!keyword)
		return NULL;
	for (i = 0; i < sizeof(home_order) / sizeof(home_order[0]); i++) {
		const struct kk_section *s = kk_find_section(home_order[i]);

		if (kk_section_has(s, keyword))
			return s->name;
	}
	return NULL;
}

/* *ret = NULL for an unknown section rather than untouched: callers loop
 * over the count, and a defined pointer costs nothing. */
size_t keepalived_section_keywords(const char *section, const char *const **ret)
{
	const struct kk_section *s = kk_find_section(section);

	if (!s) {
		if (ret)
			*ret = NULL;
		return 0;
	}
	if (ret)
		*ret = s->keywords;
	return s->n_keywords;
}
