/* config_vrrp: the VRRP sections: vrrp_script, track_file (and its old name
 * vrrp_track_file), vrrp_instance with its authentication block, and
 * vrrp_sync_group.  The data lines inside them are in config_vrrp_lines.c.
 *
 * Values that default to a global_defs setting (garp_*, smtp_alert, version,
 * strict_mode, ...) are left unset here and resolved by config_validate()
 * once the whole file is read, since global_defs may come after. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_sections.h"
#include "daemon/keepalived_keywords.h"
#include "xalloc.h"

/* ---- name tables --------------------------------------------------------------- */

const char *const config_vrrp_state_names[] = {
	[CONFIG_VRRP_STATE_BACKUP] = "BACKUP", [CONFIG_VRRP_STATE_MASTER] = "MASTER", NULL,
};
const char *const config_auth_type_names[] = {
	[CONFIG_AUTH_NONE] = "", [CONFIG_AUTH_PASS] = "PASS", [CONFIG_AUTH_AH] = "AH", NULL,
};

const char *config_vrrp_state_to_string(enum config_vrrp_state s)
{
	return s >= 0 && s < _CONFIG_VRRP_STATE_MAX ? config_vrrp_state_names[s] : NULL;
}

const char *config_auth_type_to_string(enum config_auth_type t)
{
	return t >= 0 && t < _CONFIG_AUTH_MAX ? config_auth_type_names[t] : NULL;
}

/* ---- head: one name ------------------------------------------------------------- */

/* Every named section keeps its name as the first field after the header. */
struct named {
	struct config_obj obj;
	char *name;
};

static int head_name(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct named *o = obj;

	if (n->n_args == 0) {
		diag_error(c->d, n->file, n->line, "'%s' needs a name", n->keyword);
		return -EINVAL;
	}
	if (n->n_args > 1) {
		diag_error(c->d, n->file, n->line, "'%s' takes one name ('%s' is extra)", n->keyword,
			   n->args[1].text);
		return -EINVAL;
	}
	o->name = xstrdup(n->args[0].text);
	return 0;
}

static void print_head_name(struct config_printer *p, const void *obj)
{
	config_pr_word(p, ((const struct named *)obj)->name);
}

/* ---- weight N [reverse]: reverse flag at the offset in kw->aux ------------------- */

static int weight_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	bool *rev = (bool *)((char *)obj + *(const size_t *)kw->aux);
	int64_t v;

	if (config_expect_args(c, n, 1, 2) < 0 ||
	    config_parse_int_range(c, n, "weight", n->args[0].text, kw->min, kw->max, &v) < 0)
		return -EINVAL;
	if (n->n_args == 2 && strcmp(n->args[1].text, "reverse") != 0) {
		diag_error(c->d, n->file, n->line, "unknown weight option '%s'; expected: reverse",
			   n->args[1].text);
		return -EINVAL;
	}
	*(int32_t *)field = (int32_t)v;
	*rev = n->n_args == 2;
	return 0;
}

static void weight_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	const bool *rev = (const bool *)((const char *)field - kw->offset + *(const size_t *)kw->aux);

	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%" PRId32, *(const int32_t *)field);
	if (*rev)
		config_pr_fmt(p, "reverse");
	config_pr_end(p);
}

static bool weight_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	size_t d = *(const size_t *)kw->aux - kw->offset;

	return *(const int32_t *)a == *(const int32_t *)b &&
	       *(const bool *)((const char *)a + d) == *(const bool *)((const char *)b + d);
}

static const struct config_type type_weight = {
	.name = "weight", .parse = weight_parse, .print = weight_print, .equal = weight_equal,
};

/* ---- vrrp_script ------------------------------------------------------------------- */

#define S(f) offsetof(struct config_vrrp_script, f)
static const size_t script_reverse_off = S(weight_reverse);

