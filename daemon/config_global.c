/* config_global: the global_defs section.
 *
 * Rows for what lbha uses (mail, script user, VRRP and LVS defaults); every
 * other keyword keepalived knows there falls to the engine's "not supported"
 * warning.  Defaults are keepalived's, set in global_init(). */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

#define G(f) offsetof(struct config_global, f)

/* ---- smtp_server HOST [PORT] ------------------------------------------------ */

static int smtp_server_parse(struct config_ctx *c, const struct config_keyword *kw,
			     const struct conf_node *n, void *obj, void *field)
{
	struct config_global *g = obj;
	int64_t port = 25;

	if (config_expect_args(c, n, 1, 2) < 0)
		return -EINVAL;
	if (n->n_args > 1 &&
	    config_parse_int_range(c, n, "smtp_server port", n->args[1].text, 1, 65535, &port) < 0)
		return -EINVAL;
	free(g->smtp_server);
	g->smtp_server = xstrdup(n->args[0].text);
	g->smtp_port = (uint16_t)port;
	return 0;
}

static void smtp_server_print(struct config_printer *p, const struct config_keyword *kw,
			      const void *field)
{
	const struct config_global *g = (const void *)((const char *)field - kw->offset);

	if (!g->smtp_server)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_word(p, g->smtp_server);
	config_pr_fmt(p, "%u", g->smtp_port);
	config_pr_end(p);
}

static bool smtp_server_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_global *ga = (const void *)((const char *)a - kw->offset);
	const struct config_global *gb = (const void *)((const char *)b - kw->offset);

	return config_str_equal(ga->smtp_server, gb->smtp_server) && ga->smtp_port == gb->smtp_port;
}

static void smtp_server_free(const struct config_keyword *kw, void *field)
{
	char **s = field;

	free(*s);
	*s = NULL;
}

static const struct config_type type_smtp_server = {
	.name = "smtp server", .parse = smtp_server_parse, .print = smtp_server_print,
	.equal = smtp_server_equal, .free = smtp_server_free,
};

/* ---- lvs_timeouts [tcp N] [tcpfin N] [udp N] ------------------------------------- */

static const char *const timeout_names[] = { "tcp", "tcpfin", "udp", NULL };

static int lvs_timeouts_parse(struct config_ctx *c, const struct config_keyword *kw,
			      const struct conf_node *n, void *obj, void *field)
{
	struct config_lvs_timeouts t = *(struct config_lvs_timeouts *)field;
	uint32_t *slot[] = { &t.tcp, &t.tcpfin, &t.udp };

	if (n->n_args == 0 || n->n_args % 2) {
		diag_error(c->d, n->file, n->line,
			   "lvs_timeouts takes pairs: [tcp SECONDS] [tcpfin SECONDS] [udp SECONDS]");
		return -EINVAL;
	}
	for (size_t i = 0; i < n->n_args; i += 2) {
		int k = config_parse_enum(c, n, "lvs_timeouts protocol", n->args[i].text, timeout_names);
		int64_t v;
		if (k < 0 || config_parse_int_range(c, n, n->args[i].text, n->args[i + 1].text, 1,
						    86400 * 31, &v) < 0)
			return -EINVAL;
		*slot[k] = (uint32_t)v;
	}
	*(struct config_lvs_timeouts *)field = t;
	return 0;
}

static void lvs_timeouts_print(struct config_printer *p, const struct config_keyword *kw,
			       const void *field)
{
	const struct config_lvs_timeouts *t = field;
	const uint32_t v[] = { t->tcp, t->tcpfin, t->udp };

	if (!t->tcp && !t->tcpfin && !t->udp)
		return;
	config_pr_begin(p, kw->keyword);
	for (size_t i = 0; i < 3; i++)
		if (v[i])
			config_pr_fmt(p, "%s %" PRIu32, timeout_names[i], v[i]);
	config_pr_end(p);
}

