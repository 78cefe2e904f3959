/* vrrp_socket: raw IP protocol 112 sockets; see vrrp_socket.h.
 *
 * The per-family differences are data (option tables, group defaults) plus
 * one receive parser per family: IPv4 raw sockets hand us the IP header, IPv6
 * raw sockets hand us only the payload and put the rest in ancillary data. */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp_socket.h"
#include "xalloc.h"

#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

#define VRRP_IPPROTO 112
#define VRRP_SOCKET_TTL 255
/* DSCP CS6 (network control), what keepalived puts on the wire. */
#define VRRP_SOCKET_TOS 0xc0
/* Largest IPv4 datagram, or IPv6 payload without jumbograms. */
#define VRRP_SOCKET_BUF 65536

struct vrrp_socket {
	int fd;
	int family;
	int ifindex;
	bool unicast;
	struct config_addr group;
	uint8_t buf[VRRP_SOCKET_BUF];
};

/* An integer socket option every socket of a family gets. */
struct sockopt_int {
	int level, name, value;
	bool optional; /* older kernels lack it; ENOPROTOOPT is ignored */
};

static const struct sockopt_int opts_ipv4[] = {
	{ IPPROTO_IP, IP_TTL, VRRP_SOCKET_TTL, false },
	{ IPPROTO_IP, IP_MULTICAST_TTL, VRRP_SOCKET_TTL, false },
	{ IPPROTO_IP, IP_TOS, VRRP_SOCKET_TOS, false },
	{ IPPROTO_IP, IP_MULTICAST_LOOP, 0, false },
	/* otherwise a raw socket also gets the groups other sockets joined */
	{ IPPROTO_IP, IP_MULTICAST_ALL, 0, false },
	{ IPPROTO_IP, IP_PKTINFO, 1, false },
	/* keepalived sends without DF; a peer behind a small-MTU link still hears us */
	{ IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT, false },
};

static const struct sockopt_int opts_ipv6[] = {
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_SOCKET_TTL, false },
	{ IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_SOCKET_TTL, false },
	{ IPPROTO_IPV6, IPV6_TCLASS, VRRP_SOCKET_TOS, false },
	{ IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, false },
	{ IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, true }, /* Linux >= 4.20 */
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, false },
	{ IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, false },
	/* IPV6_CHECKSUM stays off on purpose: the codec computes the checksum */
};

struct family_info {
	int family;
	const char *group; /* the RFC multicast group */
	const struct sockopt_int *opts;
	size_t n_opts;
	int (*join)(struct vrrp_socket *s);
	int (*recv)(struct vrrp_socket *s, struct vrrp_rx *rx);
	int (*send)(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
	            const struct config_addr *src, const struct config_addr *dst);
};

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

static int apply_opts(int fd, const struct sockopt_int *opts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = set_int(fd, opts[i].level, opts[i].name, opts[i].value);
		if (r < 0 && !(opts[i].optional && r == -ENOPROTOOPT))
			return r;
	}
	return 0;
}

/* ---- IPv4 ---- */

static int join_ipv4(struct vrrp_socket *s)
{
	struct ip_mreqn mreq = { .imr_multiaddr = s->group.u.v4, .imr_ifindex = s->ifindex };
	struct ip_mreqn mif = { .imr_ifindex = s->ifindex };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = s->group.u.v4 };

	if (setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof(mif)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
		return -errno;
	/* bound to the group, the socket drops unicast adverts to our addresses */
	if (bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -errno;
	return 0;
}

int vrrp_socket_parse_ipv4(const uint8_t *b, size_t n, struct vrrp_rx *rx)
{
	if (n < 20 || (b[0] >> 4) != 4)
		return -EBADMSG;
	size_t ihl = (size_t)(b[0] & 0x0f) * 4;
	size_t tot = (size_t)b[2] << 8 | b[3];
	if (ihl < 20 || ihl > n || tot < ihl || tot > n)
		return -EBADMSG;
	rx->payload = b + ihl;
	rx->len = tot - ihl; /* anything past the total length is not ours */
	rx->ttl = b[8];
	rx->src.family = AF_INET;
	memcpy(&rx->src.u.v4, b + 12, 4);
	rx->dst.family = AF_INET;
	memcpy(&rx->dst.u.v4, b + 16, 4);
	return 0;
}

static int recv_ipv4(struct vrrp_socket *s, struct vrrp_rx *rx)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct in_pktinfo)) + 64];
	} control;
	struct iovec iov = { .iov_base = s->buf, .iov_len = sizeof(s->buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	ssize_t n;

	do
		n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EBADMSG;

	int r = vrrp_socket_parse_ipv4(s->buf, (size_t)n, rx);
	if (r < 0)
		return r;
	/* bound to one interface, so the socket's ifindex is right even
	 * without the cmsg; the cmsg is what the kernel says, so prefer it */
	rx->ifindex = s->ifindex;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->ifindex = pi.ipi_ifindex;
		}
	}
	return 0;
}

