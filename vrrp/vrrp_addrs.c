#include <config.h>

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "log.h"
#include "rtnl.h"
#include "vrrp/vrrp_ctx.h"

static int dev_index(struct vrrp_instance *in, const char *dev)
{
	struct rtnl_link l;

	if (!dev || strcmp(dev, in->ifname) == 0)
		return in->ifindex;
	return rtnl_link_get_by_name(in->ctx->rtnl, dev, &l) == 0 ? l.ifindex : 0;
}

/* Flags of a VIP line, as rtnetlink IFA_F_* bits. */
static uint32_t vip_flags(const struct config_vip *v)
{
	static const struct {
		size_t offset;
		uint32_t flag;
	} map[] = {
		{ offsetof(struct config_vip, nodad), IFA_F_NODAD },
		{ offsetof(struct config_vip, noprefixroute), IFA_F_NOPREFIXROUTE },
		{ offsetof(struct config_vip, home), IFA_F_HOMEADDRESS },
		{ offsetof(struct config_vip, mngtmpaddr), IFA_F_MANAGETEMPADDR },
	};
	uint32_t flags = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (*(const bool *)((const char *)v + map[i].offset))
			flags |= map[i].flag;
	/* A VIP moves between directors: duplicate address detection would
	 * hold an IPv6 VIP tentative (unusable) for a second after takeover. */
	if (v->addr.addr.family == AF_INET6)
		flags |= IFA_F_NODAD;
	return flags;
}

static int vip_to_rtnl(struct vrrp_instance *in, const struct config_vip *v, struct rtnl_addr *a)
{
	rtnl_addr_init(a);
	a->ifindex = dev_index(in, v->dev);
	if (a->ifindex <= 0)
		return -ENODEV;
	vrrp_addr_to_rtnl(&v->addr.addr, &a->local);
	a->prefixlen = v->addr.len;
	vrrp_addr_to_rtnl(&v->brd, &a->broadcast);
	vrrp_addr_to_rtnl(&v->peer, &a->peer);
	a->scope = v->scope == CONFIG_SCOPE_UNSET ? RT_SCOPE_UNIVERSE : (unsigned char)v->scope;
	if (v->label)
		snprintf(a->label, sizeof(a->label), "%s", v->label);
	a->flags = vip_flags(v);
	a->preferred_lft = v->preferred_lft == CONFIG_LFT_FOREVER ? -1 : v->preferred_lft;
	return 0;
}

static void vip_apply(struct vrrp_instance *in, const struct config_vip *v, bool add)
{
	struct rtnl_addr a;
	char buf[CONFIG_ADDR_STRLEN];
	int r = vip_to_rtnl(in, v, &a);

	if (r == 0)
		r = add ? rtnl_addr_add(in->ctx->rtnl, &a) : rtnl_addr_del(in->ctx->rtnl, &a);
	if (r == -EADDRNOTAVAIL && !add)
		r = 0;
	if (r < 0) {
		in->st.vip_errors++;
		log_errno(LOG_ERR, r, "%s: cannot %s %s on %s", in->name, add ? "add" : "remove",
			  config_prefix_to_string(&v->addr, buf, sizeof(buf)),
			  v->dev ? v->dev : in->ifname);
	}
}

static unsigned char route_type(enum config_route_type t)
{
	static const unsigned char map[_CONFIG_ROUTE_MAX] = {
		[CONFIG_ROUTE_UNICAST] = RTN_UNICAST,
		[CONFIG_ROUTE_BLACKHOLE] = RTN_BLACKHOLE,
		[CONFIG_ROUTE_UNREACHABLE] = RTN_UNREACHABLE,
		[CONFIG_ROUTE_PROHIBIT] = RTN_PROHIBIT,
		[CONFIG_ROUTE_THROW] = RTN_THROW,
	};
	return map[t];
}

static void route_to_rtnl(struct vrrp_instance *in, const struct config_vroute *v,
			  struct rtnl_route *rt)
{
	rtnl_route_init(rt);
	rt->family = v->dst.addr.family;
	vrrp_addr_to_rtnl(&v->dst.addr, &rt->dst);
	rt->dst_len = v->dst.len;
	rt->oif = v->dev ? dev_index(in, v->dev) : 0;
	rt->onlink = v->onlink;
	if (config_addr_is_set(&v->via2)) {
		const struct config_addr *gws[] = { &v->via, &v->via2 };
		for (size_t i = 0; i < 2; i++) {
			vrrp_addr_to_rtnl(gws[i], &rt->nexthops[i].gateway);
			rt->nexthops[i].ifindex = rt->oif;
			rt->nexthops[i].onlink = v->onlink;
		}
		rt->n_nexthops = 2;
	} else {
		vrrp_addr_to_rtnl(&v->via, &rt->gateway);
	}
	vrrp_addr_to_rtnl(&v->src, &rt->prefsrc);
	rt->table = v->table;
	rt->metric = v->metric;
	rt->scope = v->scope;
	rt->protocol = v->protocol < 0 ? 0 : (unsigned char)v->protocol;
	rt->type = route_type(v->type);
}

static void route_apply(struct vrrp_instance *in, const struct config_vroute *v, bool add)
{
	struct rtnl_route rt;
	char buf[CONFIG_ADDR_STRLEN];

	route_to_rtnl(in, v, &rt);
	int r = add ? rtnl_route_replace(in->ctx->rtnl, &rt) : rtnl_route_del(in->ctx->rtnl, &rt);
	if (r == -ESRCH && !add)
		r = 0;
	if (r < 0) {
		in->st.vip_errors++;
		log_errno(LOG_ERR, r, "%s: cannot %s route %s", in->name, add ? "add" : "remove",
			  config_prefix_to_string(&v->dst, buf, sizeof(buf)));
	}
}