static const struct config_keyword vrrp_script_rows[] = {
	{ .keyword = "name", .type = &config_type_string, .offset = S(name),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "script", .type = &config_type_command, .offset = S(script) },
	{ .keyword = "interval", .type = &config_type_duration, .offset = S(interval_us),
	  .min = CONFIG_SEC(1) / 100, .max = CONFIG_SEC(86400) },
	{ .keyword = "timeout", .type = &config_type_duration, .offset = S(timeout_us),
	  .min = CONFIG_SEC(1) / 100, .max = CONFIG_SEC(86400) },
	{ .keyword = "weight", .type = &type_weight, .offset = S(weight), .min = -253,
	  .max = 253, .aux = &script_reverse_off },
	{ .keyword = "rise", .type = &config_type_u32, .offset = S(rise), .min = 1,
	  .max = 1000000 },
	{ .keyword = "fall", .type = &config_type_u32, .offset = S(fall), .min = 1,
	  .max = 1000000 },
	{ .keyword = "user", .type = &config_type_user, .offset = S(user), .min = 0,
	  .max = S(group) },
	{ .keyword = "init_fail", .type = &config_type_flag, .offset = S(init_fail) },
	{ .keyword = NULL },
};

static void vrrp_script_init(struct config_ctx *c, void *obj)
{
	struct config_vrrp_script *s = obj;

	s->interval_us = CONFIG_SEC(1);
	s->rise = 1;
	s->fall = 1;
}

static void vrrp_script_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vrrp_script *s = obj;

	if (!s->script) {
		diag_error(c->d, n->file, n->line, "vrrp_script %s has no 'script'",
			   s->name ? s->name : "");
		return;
	}
	/* keepalived: a script without timeout may run for one interval */
	if (!config_obj_isset(s, S(timeout_us)))
		s->timeout_us = s->interval_us;
	free(s->script->user);
	free(s->script->group);
	s->script->user = s->user ? xstrdup(s->user) : NULL;
	s->script->group = s->group ? xstrdup(s->group) : NULL;
}

const struct config_section config_section_vrrp_script = {
	.name = "vrrp_script",
	.size = sizeof(struct config_vrrp_script),
	.keywords = vrrp_script_rows, .index = CONFIG_SECTION_INDEX,
	.init = vrrp_script_init,
	.head = head_name,
	.print_head = print_head_name,
	.finish = vrrp_script_finish,
};
#undef S

/* ---- track_file --------------------------------------------------------------------- */

#define T(f) offsetof(struct config_track_file, f)
static const size_t track_file_reverse_off = T(weight_reverse);

/* init_file [VALUE] [overwrite] */
static int init_file_parse(struct config_ctx *c, const struct config_keyword *kw,
			   const struct conf_node *n, void *obj, void *field)
{
	struct config_track_file *t = obj;
	size_t i = 0;
	int64_t v = 0;

	if (config_expect_args(c, n, 0, 2) < 0)
		return -EINVAL;
	if (i < n->n_args && strcmp(n->args[i].text, "overwrite") != 0) {
		if (config_parse_int_range(c, n, "init_file value", n->args[i].text, INT32_MIN,
					   INT32_MAX, &v) < 0)
			return -EINVAL;
		i++;
	}
	if (i < n->n_args && strcmp(n->args[i].text, "overwrite") != 0) {
		diag_error(c->d, n->file, n->line, "unknown init_file option '%s'; expected: overwrite",
			   n->args[i].text);
		return -EINVAL;
	}
	t->init_file = true;
	t->init_value = (int32_t)v;
	t->init_overwrite = i < n->n_args;
	return 0;
}

static void init_file_print(struct config_printer *p, const struct config_keyword *kw,
			    const void *field)
{
	const struct config_track_file *t = (const void *)((const char *)field - kw->offset);

	if (!t->init_file)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%" PRId32, t->init_value);
	if (t->init_overwrite)
		config_pr_fmt(p, "overwrite");
	config_pr_end(p);
}

static bool init_file_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_track_file *x = (const void *)((const char *)a - kw->offset);
	const struct config_track_file *y = (const void *)((const char *)b - kw->offset);

	return x->init_file == y->init_file && x->init_value == y->init_value &&
	       x->init_overwrite == y->init_overwrite;
}

static const struct config_type type_init_file = {
	.name = "init file", .parse = init_file_parse, .print = init_file_print,
	.equal = init_file_equal,
};

static const struct config_keyword track_file_rows[] = {
	{ .keyword = "name", .type = &config_type_string, .offset = T(name),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "file", .type = &config_type_string, .offset = T(path) },
	{ .keyword = "weight", .type = &type_weight, .offset = T(weight), .min = -2147483647,
	  .max = 2147483647, .aux = &track_file_reverse_off },
	{ .keyword = "init_file", .type = &type_init_file, .offset = T(init_file) },
	{ .keyword = NULL },
};