static bool lvs_timeouts_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_lvs_timeouts *x = a, *y = b;

	return x->tcp == y->tcp && x->tcpfin == y->tcpfin && x->udp == y->udp;
}

static const struct config_type type_lvs_timeouts = {
	.name = "lvs timeouts", .parse = lvs_timeouts_parse, .print = lvs_timeouts_print,
	.equal = lvs_timeouts_equal,
};

/* ---- lvs_sync_daemon IF [[inst] VI] [id N] [maxlen N] [port N] [ttl N] [group A] - */

static int sync_daemon_parse(struct config_ctx *c, const struct config_keyword *kw,
			     const struct conf_node *n, void *obj, void *field)
{
	struct config_lvs_sync_daemon *s = field;
	struct config_lvs_sync_daemon t = { .syncid = CONFIG_SYNCID_VRID, .port = 8848 };
	size_t i = 1;

	if (config_expect_args(c, n, 1, 14) < 0)
		return -EINVAL;
	if (n->n_args > 1 && strcmp(n->args[1].text, "inst") != 0 &&
	    strcmp(n->args[1].text, "id") != 0 && strcmp(n->args[1].text, "maxlen") != 0 &&
	    strcmp(n->args[1].text, "port") != 0 && strcmp(n->args[1].text, "ttl") != 0 &&
	    strcmp(n->args[1].text, "group") != 0) {
		t.instance = xstrdup(n->args[1].text); /* old form without "inst" */
		i = 2;
	}
	for (; i < n->n_args; i += 2) {
		const char *opt = n->args[i].text;
		int64_t v;
		if (i + 1 >= n->n_args) {
			diag_error(c->d, n->file, n->line, "lvs_sync_daemon: '%s' needs a value", opt);
			goto fail;
		}
		const char *val = n->args[i + 1].text;
		if (strcmp(opt, "inst") == 0) {
			free(t.instance);
			t.instance = xstrdup(val);
		} else if (strcmp(opt, "id") == 0) {
			if (config_parse_int_range(c, n, "lvs_sync_daemon id", val, 0, 255, &v) < 0)
				goto fail;
			t.syncid = (uint32_t)v;
		} else if (strcmp(opt, "maxlen") == 0) {
			if (config_parse_int_range(c, n, "lvs_sync_daemon maxlen", val, 1, 65507, &v) < 0)
				goto fail;
			t.maxlen = (uint32_t)v;
		} else if (strcmp(opt, "port") == 0) {
			if (config_parse_int_range(c, n, "lvs_sync_daemon port", val, 1, 65535, &v) < 0)
				goto fail;
			t.port = (uint16_t)v;
		} else if (strcmp(opt, "ttl") == 0) {
			if (config_parse_int_range(c, n, "lvs_sync_daemon ttl", val, 1, 255, &v) < 0)
				goto fail;
			t.ttl = (uint8_t)v;
		} else if (strcmp(opt, "group") == 0) {
			if (config_parse_addr(c, n, "lvs_sync_daemon group", val, &t.group) < 0)
				goto fail;
		} else {
			diag_error(c->d, n->file, n->line,
				   "unknown lvs_sync_daemon option '%s'; expected one of: inst, id, "
				   "maxlen, port, ttl, group", opt);
			goto fail;
		}
	}
	free(s->interface);
	free(s->instance);
	t.interface = xstrdup(n->args[0].text);
	*s = t;
	return 0;
fail:
	free(t.instance);
	return -EINVAL;
}

static void sync_daemon_print(struct config_printer *p, const struct config_keyword *kw,
			      const void *field)
{
	const struct config_lvs_sync_daemon *s = field;

	if (!s->interface)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_word(p, s->interface);
	if (s->instance) {
		config_pr_fmt(p, "inst");
		config_pr_word(p, s->instance);
	}
	if (s->syncid != CONFIG_SYNCID_VRID)
		config_pr_fmt(p, "id %" PRIu32, s->syncid);
	if (s->maxlen)
		config_pr_fmt(p, "maxlen %" PRIu32, s->maxlen);
	config_pr_fmt(p, "port %u", s->port);
	if (s->ttl)
		config_pr_fmt(p, "ttl %u", s->ttl);
	if (config_addr_is_set(&s->group)) {
		config_pr_fmt(p, "group");
		config_pr_addr(p, &s->group);
	}
	config_pr_end(p);
}

