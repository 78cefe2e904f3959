#include "config.h"

/* Links: RTM_GETLINK by name or index, the link dump, and the ifinfomsg
 * parser the monitor shares. */

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "rtnl.h"
#include "rtnl_msg.h"

int rtnl_msg_parse_link(const struct nlmsghdr *nlh, struct rtnl_link *ret)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	int k = rtnl_attr_table(nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX);
	if (k < 0)
		return k;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index <= 0)
		return -EBADMSG;

	struct rtnl_link l = {
		.ifindex = ifi->ifi_index,
		.flags = ifi->ifi_flags,
		.type = ifi->ifi_type,
	};
	if (tb[IFLA_IFNAME]) {
		if (mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		const char *s = mnl_attr_get_str(tb[IFLA_IFNAME]);
		size_t n = strnlen(s, sizeof(l.name));
		if (n == sizeof(l.name))
			return -EBADMSG;
		memcpy(l.name, s, n + 1);
	}
	if (tb[IFLA_OPERSTATE]) {
		if (mnl_attr_validate(tb[IFLA_OPERSTATE], MNL_TYPE_U8) < 0)
			return -EBADMSG;
		l.operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	}
	if (tb[IFLA_ADDRESS]) {
		size_t n = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		if (n > sizeof(l.hwaddr))
			return -EBADMSG;
		memcpy(l.hwaddr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), n);
		l.hwaddr_len = n;
	}
	if (tb[IFLA_MTU]) {
		if (mnl_attr_validate(tb[IFLA_MTU], MNL_TYPE_U32) < 0)
			return -EBADMSG;
		l.mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	}
	if (tb[IFLA_MASTER]) {
		if (mnl_attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) < 0)
			return -EBADMSG;
		l.master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	}
	*ret = l;
	return 0;
}

struct get_ctx {
	struct rtnl_link link;
	bool found;
};

static int get_one(const struct nlmsghdr *nlh, void *ctx)
{
	struct get_ctx *g = ctx;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	int k = rtnl_msg_parse_link(nlh, &g->link);
	if (k < 0)
		return k;
	g->found = true;
	return 0;
}

static int link_get(struct rtnl *r, const char *ifname, int ifindex, struct rtnl_link *ret)
{
	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	/* Leave out VF and statistics blocks we do not read. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, 0);

	struct get_ctx g = { .found = false };
	int k = rtnl_transact(r, nlh, get_one, &g);
	if (k < 0)
		return k;
	if (!g.found)
		return -ENODEV;
	*ret = g.link;
	return 0;
}

int rtnl_link_get_by_name(struct rtnl *r, const char *ifname, struct rtnl_link *ret)
{
	size_t n = ifname ? strnlen(ifname, IFNAMSIZ) : 0;
	if (n == 0 || n == IFNAMSIZ)
		return -EINVAL;
	return link_get(r, ifname, 0, ret);
}

int rtnl_link_get_by_index(struct rtnl *r, int ifindex, struct rtnl_link *ret)
{
	if (ifindex <= 0)
		return -EINVAL;
	return link_get(r, NULL, ifindex, ret);
}

struct dump_ctx {
	rtnl_link_cb cb;
	void *userdata;
};

static int dump_one(const struct nlmsghdr *nlh, void *ctx)
{
	const struct dump_ctx *d = ctx;
	struct rtnl_link l;
	if (nlh->nlmsg_type != RTM_NEWLINK || rtnl_msg_parse_link(nlh, &l) < 0)
		return 0;
	return d->cb(&l, d->userdata);
}

int rtnl_link_dump(struct rtnl *r, rtnl_link_cb cb, void *userdata)
{
	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;

	struct dump_ctx d = { .cb = cb, .userdata = userdata };
	return rtnl_transact(r, nlh, dump_one, &d);
}