static void track_file_init(struct config_ctx *c, void *obj)
{
	((struct config_track_file *)obj)->weight = 1;
}

static void track_file_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_track_file *t = obj;

	if (!t->path)
		diag_error(c->d, n->file, n->line, "%s %s has no 'file'", n->keyword,
			   t->name ? t->name : "");
}

const struct config_section config_section_track_file = {
	.name = "track_file",
	.size = sizeof(struct config_track_file),
	.keywords = track_file_rows, .index = CONFIG_SECTION_INDEX,
	.init = track_file_init,
	.head = head_name,
	.print_head = print_head_name,
	.finish = track_file_finish,
};

/* The deprecated name reads the same block; items print as track_file. */
const struct config_section config_section_vrrp_track_file = {
	.name = "vrrp_track_file",
	.size = sizeof(struct config_track_file),
	.keywords = track_file_rows, .index = CONFIG_SECTION_INDEX,
	.init = track_file_init,
	.head = head_name,
	.print_head = print_head_name,
	.finish = track_file_finish,
};
#undef T

/* ---- vrrp_instance -------------------------------------------------------------------- */

#define A(f) offsetof(struct config_vrrp_auth, f)
static const struct config_keyword auth_rows[] = {
	{ .keyword = "auth_type", .type = &config_type_enum, .offset = A(type),
	  .aux = config_auth_type_names },
	{ .keyword = "auth_pass", .type = &config_type_string, .offset = A(pass) },
	{ .keyword = NULL },
};

static bool auth_present(const void *obj)
{
	return ((const struct config_vrrp_auth *)obj)->type != CONFIG_AUTH_NONE;
}

static void auth_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vrrp_auth *a = obj;

	if (a->type == CONFIG_AUTH_NONE) {
		diag_error(c->d, n->file, n->line, "authentication block has no auth_type (PASS or AH)");
		return;
	}
	if (!a->pass) {
		diag_error(c->d, n->file, n->line, "authentication block has no auth_pass");
		return;
	}
	if (a->type == CONFIG_AUTH_AH)
		diag_warn(c->d, n->file, n->line,
			  "auth_type AH (IPsec AH) is not implemented: adverts go out and are "
			  "accepted without authentication");
	if (strlen(a->pass) > 8) {
		/* RFC 2338 5.3.10: 8 octets; keepalived cuts silently, we say so */
		diag_warn(c->d, n->file, n->line,
			  "auth_pass is longer than 8 characters; only '%.8s' is used", a->pass);
		a->pass[8] = '\0';
	}
}

static const struct config_section auth_section = {
	.name = "authentication",
	.size = sizeof(struct config_vrrp_auth),
	.keywords = auth_rows, .index = CONFIG_SECTION_INDEX,
	.present = auth_present,
	.finish = auth_finish,
};
#undef A

/* use_vmac [IFNAME] [MAC]: read so configs load; lbha has no macvlan support yet. */
static int use_vmac_parse(struct config_ctx *c, const struct config_keyword *kw,
			  const struct conf_node *n, void *obj, void *field)
{
	struct config_vrrp_instance *vi = obj;

	if (config_expect_args(c, n, 0, 2) < 0)
		return -EINVAL;
	vi->use_vmac = true;
	free(vi->vmac_ifname);
	vi->vmac_ifname = n->n_args > 0 && !strchr(n->args[0].text, ':') ?
				  xstrdup(n->args[0].text) : NULL;
	diag_warn(c->d, n->file, n->line,
		  "use_vmac is not supported by lbha yet; the VIPs go on the interface itself");
	return 0;
}

static void use_vmac_print(struct config_printer *p, const struct config_keyword *kw,
			   const void *field)
{
	const struct config_vrrp_instance *vi = (const void *)((const char *)field - kw->offset);

	if (!vi->use_vmac)
		return;
	config_pr_begin(p, kw->keyword);
	if (vi->vmac_ifname)
		config_pr_word(p, vi->vmac_ifname);
	config_pr_end(p);
}

static bool use_vmac_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_vrrp_instance *x = (const void *)((const char *)a - kw->offset);
	const struct config_vrrp_instance *y = (const void *)((const char *)b - kw->offset);

	return x->use_vmac == y->use_vmac && config_str_equal(x->vmac_ifname, y->vmac_ifname);
}

