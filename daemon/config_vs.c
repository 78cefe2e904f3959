/* config_vs: the virtual_server and real_server sections (checkers inside
 * real servers are in config_check.c, groups in config_vsg.c).
 *
 * Heads follow keepalived's quirks: `virtual_server 10.0.0.1 80`,
 * `virtual_server 2001:db8::1 80` (or [2001:db8::1]), `virtual_server fwmark 1`,
 * `virtual_server group NAME`, `real_server 10.0.0.2 [80]`.
 *
 * The virtual server's finish hook hands its settings down: a real server
 * takes the service's forwarding method and checker timing unless it sets
 * its own, and a checker takes the real server's (keepalived's rule).  After
 * that every value is explicit, which is what the dump prints. */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

#define V(f) offsetof(struct config_virtual_server, f)
#define R(f) offsetof(struct config_real_server, f)
#define DAY CONFIG_SEC(86400)

/* ---- sorry_server ADDR [PORT] ------------------------------------------------------ */

static int sorry_parse(struct config_ctx *c, const struct config_keyword *kw,
		       const struct conf_node *n, void *obj, void *field)
{
	struct config_virtual_server *vs = obj;

	return config_parse_addr_port(c, n, "sorry_server", 0, &vs->sorry_addr, &vs->sorry_port);
}

static void sorry_print(struct config_printer *p, const struct config_keyword *kw,
			const void *field)
{
	const struct config_virtual_server *vs = (const void *)((const char *)field - kw->offset);

	if (!config_addr_is_set(&vs->sorry_addr))
		return;
	config_pr_begin(p, kw->keyword);
	config_print_addr_port(p, &vs->sorry_addr, vs->sorry_port);
	config_pr_end(p);
}

static bool sorry_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_virtual_server *x = (const void *)((const char *)a - kw->offset);
	const struct config_virtual_server *y = (const void *)((const char *)b - kw->offset);

	return config_addr_equal(&x->sorry_addr, &y->sorry_addr) && x->sorry_port == y->sorry_port;
}

static const struct config_type type_sorry = {
	.name = "sorry server", .parse = sorry_parse, .print = sorry_print, .equal = sorry_equal,
};

/* ---- persistence_timeout [N] (360 s without N, keepalived's default) --------------- */

static int persist_parse(struct config_ctx *c, const struct config_keyword *kw,
			 const struct conf_node *n, void *obj, void *field)
{
	int64_t v = 360;

	if (config_expect_args(c, n, 0, 1) < 0 ||
	    (n->n_args == 1 &&
	     config_parse_int_range(c, n, n->keyword, n->args[0].text, 0, 31 * 86400, &v) < 0))
		return -EINVAL;
	*(uint32_t *)field = (uint32_t)v;
	return 0;
}

static void persist_print(struct config_printer *p, const struct config_keyword *kw,
			  const void *field)
{
	uint32_t v = *(const uint32_t *)field;

	if (!v)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%" PRIu32, v);
	config_pr_end(p);
}

static bool u32_same(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const uint32_t *)a == *(const uint32_t *)b;
}

static const struct config_type type_persist = {
	.name = "seconds", .parse = persist_parse, .print = persist_print, .equal = u32_same,
};

/* persistence_granularity: an IPv4 netmask, or a prefix length (IPv6 style). */
static int granularity_parse(struct config_ctx *c, const struct config_keyword *kw,
			     const struct conf_node *n, void *obj, void *field)
{
	struct config_virtual_server *vs = obj;
	struct config_addr *m = field, a = { 0 };
	uint64_t len;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	if (config_parse_uint_text(n->args[0].text, &len) == 0) {
		int fam = vs->addr.family == AF_INET6 || len > 32 ? AF_INET6 : AF_INET;
		if (len < 1 || len > config_addr_max_prefix(fam)) {
			diag_error(c->d, n->file, n->line, "%s %s is out of range (1-%u)", n->keyword,
				   n->args[0].text, config_addr_max_prefix(fam));
			return -EINVAL;
		}
		a.family = fam;
		memset(&a.u, 0xff, sizeof(a.u));
		a = config_addr_mask(&a, (unsigned)len, false);
	} else if (config_addr_parse(n->args[0].text, &a) < 0 || a.family != AF_INET) {
		diag_error(c->d, n->file, n->line,
			   "%s '%s' is not a netmask (e.g. 255.255.255.0) or prefix length", n->keyword,
			   n->args[0].text);
		return -EINVAL;
	}
	*m = a;
	return 0;
}

