/* config_load: the entry points of daemon/lbha_config.h.
 *
 * load = conf_parse (syntax tree) -> config_parse_block over the top-level
 * section (typed structs, defaults, block checks) -> config_validate (whole-
 * file checks) -> optional preflight against the live system -> --strict.
 * Dump, equality, summary and free walk the same section tables. */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "conf_parse.h"
#include "daemon/lbha_config.h"
#include "daemon/config_sections.h"
#include "xalloc.h"

#define C(f) offsetof(struct lbha_config, f)

static const struct config_keyword top_rows[] = {
	{ .keyword = "global_defs", .type = &config_type_block, .offset = C(global),
	  .aux = &config_section_global, .flags = CONFIG_KW_MULTI },
	{ .keyword = "SSL", .type = &config_type_block, .offset = C(ssl),
	  .aux = &config_section_ssl, .flags = CONFIG_KW_MULTI },
	{ .keyword = "track_file", .type = &config_type_block_list, .offset = C(track_files),
	  .aux = &config_section_track_file, .flags = CONFIG_KW_MULTI },
	{ .keyword = "vrrp_track_file", .type = &config_type_block_list,
	  .offset = C(track_files), .aux = &config_section_vrrp_track_file,
	  .flags = CONFIG_KW_MULTI | CONFIG_KW_SHARED },
	{ .keyword = "vrrp_script", .type = &config_type_block_list, .offset = C(vrrp_scripts),
	  .aux = &config_section_vrrp_script, .flags = CONFIG_KW_MULTI },
	{ .keyword = "vrrp_instance", .type = &config_type_block_list,
	  .offset = C(vrrp_instances), .aux = &config_section_vrrp_instance,
	  .flags = CONFIG_KW_MULTI },
	{ .keyword = "vrrp_sync_group", .type = &config_type_block_list,
	  .offset = C(sync_groups), .aux = &config_section_sync_group,
	  .flags = CONFIG_KW_MULTI },
	{ .keyword = "virtual_server_group", .type = &config_type_block_list,
	  .offset = C(vs_groups), .aux = &config_section_vs_group, .flags = CONFIG_KW_MULTI },
	{ .keyword = "virtual_server", .type = &config_type_block_list,
	  .offset = C(virtual_servers), .aux = &config_section_vs, .flags = CONFIG_KW_MULTI },
	{ .keyword = NULL },
};

const struct config_section config_section_top = {
	.name = "",
	.size = sizeof(struct lbha_config),
	.keywords = top_rows, .index = CONFIG_SECTION_INDEX,
};

/* ---- lookups ------------------------------------------------------------------------ */

static void *find_named(const struct config_list *l, const char *name)
{
	struct named {
		struct config_obj obj;
		char *name;
	};

	if (!name)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		struct named *o = l->items[i];
		if (o->name && strcmp(o->name, name) == 0)
			return o;
	}
	return NULL;
}

struct config_vrrp_instance *config_find_instance(const struct lbha_config *cfg, const char *name)
{
	return find_named(&cfg->vrrp_instances, name);
}

struct config_vrrp_script *config_find_vrrp_script(const struct lbha_config *cfg, const char *name)
{
	return find_named(&cfg->vrrp_scripts, name);
}

struct config_track_file *config_find_track_file(const struct lbha_config *cfg, const char *name)
{
	return find_named(&cfg->track_files, name);
}

struct config_vs_group *config_find_vs_group(const struct lbha_config *cfg, const char *name)
{
	return find_named(&cfg->vs_groups, name);
}

/* ---- interfaces ------------------------------------------------------------------------ */

/* Every interface name the config uses, with the instance that uses it
 * (NULL for global or LVS uses). */
typedef void (*iface_fn)(const char *ifname, const char *file, unsigned line,
			 const struct config_vrrp_instance *vi, void *userdata);

