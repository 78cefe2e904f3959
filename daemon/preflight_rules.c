#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "daemon/preflight_rules.h"
#include "diag.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What a forwarding method needs from the director's kernel.  dev NULL: a
 * sysctl on "all" or global; dev "*": one check per interface the config
 * names.  send_redirects is sent when all OR the device says so, hence both. */
static const struct method_rule {
	enum config_lvs_method method;
	int family;
	const char *key;  /* global key, or the conf leaf for "*" */
	const char *dev;
	int value;
	const char *need;
} method_rules[] = {
	{ CONFIG_LVS_NAT, AF_INET, "net.ipv4.ip_forward", NULL, 1,
	  "lvs_method NAT needs IPv4 forwarding (replies go back through the director)" },
	{ CONFIG_LVS_NAT, AF_INET6, "net.ipv6.conf.all.forwarding", NULL, 1,
	  "lvs_method NAT needs IPv6 forwarding (replies go back through the director)" },
	{ CONFIG_LVS_DR, AF_INET, "net.ipv4.conf.all.send_redirects", NULL, 0,
	  "lvs_method DR wants no ICMP redirects from the director (it would send them "
	  "for packets it routes back out the interface they came in on)" },
	{ CONFIG_LVS_DR, AF_INET, "send_redirects", "*", 0,
	  "lvs_method DR wants no ICMP redirects from the director (it would send them "
	  "for packets it routes back out the interface they came in on)" },
};

struct check_list {
	struct preflight_check *v;
	size_t n, cap;
};

static void check_add(struct check_list *l, const struct preflight_check *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == c->kind && strcmp(l->v[i].key, c->key) == 0)
			return; /* the first place that needs it is named */
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *c;
}

struct iface_walk {
	struct check_list *l;
	const struct method_rule *rule;
};

static void iface_cb(const char *ifname, const char *file, unsigned line, void *userdata)
{
	struct iface_walk *w = userdata;
	struct preflight_check c = { .kind = PREFLIGHT_SYSCTL, .value = w->rule->value,
				     .need = w->rule->need, .file = file, .line = line };

	if (rs_sysctl_conf_key("ipv4", ifname, w->rule->key, c.key, sizeof(c.key)))
		check_add(w->l, &c);
}

/* One forwarding method in use, at a place in the config. */
static void method_used(const struct lbha_config *cfg, struct check_list *l,
			enum config_lvs_method method, int family, const struct config_obj *where)
{
	if (family == AF_UNSPEC)
		family = AF_INET; /* a fwmark service without a family is IPv4 */
	for (size_t i = 0; i < ARRAY_SIZE(method_rules); i++) {
		const struct method_rule *rule = &method_rules[i];
		if (rule->method != method || rule->family != family)
			continue;
		if (rule->dev) {
			struct iface_walk w = { .l = l, .rule = rule };
			config_foreach_interface(cfg, iface_cb, &w);
			continue;
		}
		struct preflight_check c = { .kind = PREFLIGHT_SYSCTL, .value = rule->value,
					     .need = rule->need, .file = where->file,
					     .line = where->line };
		snprintf(c.key, sizeof(c.key), "%s", rule->key);
		check_add(l, &c);
	}
}

size_t preflight_checks(const struct lbha_config *cfg, struct preflight_check **ret)
{
	struct check_list l = { 0 };

	config_list_foreach(struct config_virtual_server, vs, &cfg->virtual_servers) {
		if (l.n == 0 || l.v[0].kind != PREFLIGHT_IPVS)
			check_add(&l, &(struct preflight_check){
				.kind = PREFLIGHT_IPVS, .need = "virtual_server needs IPVS",
				.file = vs->obj.file, .line = vs->obj.line });
		method_used(cfg, &l, vs->fwd.method, vs->family, &vs->obj);
		if (config_addr_is_set(&vs->sorry_addr))
			method_used(cfg, &l, vs->sorry_fwd.method, vs->family, &vs->obj);
		config_list_foreach(struct config_real_server, rs, &vs->real_servers)
			method_used(cfg, &l, rs->fwd.method, vs->family, &rs->obj);
	}
	*ret = l.v;
	return l.n;
}

bool preflight_judge(const struct preflight_check *c, const struct preflight_seen *seen,
		     struct diag *d)
{
	switch (c->kind) {
	case PREFLIGHT_SYSCTL:
		/* a missing key: an interface that does not exist (warned about
		 * already) or a kernel without that protocol */
		if (!seen->present || seen->value == c->value)
			return false;
		diag_warn(d, c->file, c->line, "%s, but %s is %d: run 'sysctl -w %s=%d' "
			  "(and set it in /etc/sysctl.d/ to keep it)", c->need, c->key,
			  seen->value, c->key, c->value);
		return true;
	case PREFLIGHT_IPVS:
		if (seen->present || seen->module_known)
			return false;
		diag_warn(d, c->file, c->line, "%s, but this kernel has none (no /proc/net/ip_vs, "
			  "no ip_vs module in modules.dep): run a kernel built with CONFIG_IP_VS",
			  c->need);
		return true;
	default:
		return false;
	}
}

bool preflight_modules_list_has(const char *text, const char *module)
{
	size_t mlen = strlen(module);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *colon = memchr(line, ':', len);
		size_t plen = colon ? (size_t)(colon - line) : len;
		/* the file name of the path: after the last '/' */
		const char *base = line;
		for (const char *p = line; p < line + plen; p++)
			if (*p == '/')
				base = p + 1;
		size_t blen = (size_t)(line + plen - base);
		if (blen >= mlen + 3 && memcmp(base, module, mlen) == 0 &&
		    memcmp(base + mlen, ".ko", 3) == 0 &&
		    (blen == mlen + 3 || base[mlen + 3] == '.'))
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}
