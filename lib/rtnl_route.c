#include "config.h"

/* Routes: RTM_NEWROUTE/RTM_DELROUTE requests (single path or RTA_MULTIPATH),
 * the route dump, and the rtmsg parser the monitor shares.  Defaults follow
 * `ip route` so a route written the way an operator would type it means the
 * same thing here. */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "rtnl.h"
#include "rtnl_msg.h"

void rtnl_route_init(struct rtnl_route *rt)
{
	memset(rt, 0, sizeof(*rt));
	rt->scope = RTNL_SCOPE_AUTO;
}

static bool family_ok(int family, const struct rtnl_ip *ip)
{
	return !rtnl_ip_is_set(ip) || ip->family == family;
}

static int check_route(const struct rtnl_route *rt)
{
	int family = rt->family;
	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	if (rt->dst_len > rtnl_ip_len(family) * 8 || (!rtnl_ip_is_set(&rt->dst) && rt->dst_len))
		return -EINVAL;
	if (!family_ok(family, &rt->dst) || !family_ok(family, &rt->gateway) ||
	    !family_ok(family, &rt->prefsrc))
		return -EINVAL;
	if (rt->n_nexthops > RTNL_ROUTE_MAX_NEXTHOPS || rt->oif < 0)
		return -EINVAL;
	for (unsigned i = 0; i < rt->n_nexthops; i++) {
		const struct rtnl_nexthop *nh = &rt->nexthops[i];
		if (!family_ok(family, &nh->gateway) || nh->ifindex < 0 || nh->weight > 256)
			return -EINVAL;
	}
	if (rt->scope != RTNL_SCOPE_AUTO && (rt->scope < 0 || rt->scope > 255))
		return -EINVAL;
	return 0;
}

/* `ip route`'s default scope when none is given. */
static unsigned char auto_scope(const struct rtnl_route *rt, bool add)
{
	if (!add)
		return RT_SCOPE_NOWHERE; /* the kernel's "any scope" on delete */
	if (rt->type == RTN_LOCAL || rt->type == RTN_NAT)
		return RT_SCOPE_HOST;
	bool unicast = rt->type == RTN_UNICAST || rt->type == RTN_UNSPEC;
	if (unicast && rt->n_nexthops == 0 && !rtnl_ip_is_set(&rt->gateway))
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

static void put_multipath(struct nlmsghdr *nlh, const struct rtnl_route *rt)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (unsigned i = 0; i < rt->n_nexthops; i++) {
		const struct rtnl_nexthop *nh = &rt->nexthops[i];
		char *start = (char *)mnl_nlmsg_get_payload_tail(nlh);
		struct rtnexthop *rtnh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtnh));
		rtnh->rtnh_ifindex = nh->ifindex;
		rtnh->rtnh_hops = (unsigned char)(nh->weight ? nh->weight - 1 : 0);
		rtnh->rtnh_flags = nh->onlink ? RTNH_F_ONLINK : 0;
		if (rtnl_ip_is_set(&nh->gateway))
			rtnl_attr_put_ip(nlh, RTA_GATEWAY, &nh->gateway);
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - start);
	}
	mnl_attr_nest_end(nlh, nest);
}

static int route_request(struct rtnl *r, const struct rtnl_route *rt, uint16_t type, uint16_t flags)
{
	int k = check_route(rt);
	if (k < 0)
		return k;
	bool add = type == RTM_NEWROUTE;

	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	uint32_t table = rt->table ? rt->table : RT_TABLE_MAIN;
	rtm->rtm_family = (unsigned char)rt->family;
	rtm->rtm_dst_len = (unsigned char)rt->dst_len;
	/* rtm_table has 8 bits; RTA_TABLE carries the full id either way. */
	rtm->rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = rt->protocol ? rt->protocol : (add ? RTPROT_BOOT : RTPROT_UNSPEC);
	rtm->rtm_scope = rt->scope == RTNL_SCOPE_AUTO ? auto_scope(rt, add) : (unsigned char)rt->scope;
	rtm->rtm_type = rt->type ? rt->type : (add ? RTN_UNICAST : RTN_UNSPEC);
	if (rt->onlink && rt->n_nexthops == 0)
		rtm->rtm_flags |= RTNH_F_ONLINK;

	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (rtnl_ip_is_set(&rt->dst))
		rtnl_attr_put_ip(nlh, RTA_DST, &rt->dst);
	if (rtnl_ip_is_set(&rt->prefsrc))
		rtnl_attr_put_ip(nlh, RTA_PREFSRC, &rt->prefsrc);
	if (rt->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	if (rt->n_nexthops > 0) {
		put_multipath(nlh, rt);
	} else {
		if (rtnl_ip_is_set(&rt->gateway))
			rtnl_attr_put_ip(nlh, RTA_GATEWAY, &rt->gateway);
		if (rt->oif)
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)rt->oif);
	}
	return rtnl_transact(r, nlh, NULL, NULL);
}