static void walk_interfaces(const struct lbha_config *cfg, iface_fn fn, void *userdata)
{
	const struct config_global *g = &cfg->global;

	config_list_foreach(const struct config_vrrp_instance, vi, &cfg->vrrp_instances) {
		if (vi->interface)
			fn(vi->interface, vi->obj.file,
			   config_obj_line(vi, offsetof(struct config_vrrp_instance, interface)), vi,
			   userdata);
		config_list_foreach(const struct config_track, t, &vi->track_interfaces)
			fn(t->name, t->obj.file, t->obj.line, vi, userdata);
		const struct config_list *lists[] = { &vi->vips, &vi->evips };
		for (size_t k = 0; k < 2; k++)
			config_list_foreach(const struct config_vip, v, lists[k])
				if (v->dev)
					fn(v->dev, v->obj.file, v->obj.line, vi, userdata);
		config_list_foreach(const struct config_vroute, r, &vi->vroutes)
			if (r->dev)
				fn(r->dev, r->obj.file, r->obj.line, vi, userdata);
	}
	config_list_foreach(const struct config_vrrp_sync_group, sg, &cfg->sync_groups)
		config_list_foreach(const struct config_track, t, &sg->track_interfaces)
			fn(t->name, t->obj.file, t->obj.line, NULL, userdata);
	if (g->lvs_sync_daemon.interface)
		fn(g->lvs_sync_daemon.interface, g->obj.file,
		   config_obj_line(g, offsetof(struct config_global, lvs_sync_daemon)), NULL, userdata);
	config_list_foreach(const struct config_virtual_server, vs, &cfg->virtual_servers)
		config_list_foreach(const struct config_real_server, rs, &vs->real_servers)
			config_list_foreach(const struct config_checker, ck, &rs->checkers)
				if (ck->bind_if)
					fn(ck->bind_if, ck->obj.file, ck->obj.line, NULL, userdata);
}

/* Calls fn once per distinct interface name, at the place it is first named. */
struct distinct {
	struct config_strv seen;
	iface_fn fn;
	void *userdata;
};

static void distinct_cb(const char *ifname, const char *file, unsigned line,
			const struct config_vrrp_instance *vi, void *userdata)
{
	struct distinct *d = userdata;

	for (size_t i = 0; i < d->seen.n; i++)
		if (strcmp(d->seen.v[i], ifname) == 0)
			return;
	config_strv_append(&d->seen, ifname);
	d->fn(ifname, file, line, vi, d->userdata);
}

static void walk_distinct_interfaces(const struct lbha_config *cfg, iface_fn fn, void *userdata)
{
	struct distinct d = { .fn = fn, .userdata = userdata };

	walk_interfaces(cfg, distinct_cb, &d);
	config_strv_clear(&d.seen);
}

struct public_iface_fn {
	void (*fn)(const char *ifname, const char *file, unsigned line, void *userdata);
	void *userdata;
};

static void public_cb(const char *ifname, const char *file, unsigned line,
		      const struct config_vrrp_instance *vi, void *userdata)
{
	const struct public_iface_fn *p = userdata;

	p->fn(ifname, file, line, p->userdata);
}

void config_foreach_interface(const struct lbha_config *cfg,
			      void (*fn)(const char *ifname, const char *file, unsigned line,
					 void *userdata),
			      void *userdata)
{
	struct public_iface_fn p = { .fn = fn, .userdata = userdata };

	walk_distinct_interfaces(cfg, public_cb, &p);
}

static void preflight_cb(const char *ifname, const char *file, unsigned line,
			 const struct config_vrrp_instance *vi, void *userdata)
{
	struct diag *d = userdata;

	if (if_nametoindex(ifname) != 0)
		return;
	if (vi)
		diag_warn(d, file, line,
			  "interface '%s' does not exist (yet); vrrp_instance %s will wait in FAULT "
			  "until it appears", ifname, vi->name);
	else
		diag_warn(d, file, line, "interface '%s' does not exist (yet)", ifname);
}

/* ---- load -------------------------------------------------------------------------------- */