static bool sync_daemon_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_lvs_sync_daemon *x = a, *y = b;

	return config_str_equal(x->interface, y->interface) &&
	       config_str_equal(x->instance, y->instance) && x->syncid == y->syncid &&
	       x->maxlen == y->maxlen && x->port == y->port && x->ttl == y->ttl &&
	       config_addr_equal(&x->group, &y->group);
}

static void sync_daemon_free(const struct config_keyword *kw, void *field)
{
	struct config_lvs_sync_daemon *s = field;

	free(s->interface);
	free(s->instance);
	s->interface = s->instance = NULL;
}

static const struct config_type type_sync_daemon = {
	.name = "lvs sync daemon", .parse = sync_daemon_parse, .print = sync_daemon_print,
	.equal = sync_daemon_equal, .free = sync_daemon_free,
};

/* ---- small optional-argument keywords --------------------------------------------- */

static const char *const flush_onstop_names[] = { "off", "on", "VS", NULL };

static int flush_onstop_parse(struct config_ctx *c, const struct config_keyword *kw,
			      const struct conf_node *n, void *obj, void *field)
{
	int v = CONFIG_LVS_FLUSH_ONSTOP_ON;

	if (config_expect_args(c, n, 0, 1) < 0)
		return -EINVAL;
	if (n->n_args == 1) {
		v = config_parse_enum(c, n, n->keyword, n->args[0].text, flush_onstop_names);
		if (v < 0)
			return v;
	}
	*(enum config_lvs_flush_onstop *)field = v;
	return 0;
}

static void flush_onstop_print(struct config_printer *p, const struct config_keyword *kw,
			       const void *field)
{
	int v = *(const enum config_lvs_flush_onstop *)field;

	if (v == CONFIG_LVS_FLUSH_ONSTOP_OFF)
		return;
	config_pr_begin(p, kw->keyword);
	if (v == CONFIG_LVS_FLUSH_ONSTOP_VS)
		config_pr_word(p, "VS");
	config_pr_end(p);
}

static bool int_field_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const int *)a == *(const int *)b;
}

static const struct config_type type_flush_onstop = {
	.name = "flush on stop", .parse = flush_onstop_parse, .print = flush_onstop_print,
	.equal = int_field_equal,
};

static int dynamic_if_parse(struct config_ctx *c, const struct config_keyword *kw,
			    const struct conf_node *n, void *obj, void *field)
{
	struct config_global *g = obj;

	if (config_expect_args(c, n, 0, 1) < 0)
		return -EINVAL;
	if (n->n_args == 1 && strcmp(n->args[0].text, "allow_if_changes") != 0) {
		diag_error(c->d, n->file, n->line,
			   "unknown dynamic_interfaces option '%s'; expected one of: allow_if_changes",
			   n->args[0].text);
		return -EINVAL;
	}
	g->dynamic_interfaces = true;
	g->dynamic_interfaces_allow_changes = n->n_args == 1;
	return 0;
}

static void dynamic_if_print(struct config_printer *p, const struct config_keyword *kw,
			     const void *field)
{
	const struct config_global *g = (const void *)((const char *)field - kw->offset);

	if (!g->dynamic_interfaces)
		return;
	config_pr_begin(p, kw->keyword);
	if (g->dynamic_interfaces_allow_changes)
		config_pr_word(p, "allow_if_changes");
	config_pr_end(p);
}

static bool dynamic_if_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_global *x = (const void *)((const char *)a - kw->offset);
	const struct config_global *y = (const void *)((const char *)b - kw->offset);

	return x->dynamic_interfaces == y->dynamic_interfaces &&
	       x->dynamic_interfaces_allow_changes == y->dynamic_interfaces_allow_changes;
}

