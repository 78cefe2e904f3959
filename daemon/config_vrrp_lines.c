/* config_vrrp_lines: the data lines inside vrrp_instance blocks.
 *
 * virtual_ipaddress / virtual_ipaddress_excluded (`ip address add` options),
 * virtual_routes (`ip route add` options; what lbha does not interpret is
 * kept verbatim in config_vroute.extra), track_interface / track_script /
 * track_file (`NAME [weight N [reverse]]`), unicast_peer, and sync group
 * members.  Each is a struct config_item_type: parse one line, print it
 * back canonically, compare, free. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

/* ---- scopes -------------------------------------------------------------------- */

static const struct {
	const char *name;
	int value;
} scopes[] = {
	{ "global", CONFIG_SCOPE_GLOBAL }, { "site", CONFIG_SCOPE_SITE },
	{ "link", CONFIG_SCOPE_LINK },     { "host", CONFIG_SCOPE_HOST },
	{ "nowhere", CONFIG_SCOPE_NOWHERE },
};

const char *config_scope_to_string(int scope)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (scopes[i].value == scope)
			return scopes[i].name;
	return NULL;
}

static int parse_scope(struct config_ctx *c, const struct conf_node *n, const char *s, int *ret)
{
	int64_t v;

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcmp(s, scopes[i].name) == 0) {
			*ret = scopes[i].value;
			return 0;
		}
	if (config_parse_int_text(s, &v) == 0 && v >= 0 && v <= 255) {
		*ret = (int)v;
		return 0;
	}
	diag_error(c->d, n->file, n->line,
		   "unknown scope '%s'; expected one of: global, site, link, host, nowhere, 0-255", s);
	return -EINVAL;
}

static void print_scope(struct config_printer *p, int scope)
{
	const char *name = config_scope_to_string(scope);

	if (name)
		config_pr_fmt(p, "scope %s", name);
	else
		config_pr_fmt(p, "scope %d", scope);
}

/* The word after option args[*i], or an error naming the option. */
static const char *opt_value(struct config_ctx *c, const struct conf_node *n, size_t *i)
{
	if (*i + 1 >= n->n_args) {
		diag_error(c->d, n->file, n->line, "'%s' needs a value", n->args[*i].text);
		return NULL;
	}
	return n->args[++*i].text;
}

static bool same_family(struct config_ctx *c, const struct conf_node *n, const char *what,
			const struct config_addr *a, int family)
{
	if (a->family == family)
		return true;
	diag_error(c->d, n->file, n->line, "%s is %s but the address is %s", what,
		   a->family == AF_INET ? "IPv4" : "IPv6", family == AF_INET ? "IPv4" : "IPv6");
	return false;
}

/* ---- virtual_ipaddress ------------------------------------------------------------ */