static void granularity_print(struct config_printer *p, const struct config_keyword *kw,
			      const void *field)
{
	const struct config_addr *m = field;

	if (!config_addr_is_set(m))
		return;
	config_pr_begin(p, kw->keyword);
	if (m->family == AF_INET) {
		config_pr_addr(p, m);
	} else {
		unsigned len = 0;
		for (size_t i = 0; i < 16; i++)
			len += (unsigned)__builtin_popcount(m->u.v6.s6_addr[i]);
		config_pr_fmt(p, "%u", len);
	}
	config_pr_end(p);
}

static bool addr_same(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_addr_equal(a, b);
}

static const struct config_type type_granularity = {
	.name = "netmask", .parse = granularity_parse, .print = granularity_print,
	.equal = addr_same,
};

/* ip_family inet|inet6 */
static int family_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	static const char *const names[] = { "inet", "inet6", NULL };
	int v;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	v = config_parse_enum(c, n, n->keyword, n->args[0].text, names);
	if (v < 0)
		return -EINVAL;
	*(int *)field = v == 0 ? AF_INET : AF_INET6;
	return 0;
}

static void family_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	int f = *(const int *)field;

	if (f == AF_UNSPEC)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%s", config_family_to_string(f));
	config_pr_end(p);
}

static bool int_same(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const int *)a == *(const int *)b;
}

static const struct config_type type_family = {
	.name = "family", .parse = family_parse, .print = family_print, .equal = int_same,
};

/* A fwmark service has no protocol; sorry_server_* need a sorry_server. */
static bool has_protocol(const void *obj)
{
	return ((const struct config_virtual_server *)obj)->kind != CONFIG_VS_FWMARK;
}

static bool has_sorry(const void *obj)
{
	return config_addr_is_set(&((const struct config_virtual_server *)obj)->sorry_addr);
}

/* lbha's own keywords (rise, fall, slow_start) are printed only when they
 * say something: written (or inherited from a written one) or not the
 * default.  A dump of a keepalived config then stays keepalived's, and an
 * explicit default under a non-default parent still round-trips. */
#define PRINT_IF_SAID(name, type, field, dflt)                                   \
	static bool name(const void *obj)                                        \
	{                                                                        \
		const struct type *o = obj;                                      \
		return o->field != (dflt) ||                                     \
		       config_obj_isset(obj, offsetof(struct type, field));      \
	}
PRINT_IF_SAID(rs_says_rise, config_real_server, rise, 1)
PRINT_IF_SAID(rs_says_fall, config_real_server, fall, 1)
PRINT_IF_SAID(rs_says_slow_start, config_real_server, slow_start_us, 0)
PRINT_IF_SAID(vs_says_rise, config_virtual_server, rise, 1)
PRINT_IF_SAID(vs_says_fall, config_virtual_server, fall, 1)
PRINT_IF_SAID(vs_says_slow_start, config_virtual_server, slow_start_us, 0)

/* rise/fall: consecutive checks; slow_start: up to a day, like delay_loop */
#define HEALTH_ROWS(X, says_rise, says_fall, says_slow)                                   \
	{ .keyword = "rise", .type = &config_type_u32, .offset = X(rise), .min = 1,       \
	  .max = 65535, .print_if = says_rise },                                          \
	{ .keyword = "fall", .type = &config_type_u32, .offset = X(fall), .min = 1,       \
	  .max = 65535, .print_if = says_fall },                                          \
	{ .keyword = "slow_start", .type = &config_type_duration,                         \
	  .offset = X(slow_start_us), .min = 0, .max = DAY, .print_if = says_slow }

