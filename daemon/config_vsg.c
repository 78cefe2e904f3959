/* config_vsg: the LVS name tables, the lvs_method value type, and the
 * virtual_server_group section (lines `ADDR[-END] [PORT]`, `ADDR/LEN [PORT]`,
 * `fwmark N [inet|inet6]`).  virtual_server and real_server are in
 * config_vs.c. */
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

const char *const config_lvs_sched_names[] = {
	[CONFIG_SCHED_RR] = "rr",     [CONFIG_SCHED_WRR] = "wrr",     [CONFIG_SCHED_LC] = "lc",
	[CONFIG_SCHED_WLC] = "wlc",   [CONFIG_SCHED_LBLC] = "lblc",   [CONFIG_SCHED_LBLCR] = "lblcr",
	[CONFIG_SCHED_DH] = "dh",     [CONFIG_SCHED_SH] = "sh",       [CONFIG_SCHED_SED] = "sed",
	[CONFIG_SCHED_NQ] = "nq",     [CONFIG_SCHED_MH] = "mh",       [CONFIG_SCHED_FO] = "fo",
	[CONFIG_SCHED_OVF] = "ovf",   [CONFIG_SCHED_TWOS] = "twos",   NULL,
};
const char *const config_lvs_method_names[] = {
	[CONFIG_LVS_NAT] = "NAT", [CONFIG_LVS_DR] = "DR", [CONFIG_LVS_TUN] = "TUN", NULL,
};
const char *const config_protocol_names[] = {
	[CONFIG_PROTO_TCP] = "TCP", [CONFIG_PROTO_UDP] = "UDP", [CONFIG_PROTO_SCTP] = "SCTP", NULL,
};
static const char *const tun_type_names[] = {
	[CONFIG_TUN_IPIP] = "ipip", [CONFIG_TUN_GUE] = "gue", [CONFIG_TUN_GRE] = "gre", NULL,
};
static const char *const tun_csum_names[] = {
	[CONFIG_TUN_CSUM_DEFAULT] = "", [CONFIG_TUN_NOCSUM] = "nocsum",
	[CONFIG_TUN_CSUM] = "csum", [CONFIG_TUN_REMCSUM] = "remcsum", NULL,
};

const char *config_lvs_sched_to_string(enum config_lvs_sched s)
{
	return s >= 0 && s < _CONFIG_SCHED_MAX ? config_lvs_sched_names[s] : NULL;
}

const char *config_lvs_method_to_string(enum config_lvs_method m)
{
	return m >= 0 && m < _CONFIG_LVS_METHOD_MAX ? config_lvs_method_names[m] : NULL;
}

const char *config_protocol_to_string(enum config_protocol p)
{
	return p >= 0 && p < _CONFIG_PROTO_MAX ? config_protocol_names[p] : NULL;
}

/* ---- addresses with optional port --------------------------------------------------- */

int config_parse_port(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, uint16_t *ret)
{
	int64_t v;

	if (config_parse_int_range(c, n, what, s, 1, 65535, &v) < 0)
		return -EINVAL;
	*ret = (uint16_t)v;
	return 0;
}

int config_parse_addr_port(struct config_ctx *c, const struct conf_node *n, const char *what,
			   size_t first, struct config_addr *ret_addr, uint16_t *ret_port)
{
	uint16_t port = 0;

	if (n->n_args < first + 1) {
		diag_error(c->d, n->file, n->line, "'%s' needs an address and a port", n->keyword);
		return -EINVAL;
	}
	if (n->n_args > first + 2) {
		diag_error(c->d, n->file, n->line, "too many arguments to '%s' ('%s' is extra)",
			   n->keyword, n->args[first + 2].text);
		return -EINVAL;
	}
	if (config_parse_addr(c, n, what, n->args[first].text, ret_addr) < 0)
		return -EINVAL;
	if (n->n_args == first + 2 &&
	    config_parse_port(c, n, "port", n->args[first + 1].text, &port) < 0)
		return -EINVAL;
	*ret_port = port;
	return 0;
}

void config_print_addr_port(struct config_printer *p, const struct config_addr *a, uint16_t port)
{
	config_pr_addr(p, a);
	if (port)
		config_pr_fmt(p, "%u", port);
}

/* ---- lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] ----------- */