static int vip_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	struct config_vip *v = item;
	int r;

	v->scope = CONFIG_SCOPE_GLOBAL;
	v->preferred_lft = -1;
	r = config_prefix_parse(n->keyword, &v->addr, NULL);
	if (r < 0) {
		diag_error(c->d, n->file, n->line, r == -ERANGE ?
			   "virtual address '%s' has a bad prefix length" :
			   "virtual address '%s' is not an IPv4 or IPv6 address[/prefix]", n->keyword);
		return -EINVAL;
	}
	for (size_t i = 0; i < n->n_args; i++) {
		const char *o = n->args[i].text, *val;
		if (strcmp(o, "home") == 0) {
			v->home = true;
		} else if (strcmp(o, "-nodad") == 0) {
			v->nodad = true;
		} else if (strcmp(o, "mngtmpaddr") == 0) {
			v->mngtmpaddr = true;
		} else if (strcmp(o, "noprefixroute") == 0) {
			v->noprefixroute = true;
		} else if (strcmp(o, "autojoin") == 0) {
			v->autojoin = true;
		} else if (strcmp(o, "no_track") == 0) {
			v->no_track = true;
		} else if (strcmp(o, "use_vmac") == 0) {
			v->use_vmac = true;
		} else if (!(val = opt_value(c, n, &i))) {
			return -EINVAL;
		} else if (strcmp(o, "dev") == 0) {
			free(v->dev);
			v->dev = xstrdup(val);
		} else if (strcmp(o, "label") == 0) {
			free(v->label);
			v->label = xstrdup(val);
		} else if (strcmp(o, "scope") == 0) {
			if (parse_scope(c, n, val, &v->scope) < 0)
				return -EINVAL;
		} else if (strcmp(o, "brd") == 0 || strcmp(o, "broadcast") == 0) {
			if (strcmp(val, "+") == 0 || strcmp(val, "-") == 0)
				v->brd = config_addr_mask(&v->addr.addr, v->addr.len, val[0] == '+');
			else if (config_parse_addr(c, n, "brd", val, &v->brd) < 0 ||
				 !same_family(c, n, "brd", &v->brd, v->addr.addr.family))
				return -EINVAL;
		} else if (strcmp(o, "peer") == 0) {
			struct config_prefix pp;
			if (config_prefix_parse(val, &pp, NULL) < 0) {
				diag_error(c->d, n->file, n->line, "peer '%s' is not an address", val);
				return -EINVAL;
			}
			if (!same_family(c, n, "peer", &pp.addr, v->addr.addr.family))
				return -EINVAL;
			v->peer = pp.addr;
		} else if (strcmp(o, "preferred_lft") == 0) {
			int64_t lft;
			if (strcmp(val, "forever") == 0)
				v->preferred_lft = CONFIG_LFT_FOREVER;
			else if (config_parse_int_range(c, n, "preferred_lft", val, 0,
							CONFIG_LFT_FOREVER - 1, &lft) < 0)
				return -EINVAL;
			else
				v->preferred_lft = lft;
		} else {
			diag_error(c->d, n->file, n->line,
				   "unknown virtual address option '%s'; expected one of: brd, dev, "
				   "scope, label, peer, home, -nodad, mngtmpaddr, noprefixroute, "
				   "autojoin, no_track, use_vmac, preferred_lft", o);
			return -EINVAL;
		}
	}
	return 0;
}

static void vip_print(struct config_printer *p, const void *item)
{
	const struct config_vip *v = item;
	char buf[CONFIG_ADDR_STRLEN];

	config_pr_begin(p, config_prefix_to_string(&v->addr, buf, sizeof(buf)));
	if (config_addr_is_set(&v->brd)) {
		config_pr_fmt(p, "brd");
		config_pr_addr(p, &v->brd);
	}
	if (v->dev) {
		config_pr_fmt(p, "dev");
		config_pr_word(p, v->dev);
	}
	print_scope(p, v->scope);
	if (v->label) {
		config_pr_fmt(p, "label");
		config_pr_word(p, v->label);
	}
	if (config_addr_is_set(&v->peer)) {
		config_pr_fmt(p, "peer");
		config_pr_addr(p, &v->peer);
	}
	const struct {
		bool on;
		const char *name;
	} flags[] = {
		{ v->home, "home" }, { v->nodad, "-nodad" }, { v->mngtmpaddr, "mngtmpaddr" },
		{ v->noprefixroute, "noprefixroute" }, { v->autojoin, "autojoin" },
		{ v->no_track, "no_track" }, { v->use_vmac, "use_vmac" },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].on)
			config_pr_fmt(p, "%s", flags[i].name);
	if (v->preferred_lft == CONFIG_LFT_FOREVER)
		config_pr_fmt(p, "preferred_lft forever");
	else if (v->preferred_lft >= 0)
		config_pr_fmt(p, "preferred_lft %" PRId64, v->preferred_lft);
	config_pr_end(p);
}

static bool vip_equal(const void *a, const void *b)
{
	const struct config_vip *x = a, *y = b;

	return config_addr_equal(&x->addr.addr, &y->addr.addr) && x->addr.len == y->addr.len &&
	       config_addr_equal(&x->brd, &y->brd) && config_str_equal(x->dev, y->dev) &&
	       x->scope == y->scope && config_str_equal(x->label, y->label) &&
	       config_addr_equal(&x->peer, &y->peer) && x->home == y->home && x->nodad == y->nodad &&
	       x->mngtmpaddr == y->mngtmpaddr && x->noprefixroute == y->noprefixroute &&
	       x->autojoin == y->autojoin && x->no_track == y->no_track &&
	       x->use_vmac == y->use_vmac && x->preferred_lft == y->preferred_lft;
}