static void use_vmac_free(const struct config_keyword *kw, void *field)
{
	struct config_vrrp_instance *vi = (void *)((char *)field - kw->offset);

	free(vi->vmac_ifname);
	vi->vmac_ifname = NULL;
}

static const struct config_type type_use_vmac = {
	.name = "vmac", .parse = use_vmac_parse, .print = use_vmac_print, .equal = use_vmac_equal,
	.free = use_vmac_free,
};

#define I(f) offsetof(struct config_vrrp_instance, f)
#define DAY CONFIG_SEC(86400)

static bool is_unicast(const void *obj)
{
	return ((const struct config_vrrp_instance *)obj)->unicast_peers.n > 0;
}

static const struct config_keyword instance_rows[] = {
	{ .keyword = "name", .type = &config_type_string, .offset = I(name),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "state", .type = &config_type_enum, .offset = I(state),
	  .aux = config_vrrp_state_names },
	{ .keyword = "interface", .type = &config_type_string, .offset = I(interface), .min = 0,
	  .max = 15 },
	{ .keyword = "virtual_router_id", .type = &config_type_u32, .offset = I(vrid), .min = 1,
	  .max = 255 },
	{ .keyword = "priority", .type = &config_type_u32, .offset = I(priority), .min = 1,
	  .max = 255 },
	{ .keyword = "advert_int", .type = &config_type_duration, .offset = I(advert_int_us),
	  .min = CONFIG_SEC(1) / 100, .max = CONFIG_SEC(255) },
	{ .keyword = "version", .type = &config_type_u32, .offset = I(version), .min = 2,
	  .max = 3 },
	{ .keyword = "nopreempt", .type = &config_type_flag, .offset = I(nopreempt) },
	{ .keyword = "no_preempt", .type = &config_type_flag, .offset = I(nopreempt),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "preempt", .type = &config_type_flag_false, .offset = I(nopreempt),
	  .flags = CONFIG_KW_ALIAS },
	{ .keyword = "preempt_delay", .type = &config_type_duration,
	  .offset = I(preempt_delay_us), .min = 0, .max = CONFIG_SEC(1000) },
	{ .keyword = "dont_track_primary", .type = &config_type_flag,
	  .offset = I(dont_track_primary) },
	{ .keyword = "track_interface", .type = &config_type_lines,
	  .offset = I(track_interfaces), .aux = &config_item_track_if,
	  .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_script", .type = &config_type_lines, .offset = I(track_scripts),
	  .aux = &config_item_track_script, .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_file", .type = &config_type_lines, .offset = I(track_files),
	  .aux = &config_item_track_file, .flags = CONFIG_KW_MULTI },
	{ .keyword = "mcast_src_ip", .type = &config_type_addr, .offset = I(mcast_src_ip) },
	{ .keyword = "unicast_src_ip", .type = &config_type_addr, .offset = I(unicast_src_ip) },
	{ .keyword = "mcast_dst_ip", .type = &config_type_addr, .offset = I(mcast_dst_ip) },
	{ .keyword = "unicast_peer", .type = &config_type_lines, .offset = I(unicast_peers),
	  .aux = &config_item_unicast_peer, .flags = CONFIG_KW_MULTI },
	{ .keyword = "unicast_ttl", .type = &config_type_u32, .offset = I(unicast_ttl),
	  .min = 1, .max = 255, .print_if = is_unicast },
	{ .keyword = "authentication", .type = &config_type_block, .offset = I(auth),
	  .aux = &auth_section },
	{ .keyword = "virtual_ipaddress", .type = &config_type_lines, .offset = I(vips),
	  .aux = &config_item_vip, .flags = CONFIG_KW_MULTI },
	{ .keyword = "virtual_ipaddress_excluded", .type = &config_type_lines,
	  .offset = I(evips), .aux = &config_item_vip, .flags = CONFIG_KW_MULTI },
	{ .keyword = "virtual_routes", .type = &config_type_lines, .offset = I(vroutes),
	  .aux = &config_item_vroute, .flags = CONFIG_KW_MULTI },
	{ .keyword = "garp_master_delay", .type = &config_type_duration,
	  .offset = I(garp_master_delay_us), .min = 0, .max = DAY },
	{ .keyword = "garp_master_repeat", .type = &config_type_u32,
	  .offset = I(garp_master_repeat), .min = 0, .max = 255 },
	{ .keyword = "garp_lower_prio_delay", .type = &config_type_duration,
	  .offset = I(garp_lower_prio_delay_us), .min = 0, .max = DAY },
	{ .keyword = "garp_lower_prio_repeat", .type = &config_type_u32,
	  .offset = I(garp_lower_prio_repeat), .min = 0, .max = 255 },
	{ .keyword = "garp_master_refresh", .type = &config_type_duration,
	  .offset = I(garp_master_refresh_us), .min = 0, .max = DAY },
	{ .keyword = "garp_master_refresh_repeat", .type = &config_type_u32,
	  .offset = I(garp_master_refresh_repeat), .min = 1, .max = 255 },
	{ .keyword = "down_timer_adverts", .type = &config_type_u32,
	  .offset = I(down_timer_adverts), .min = 1, .max = 100 },
	{ .keyword = "notify_master", .type = &config_type_script, .offset = I(notify.master) },
	{ .keyword = "notify_backup", .type = &config_type_script, .offset = I(notify.backup) },
	{ .keyword = "notify_fault", .type = &config_type_script, .offset = I(notify.fault) },
	{ .keyword = "notify_stop", .type = &config_type_script, .offset = I(notify.stop) },
	{ .keyword = "notify", .type = &config_type_script, .offset = I(notify.generic) },
	{ .keyword = "smtp_alert", .type = &config_type_bool, .offset = I(smtp_alert) },
	{ .keyword = "accept", .type = &config_type_tristate_on, .offset = I(accept) },
	{ .keyword = "no_accept", .type = &config_type_tristate_off, .offset = I(accept),
	  .flags = CONFIG_KW_SHARED },
	{ .keyword = "strict_mode", .type = &config_type_bool, .offset = I(strict) },
	{ .keyword = "use_vmac", .type = &type_use_vmac, .offset = I(use_vmac) },
	{ .keyword = "vmac_xmit_base", .type = &config_type_flag, .offset = I(vmac_xmit_base) },
	{ .keyword = "lower_prio_no_advert", .type = &config_type_bool,
	  .offset = I(lower_prio_no_advert) },
	{ .keyword = "higher_prio_send_advert", .type = &config_type_bool,
	  .offset = I(higher_prio_send_advert) },
	{ .keyword = "skip_check_adv_addr", .type = &config_type_bool,
	  .offset = I(skip_check_adv_addr) },
	{ .keyword = "check_unicast_src", .type = &config_type_flag,
	  .offset = I(check_unicast_src) },
	{ .keyword = "native_ipv6", .type = &config_type_ignored, .offset = 0,
	  .aux = "deprecated; the addresses set the family", .flags = CONFIG_KW_MULTI },
	{ .keyword = "lvs_sync_daemon_interface", .type = &config_type_ignored, .offset = 0,
	  .aux = "obsolete; use lvs_sync_daemon in global_defs", .flags = CONFIG_KW_MULTI },
	{ .keyword = "debug", .type = &config_type_ignored, .offset = 0,
	  .flags = CONFIG_KW_MULTI },
	{ .keyword = NULL },
};