static int fwd_parse(struct config_ctx *c, const struct config_keyword *kw,
		     const struct conf_node *n, void *obj, void *field)
{
	struct config_fwd f = { 0 };
	int m;
	size_t i = 1;

	if (config_expect_args(c, n, 1, 6) < 0)
		return -EINVAL;
	m = config_parse_enum(c, n, n->keyword, n->args[0].text, config_lvs_method_names);
	if (m < 0)
		return -EINVAL;
	f.method = m;
	if (m != CONFIG_LVS_TUN && n->n_args > 1) {
		diag_error(c->d, n->file, n->line, "too many arguments to '%s' ('%s' is extra)",
			   n->keyword, n->args[1].text);
		return -EINVAL;
	}
	if (i < n->n_args && strcmp(n->args[i].text, "type") == 0) {
		if (i + 1 >= n->n_args) {
			diag_error(c->d, n->file, n->line, "'type' needs ipip, gue or gre");
			return -EINVAL;
		}
		int t = config_parse_enum(c, n, "tunnel type", n->args[i + 1].text, tun_type_names);
		if (t < 0)
			return -EINVAL;
		f.tun_type = t;
		i += 2;
		if (t == CONFIG_TUN_GUE) {
			if (i + 1 >= n->n_args || strcmp(n->args[i].text, "port") != 0) {
				diag_error(c->d, n->file, n->line, "tunnel type gue needs 'port N'");
				return -EINVAL;
			}
			if (config_parse_port(c, n, "gue port", n->args[i + 1].text, &f.tun_port) < 0)
				return -EINVAL;
			i += 2;
		}
	}
	if (i < n->n_args) {
		int cs = config_parse_enum(c, n, "tunnel checksum option", n->args[i].text,
					   tun_csum_names);
		if (cs < 0)
			return -EINVAL;
		if (f.tun_type != CONFIG_TUN_GUE) {
			diag_error(c->d, n->file, n->line, "'%s' needs tunnel type gue",
				   n->args[i].text);
			return -EINVAL;
		}
		f.tun_csum = cs;
		i++;
	}
	if (i < n->n_args) {
		diag_error(c->d, n->file, n->line, "too many arguments to '%s' ('%s' is extra)",
			   n->keyword, n->args[i].text);
		return -EINVAL;
	}
	*(struct config_fwd *)field = f;
	return 0;
}

static void fwd_print(struct config_printer *p, const struct config_keyword *kw, const void *field)
{
	const struct config_fwd *f = field;

	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%s", config_lvs_method_names[f->method]);
	if (f->method == CONFIG_LVS_TUN && f->tun_type != CONFIG_TUN_IPIP) {
		config_pr_fmt(p, "type %s", tun_type_names[f->tun_type]);
		if (f->tun_type == CONFIG_TUN_GUE)
			config_pr_fmt(p, "port %u", f->tun_port);
	}
	if (f->tun_csum != CONFIG_TUN_CSUM_DEFAULT)
		config_pr_fmt(p, "%s", tun_csum_names[f->tun_csum]);
	config_pr_end(p);
}

static bool fwd_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_fwd *x = a, *y = b;

	return x->method == y->method && x->tun_type == y->tun_type && x->tun_port == y->tun_port &&
	       x->tun_csum == y->tun_csum;
}

const struct config_type config_type_fwd = {
	.name = "forwarding method", .parse = fwd_parse, .print = fwd_print, .equal = fwd_equal,
};

/* ---- virtual_server_group ------------------------------------------------------------ */

/* Range end written as the last octet (IPv4) or last group (IPv6), or whole. */
static int parse_range_end(const struct config_addr *start, const char *s, struct config_addr *ret)
{
	char *end;
	unsigned long v;

	if (strchr(s, '.') || strchr(s, ':'))
		return config_addr_parse(s, ret);
	if (!*s)
		return -EINVAL;
	v = strtoul(s, &end, start->family == AF_INET ? 10 : 16);
	if (*end)
		return -EINVAL;
	*ret = *start;
	if (start->family == AF_INET) {
		if (v > 255)
			return -EINVAL;
		((unsigned char *)&ret->u.v4)[3] = (unsigned char)v;
	} else {
		if (v > 0xffff)
			return -EINVAL;
		ret->u.v6.s6_addr[14] = (unsigned char)(v >> 8);
		ret->u.v6.s6_addr[15] = (unsigned char)v;
	}
	return 0;
}

static int vsg_line(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vs_group *g = obj;
	struct config_vsg_entry *e;
	const char *a = n->keyword;
	char buf[CONFIG_ADDR_STRLEN + 8];

	if (n->is_block)
		return 1;
	e = xnew(struct config_vsg_entry);
	e->obj.file = config_intern_file(c, n->file);
	e->obj.line = n->line;
	if (strcmp(a, "fwmark") == 0) {
		int64_t v;
		e->is_fwmark = true;
		if (config_expect_args(c, n, 1, 2) < 0 ||
		    config_parse_int_range(c, n, "fwmark", n->args[0].text, 1, UINT32_MAX, &v) < 0)
			goto fail;
		e->fwmark = (uint32_t)v;
		if (n->n_args == 2) {
			if (strcmp(n->args[1].text, "inet") == 0) {
				e->family = AF_INET;
			} else if (strcmp(n->args[1].text, "inet6") == 0) {
				e->family = AF_INET6;
			} else {
				diag_error(c->d, n->file, n->line,
					   "unknown fwmark family '%s'; expected one of: inet, inet6",
					   n->args[1].text);
				goto fail;
			}
		}
	} else {
		const char *dash = strchr(a, '-'), *slash = strchr(a, '/');
		if (config_expect_args(c, n, 0, 1) < 0)
			goto fail;
		if (slash) {
			struct config_prefix px;
			if (config_prefix_parse(a, &px, NULL) < 0)
				goto bad_addr;
			e->start = config_addr_mask(&px.addr, px.len, false);
			e->end = config_addr_mask(&px.addr, px.len, true);
		} else if (dash) {
			size_t len = (size_t)(dash - a);
			if (len >= sizeof(buf))
				goto bad_addr;
			memcpy(buf, a, len);
			buf[len] = '\0';
			if (config_addr_parse(buf, &e->start) < 0 ||
			    parse_range_end(&e->start, dash + 1, &e->end) < 0 ||
			    e->end.family != e->start.family)
				goto bad_addr;
			if (config_addr_cmp(&e->end, &e->start) < 0) {
				diag_error(c->d, n->file, n->line, "address range '%s' ends before it starts", a);
				goto fail;
			}
		} else {
			if (config_addr_parse(a, &e->start) < 0)
				goto bad_addr;
			e->end = e->start;
		}
		if (n->n_args == 1 && config_parse_port(c, n, "port", n->args[0].text, &e->port) < 0)
			goto fail;
		e->family = e->start.family;
	}
	config_list_append(&g->entries, e);
	return 0;
bad_addr:
	diag_error(c->d, n->file, n->line,
		   "'%s' is not an address, range (10.0.0.1-10) or prefix, nor 'fwmark N'", a);
fail:
	free(e);
	return 0; /* reported: not "unknown keyword" */
}