static const struct config_type type_dynamic_if = {
	.name = "dynamic interfaces", .parse = dynamic_if_parse, .print = dynamic_if_print,
	.equal = dynamic_if_equal,
};

/* max_auto_priority [N]: without N, the highest realtime priority. */
static int max_auto_prio_parse(struct config_ctx *c, const struct config_keyword *kw,
			       const struct conf_node *n, void *obj, void *field)
{
	int64_t v = 99;

	if (config_expect_args(c, n, 0, 1) < 0 ||
	    (n->n_args == 1 &&
	     config_parse_int_range(c, n, n->keyword, n->args[0].text, -1, 99, &v) < 0))
		return -EINVAL;
	*(int32_t *)field = (int32_t)v;
	return 0;
}

static void max_auto_prio_print(struct config_printer *p, const struct config_keyword *kw,
				const void *field)
{
	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%" PRId32, *(const int32_t *)field);
	config_pr_end(p);
}

static bool i32_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const int32_t *)a == *(const int32_t *)b;
}

static const struct config_type type_max_auto_prio = {
	.name = "priority", .parse = max_auto_prio_parse, .print = max_auto_prio_print,
	.equal = i32_equal,
};

/* ---- the section ------------------------------------------------------------------- */

#define SEC_MAX CONFIG_SEC(86400)