static void instance_init(struct config_ctx *c, void *obj)
{
	struct config_vrrp_instance *vi = obj;

	vi->state = CONFIG_VRRP_STATE_BACKUP;
	vi->priority = 100;
	vi->advert_int_us = CONFIG_SEC(1);
	vi->down_timer_adverts = 3;
	vi->unicast_ttl = 255;
	vi->accept = -1;
}

static int vips_family(struct config_ctx *c, const struct config_list *l, const char *what)
{
	const struct config_vip *first = NULL;
	char a[CONFIG_ADDR_STRLEN], b[CONFIG_ADDR_STRLEN];

	config_list_foreach(struct config_vip, v, l) {
		if (!first) {
			first = v;
		} else if (v->addr.addr.family != first->addr.addr.family) {
			diag_error(c->d, v->obj.file, v->obj.line,
				   "%s mixes IPv4 and IPv6 addresses: %s after %s; put the other "
				   "family in virtual_ipaddress_excluded", what,
				   config_addr_to_string(&v->addr.addr, a, sizeof(a)),
				   config_addr_to_string(&first->addr.addr, b, sizeof(b)));
			break;
		}
	}
	return first ? first->addr.addr.family : AF_UNSPEC;
}

static void instance_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vrrp_instance *vi = obj;
	const char *name = vi->name ? vi->name : "";

	if (!config_obj_isset(vi, I(vrid)))
		diag_error(c->d, n->file, n->line, "vrrp_instance %s has no virtual_router_id", name);
	if (!vi->interface && vi->unicast_peers.n == 0)
		diag_error(c->d, n->file, n->line,
			   "vrrp_instance %s has no interface (needed unless unicast_peer is given)",
			   name);
	vi->family = vips_family(c, &vi->vips, "virtual_ipaddress");
	if (vi->family == AF_UNSPEC && vi->unicast_peers.n > 0)
		vi->family = ((struct config_unicast_peer *)vi->unicast_peers.items[0])->addr.family;
	if (vi->family == AF_UNSPEC)
		vi->family = AF_INET;
	if (vi->vips.n == 0)
		diag_warn(c->d, n->file, n->line, "vrrp_instance %s has no virtual_ipaddress", name);
	if (vi->nopreempt && vi->state == CONFIG_VRRP_STATE_MASTER)
		diag_warn(c->d, n->file, n->line,
			  "vrrp_instance %s: nopreempt has no effect with state MASTER", name);
}