static int load_tree(const struct conf_tree *t, const struct config_load_options *opt,
		     struct diag *d, size_t errors_before, struct lbha_config **ret)
{
	struct lbha_config *cfg = xnew(struct lbha_config);
	struct config_ctx c = { .d = d, .cfg = cfg };

	config_obj_init(&c, &config_section_top, cfg, NULL);
	config_parse_block(&c, &config_section_top, t ? t->root : NULL, cfg);
	config_validate(&c);
	if (opt && opt->preflight)
		walk_distinct_interfaces(cfg, preflight_cb, d);
	if (opt && opt->strict)
		diag_promote_warnings(d);
	if (d->n_errors > errors_before) {
		config_free(cfg);
		return -EINVAL;
	}
	*ret = cfg;
	return 0;
}

static void parse_options(const struct config_load_options *opt, struct conf_parse_options *po)
{
	*po = (struct conf_parse_options){ .config_id = opt ? opt->config_id : NULL };
}

int config_load_file(const char *path, const struct config_load_options *opt, struct diag *d,
		     struct lbha_config **ret)
{
	struct conf_parse_options po;
	struct conf_tree *t = NULL;
	size_t errors_before = d->n_errors;
	int r;

	parse_options(opt, &po);
	r = conf_parse_file(path, &po, d, &t);
	if (r < 0 && r != -EINVAL) {
		conf_tree_free(t);
		return r;
	}
	r = load_tree(t, opt, d, errors_before, ret);
	conf_tree_free(t);
	return r;
}

int config_load_string(const char *name, const char *text, size_t len,
		       const struct config_load_options *opt, struct diag *d,
		       struct lbha_config **ret)
{
	struct conf_parse_options po;
	struct conf_tree *t = NULL;
	size_t errors_before = d->n_errors;
	int r;

	parse_options(opt, &po);
	r = conf_parse_string(name, text, len, &po, d, &t);
	if (r < 0 && r != -EINVAL) {
		conf_tree_free(t);
		return r;
	}
	r = load_tree(t, opt, d, errors_before, ret);
	conf_tree_free(t);
	return r;
}

/* ---- dump, equal, summary, free ------------------------------------------------------------ */

void config_dump(FILE *out, const struct lbha_config *cfg)
{
	struct config_printer p = { .f = out };

	fputs("# lbha configuration, canonical form (every default written out)\n", out);
	config_print_rows(&p, &config_section_top, cfg);
}

static char *dump_string(const struct lbha_config *cfg, bool written_only)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	struct config_printer p = { .f = f, .written_only = written_only };
	if (!written_only)
		fputs("# lbha configuration, canonical form (every default written out)\n", f);
	config_print_rows(&p, &config_section_top, cfg);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *config_dump_string(const struct lbha_config *cfg)
{
	return dump_string(cfg, false);
}

char *config_dump_written_string(const struct lbha_config *cfg)
{
	return dump_string(cfg, true);
}

bool config_equal(const struct lbha_config *a, const struct lbha_config *b)
{
	if (!a || !b)
		return a == b;
	return config_obj_equal(&config_section_top, a, b);
}

void config_summarize(const struct lbha_config *cfg, struct config_summary *ret)
{
	*ret = (struct config_summary){
		.vrrp_instances = cfg->vrrp_instances.n,
		.vrrp_scripts = cfg->vrrp_scripts.n,
		.sync_groups = cfg->sync_groups.n,
		.virtual_servers = cfg->virtual_servers.n,
	};
	config_list_foreach(const struct config_virtual_server, vs, &cfg->virtual_servers) {
		ret->real_servers += vs->real_servers.n;
		config_list_foreach(const struct config_real_server, rs, &vs->real_servers)
			ret->checkers += rs->checkers.n;
	}
}

struct lbha_config *config_free(struct lbha_config *cfg)
{
	if (!cfg)
		return NULL;
	config_obj_clear(&config_section_top, cfg);
	config_strv_clear(&cfg->files);
	free(cfg);
	return NULL;
}