static const struct config_keyword global_rows[] = {
	{ .keyword = "router_id", .type = &config_type_string, .offset = G(router_id) },
	{ .keyword = "notification_email", .type = &config_type_strv_block,
	  .offset = G(notification_email) },
	{ .keyword = "notification_email_from", .type = &config_type_string,
	  .offset = G(notification_email_from) },
	{ .keyword = "smtp_server", .type = &type_smtp_server, .offset = G(smtp_server) },
	{ .keyword = "smtp_helo_name", .type = &config_type_string, .offset = G(smtp_helo_name) },
	{ .keyword = "smtp_connect_timeout", .type = &config_type_duration,
	  .offset = G(smtp_connect_timeout_us), .min = CONFIG_SEC(1), .max = CONFIG_SEC(3600) },
	{ .keyword = "smtp_alert", .type = &config_type_bool, .offset = G(smtp_alert) },
	{ .keyword = "smtp_alert_vrrp", .type = &config_type_bool, .offset = G(smtp_alert_vrrp) },
	{ .keyword = "smtp_alert_checker", .type = &config_type_bool,
	  .offset = G(smtp_alert_checker) },
	{ .keyword = "checker_log_all_failures", .type = &config_type_bool,
	  .offset = G(checker_log_all_failures) },
	{ .keyword = "no_email_faults", .type = &config_type_flag, .offset = G(no_email_faults) },
	{ .keyword = "script_user", .type = &config_type_user, .offset = G(script_user),
	  .min = 0, .max = G(script_group) },
	{ .keyword = "enable_script_security", .type = &config_type_flag,
	  .offset = G(enable_script_security) },
	{ .keyword = "default_interface", .type = &config_type_string,
	  .offset = G(default_interface), .min = 0, .max = 15 },
	{ .keyword = "vrrp_garp_master_delay", .type = &config_type_duration,
	  .offset = G(vrrp_garp_master_delay_us), .min = 0, .max = SEC_MAX },
	{ .keyword = "vrrp_garp_master_repeat", .type = &config_type_u32,
	  .offset = G(vrrp_garp_master_repeat), .min = 0, .max = 255 },
	{ .keyword = "vrrp_garp_lower_prio_delay", .type = &config_type_duration,
	  .offset = G(vrrp_garp_lower_prio_delay_us), .min = 0, .max = SEC_MAX },
	{ .keyword = "vrrp_garp_lower_prio_repeat", .type = &config_type_u32,
	  .offset = G(vrrp_garp_lower_prio_repeat), .min = 0, .max = 255 },
	{ .keyword = "vrrp_garp_master_refresh", .type = &config_type_duration,
	  .offset = G(vrrp_garp_master_refresh_us), .min = 0, .max = SEC_MAX },
	{ .keyword = "vrrp_garp_master_refresh_repeat", .type = &config_type_u32,
	  .offset = G(vrrp_garp_master_refresh_repeat), .min = 1, .max = 255 },
	{ .keyword = "vrrp_garp_interval", .type = &config_type_duration,
	  .offset = G(vrrp_garp_interval_us), .min = 0, .max = CONFIG_SEC(1),
	  .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "vrrp_gna_interval", .type = &config_type_duration,
	  .offset = G(vrrp_gna_interval_us), .min = 0, .max = CONFIG_SEC(1),
	  .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "vrrp_min_garp", .type = &config_type_bool, .offset = G(vrrp_min_garp) },
	{ .keyword = "vrrp_version", .type = &config_type_u8, .offset = G(vrrp_version),
	  .min = 2, .max = 3 },
	{ .keyword = "vrrp_strict", .type = &config_type_flag, .offset = G(vrrp_strict) },
	{ .keyword = "vrrp_iptables", .type = &config_type_strv, .offset = G(vrrp_iptables),
	  .min = 0, .max = 2 },
	{ .keyword = "vrrp_mcast_group4", .type = &config_type_addr,
	  .offset = G(vrrp_mcast_group4), .min = AF_INET },
	{ .keyword = "vrrp_mcast_group6", .type = &config_type_addr,
	  .offset = G(vrrp_mcast_group6), .min = AF_INET6 },
	{ .keyword = "vrrp_skip_check_adv_addr", .type = &config_type_bool,
	  .offset = G(vrrp_skip_check_adv_addr) },
	{ .keyword = "vrrp_check_unicast_src", .type = &config_type_flag,
	  .offset = G(vrrp_check_unicast_src) },
	{ .keyword = "vrrp_lower_prio_no_advert", .type = &config_type_bool,
	  .offset = G(vrrp_lower_prio_no_advert) },
	{ .keyword = "vrrp_higher_prio_send_advert", .type = &config_type_bool,
	  .offset = G(vrrp_higher_prio_send_advert) },
	{ .keyword = "vrrp_down_timer_adverts", .type = &config_type_u32,
	  .offset = G(vrrp_down_timer_adverts), .min = 1, .max = 100 },
	{ .keyword = "vrrp_startup_delay", .type = &config_type_duration,
	  .offset = G(vrrp_startup_delay_us), .min = 0, .max = CONFIG_SEC(3600),
	  .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "notify_fifo", .type = &config_type_script, .offset = G(notify_fifo) },
	{ .keyword = "vrrp_notify_fifo", .type = &config_type_script,
	  .offset = G(vrrp_notify_fifo) },
	{ .keyword = "lvs_notify_fifo", .type = &config_type_script,
	  .offset = G(lvs_notify_fifo) },
	{ .keyword = "lvs_timeouts", .type = &type_lvs_timeouts, .offset = G(lvs_timeouts) },
	{ .keyword = "lvs_sync_daemon", .type = &type_sync_daemon, .offset = G(lvs_sync_daemon) },
	{ .keyword = "lvs_flush", .type = &config_type_flag, .offset = G(lvs_flush) },
	{ .keyword = "lvs_flush_on_stop", .type = &type_flush_onstop,
	  .offset = G(lvs_flush_onstop) },
	{ .keyword = "lvs_flush_onstop", .type = &type_flush_onstop,
	  .offset = G(lvs_flush_onstop), .flags = CONFIG_KW_ALIAS },
	{ .keyword = "dynamic_interfaces", .type = &type_dynamic_if,
	  .offset = G(dynamic_interfaces) },
	{ .keyword = "max_auto_priority", .type = &type_max_auto_prio,
	  .offset = G(max_auto_priority) },
	{ .keyword = "metrics_address", .type = &config_type_addr, .offset = G(metrics_address) },
	{ .keyword = "metrics_port", .type = &config_type_u16, .offset = G(metrics_port), .min = 1,
	  .max = 65535 },
	{ .keyword = NULL },
};