static void vip_free(void *item)
{
	struct config_vip *v = item;

	free(v->dev);
	free(v->label);
}

const struct config_item_type config_item_vip = {
	.name = "virtual address", .size = sizeof(struct config_vip), .parse = vip_parse,
	.print = vip_print, .equal = vip_equal, .free = vip_free,
};

/* ---- virtual_routes ------------------------------------------------------------------ */

static const char *const route_type_names[] = {
	[CONFIG_ROUTE_UNICAST] = "unicast", [CONFIG_ROUTE_BLACKHOLE] = "blackhole",
	[CONFIG_ROUTE_UNREACHABLE] = "unreachable", [CONFIG_ROUTE_PROHIBIT] = "prohibit",
	[CONFIG_ROUTE_THROW] = "throw", NULL,
};

const char *config_route_type_to_string(enum config_route_type t)
{
	return t >= 0 && t < _CONFIG_ROUTE_MAX ? route_type_names[t] : NULL;
}

static const struct {
	const char *name;
	uint32_t id;
} tables[] = { { "main", 254 }, { "local", 255 }, { "default", 253 } };

static int route_one_opt(struct config_ctx *c, const struct conf_node *n, struct config_vroute *rt,
			 size_t *i)
{
	const char *o = n->args[*i].text, *val;
	int64_t v;

	if (strcmp(o, "onlink") == 0) {
		rt->onlink = true;
		return 0;
	}
	if (strcmp(o, "no_track") == 0) {
		rt->no_track = true;
		return 0;
	}
	if (strcmp(o, "inet6") == 0 || strcmp(o, "inet") == 0)
		return 0; /* the addresses say the family */
	if (strcmp(o, "src") != 0 && strcmp(o, "via") != 0 && strcmp(o, "gw") != 0 &&
	    strcmp(o, "or") != 0 && strcmp(o, "dev") != 0 && strcmp(o, "oif") != 0 &&
	    strcmp(o, "table") != 0 && strcmp(o, "metric") != 0 && strcmp(o, "priority") != 0 &&
	    strcmp(o, "preference") != 0 && strcmp(o, "scope") != 0 && strcmp(o, "proto") != 0 &&
	    strcmp(o, "protocol") != 0)
		return 1; /* not ours: the rest of the line is kept verbatim */
	if (!(val = opt_value(c, n, i)))
		return -EINVAL;
	if (strcmp(o, "src") == 0)
		return config_parse_addr(c, n, "route src", val, &rt->src);
	if (strcmp(o, "via") == 0 || strcmp(o, "gw") == 0)
		return config_parse_addr(c, n, "route gateway", val, &rt->via);
	if (strcmp(o, "or") == 0)
		return config_parse_addr(c, n, "route second gateway", val, &rt->via2);
	if (strcmp(o, "dev") == 0 || strcmp(o, "oif") == 0) {
		free(rt->dev);
		rt->dev = xstrdup(val);
		return 0;
	}
	if (strcmp(o, "table") == 0) {
		for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
			if (strcmp(val, tables[k].name) == 0) {
				rt->table = tables[k].id;
				return 0;
			}
		if (config_parse_int_range(c, n, "route table", val, 1, UINT32_MAX, &v) < 0)
			return -EINVAL;
		rt->table = (uint32_t)v;
		return 0;
	}
	if (strcmp(o, "scope") == 0)
		return parse_scope(c, n, val, &rt->scope);
	if (strcmp(o, "proto") == 0 || strcmp(o, "protocol") == 0) {
		if (config_parse_int_range(c, n, "route protocol", val, 0, 255, &v) < 0)
			return -EINVAL;
		rt->protocol = (int32_t)v;
		return 0;
	}
	if (config_parse_int_range(c, n, "route metric", val, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	rt->metric = (uint32_t)v;
	return 0;
}

static int vroute_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	struct config_vroute *rt = item;
	size_t nw = n->n_args + 1;
	const char **w = xcalloc(nw, sizeof(*w));
	struct conf_node view = *n;
	size_t i = 0;
	int r = 0;

	rt->table = 254;
	rt->scope = CONFIG_SCOPE_UNSET;
	rt->protocol = -1;
	/* treat the first word like the others: build a flat word view */
	w[0] = n->keyword;
	for (size_t k = 0; k < n->n_args; k++)
		w[k + 1] = n->args[k].text;
	view.args = xcalloc(nw, sizeof(*view.args));
	view.n_args = nw;
	for (size_t k = 0; k < nw; k++)
		view.args[k].text = (char *)w[k];

	for (int t = CONFIG_ROUTE_UNICAST; t < _CONFIG_ROUTE_MAX; t++)
		if (strcmp(w[0], route_type_names[t]) == 0) {
			rt->type = t;
			i = 1;
		}
	for (; i < nw && r == 0; i++) {
		if (!config_addr_is_set(&rt->dst.addr)) {
			const char *d = w[i];
			if (strcmp(d, "to") == 0 && i + 1 < nw)
				d = w[++i];
			if (strcmp(d, "default") == 0) {
				rt->dst.addr.family = AF_INET;
				rt->dst.len = 0;
				continue;
			}
			if (config_prefix_parse(d, &rt->dst, NULL) == 0)
				continue;
			if (strcmp(w[i], "src") != 0) {
				diag_error(c->d, n->file, n->line,
					   "route destination '%s' is not an address/prefix", d);
				r = -EINVAL;
				break;
			}
		}
		r = route_one_opt(c, &view, rt, &i);
		if (r == 1) {
			/* keepalived accepts more `ip route` options than lbha interprets */
			size_t len = 0;
			for (size_t k = i; k < nw; k++)
				len += strlen(w[k]) + 1;
			rt->extra = xcalloc(1, len + 1);
			for (size_t k = i; k < nw; k++) {
				if (k > i)
					strcat(rt->extra, " ");
				strcat(rt->extra, w[k]);
			}
			diag_warn(c->d, n->file, n->line,
				  "route option '%s' is not supported by lbha and is ignored (kept: '%s')",
				  w[i], rt->extra);
			r = 0;
			break;
		}
	}
	if (r == 0 && !config_addr_is_set(&rt->dst.addr)) {
		diag_error(c->d, n->file, n->line, "route has no destination");
		r = -EINVAL;
	}
	if (r == 0) {
		int fam = rt->dst.addr.family;
		if ((config_addr_is_set(&rt->via) && !same_family(c, n, "route gateway", &rt->via, fam)) ||
		    (config_addr_is_set(&rt->via2) && !same_family(c, n, "route gateway", &rt->via2, fam)) ||
		    (config_addr_is_set(&rt->src) && !same_family(c, n, "route src", &rt->src, fam)))
			r = -EINVAL;
		else if (config_addr_is_set(&rt->via2) && !config_addr_is_set(&rt->via)) {
			diag_error(c->d, n->file, n->line, "route 'or' needs a 'via' gateway first");
			r = -EINVAL;
		}
	}
	free(view.args);
	free(w);
	return r < 0 ? -EINVAL : 0;
}

static void vroute_print(struct config_printer *p, const void *item)
{
	const struct config_vroute *rt = item;
	char buf[CONFIG_ADDR_STRLEN];

	/* keepalived wants `src` first when it is given, the type before that */
	config_pr_begin(p, NULL);
	if (rt->type != CONFIG_ROUTE_UNICAST)
		config_pr_fmt(p, "%s", route_type_names[rt->type]);
	if (config_addr_is_set(&rt->src)) {
		config_pr_fmt(p, "src");
		config_pr_addr(p, &rt->src);
	}
	config_pr_fmt(p, "%s", config_prefix_to_string(&rt->dst, buf, sizeof(buf)));
	if (config_addr_is_set(&rt->via)) {
		config_pr_fmt(p, "via");
		config_pr_addr(p, &rt->via);
	}
	if (config_addr_is_set(&rt->via2)) {
		config_pr_fmt(p, "or");
		config_pr_addr(p, &rt->via2);
	}
	if (rt->dev) {
		config_pr_fmt(p, "dev");
		config_pr_word(p, rt->dev);
	}
	config_pr_fmt(p, "table %" PRIu32, rt->table);
	if (rt->metric)
		config_pr_fmt(p, "metric %" PRIu32, rt->metric);
	if (rt->scope != CONFIG_SCOPE_UNSET)
		print_scope(p, rt->scope);
	if (rt->protocol >= 0)
		config_pr_fmt(p, "proto %" PRId32, rt->protocol);
	if (rt->onlink)
		config_pr_fmt(p, "onlink");
	if (rt->no_track)
		config_pr_fmt(p, "no_track");
	if (rt->extra)
		config_pr_fmt(p, "%s", rt->extra);
	config_pr_end(p);
}

static bool vroute_equal(const void *a, const void *b)
{
	const struct config_vroute *x = a, *y = b;

	return x->type == y->type && config_addr_equal(&x->dst.addr, &y->dst.addr) &&
	       x->dst.len == y->dst.len && config_addr_equal(&x->src, &y->src) &&
	       config_addr_equal(&x->via, &y->via) && config_addr_equal(&x->via2, &y->via2) &&
	       config_str_equal(x->dev, y->dev) && x->table == y->table && x->metric == y->metric &&
	       x->scope == y->scope && x->protocol == y->protocol && x->onlink == y->onlink &&
	       x->no_track == y->no_track && config_str_equal(x->extra, y->extra);
}

static void vroute_free(void *item)
{
	struct config_vroute *rt = item;

	free(rt->dev);
	free(rt->extra);
}

const struct config_item_type config_item_vroute = {
	.name = "virtual route", .size = sizeof(struct config_vroute), .parse = vroute_parse,
	.print = vroute_print, .equal = vroute_equal, .free = vroute_free,
};

/* ---- track_* lines: NAME [weight N [reverse|noreverse]] --------------------------------- */

static int track_parse_common(struct config_ctx *c, const struct conf_node *n, void *item,
			      int64_t wmax, bool names_only)
{
	struct config_track *t = item;
	size_t i = 0;

	t->name = xstrdup(n->keyword);
	if (names_only) {
		if (n->n_args > 0) {
			diag_error(c->d, n->file, n->line, "one instance name per line ('%s' is extra)",
				   n->args[0].text);
			return -EINVAL;
		}
		return 0;
	}
	while (i < n->n_args) {
		const char *o = n->args[i].text;
		if (strcmp(o, "weight") == 0) {
			int64_t w;
			if (i + 1 >= n->n_args) {
				diag_error(c->d, n->file, n->line, "'weight' needs a value");
				return -EINVAL;
			}
			if (config_parse_int_range(c, n, "weight", n->args[i + 1].text, -wmax, wmax,
						   &w) < 0)
				return -EINVAL;
			t->weight = (int32_t)w;
			t->weight_set = true;
			i += 2;
		} else if (strcmp(o, "reverse") == 0) {
			t->reverse = true;
			i++;
		} else if (strcmp(o, "noreverse") == 0 || strcmp(o, "no_reverse") == 0) {
			t->reverse = false;
			i++;
		} else {
			diag_error(c->d, n->file, n->line,
				   "unknown option '%s' after '%s'; expected: weight N [reverse]", o,
				   n->keyword);
			return -EINVAL;
		}
	}
	return 0;
}

static int track_if_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	return track_parse_common(c, n, item, 253, false);
}