/* ---- real_server ------------------------------------------------------------------------ */

static const struct config_keyword rs_rows[] = {
	{ .keyword = "addr", .type = &config_type_addr, .offset = R(addr),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "port", .type = &config_type_u16, .offset = R(port),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "weight", .type = &config_type_u32, .offset = R(weight), .min = 0,
	  .max = 65535 },
	{ .keyword = "lvs_method", .type = &config_type_fwd, .offset = R(fwd) },
	{ .keyword = "lb_kind", .type = &config_type_fwd, .offset = R(fwd),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "notify_up", .type = &config_type_script, .offset = R(notify_up) },
	{ .keyword = "notify_down", .type = &config_type_script, .offset = R(notify_down) },
	{ .keyword = "uthreshold", .type = &config_type_u32, .offset = R(uthreshold), .min = 0,
	  .max = UINT32_MAX, .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "lthreshold", .type = &config_type_u32, .offset = R(lthreshold), .min = 0,
	  .max = UINT32_MAX, .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "smtp_alert", .type = &config_type_bool, .offset = R(smtp_alert) },
	{ .keyword = "virtualhost", .type = &config_type_string, .offset = R(virtualhost) },
	{ .keyword = "alpha", .type = &config_type_bool, .offset = R(alpha) },
	{ .keyword = "inhibit_on_failure", .type = &config_type_bool,
	  .offset = R(inhibit_on_failure) },
	{ .keyword = "connect_timeout", .type = &config_type_duration,
	  .offset = R(connect_timeout_us), .min = CONFIG_SEC(1) / 1000, .max = DAY },
	{ .keyword = "retry", .type = &config_type_u32, .offset = R(retry), .min = 0,
	  .max = 1000000 },
	{ .keyword = "nb_get_retry", .type = &config_type_u32, .offset = R(retry), .min = 0,
	  .max = 1000000, .flags = CONFIG_KW_ALIAS },
	{ .keyword = "delay_before_retry", .type = &config_type_duration,
	  .offset = R(delay_before_retry_us), .min = 0, .max = DAY },
	{ .keyword = "delay_loop", .type = &config_type_duration, .offset = R(delay_loop_us),
	  .min = CONFIG_SEC(1) / 1000, .max = DAY },
	{ .keyword = "warmup", .type = &config_type_duration, .offset = R(warmup_us), .min = 0,
	  .max = DAY },
	{ .keyword = "keepalive_time", .type = &config_type_duration,
	  .offset = R(keepalive_time_us), .min = 0, .max = DAY, .flags = CONFIG_KW_UNSET0 },
	HEALTH_ROWS(R, rs_says_rise, rs_says_fall, rs_says_slow_start),
	{ .keyword = "HTTP_GET", .type = &config_type_block_list, .offset = R(checkers),
	  .aux = &config_section_http_get, .flags = CONFIG_KW_MULTI },
	{ .keyword = "SSL_GET", .type = &config_type_block_list, .offset = R(checkers),
	  .aux = &config_section_ssl_get, .flags = CONFIG_KW_MULTI | CONFIG_KW_SHARED },
	{ .keyword = "TCP_CHECK", .type = &config_type_block_list, .offset = R(checkers),
	  .aux = &config_section_tcp_check, .flags = CONFIG_KW_MULTI | CONFIG_KW_SHARED },
	{ .keyword = "MISC_CHECK", .type = &config_type_block_list, .offset = R(checkers),
	  .aux = &config_section_misc_check, .flags = CONFIG_KW_MULTI | CONFIG_KW_SHARED },
	{ .keyword = NULL },
};

static int rs_head(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_real_server *rs = obj;

	return config_parse_addr_port(c, n, "real_server", 0, &rs->addr, &rs->port);
}