/* sendmsg() with one ancillary item (the pktinfo choosing source and
 * interface), shared by both families. */
static int send_with_pktinfo(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
			     void *name, socklen_t namelen, int level, int type,
			     const void *pktinfo, size_t pktinfo_len)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control;
	struct iovec iov = { .iov_base = (void *)vrrp, .iov_len = len };
	struct msghdr msg = {
		.msg_name = name, .msg_namelen = namelen,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = CMSG_SPACE(pktinfo_len),
	};

	memset(&control, 0, sizeof(control));
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(pktinfo_len);
	memcpy(CMSG_DATA(c), pktinfo, pktinfo_len);

	ssize_t n;
	do
		n = sendmsg(s->fd, &msg, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

static int send_ipv4(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
                     const struct config_addr *src, const struct config_addr *dst)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = dst->u.v4 };
	struct in_pktinfo pi = { .ipi_ifindex = s->ifindex };

	if (src && config_addr_is_set(src))
		pi.ipi_spec_dst = src->u.v4; /* the source of what we send */
	return send_with_pktinfo(s, vrrp, len, &sin, sizeof(sin), IPPROTO_IP, IP_PKTINFO, &pi,
				 sizeof(pi));
}

static bool ipv6_needs_scope(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a) ||
	       IN6_IS_ADDR_MC_NODELOCAL(a);
}

static int join_ipv6(struct vrrp_socket *s)
{
	struct ipv6_mreq mreq = { .ipv6mr_multiaddr = s->group.u.v6,
	                          .ipv6mr_interface = (unsigned)s->ifindex };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = s->group.u.v6 };

	if (ipv6_needs_scope(&s->group.u.v6))
		sin6.sin6_scope_id = (uint32_t)s->ifindex;
	int r = set_int(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex);
	if (r < 0)
		return r;
	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0)
		return -errno;
	return 0;
}

static int recv_ipv6(struct vrrp_socket *s, struct vrrp_rx *rx)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + 64];
	} control;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = s->buf, .iov_len = sizeof(s->buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	bool have_pktinfo = false, have_hops = false;
	ssize_t n;

	do
		n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((msg.msg_flags & MSG_TRUNC) || msg.msg_namelen < sizeof(from) ||
	    from.sin6_family != AF_INET6)
		return -EBADMSG;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->dst.family = AF_INET6;
			rx->dst.u.v6 = pi.ipi6_addr;
			rx->ifindex = (int)pi.ipi6_ifindex;
			have_pktinfo = true;
		} else if (c->cmsg_type == IPV6_HOPLIMIT &&
		           c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(&rx->ttl, CMSG_DATA(c), sizeof(int));
			have_hops = true;
		}
	}
	/* without them the receive checks (hop limit 255, destination) cannot run */
	if (!have_pktinfo || !have_hops)
		return -EBADMSG;
	rx->src.family = AF_INET6;
	rx->src.u.v6 = from.sin6_addr;
	rx->payload = s->buf;
	rx->len = (size_t)n;
	return 0;
}

static int send_ipv6(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
                     const struct config_addr *src, const struct config_addr *dst)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = dst->u.v6 };
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)s->ifindex };

	if (ipv6_needs_scope(&dst->u.v6))
		sin6.sin6_scope_id = (uint32_t)s->ifindex;
	if (src && config_addr_is_set(src))
		pi.ipi6_addr = src->u.v6;
	return send_with_pktinfo(s, vrrp, len, &sin6, sizeof(sin6), IPPROTO_IPV6, IPV6_PKTINFO,
				 &pi, sizeof(pi));
}

static const struct family_info families[] = {
	{ AF_INET, VRRP_SOCKET_GROUP4, opts_ipv4, sizeof(opts_ipv4) / sizeof(opts_ipv4[0]),
	  join_ipv4, recv_ipv4, send_ipv4 },
	{ AF_INET6, VRRP_SOCKET_GROUP6, opts_ipv6, sizeof(opts_ipv6) / sizeof(opts_ipv6[0]),
	  join_ipv6, recv_ipv6, send_ipv6 },
};