static int track_script_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	return track_parse_common(c, n, item, 253, false);
}

static int track_file_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	return track_parse_common(c, n, item, 254, false);
}

static int member_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	return track_parse_common(c, n, item, 0, true);
}

/* Interfaces print a weight only when one matters; scripts and files always
 * do, since their default comes from elsewhere and the dump must be exact. */
static void track_print_if(struct config_printer *p, const void *item)
{
	const struct config_track *t = item;

	config_pr_begin(p, t->name);
	if (t->weight || t->reverse)
		config_pr_fmt(p, "weight %" PRId32, t->weight);
	if (t->reverse)
		config_pr_fmt(p, "reverse");
	config_pr_end(p);
}

static void track_print_weighted(struct config_printer *p, const void *item)
{
	const struct config_track *t = item;

	config_pr_begin(p, t->name);
	config_pr_fmt(p, "weight %" PRId32, t->weight);
	if (t->reverse)
		config_pr_fmt(p, "reverse");
	config_pr_end(p);
}

static void member_print(struct config_printer *p, const void *item)
{
	const struct config_track *t = item;

	config_pr_begin(p, t->name);
	config_pr_end(p);
}

static bool track_equal(const void *a, const void *b)
{
	const struct config_track *x = a, *y = b;

	return strcmp(x->name, y->name) == 0 && x->weight == y->weight && x->reverse == y->reverse;
}