static void rs_print_head(struct config_printer *p, const void *obj)
{
	const struct config_real_server *rs = obj;

	config_print_addr_port(p, &rs->addr, rs->port);
}

static void rs_init(struct config_ctx *c, void *obj)
{
	((struct config_real_server *)obj)->weight = 1;
}

const struct config_section config_section_rs = {
	.name = "real_server",
	.size = sizeof(struct config_real_server),
	.keywords = rs_rows, .index = CONFIG_SECTION_INDEX,
	.init = rs_init,
	.head = rs_head,
	.print_head = rs_print_head,
};

/* ---- virtual_server --------------------------------------------------------------------- */

static const struct config_keyword vs_rows[] = {
	{ .keyword = "kind", .type = &config_type_u32, .offset = V(kind),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "addr", .type = &config_type_addr, .offset = V(addr),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "port", .type = &config_type_u16, .offset = V(port),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "fwmark", .type = &config_type_u32, .offset = V(fwmark),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "group", .type = &config_type_string, .offset = V(group_name),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "ip_family", .type = &type_family, .offset = V(ip_family) },
	{ .keyword = "delay_loop", .type = &config_type_duration, .offset = V(delay_loop_us),
	  .min = CONFIG_SEC(1) / 1000, .max = DAY },
	{ .keyword = "lvs_sched", .type = &config_type_enum, .offset = V(sched),
	  .aux = config_lvs_sched_names },
	{ .keyword = "lb_algo", .type = &config_type_enum, .offset = V(sched),
	  .aux = config_lvs_sched_names, .flags = CONFIG_KW_ALIAS },
	{ .keyword = "flag-1", .type = &config_type_flag, .offset = V(sched_flag1) },
	{ .keyword = "sh-fallback", .type = &config_type_flag, .offset = V(sched_flag1),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "mh-fallback", .type = &config_type_flag, .offset = V(sched_flag1),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "flag-2", .type = &config_type_flag, .offset = V(sched_flag2) },
	{ .keyword = "sh-port", .type = &config_type_flag, .offset = V(sched_flag2),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "mh-port", .type = &config_type_flag, .offset = V(sched_flag2),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "flag-3", .type = &config_type_flag, .offset = V(sched_flag3) },
	{ .keyword = "ops", .type = &config_type_flag, .offset = V(ops) },
	{ .keyword = "lvs_method", .type = &config_type_fwd, .offset = V(fwd) },
	{ .keyword = "lb_kind", .type = &config_type_fwd, .offset = V(fwd),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "protocol", .type = &config_type_enum, .offset = V(protocol),
	  .aux = config_protocol_names, .print_if = has_protocol },
	{ .keyword = "persistence_timeout", .type = &type_persist,
	  .offset = V(persistence_timeout) },
	{ .keyword = "persistence_granularity", .type = &type_granularity,
	  .offset = V(persistence_granularity) },
	{ .keyword = "persistence_engine", .type = &config_type_string,
	  .offset = V(persistence_engine) },
	{ .keyword = "ha_suspend", .type = &config_type_flag, .offset = V(ha_suspend) },
	{ .keyword = "smtp_alert", .type = &config_type_bool, .offset = V(smtp_alert) },
	{ .keyword = "virtualhost", .type = &config_type_string, .offset = V(virtualhost) },
	{ .keyword = "alpha", .type = &config_type_flag, .offset = V(alpha) },
	{ .keyword = "omega", .type = &config_type_flag, .offset = V(omega) },
	{ .keyword = "quorum", .type = &config_type_u32, .offset = V(quorum), .min = 1,
	  .max = UINT32_MAX },
	{ .keyword = "hysteresis", .type = &config_type_u32, .offset = V(hysteresis), .min = 0,
	  .max = UINT32_MAX },
	{ .keyword = "quorum_up", .type = &config_type_script, .offset = V(quorum_up) },
	{ .keyword = "quorum_down", .type = &config_type_script, .offset = V(quorum_down) },
	{ .keyword = "sorry_server", .type = &type_sorry, .offset = V(sorry_addr) },
	{ .keyword = "sorry_server_inhibit", .type = &config_type_flag,
	  .offset = V(sorry_server_inhibit), .print_if = has_sorry },
	{ .keyword = "sorry_server_lvs_method", .type = &config_type_fwd,
	  .offset = V(sorry_fwd), .print_if = has_sorry },
	{ .keyword = "connect_timeout", .type = &config_type_duration,
	  .offset = V(connect_timeout_us), .min = CONFIG_SEC(1) / 1000, .max = DAY },
	{ .keyword = "keepalive_time", .type = &config_type_duration,
	  .offset = V(keepalive_time_us), .min = 0, .max = DAY, .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "retry", .type = &config_type_u32, .offset = V(retry), .min = 0,
	  .max = 1000000 },
	{ .keyword = "nb_get_retry", .type = &config_type_u32, .offset = V(retry), .min = 0,
	  .max = 1000000, .flags = CONFIG_KW_ALIAS },
	{ .keyword = "delay_before_retry", .type = &config_type_duration,
	  .offset = V(delay_before_retry_us), .min = 0, .max = DAY },
	{ .keyword = "warmup", .type = &config_type_duration, .offset = V(warmup_us), .min = 0,
	  .max = DAY },
	HEALTH_ROWS(V, vs_says_rise, vs_says_fall, vs_says_slow_start),
	{ .keyword = "inhibit_on_failure", .type = &config_type_flag,
	  .offset = V(inhibit_on_failure) },
	{ .keyword = "real_server", .type = &config_type_block_list, .offset = V(real_servers),
	  .aux = &config_section_rs, .flags = CONFIG_KW_MULTI },
	{ .keyword = NULL },
};