static const struct family_info *family_lookup(int family)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].family == family)
			return &families[i];
	return NULL;
}

/* ---- common ---- */

static int bind_device(int fd, int ifindex, const char *ifname)
{
	char name[IF_NAMESIZE];

	/* SO_BINDTOIFINDEX takes any number, so look for the interface first */
	if (!if_indextoname((unsigned)ifindex, name))
		return errno == ENXIO ? -ENODEV : -errno;
	int r = set_int(fd, SOL_SOCKET, SO_BINDTOIFINDEX, ifindex);
	if (r != -ENOPROTOOPT)
		return r;
	/* kernels before 5.7 only bind by name */
	if (!ifname)
		ifname = name;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		return -errno;
	return 0;
}

static int set_rcvbuf(int fd, int bytes)
{
	/* FORCE passes net.core.rmem_max, which is small by default; it needs
	 * CAP_NET_ADMIN, without which the plain (capped) option must do */
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes) == 0)
		return 0;
	return set_int(fd, SOL_SOCKET, SO_RCVBUF, bytes);
}

static int socket_setup(struct vrrp_socket *s, const struct family_info *fi,
                        const struct vrrp_socket_params *p)
{
	int r = bind_device(s->fd, s->ifindex, p->ifname);
	if (r < 0)
		return r;
	r = apply_opts(s->fd, fi->opts, fi->n_opts);
	if (r < 0)
		return r;
	r = set_rcvbuf(s->fd, p->rcvbuf > 0 ? p->rcvbuf : VRRP_SOCKET_RCVBUF_DEFAULT);
	if (r < 0)
		return r;
	return s->unicast ? 0 : fi->join(s);
}

struct vrrp_socket *vrrp_socket_open(const struct vrrp_socket_params *p, int *ret_err)
{
	const struct family_info *fi = p ? family_lookup(p->family) : NULL;
	struct config_addr group = { .family = AF_UNSPEC };
	int r = -EINVAL;

	if (!fi || p->ifindex <= 0)
		goto fail;
	if (!p->unicast) {
		group = p->group;
		if (!config_addr_is_set(&group) && config_addr_parse(fi->group, &group) < 0)
			goto fail;
		if (group.family != p->family || !config_addr_is_multicast(&group))
			goto fail;
	}

	int fd = socket(p->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	if (fd < 0) {
		r = errno == EACCES ? -EPERM : -errno;
		goto fail;
	}
	struct vrrp_socket *s = xnew(struct vrrp_socket);
	s->fd = fd;
	s->family = p->family;
	s->ifindex = p->ifindex;
	s->unicast = p->unicast;
	s->group = group;
	r = socket_setup(s, fi, p);
	if (r < 0) {
		vrrp_socket_free(s);
		goto fail;
	}
	return s;
fail:
	if (ret_err)
		*ret_err = r;
	return NULL;
}

struct vrrp_socket *vrrp_socket_free(struct vrrp_socket *s)
{
	if (!s)
		return NULL;
	/* closing the last reference leaves the group */
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	return NULL;
}

int vrrp_socket_fd(const struct vrrp_socket *s)
{
	return s->fd;
}

int vrrp_socket_family(const struct vrrp_socket *s)
{
	return s->family;
}

int vrrp_socket_ifindex(const struct vrrp_socket *s)
{
	return s->ifindex;
}

bool vrrp_socket_is_unicast(const struct vrrp_socket *s)
{
	return s->unicast;
}

const struct config_addr *vrrp_socket_group(const struct vrrp_socket *s)
{
	return &s->group;
}

int vrrp_socket_recv(struct vrrp_socket *s, struct vrrp_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	return family_lookup(s->family)->recv(s, rx);
}

int vrrp_socket_send(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
                     const struct config_addr *src, const struct config_addr *dst)
{
	if (!dst || !config_addr_is_set(dst))
		dst = &s->group;
	if (!config_addr_is_set(dst))
		return -EDESTADDRREQ; /* unicast socket, no peer given */
	if (dst->family != s->family || (src && config_addr_is_set(src) && src->family != s->family))
		return -EAFNOSUPPORT;
	return family_lookup(s->family)->send(s, vrrp, len, src, dst);
}
