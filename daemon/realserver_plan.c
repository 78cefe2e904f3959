#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "daemon/realserver_plan.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(v) (UINT32_C(1) << (v))

static const char *const mode_names[_RS_MODE_MAX] = {
	[RS_MODE_DR] = "dr",
	[RS_MODE_TUN] = "tun",
};

const char *rs_mode_to_string(enum rs_mode m)
{
	return m >= 0 && m < _RS_MODE_MAX ? mode_names[m] : NULL;
}

enum rs_mode rs_mode_from_string(const char *s)
{
	for (int m = 0; m < _RS_MODE_MAX; m++)
		if (s && strcasecmp(s, mode_names[m]) == 0)
			return (enum rs_mode)m;
	return _RS_MODE_INVALID;
}

static const char *const kind_names[_RS_KIND_MAX] = {
	[RS_MODULE] = "module",
	[RS_SYSCTL] = "sysctl",
	[RS_LINK_UP] = "link",
	[RS_ADDR] = "addr",
};

const char *rs_kind_to_string(enum rs_kind k)
{
	return k >= 0 && k < _RS_KIND_MAX ? kind_names[k] : NULL;
}

enum rs_kind rs_kind_from_string(const char *s)
{
	for (int k = 0; k < _RS_KIND_MAX; k++)
		if (s && strcmp(s, kind_names[k]) == 0)
			return (enum rs_kind)k;
	return _RS_KIND_INVALID;
}

/* ---- what each mode needs ----------------------------------------------------- */

#define MODE(m) (1u << (m))

/* The tunnel device an LVS-TUN real server decapsulates on, per VIP family:
 * loading the module creates its fallback device, which accepts IP-in-IP
 * (IPv6-in-IPv6) from any director in every network namespace. */
static const struct rs_tunnel {
	int family;
	const char *module;
	const char *dev;
} tunnels[] = {
	{ AF_INET, "ipip", "tunl0" },
	{ AF_INET6, "ip6_tunnel", "ip6tnl0" },
};

/* arp_ignore: 1, 2, 3 and 8 all keep the host from answering ARP for an
 * address that is not on the incoming interface; 4-7 are reserved (the
 * kernel answers). */
#define ARP_IGNORE_OK (BIT(1) | BIT(2) | BIT(3) | BIT(8))

/* The IPv4 sysctls.  The kernel uses max(all, device) for each of these, so
 * "all" alone would do; setting the device too is what the LVS HOWTO does
 * and keeps working if someone lowers "all".  dev NULL: the mode's tunnel.
 *
 * - arp_ignore=1, arp_announce=2 (DR and TUN): the VIP is on lo (or tunl0)
 *   of every real server and the director's interface; only the director
 *   may answer ARP for it (arp_ignore), and a real server must not put the
 *   VIP as sender into its own ARP requests (arp_announce), or clients and
 *   routers learn the real server's MAC for the VIP.  TUN real servers often
 *   share the director's LAN, so they need it too.
 * - rp_filter=0 (TUN): a decapsulated packet arrives on tunl0 from the
 *   client's address, whose route leaves through another interface: the
 *   reverse path filter would drop it. */
static const struct rs_sysctl_rule {
	unsigned modes;
	const char *dev;
	const char *name;
	int value;
	uint32_t ok_mask;
} sysctl_rules[] = {
	{ MODE(RS_MODE_DR) | MODE(RS_MODE_TUN), "all", "arp_ignore", 1, ARP_IGNORE_OK },
	{ MODE(RS_MODE_DR) | MODE(RS_MODE_TUN), "all", "arp_announce", 2, BIT(2) },
	{ MODE(RS_MODE_DR), "lo", "arp_ignore", 1, ARP_IGNORE_OK },
	{ MODE(RS_MODE_DR), "lo", "arp_announce", 2, BIT(2) },
	{ MODE(RS_MODE_TUN), "all", "rp_filter", 0, BIT(0) },
	{ MODE(RS_MODE_TUN), NULL, "rp_filter", 0, BIT(0) },
};

char *rs_sysctl_conf_key(const char *proto, const char *dev, const char *name, char *buf,
			 size_t size)
{
	int n = snprintf(buf, size, "net.%s.conf.%s.%s", proto, dev, name);
	if (n < 0 || (size_t)n >= size)
		return NULL;
	/* the device's own dots become slashes, as sysctl(8) writes them */
	char *d = buf + strlen("net.") + strlen(proto) + strlen(".conf.");
	for (size_t i = 0; i < strlen(dev); i++)
		if (d[i] == '.')
			d[i] = '/';
	return buf;
}

char *rs_sysctl_path(const char *key, char *buf, size_t size)
{
	int n = snprintf(buf, size, "/proc/sys/%s", key);
	if (n < 0 || (size_t)n >= size)
		return NULL;
	for (char *p = buf + strlen("/proc/sys/"); *p; p++)
		*p = *p == '.' ? '/' : *p == '/' ? '.' : *p;
	return buf;
}