static void track_free(void *item)
{
	struct config_track *t = item;

	free(t->name);
}

const struct config_item_type config_item_track_if = {
	.name = "tracked interface", .size = sizeof(struct config_track), .parse = track_if_parse,
	.print = track_print_if, .equal = track_equal, .free = track_free,
};
const struct config_item_type config_item_track_script = {
	.name = "tracked script", .size = sizeof(struct config_track), .parse = track_script_parse,
	.print = track_print_weighted, .equal = track_equal, .free = track_free,
};
const struct config_item_type config_item_track_file = {
	.name = "tracked file", .size = sizeof(struct config_track), .parse = track_file_parse,
	.print = track_print_weighted, .equal = track_equal, .free = track_free,
};
const struct config_item_type config_item_member = {
	.name = "sync group member", .size = sizeof(struct config_track), .parse = member_parse,
	.print = member_print, .equal = track_equal, .free = track_free,
};

/* ---- unicast_peer: ADDR [min_ttl N] [max_ttl N] ---------------------------------------- */

static int peer_parse(struct config_ctx *c, const struct conf_node *n, void *item)
{
	struct config_unicast_peer *pe = item;

	pe->min_ttl = pe->max_ttl = -1;
	if (config_parse_addr(c, n, "unicast_peer", n->keyword, &pe->addr) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n->n_args; i++) {
		const char *o = n->args[i].text, *val;
		int64_t v;
		if (strcmp(o, "min_ttl") != 0 && strcmp(o, "max_ttl") != 0) {
			diag_error(c->d, n->file, n->line,
				   "unknown unicast_peer option '%s'; expected one of: min_ttl, max_ttl", o);
			return -EINVAL;
		}
		if (!(val = opt_value(c, n, &i)) ||
		    config_parse_int_range(c, n, o, val, 0, 255, &v) < 0)
			return -EINVAL;
		if (o[1] == 'i')
			pe->min_ttl = (int32_t)v;
		else
			pe->max_ttl = (int32_t)v;
	}
	return 0;
}

static void peer_print(struct config_printer *p, const void *item)
{
	const struct config_unicast_peer *pe = item;
	char buf[CONFIG_ADDR_STRLEN];

	config_pr_begin(p, config_addr_to_string(&pe->addr, buf, sizeof(buf)));
	if (pe->min_ttl >= 0)
		config_pr_fmt(p, "min_ttl %" PRId32, pe->min_ttl);
	if (pe->max_ttl >= 0)
		config_pr_fmt(p, "max_ttl %" PRId32, pe->max_ttl);
	config_pr_end(p);
}

static bool peer_equal(const void *a, const void *b)
{
	const struct config_unicast_peer *x = a, *y = b;

	return config_addr_equal(&x->addr, &y->addr) && x->min_ttl == y->min_ttl &&
	       x->max_ttl == y->max_ttl;
}

const struct config_item_type config_item_unicast_peer = {
	.name = "unicast peer", .size = sizeof(struct config_unicast_peer), .parse = peer_parse,
	.print = peer_print, .equal = peer_equal,
};
