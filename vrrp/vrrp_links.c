#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "rtnl.h"
#include "vrrp/vrrp_ctx.h"

/* struct config_addr and struct rtnl_ip are laid out alike on purpose
 * (lib/ must not know the config); copying field by field keeps it safe
 * should either ever change. */
static void copy_addr(int family, const void *from, void *to_u, int *to_family)
{
	*to_family = family;
	if (family == AF_INET)
		memcpy(to_u, from, sizeof(struct in_addr));
	else if (family == AF_INET6)
		memcpy(to_u, from, sizeof(struct in6_addr));
}

void vrrp_addr_to_rtnl(const struct config_addr *a, struct rtnl_ip *ret)
{
	memset(ret, 0, sizeof(*ret));
	copy_addr(a->family, &a->u, &ret->u, &ret->family);
}

void vrrp_addr_from_rtnl(const struct rtnl_ip *a, struct config_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	copy_addr(a->family, &a->u, &ret->u, &ret->family);
}

static bool link_running(const struct rtnl_link *l)
{
	return (l->flags & IFF_UP) && (l->flags & IFF_RUNNING);
}

bool vrrp_link_is_up(struct vrrp_ctx *ctx, const char *ifname)
{
	struct rtnl_link l;

	return ctx->rtnl && rtnl_link_get_by_name(ctx->rtnl, ifname, &l) == 0 && link_running(&l);
}

/* The advert source: unicast_src_ip, else mcast_src_ip, else the
 * interface's primary address of the instance's family. */
static void refresh_src(struct vrrp_instance *in)
{
	const struct config_vrrp_instance *vi = in->cfg;
	struct rtnl_ip ip;

	in->src_ok = false;
	if (in->cfg->unicast_peers.n > 0 && config_addr_is_set(&vi->unicast_src_ip)) {
		in->src = vi->unicast_src_ip;
	} else if (config_addr_is_set(&vi->mcast_src_ip)) {
		in->src = vi->mcast_src_ip;
	} else if (in->ifindex > 0 &&
		   rtnl_addr_primary(in->ctx->rtnl, in->family, in->ifindex, &ip) == 0) {
		vrrp_addr_from_rtnl(&ip, &in->src);
	} else {
		memset(&in->src, 0, sizeof(in->src));
		return;
	}
	in->src_ok = true;
}

void vrrp_links_refresh(struct vrrp_instance *in)
{
	struct rtnl_link l;

	if (!in->ctx->rtnl || rtnl_link_get_by_name(in->ctx->rtnl, in->ifname, &l) < 0) {
		in->ifindex = 0;
		in->link_up = false;
		in->src_ok = false;
		return;
	}
	in->ifindex = l.ifindex;
	in->link_up = link_running(&l);
	memset(in->mac, 0, sizeof(in->mac));
	if (l.hwaddr_len == sizeof(in->mac))
		memcpy(in->mac, l.hwaddr, sizeof(in->mac));
	refresh_src(in);
}

int vrrp_links_link_local(struct vrrp_instance *in, struct config_addr *ret)
{
	struct rtnl_ip ip;

	if (in->family == AF_INET6 && in->src_ok &&
	    IN6_IS_ADDR_LINKLOCAL(&in->src.u.v6)) {
		*ret = in->src;
		return 0;
	}
	int r = rtnl_addr_primary(in->ctx->rtnl, AF_INET6, in->ifindex, &ip);
	if (r < 0)
		return r;
	vrrp_addr_from_rtnl(&ip, ret);
	return 0;
}

bool vrrp_links_ipv6_forwarding(const char *ifname)
{
	char path[96], c = '0';

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}