static int vs_head(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_virtual_server *vs = obj;

	if (n->n_args >= 1 && strcmp(n->args[0].text, "fwmark") == 0) {
		int64_t v;
		vs->kind = CONFIG_VS_FWMARK;
		if (n->n_args != 2) {
			diag_error(c->d, n->file, n->line, "virtual_server fwmark needs one number");
			return -EINVAL;
		}
		if (config_parse_int_range(c, n, "fwmark", n->args[1].text, 1, UINT32_MAX, &v) < 0)
			return -EINVAL;
		vs->fwmark = (uint32_t)v;
		return 0;
	}
	if (n->n_args >= 1 && strcmp(n->args[0].text, "group") == 0) {
		vs->kind = CONFIG_VS_GROUP;
		if (n->n_args != 2) {
			diag_error(c->d, n->file, n->line, "virtual_server group needs one group name");
			return -EINVAL;
		}
		vs->group_name = xstrdup(n->args[1].text);
		return 0;
	}
	vs->kind = CONFIG_VS_ADDR;
	if (config_parse_addr_port(c, n, "virtual_server", 0, &vs->addr, &vs->port) < 0)
		return -EINVAL;
	vs->family = vs->addr.family;
	return 0;
}

static void vs_print_head(struct config_printer *p, const void *obj)
{
	const struct config_virtual_server *vs = obj;

	if (vs->kind == CONFIG_VS_FWMARK)
		config_pr_fmt(p, "fwmark %" PRIu32, vs->fwmark);
	else if (vs->kind == CONFIG_VS_GROUP) {
		config_pr_fmt(p, "group");
		config_pr_word(p, vs->group_name);
	} else
		config_print_addr_port(p, &vs->addr, vs->port);
}

static void vs_init(struct config_ctx *c, void *obj)
{
	struct config_virtual_server *vs = obj;

	vs->delay_loop_us = CONFIG_SEC(60);
	vs->sched = CONFIG_SCHED_WLC;          /* ipvsadm's and keepalived's default */
	vs->quorum = 1;
	vs->connect_timeout_us = CONFIG_SEC(5);
	vs->retry = 1;
	vs->delay_before_retry_us = CONFIG_SEC(1);
	vs->rise = 1;
	vs->fall = 1;
}