static void global_init(struct config_ctx *c, void *obj)
{
	struct config_global *g = obj;

	g->smtp_port = 25;
	g->smtp_connect_timeout_us = CONFIG_SEC(30);
	g->default_interface = xstrdup("eth0");
	g->vrrp_garp_master_delay_us = CONFIG_SEC(5);
	g->vrrp_garp_master_repeat = 5;
	g->vrrp_garp_lower_prio_delay_us = CONFIG_SEC(5);
	g->vrrp_garp_lower_prio_repeat = 5;
	g->vrrp_garp_master_refresh_repeat = 1;
	/* not keepalived's default (off): a master giving way sends one last
	 * advert, so after a partition heals the winner hears the loser and
	 * re-announces the VIPs whichever advert crossed the link first */
	g->vrrp_higher_prio_send_advert = true;
	g->vrrp_version = 2;
	g->vrrp_mcast_group4.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &g->vrrp_mcast_group4.u.v4);
	g->vrrp_mcast_group6.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &g->vrrp_mcast_group6.u.v6);
	g->vrrp_down_timer_adverts = 3;
	g->lvs_sync_daemon.syncid = CONFIG_SYNCID_VRID;
	g->lvs_sync_daemon.port = 8848;
	g->metrics_port = CONFIG_METRICS_PORT_DEFAULT;
}

/* 127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104. */
static bool addr_is_loopback(const struct config_addr *a)
{
	const uint8_t *b = a->u.v6.s6_addr;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->family == AF_INET)
		return (ntohl(a->u.v4.s_addr) >> 24) == 127;
	if (IN6_IS_ADDR_LOOPBACK(&a->u.v6))
		return true;
	return memcmp(b, mapped, sizeof(mapped)) == 0 && b[12] == 127;
}

static void global_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_global *g = obj;

	/* keepalived: the lower-priority GARP settings follow the master ones */
	if (!config_obj_isset(g, G(vrrp_garp_lower_prio_delay_us)))
		g->vrrp_garp_lower_prio_delay_us = g->vrrp_garp_master_delay_us;
	if (!config_obj_isset(g, G(vrrp_garp_lower_prio_repeat)))
		g->vrrp_garp_lower_prio_repeat = g->vrrp_garp_master_repeat;
	if (g->vrrp_strict && !config_obj_isset(g, G(vrrp_lower_prio_no_advert)))
		g->vrrp_lower_prio_no_advert = true;
	g->vrrp_iptables_set = config_obj_isset(g, G(vrrp_iptables));
	if (g->vrrp_iptables_set)
		diag_warn(c->d, g->obj.file, config_obj_line(g, G(vrrp_iptables)),
			  "vrrp_iptables is read but lbha manages no firewall rules; no_accept is "
			  "not enforced");
	/* The metrics page has no authentication: anyone who reaches the port
	 * reads the names of instances and servers and their health. */
	if (config_addr_is_set(&g->metrics_address) && !addr_is_loopback(&g->metrics_address))
		diag_warn(c->d, g->obj.file, config_obj_line(g, G(metrics_address)),
			  "metrics_address is not a loopback address: the metrics page has no "
			  "authentication, anyone who reaches it can read it");
	if (g->vrrp_min_garp) {
		/* keepalived: one GARP, no second burst */
		g->vrrp_garp_master_repeat = 1;
		g->vrrp_garp_master_delay_us = 0;
	}
}

const struct config_section config_section_global = {
	.name = "global_defs",
	.size = sizeof(struct config_global),
	.keywords = global_rows, .index = CONFIG_SECTION_INDEX,
	.init = global_init,
	.finish = global_finish,
};