static void vsg_print_lines(struct config_printer *p, const void *obj)
{
	const struct config_vs_group *g = obj;
	char s[CONFIG_ADDR_STRLEN], e[CONFIG_ADDR_STRLEN], line[2 * CONFIG_ADDR_STRLEN + 2];

	config_list_foreach(const struct config_vsg_entry, en, &g->entries) {
		if (en->is_fwmark) {
			config_pr_begin(p, "fwmark");
			config_pr_fmt(p, "%" PRIu32, en->fwmark);
			if (en->family != AF_UNSPEC)
				config_pr_fmt(p, "%s", config_family_to_string(en->family));
			config_pr_end(p);
			continue;
		}
		config_addr_to_string(&en->start, s, sizeof(s));
		if (config_addr_equal(&en->start, &en->end)) {
			snprintf(line, sizeof(line), "%s", s);
		} else {
			/* the short form when only the last octet/group differs */
			struct config_addr t;
			const unsigned char *eb = en->family == AF_INET ?
				(const unsigned char *)&en->end.u.v4 : en->end.u.v6.s6_addr;
			unsigned last = en->family == AF_INET ? eb[3] : (unsigned)(eb[14] << 8 | eb[15]);
			char lastbuf[8];
			snprintf(lastbuf, sizeof(lastbuf), en->family == AF_INET ? "%u" : "%x", last);
			if (parse_range_end(&en->start, lastbuf, &t) == 0 && config_addr_equal(&t, &en->end))
				snprintf(line, sizeof(line), "%s-%s", s, lastbuf);
			else
				snprintf(line, sizeof(line), "%s-%s", s,
					 config_addr_to_string(&en->end, e, sizeof(e)));
		}
		config_pr_begin(p, line);
		if (en->port)
			config_pr_fmt(p, "%u", en->port);
		config_pr_end(p);
	}
}

static bool vsg_equal(const void *a, const void *b)
{
	const struct config_vs_group *x = a, *y = b;

	if (x->entries.n != y->entries.n)
		return false;
	for (size_t i = 0; i < x->entries.n; i++) {
		const struct config_vsg_entry *p = x->entries.items[i], *q = y->entries.items[i];
		if (p->is_fwmark != q->is_fwmark || !config_addr_equal(&p->start, &q->start) ||
		    !config_addr_equal(&p->end, &q->end) || p->port != q->port ||
		    p->fwmark != q->fwmark || p->family != q->family)
			return false;
	}
	return true;
}

static void vsg_free(void *obj)
{
	struct config_vs_group *g = obj;

	for (size_t i = 0; i < g->entries.n; i++)
		free(g->entries.items[i]);
	free(g->entries.items);
	g->entries = (struct config_list){ 0 };
}

static int vsg_head(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vs_group *g = obj;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	g->name = xstrdup(n->args[0].text);
	return 0;
}

static void vsg_print_head(struct config_printer *p, const void *obj)
{
	config_pr_word(p, ((const struct config_vs_group *)obj)->name);
}

static const struct config_keyword vsg_rows[] = {
	{ .keyword = "name", .type = &config_type_string,
	  .offset = offsetof(struct config_vs_group, name), .flags = CONFIG_KW_HEAD },
	{ .keyword = NULL },
};

static void vsg_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_vs_group *g = obj;

	if (g->entries.n == 0)
		diag_warn(c->d, n->file, n->line, "virtual_server_group %s is empty", g->name);
}

const struct config_section config_section_vs_group = {
	.name = "virtual_server_group",
	.size = sizeof(struct config_vs_group),
	.keywords = vsg_rows, .index = CONFIG_SECTION_INDEX,
	.head = vsg_head,
	.print_head = vsg_print_head,
	.line = vsg_line,
	.print_lines = vsg_print_lines,
	.finish = vsg_finish,
	.equal = vsg_equal,
	.free = vsg_free,
};