static const struct rs_tunnel *tunnel_of(int family)
{
	for (size_t i = 0; i < ARRAY_SIZE(tunnels); i++)
		if (tunnels[i].family == family)
			return &tunnels[i];
	return NULL;
}

struct want_list {
	struct rs_want *v;
	size_t n, cap;
};

static struct rs_want *want_add(struct want_list *l, enum rs_kind kind, const char *name)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct rs_want *w = &l->v[l->n++];
	*w = (struct rs_want){ .kind = kind };
	snprintf(w->name, sizeof(w->name), "%s", name);
	return w;
}

static bool seen_before(const struct config_addr *vips, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (config_addr_equal(&vips[j], &vips[i]))
			return true;
	return false;
}

static bool has_family(const struct config_addr *vips, size_t n, int family)
{
	for (size_t i = 0; i < n; i++)
		if (vips[i].family == family)
			return true;
	return false;
}

/* The interface a VIP goes on. */
static const char *vip_dev(enum rs_mode mode, int family)
{
	return mode == RS_MODE_TUN ? tunnel_of(family)->dev : "lo";
}

static void add_sysctls(struct want_list *l, enum rs_mode mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysctl_rules); i++) {
		const struct rs_sysctl_rule *rule = &sysctl_rules[i];
		if (!(rule->modes & MODE(mode)))
			continue;
		const char *dev = rule->dev ? rule->dev : tunnel_of(AF_INET)->dev;
		char key[RS_NAME_MAX];
		rs_sysctl_conf_key("ipv4", dev, rule->name, key, sizeof(key));
		struct rs_want *w = want_add(l, RS_SYSCTL, key);
		w->value = rule->value;
		w->ok_mask = rule->ok_mask;
		if (!rule->dev) {
			/* a tunnel device may not exist before its module is loaded */
			snprintf(w->ifname, sizeof(w->ifname), "%s", dev);
			rs_sysctl_conf_key("ipv4", "default", rule->name, w->fallback,
					   sizeof(w->fallback));
		}
	}
}

int rs_wants(enum rs_mode mode, const struct config_addr *vips, size_t n, struct rs_want **ret,
	     size_t *ret_n)
{
	struct want_list l = { 0 };

	if (!rs_mode_to_string(mode))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!tunnel_of(vips[i].family))
			return -EINVAL;

	if (mode == RS_MODE_TUN)
		for (size_t t = 0; t < ARRAY_SIZE(tunnels); t++) {
			if (!has_family(vips, n, tunnels[t].family))
				continue;
			struct rs_want *w = want_add(&l, RS_MODULE, tunnels[t].module);
			snprintf(w->ifname, sizeof(w->ifname), "%s", tunnels[t].dev);
		}
	/* IPv6 has no ARP and no rp_filter sysctl: NDP answers only for the
	 * incoming interface's own addresses already. */
	if (has_family(vips, n, AF_INET))
		add_sysctls(&l, mode);
	/* one link per family in use, in the tunnels' order */
	for (size_t t = 0; t < ARRAY_SIZE(tunnels); t++) {
		if (!has_family(vips, n, tunnels[t].family))
			continue;
		const char *dev = vip_dev(mode, tunnels[t].family);
		bool dup = false;
		for (size_t j = 0; j < l.n; j++)
			dup |= l.v[j].kind == RS_LINK_UP && strcmp(l.v[j].name, dev) == 0;
		if (!dup)
			want_add(&l, RS_LINK_UP, dev);
	}
	for (size_t i = 0; i < n; i++) {
		if (seen_before(vips, i))
			continue;
		struct rs_want *w = want_add(&l, RS_ADDR, vip_dev(mode, vips[i].family));
		w->addr = vips[i];
		w->prefixlen = config_addr_max_prefix(vips[i].family);
	}
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}

/* ---- plan --------------------------------------------------------------------- */

bool rs_want_satisfied(const struct rs_want *want, const struct rs_have *have)
{
	switch (want->kind) {
	case RS_SYSCTL:
		return have->present && have->value >= 0 && have->value < 32 &&
		       (want->ok_mask & BIT(have->value));
	case RS_LINK_UP:
		return have->present && have->value;
	case RS_MODULE:
	case RS_ADDR:
		return have->present;
	default:
		return false;
	}
}

size_t rs_plan(const struct rs_want *wants, const struct rs_have *haves, size_t n,
	       struct rs_change *ret)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct rs_want *w = &wants[i];
		if (rs_want_satisfied(w, &haves[i]))
			continue;
		struct rs_change *c = &ret[k++];
		*c = (struct rs_change){
			.kind = w->kind, .addr = w->addr, .prefixlen = w->prefixlen,
			.old_known = w->kind == RS_SYSCTL && haves[i].present,
			.old_value = haves[i].value, .new_value = w->value,
		};
		memcpy(c->name, w->name, sizeof(c->name));
	}
	return k;
}