/* Copy a virtual server setting to a real server that did not write it;
 * an explicit VS value counts as explicit for the RS (so the checker takes it). */
#define INHERIT(field)                                                        \
	do {                                                                  \
		if (!config_obj_isset(rs, R(field))) {                        \
			rs->field = vs->field;                                \
			if (config_obj_isset(vs, V(field)))                   \
				config_obj_mark(rs, R(field));                \
		}                                                             \
	} while (0)

/* rise and fall go one level further down, to the checkers (a checker block
 * may set its own). */
static void checker_inherit_health(struct config_checker *ck, const struct config_real_server *rs)
{
	if (!config_obj_isset(ck, offsetof(struct config_checker, rise))) {
		ck->rise = rs->rise;
		if (config_obj_isset(rs, R(rise)))
			config_obj_mark(ck, offsetof(struct config_checker, rise));
	}
	if (!config_obj_isset(ck, offsetof(struct config_checker, fall))) {
		ck->fall = rs->fall;
		if (config_obj_isset(rs, R(fall)))
			config_obj_mark(ck, offsetof(struct config_checker, fall));
	}
}

static void rs_resolve(struct config_ctx *c, struct config_virtual_server *vs,
		       struct config_real_server *rs)
{
	char a[CONFIG_SERVICE_STRLEN], b[CONFIG_SERVICE_STRLEN];

	rs->vs = vs;
	if (!config_obj_isset(rs, R(fwd)))
		rs->fwd = vs->fwd;
	INHERIT(connect_timeout_us);
	INHERIT(retry);
	INHERIT(delay_before_retry_us);
	INHERIT(delay_loop_us);
	INHERIT(inhibit_on_failure);
	INHERIT(alpha);
	INHERIT(rise);
	INHERIT(fall);
	INHERIT(slow_start_us);
	INHERIT(keepalive_time_us);
	if (!config_obj_isset(rs, R(warmup_us))) {
		rs->warmup_us = config_obj_isset(vs, V(warmup_us)) ? vs->warmup_us : rs->delay_loop_us;
		if (config_obj_isset(vs, V(warmup_us)))
			config_obj_mark(rs, R(warmup_us));
	}
	if (!rs->virtualhost && vs->virtualhost)
		rs->virtualhost = xstrdup(vs->virtualhost);

	/* keepalived's port rules: NAT may change the port; DR/TUN cannot, and a
	 * fwmark service has no port to keep */
	if (vs->kind == CONFIG_VS_ADDR && rs->port == 0) {
		rs->port = vs->port;
	} else if (vs->kind == CONFIG_VS_ADDR && rs->fwd.method != CONFIG_LVS_NAT &&
		   rs->port != vs->port) {
		diag_warn(c->d, rs->obj.file, rs->obj.line,
			  "real_server %s: %s cannot change the port of %s; using port %u",
			  config_rs_to_string(rs, a, sizeof(a)),
			  config_lvs_method_to_string(rs->fwd.method),
			  config_vs_to_string(vs, b, sizeof(b)), vs->port);
		rs->port = vs->port;
	} else if (vs->kind == CONFIG_VS_FWMARK && rs->fwd.method != CONFIG_LVS_NAT && rs->port) {
		diag_warn(c->d, rs->obj.file, rs->obj.line,
			  "real_server %s: a fwmark service with %s ignores the port; using none",
			  config_rs_to_string(rs, a, sizeof(a)),
			  config_lvs_method_to_string(rs->fwd.method));
		rs->port = 0;
	}
	config_list_foreach(struct config_checker, ck, &rs->checkers) {
		config_checker_inherit(c, ck, rs, vs);
		checker_inherit_health(ck, rs);
	}
}

