#include "config.h"

/* Interface addresses: RTM_NEWADDR/RTM_DELADDR requests, the RTM_GETADDR
 * dump, and the ifaddrmsg parser the monitor shares. */

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "rtnl.h"
#include "rtnl_msg.h"

/* The kernel's "forever" lifetime (INFINITY_LIFE_TIME in net/addrconf.h). */
#define LIFETIME_FOREVER 0xFFFFFFFFu

void rtnl_addr_init(struct rtnl_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->preferred_lft = -1;
}

static unsigned max_prefixlen(int family)
{
	return (unsigned)rtnl_ip_len(family) * 8;
}

static int check_addr(const struct rtnl_addr *a)
{
	int family = a->local.family;
	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	if (a->ifindex <= 0 || a->prefixlen > max_prefixlen(family))
		return -EINVAL;
	if (rtnl_ip_is_set(&a->peer) && a->peer.family != family)
		return -EINVAL;
	if (rtnl_ip_is_set(&a->broadcast) && (a->broadcast.family != AF_INET || family != AF_INET))
		return -EINVAL;
	if (strnlen(a->label, sizeof(a->label)) == sizeof(a->label))
		return -EINVAL;
	if (a->label[0] && family != AF_INET)
		return -EINVAL;
	return 0;
}

/* IPv4 labels are how the kernel names aliases ("eth0:vip"): it reports a
 * label that does not start with the device name as is, which confuses
 * every tool that maps labels to devices, so refuse it like `ip addr`. */
static int check_label(struct rtnl *r, const struct rtnl_addr *a)
{
	if (!a->label[0])
		return 0;
	struct rtnl_link link;
	int k = rtnl_link_get_by_index(r, a->ifindex, &link);
	if (k < 0)
		return k;
	return strncmp(a->label, link.name, strlen(link.name)) == 0 ? 0 : -EINVAL;
}

static void put_addr_request(struct nlmsghdr *nlh, const struct rtnl_addr *a, bool add)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)a->local.family;
	ifa->ifa_prefixlen = (unsigned char)a->prefixlen;
	ifa->ifa_flags = (unsigned char)(a->flags & 0xff);
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (unsigned)a->ifindex;

	/* As `ip addr`: IFA_LOCAL is our address, IFA_ADDRESS the peer's
	 * (or ours again when there is no peer). */
	rtnl_attr_put_ip(nlh, IFA_LOCAL, &a->local);
	rtnl_attr_put_ip(nlh, IFA_ADDRESS, rtnl_ip_is_set(&a->peer) ? &a->peer : &a->local);
	if (a->label[0])
		mnl_attr_put_strz(nlh, IFA_LABEL, a->label);
	if (!add)
		return;
	if (rtnl_ip_is_set(&a->broadcast))
		rtnl_attr_put_ip(nlh, IFA_BROADCAST, &a->broadcast);
	/* ifa_flags has 8 bits; NOPREFIXROUTE and MANAGETEMPADDR live above. */
	mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
	if (a->preferred_lft >= 0) {
		struct ifa_cacheinfo ci = {
			.ifa_prefered = a->preferred_lft >= LIFETIME_FOREVER
						? LIFETIME_FOREVER : (uint32_t)a->preferred_lft,
			.ifa_valid = LIFETIME_FOREVER,
		};
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
}

int rtnl_addr_add(struct rtnl *r, const struct rtnl_addr *a)
{
	int k = check_addr(a);
	if (k < 0)
		return k;
	k = check_label(r, a);
	if (k < 0)
		return k;

	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	put_addr_request(nlh, a, true);
	return rtnl_transact(r, nlh, NULL, NULL);
}

int rtnl_addr_del(struct rtnl *r, const struct rtnl_addr *a)
{
	int k = check_addr(a);
	if (k < 0)
		return k;

	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELADDR;
	put_addr_request(nlh, a, false);
	return rtnl_transact(r, nlh, NULL, NULL);
}