const struct config_section config_section_vrrp_instance = {
	.name = "vrrp_instance",
	.size = sizeof(struct config_vrrp_instance),
	.keywords = instance_rows, .index = CONFIG_SECTION_INDEX,
	.init = instance_init,
	.head = head_name,
	.print_head = print_head_name,
	.finish = instance_finish,
};
#undef I

/* ---- vrrp_sync_group ---------------------------------------------------------------------- */

#define Y(f) offsetof(struct config_vrrp_sync_group, f)

static const struct config_keyword sync_group_rows[] = {
	{ .keyword = "name", .type = &config_type_string, .offset = Y(name),
	  .flags = CONFIG_KW_HEAD },
	{ .keyword = "group", .type = &config_type_lines, .offset = Y(members),
	  .aux = &config_item_member, .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_interface", .type = &config_type_lines,
	  .offset = Y(track_interfaces), .aux = &config_item_track_if,
	  .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_script", .type = &config_type_lines, .offset = Y(track_scripts),
	  .aux = &config_item_track_script, .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_file", .type = &config_type_lines, .offset = Y(track_files),
	  .aux = &config_item_track_file, .flags = CONFIG_KW_MULTI },
	{ .keyword = "notify_master", .type = &config_type_script, .offset = Y(notify.master) },
	{ .keyword = "notify_backup", .type = &config_type_script, .offset = Y(notify.backup) },
	{ .keyword = "notify_fault", .type = &config_type_script, .offset = Y(notify.fault) },
	{ .keyword = "notify_stop", .type = &config_type_script, .offset = Y(notify.stop) },
	{ .keyword = "notify", .type = &config_type_script, .offset = Y(notify.generic) },
	{ .keyword = "smtp_alert", .type = &config_type_bool, .offset = Y(smtp_alert) },
	{ .keyword = "global_tracking", .type = &config_type_flag, .offset = Y(global_tracking) },
	{ .keyword = NULL },
};

/* Old configs list instance names directly in the group block, without
 * `group { }` (keepalived's sample keepalived.conf.vrrp.lvs_syncd does). */
static int sync_group_line(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vrrp_sync_group *g = obj;
	struct config_track *t;

	/* the instances may come later in the file: validation checks the names */
	if (n->is_block || n->n_args > 0 || keepalived_keyword_known_anywhere(n->keyword))
		return 1;
	diag_warn(c->d, n->file, n->line,
		  "instance name '%s' directly in vrrp_sync_group; write it inside 'group { }'",
		  n->keyword);
	t = xnew(struct config_track);
	t->obj.file = config_intern_file(c, n->file);
	t->obj.line = n->line;
	t->name = xstrdup(n->keyword);
	config_list_append(&g->members, t);
	return 0;
}

static void sync_group_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vrrp_sync_group *g = obj;

	if (g->global_tracking)
		diag_warn(c->d, n->file, n->line,
			  "global_tracking is deprecated; put track_* in the vrrp_sync_group itself");
}

const struct config_section config_section_sync_group = {
	.name = "vrrp_sync_group",
	.size = sizeof(struct config_vrrp_sync_group),
	.keywords = sync_group_rows, .index = CONFIG_SECTION_INDEX,
	.head = head_name,
	.print_head = print_head_name,
	.line = sync_group_line,
	.finish = sync_group_finish,
};
#undef Y