bool rs_change_same_target(const struct rs_change *a, const struct rs_change *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
	       (a->kind != RS_ADDR ||
		(config_addr_equal(&a->addr, &b->addr) && a->prefixlen == b->prefixlen));
}

/* ---- wording ------------------------------------------------------------------ */

static const char *prefix_text(const struct rs_change *c, char *buf, size_t size)
{
	struct config_prefix p = { .addr = c->addr, .len = c->prefixlen };
	return config_prefix_to_string(&p, buf, size);
}

static const char *value_text(bool known, int v, char *buf, size_t size)
{
	if (!known)
		return "(none)";
	snprintf(buf, size, "%d", v);
	return buf;
}

/* Forward verbs per kind and tense; the object follows. */
static const char *const do_verbs[_RS_KIND_MAX][_RS_TENSE_MAX] = {
	[RS_MODULE] = { "loaded module", "would load module" },
	[RS_SYSCTL] = { "set", "would set" },
	[RS_LINK_UP] = { "brought", "would bring" },
	[RS_ADDR] = { "added", "would add" },
};

char *rs_change_describe(const struct rs_change *c, enum rs_tense tense, char *buf, size_t size)
{
	char a[CONFIG_ADDR_STRLEN], o[16];
	const char *verb = c->kind >= 0 && c->kind < _RS_KIND_MAX ? do_verbs[c->kind][tense] : "?";

	switch (c->kind) {
	case RS_SYSCTL:
		snprintf(buf, size, "%s %s %s -> %d", verb, c->name,
			 value_text(c->old_known, c->old_value, o, sizeof(o)), c->new_value);
		break;
	case RS_LINK_UP:
		snprintf(buf, size, "%s %s up", verb, c->name);
		break;
	case RS_ADDR:
		snprintf(buf, size, "%s %s to %s", verb, prefix_text(c, a, sizeof(a)), c->name);
		break;
	default:
		snprintf(buf, size, "%s %s", verb, c->name);
		break;
	}
	return buf;
}

/* ---- undo --------------------------------------------------------------------- */

enum rs_undo rs_undo_decide(const struct rs_change *c, const struct rs_have *now)
{
	switch (c->kind) {
	case RS_MODULE:
		return RS_UNDO_KEEP;
	case RS_SYSCTL:
		/* the device is gone (a tunnel module unloaded): nothing to restore */
		if (!now->present || (c->old_known && now->value == c->old_value))
			return RS_UNDO_ALREADY;
		if (!c->old_known || now->value != c->new_value)
			return RS_UNDO_CHANGED;
		return RS_UNDO_RESTORE;
	case RS_LINK_UP:
		return now->present && now->value ? RS_UNDO_RESTORE : RS_UNDO_ALREADY;
	case RS_ADDR:
		return now->present ? RS_UNDO_RESTORE : RS_UNDO_ALREADY;
	default:
		return _RS_UNDO_INVALID;
	}
}

static const char *const undo_verbs[_RS_KIND_MAX][_RS_TENSE_MAX] = {
	[RS_MODULE] = { "left module", "would leave module" },
	[RS_SYSCTL] = { "restored", "would restore" },
	[RS_LINK_UP] = { "brought", "would bring" },
	[RS_ADDR] = { "removed", "would remove" },
};

char *rs_undo_describe(const struct rs_change *c, enum rs_undo u, const struct rs_have *now,
		       enum rs_tense tense, char *buf, size_t size)
{
	char a[CONFIG_ADDR_STRLEN], o[16];
	const char *verb = c->kind >= 0 && c->kind < _RS_KIND_MAX ? undo_verbs[c->kind][tense] : "?";

	if (u == RS_UNDO_KEEP) {
		snprintf(buf, size, "%s %s loaded (other tunnels may use it; rmmod %s if none does)",
			 verb, c->name, c->name);
	} else if (u == RS_UNDO_CHANGED) {
		snprintf(buf, size, "left %s at %d (lbha set %d, something changed it since)",
			 c->name, now->value, c->new_value);
	} else if (u == RS_UNDO_ALREADY) {
		if (c->kind == RS_SYSCTL)
			snprintf(buf, size, "%s is already %s", c->name,
				 now->present ? value_text(true, now->value, o, sizeof(o))
					      : "gone");
		else if (c->kind == RS_LINK_UP)
			snprintf(buf, size, "%s is already down", c->name);
		else
			snprintf(buf, size, "%s is already gone from %s",
				 prefix_text(c, a, sizeof(a)), c->name);
	} else if (c->kind == RS_SYSCTL) {
		snprintf(buf, size, "%s %s %d -> %d", verb, c->name, now->value, c->old_value);
	} else if (c->kind == RS_LINK_UP) {
		snprintf(buf, size, "%s %s down", verb, c->name);
	} else {
		snprintf(buf, size, "%s %s from %s", verb, prefix_text(c, a, sizeof(a)), c->name);
	}
	return buf;
}