int rtnl_msg_parse_addr(const struct nlmsghdr *nlh, struct rtnl_addr *ret)
{
	const struct nlattr *tb[IFA_MAX + 1];
	int k = rtnl_attr_table(nlh, sizeof(struct ifaddrmsg), tb, IFA_MAX);
	if (k < 0)
		return k;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	int family = ifa->ifa_family;
	if (rtnl_ip_len(family) == 0 || ifa->ifa_prefixlen > max_prefixlen(family))
		return -EBADMSG;

	struct rtnl_addr a;
	rtnl_addr_init(&a);
	a.ifindex = (int)ifa->ifa_index;
	a.prefixlen = ifa->ifa_prefixlen;
	a.scope = ifa->ifa_scope;
	a.flags = ifa->ifa_flags;

	const struct nlattr *local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!local || rtnl_attr_get_ip(local, family, &a.local) < 0)
		return -EBADMSG;
	if (tb[IFA_LOCAL] && tb[IFA_ADDRESS]) {
		struct rtnl_ip addr;
		if (rtnl_attr_get_ip(tb[IFA_ADDRESS], family, &addr) < 0)
			return -EBADMSG;
		if (!rtnl_ip_equal(&addr, &a.local))
			a.peer = addr;
	}
	if (tb[IFA_BROADCAST] && rtnl_attr_get_ip(tb[IFA_BROADCAST], family, &a.broadcast) < 0)
		return -EBADMSG;
	if (tb[IFA_LABEL]) {
		if (mnl_attr_validate(tb[IFA_LABEL], MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		/* Longer than IFNAMSIZ cannot come from the kernel: cut it. */
		const char *s = mnl_attr_get_str(tb[IFA_LABEL]);
		size_t n = strnlen(s, sizeof(a.label) - 1);
		memcpy(a.label, s, n);
		a.label[n] = '\0';
	}
	if (tb[IFA_FLAGS]) {
		if (mnl_attr_validate(tb[IFA_FLAGS], MNL_TYPE_U32) < 0)
			return -EBADMSG;
		a.flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	}
	if (tb[IFA_CACHEINFO]) {
		struct ifa_cacheinfo ci;
		if (mnl_attr_get_payload_len(tb[IFA_CACHEINFO]) < sizeof(ci))
			return -EBADMSG;
		memcpy(&ci, mnl_attr_get_payload(tb[IFA_CACHEINFO]), sizeof(ci));
		if (ci.ifa_prefered != LIFETIME_FOREVER)
			a.preferred_lft = ci.ifa_prefered;
	}
	*ret = a;
	return 0;
}

struct dump_ctx {
	int family, ifindex;
	rtnl_addr_cb cb;
	void *userdata;
};

static int dump_one(const struct nlmsghdr *nlh, void *ctx)
{
	const struct dump_ctx *d = ctx;
	struct rtnl_addr a;
	if (nlh->nlmsg_type != RTM_NEWADDR || rtnl_msg_parse_addr(nlh, &a) < 0)
		return 0; /* a dump entry we cannot read is not the caller's */
	if (d->family != AF_UNSPEC && a.local.family != d->family)
		return 0;
	if (d->ifindex > 0 && a.ifindex != d->ifindex)
		return 0;
	return d->cb(&a, d->userdata);
}

int rtnl_addr_dump(struct rtnl *r, int family, int ifindex, rtnl_addr_cb cb, void *userdata)
{
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EINVAL;
	char buf[RTNL_REQ_BUFSIZE] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;

	struct dump_ctx d = { .family = family, .ifindex = ifindex, .cb = cb, .userdata = userdata };
	return rtnl_transact(r, nlh, dump_one, &d);
}

struct primary_ctx {
	struct rtnl_ip found;
};

static int primary_one(const struct rtnl_addr *a, void *userdata)
{
	struct primary_ctx *p = userdata;
	bool ok;
	if (a->local.family == AF_INET)
		ok = !(a->flags & IFA_F_SECONDARY) && a->scope == RT_SCOPE_UNIVERSE;
	else
		ok = IN6_IS_ADDR_LINKLOCAL(&a->local.u.v6) &&
		     !(a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	if (!ok)
		return 0;
	p->found = a->local;
	return 1;
}

int rtnl_addr_primary(struct rtnl *r, int family, int ifindex, struct rtnl_ip *ret)
{
	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	struct primary_ctx p = { .found.family = AF_UNSPEC };
	int k = rtnl_addr_dump(r, family, ifindex, primary_one, &p);
	if (k < 0)
		return k;
	if (k == 0)
		return -EADDRNOTAVAIL;
	*ret = p.found;
	return 0;
}

static int present_one(const struct rtnl_addr *a, void *userdata)
{
	return rtnl_ip_equal(&a->local, userdata) ? 1 : 0;
}

int rtnl_addr_present(struct rtnl *r, int ifindex, const struct rtnl_ip *ip)
{
	if (rtnl_ip_len(ip->family) == 0)
		return -EINVAL;
	return rtnl_addr_dump(r, ip->family, ifindex, present_one, (void *)ip);
}