int rtnl_route_add(struct rtnl *r, const struct rtnl_route *rt)
{
	return route_request(r, rt, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
}

int rtnl_route_replace(struct rtnl *r, const struct rtnl_route *rt)
{
	return route_request(r, rt, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
}

int rtnl_route_del(struct rtnl *r, const struct rtnl_route *rt)
{
	return route_request(r, rt, RTM_DELROUTE, 0);
}

static int parse_multipath(const struct nlattr *mp, int family, struct rtnl_route *rt)
{
	const char *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	while (left >= sizeof(struct rtnexthop)) {
		struct rtnexthop rtnh;
		memcpy(&rtnh, p, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > left)
			return -EBADMSG;
		if (rt->n_nexthops < RTNL_ROUTE_MAX_NEXTHOPS) {
			struct rtnl_nexthop *nh = &rt->nexthops[rt->n_nexthops++];
			nh->ifindex = rtnh.rtnh_ifindex;
			nh->weight = rtnh.rtnh_hops + 1u;
			nh->onlink = rtnh.rtnh_flags & RTNH_F_ONLINK;
			/* The nexthop's attributes follow its header. */
			const struct nlattr *a = (const void *)(p + RTNH_ALIGN(sizeof(rtnh)));
			int alen = (int)rtnh.rtnh_len - (int)RTNH_ALIGN(sizeof(rtnh));
			for (; mnl_attr_ok(a, alen); a = mnl_attr_next(a)) {
				alen -= (int)MNL_ALIGN(a->nla_len);
				if (mnl_attr_get_type(a) == RTA_GATEWAY &&
				    rtnl_attr_get_ip(a, family, &nh->gateway) < 0)
					return -EBADMSG;
			}
		}
		size_t step = RTNH_ALIGN(rtnh.rtnh_len);
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
	return 0;
}

int rtnl_msg_parse_route(const struct nlmsghdr *nlh, struct rtnl_route *ret)
{
	const struct nlattr *tb[RTA_MAX + 1];
	int k = rtnl_attr_table(nlh, sizeof(struct rtmsg), tb, RTA_MAX);
	if (k < 0)
		return k;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	int family = rtm->rtm_family;
	if (rtnl_ip_len(family) == 0 || rtm->rtm_dst_len > rtnl_ip_len(family) * 8)
		return -EBADMSG;

	struct rtnl_route rt;
	rtnl_route_init(&rt);
	rt.family = family;
	rt.dst_len = rtm->rtm_dst_len;
	rt.table = rtm->rtm_table;
	rt.scope = rtm->rtm_scope;
	rt.protocol = rtm->rtm_protocol;
	rt.type = rtm->rtm_type;
	rt.flags = rtm->rtm_flags;
	rt.onlink = rtm->rtm_flags & RTNH_F_ONLINK;

	static const uint16_t u32_attrs[] = { RTA_TABLE, RTA_OIF, RTA_PRIORITY };
	for (size_t i = 0; i < sizeof(u32_attrs) / sizeof(u32_attrs[0]); i++)
		if (tb[u32_attrs[i]] && mnl_attr_validate(tb[u32_attrs[i]], MNL_TYPE_U32) < 0)
			return -EBADMSG;
	if (tb[RTA_TABLE])
		rt.table = mnl_attr_get_u32(tb[RTA_TABLE]);
	if (tb[RTA_OIF])
		rt.oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PRIORITY])
		rt.metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_DST] && rtnl_attr_get_ip(tb[RTA_DST], family, &rt.dst) < 0)
		return -EBADMSG;
	if (tb[RTA_GATEWAY] && rtnl_attr_get_ip(tb[RTA_GATEWAY], family, &rt.gateway) < 0)
		return -EBADMSG;
	if (tb[RTA_PREFSRC] && rtnl_attr_get_ip(tb[RTA_PREFSRC], family, &rt.prefsrc) < 0)
		return -EBADMSG;
	if (tb[RTA_MULTIPATH] && parse_multipath(tb[RTA_MULTIPATH], family, &rt) < 0)
		return -EBADMSG;
	*ret = rt;
	return 0;
}

struct dump_ctx {
	int family;
	uint32_t table;
	rtnl_route_cb cb;
	void *userdata;
};

static int dump_one(const struct nlmsghdr *nlh, void *ctx)
{
	const struct dump_ctx *d = ctx;
	struct rtnl_route rt;
	if (nlh->nlmsg_type != RTM_NEWROUTE || rtnl_msg_parse_route(nlh, &rt) < 0)
		return 0;
	if (d->family != AF_UNSPEC && rt.family != d->family)
		return 0;
	if (d->table && rt.table != d->table)
		return 0;
	return d->cb(&rt, d->userdata);
}

int rtnl_route_dump(struct rtnl *r, int family, uint32_t table, rtnl_route_cb cb, void *userdata)
{
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EINVAL;
	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;

	struct dump_ctx d = { .family = family, .table = table, .cb = cb, .userdata = userdata };
	return rtnl_transact(r, nlh, dump_one, &d);
}