static void vs_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_virtual_server *vs = obj;
	char name[CONFIG_SERVICE_STRLEN];
	uint64_t weights = 0;

	config_vs_to_string(vs, name, sizeof(name));
	if (!config_obj_isset(vs, V(warmup_us)))
		vs->warmup_us = vs->delay_loop_us;
	if (!config_obj_isset(vs, V(sorry_fwd)))
		vs->sorry_fwd = vs->fwd;
	if (vs->kind == CONFIG_VS_ADDR && vs->port == 0 && vs->persistence_timeout == 0)
		diag_error(c->d, n->file, n->line,
			   "virtual_server %s has no port; a port is needed unless "
			   "persistence_timeout is set", name);
	if (vs->kind == CONFIG_VS_FWMARK && config_obj_isset(vs, V(protocol))) {
		diag_warn(c->d, n->file, config_obj_line(vs, V(protocol)),
			  "virtual_server %s: protocol is ignored for a fwmark service", name);
		vs->protocol = CONFIG_PROTO_TCP; /* one value, so equal configs compare equal */
	}
	if (vs->kind != CONFIG_VS_FWMARK && !config_obj_isset(vs, V(protocol)))
		diag_warn(c->d, n->file, n->line,
			  "virtual_server %s has no protocol; using TCP (keepalived would use UDP)",
			  name);
	if (vs->ops && vs->protocol != CONFIG_PROTO_UDP && vs->kind != CONFIG_VS_FWMARK)
		diag_error(c->d, n->file, n->line,
			   "virtual_server %s: ops (one-packet scheduling) needs protocol UDP", name);
	if (vs->hysteresis >= vs->quorum)
		diag_error(c->d, n->file, n->line,
			   "virtual_server %s: hysteresis %" PRIu32 " must be less than quorum %" PRIu32,
			   name, vs->hysteresis, vs->quorum);
	if (vs->real_servers.n == 0)
		diag_warn(c->d, n->file, n->line, "virtual_server %s has no real_server", name);
	if (vs->kind == CONFIG_VS_ADDR && config_addr_is_set(&vs->sorry_addr) && vs->sorry_port == 0)
		vs->sorry_port = vs->port;

	config_list_foreach(struct config_real_server, rs, &vs->real_servers) {
		rs_resolve(c, vs, rs);
		weights += rs->weight;
	}
	if (vs->real_servers.n > 0 && vs->quorum > weights)
		diag_warn(c->d, n->file, n->line,
			  "virtual_server %s: quorum %" PRIu32 " exceeds the total real server weight "
			  "%" PRIu64 ", so it can never be reached", name, vs->quorum, weights);
}

const struct config_section config_section_vs = {
	.name = "virtual_server",
	.size = sizeof(struct config_virtual_server),
	.keywords = vs_rows, .index = CONFIG_SECTION_INDEX,
	.init = vs_init,
	.head = vs_head,
	.print_head = vs_print_head,
	.finish = vs_finish,
};

/* ---- names for messages ------------------------------------------------------------- */

static const char *addr_port(const struct config_addr *a, uint16_t port, char *buf, size_t size)
{
	char s[CONFIG_ADDR_STRLEN];

	config_addr_to_string(a, s, sizeof(s));
	if (a->family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", s, port);
	else
		snprintf(buf, size, "%s:%u", s, port);
	return buf;
}

const char *config_vs_to_string(const struct config_virtual_server *vs, char *buf, size_t size)
{
	char ap[CONFIG_ADDR_STRLEN + 8];

	if (vs->kind == CONFIG_VS_FWMARK)
		snprintf(buf, size, "fwmark %" PRIu32, vs->fwmark);
	else if (vs->kind == CONFIG_VS_GROUP)
		snprintf(buf, size, "group %s", vs->group_name ? vs->group_name : "?");
	else
		snprintf(buf, size, "%s/%s", addr_port(&vs->addr, vs->port, ap, sizeof(ap)),
			 config_protocol_to_string(vs->protocol));
	return buf;
}

const char *config_rs_to_string(const struct config_real_server *rs, char *buf, size_t size)
{
	return addr_port(&rs->addr, rs->port, buf, size);
}