static void apply_all(struct vrrp_instance *in, bool add)
{
	const struct config_list *lists[] = { &in->cfg->vips, &in->cfg->evips };

	if (!in->ctx->rtnl)
		return;
	for (size_t l = 0; l < 2; l++)
		config_list_foreach(struct config_vip, v, lists[l])
			vip_apply(in, v, add);
	/* Routes after the addresses they may use as source, removed first. */
	config_list_foreach(struct config_vroute, v, &in->cfg->vroutes)
		route_apply(in, v, add);
	in->vips_installed = add;
}

void vrrp_addrs_install(struct vrrp_instance *in)
{
	apply_all(in, true);
}

void vrrp_addrs_remove(struct vrrp_instance *in)
{
	apply_all(in, false);
}

/* ---- reload: only what changed ---- */

static bool str_same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static bool prefix_same(const struct config_prefix *a, const struct config_prefix *b)
{
	return a->len == b->len && config_addr_equal(&a->addr, &b->addr);
}

/* Everything vip_to_rtnl() puts into the kernel. */
static bool vip_same(const struct config_vip *a, const struct config_vip *b)
{
	return prefix_same(&a->addr, &b->addr) && config_addr_equal(&a->brd, &b->brd) &&
	       config_addr_equal(&a->peer, &b->peer) && str_same(a->dev, b->dev) &&
	       str_same(a->label, b->label) && a->scope == b->scope &&
	       vip_flags(a) == vip_flags(b) && a->preferred_lft == b->preferred_lft;
}

/* Everything route_to_rtnl() puts into the kernel. */
static bool route_same(const struct config_vroute *a, const struct config_vroute *b)
{
	return a->type == b->type && prefix_same(&a->dst, &b->dst) &&
	       config_addr_equal(&a->src, &b->src) && config_addr_equal(&a->via, &b->via) &&
	       config_addr_equal(&a->via2, &b->via2) && str_same(a->dev, b->dev) &&
	       a->table == b->table && a->metric == b->metric && a->scope == b->scope &&
	       a->protocol == b->protocol && a->onlink == b->onlink;
}

static bool vip_in(const struct config_vip *v, const struct config_list *const lists[2])
{
	for (size_t l = 0; l < 2; l++)
		config_list_foreach(const struct config_vip, w, lists[l])
			if (vip_same(v, w))
				return true;
	return false;
}

static bool route_in(const struct config_vroute *v, const struct config_list *list)
{
	config_list_foreach(const struct config_vroute, w, list)
		if (route_same(v, w))
			return true;
	return false;
}

size_t vrrp_addrs_update(struct vrrp_instance *in, const struct config_vrrp_instance *old)
{
	const struct config_list *was[] = { &old->vips, &old->evips };
	const struct config_list *now[] = { &in->cfg->vips, &in->cfg->evips };
	char buf[CONFIG_ADDR_STRLEN];
	size_t added = 0;

	if (!in->vips_installed || !in->ctx->rtnl || old == in->cfg)
		return 0;
	/* Routes that go first, as they may use a leaving address as source;
	 * new routes last, once their addresses are there. */
	config_list_foreach(const struct config_vroute, v, &old->vroutes)
		if (!route_in(v, &in->cfg->vroutes))
			route_apply(in, v, false);
	for (size_t l = 0; l < 2; l++)
		config_list_foreach(const struct config_vip, v, was[l])
			if (!vip_in(v, now)) {
				log_info("%s: VIP %s left the config, removing it", in->name,
					 config_prefix_to_string(&v->addr, buf, sizeof(buf)));
				vip_apply(in, v, false);
			}
	for (size_t l = 0; l < 2; l++)
		config_list_foreach(const struct config_vip, v, now[l])
			if (!vip_in(v, was)) {
				log_info("%s: VIP %s is new in the config, adding it", in->name,
					 config_prefix_to_string(&v->addr, buf, sizeof(buf)));
				vip_apply(in, v, true);
				added++;
			}
	config_list_foreach(const struct config_vroute, v, &in->cfg->vroutes)
		if (!route_in(v, &old->vroutes))
			route_apply(in, v, true);
	return added;
}

static bool restore_one(struct vrrp_instance *in, int ifindex, const struct config_addr *addr)
{
	const struct config_list *lists[] = { &in->cfg->vips, &in->cfg->evips };
	char buf[CONFIG_ADDR_STRLEN];

	for (size_t l = 0; l < 2; l++)
		config_list_foreach(struct config_vip, v, lists[l]) {
			struct rtnl_ip ip;
			if (v->no_track || !config_addr_equal(&v->addr.addr, addr) ||
			    dev_index(in, v->dev) != ifindex)
				continue;
			/* The event may be our own removal, seen after we took
			 * the VIP back: only a VIP that is really gone is added. */
			vrrp_addr_to_rtnl(addr, &ip);
			if (rtnl_addr_present(in->ctx->rtnl, ifindex, &ip) == 1)
				return true;
			log_warning("%s: VIP %s was removed from %s by someone else, putting it back",
				    in->name, config_addr_to_string(addr, buf, sizeof(buf)),
				    v->dev ? v->dev : in->ifname);
			vip_apply(in, v, true);
			in->st.vips_restored++;
			vrrp_status_changed(in->ctx, false);
			return true;
		}
	return false;
}

bool vrrp_addrs_deleted(struct vrrp_ctx *ctx, int ifindex, const struct config_addr *addr)
{
	for (size_t i = 0; i < ctx->n_instances; i++) {
		struct vrrp_instance *in = ctx->instances[i];
		if (in->fsm.state == VRRP_STATE_MASTER && in->vips_installed &&
		    restore_one(in, ifindex, addr))
			return true;
	}
	return false;
}
