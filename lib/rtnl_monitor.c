#include "config.h"

/* The monitor: a non-blocking socket joined to rtnetlink multicast groups,
 * and a reader that turns each notification into a tagged struct
 * rtnl_event.  A lost notification is reported (OVERRUN), never hidden: the
 * caller cannot know what it missed, so it must dump again. */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtnl.h"
#include "rtnl_msg.h"
#include "xalloc.h"

#define DEFAULT_RCVBUF (4u * 1024u * 1024u)

struct rtnl_monitor {
	struct mnl_socket *nl;
	struct rtnl_monitor_stats stats;
	char buf[RTNL_RECV_BUFSIZE];
};

static const unsigned group_of_bit[] = {
	RTNLGRP_LINK,
	RTNLGRP_IPV4_IFADDR,
	RTNLGRP_IPV6_IFADDR,
	RTNLGRP_IPV4_ROUTE,
	RTNLGRP_IPV6_ROUTE,
};

static const char *const event_names[_RTNL_EVENT_MAX] = {
	[RTNL_EVENT_LINK_NEW] = "link-new",
	[RTNL_EVENT_LINK_DEL] = "link-del",
	[RTNL_EVENT_ADDR_NEW] = "addr-new",
	[RTNL_EVENT_ADDR_DEL] = "addr-del",
	[RTNL_EVENT_ROUTE_NEW] = "route-new",
	[RTNL_EVENT_ROUTE_DEL] = "route-del",
	[RTNL_EVENT_OVERRUN] = "overrun",
};

const char *rtnl_event_type_to_string(enum rtnl_event_type t)
{
	if (t < 0 || t >= _RTNL_EVENT_MAX)
		return NULL;
	return event_names[t];
}

/* Which event a notification is, and how to read its body into the event. */
enum body { BODY_LINK, BODY_ADDR, BODY_ROUTE };
static const struct {
	uint16_t nlmsg_type;
	enum rtnl_event_type event;
	enum body body;
} message_kinds[] = {
	{ RTM_NEWLINK, RTNL_EVENT_LINK_NEW, BODY_LINK },
	{ RTM_DELLINK, RTNL_EVENT_LINK_DEL, BODY_LINK },
	{ RTM_NEWADDR, RTNL_EVENT_ADDR_NEW, BODY_ADDR },
	{ RTM_DELADDR, RTNL_EVENT_ADDR_DEL, BODY_ADDR },
	{ RTM_NEWROUTE, RTNL_EVENT_ROUTE_NEW, BODY_ROUTE },
	{ RTM_DELROUTE, RTNL_EVENT_ROUTE_DEL, BODY_ROUTE },
};

struct rtnl_monitor *rtnl_monitor_open(unsigned groups, size_t rcvbuf, int *ret_err)
{
	if (groups == 0 || (groups & ~(unsigned)RTNL_MONITOR_ALL)) {
		if (ret_err)
			*ret_err = -EINVAL;
		return NULL;
	}
	struct rtnl_monitor *m = xnew(struct rtnl_monitor);
	int err;

	m->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!m->nl)
		goto fail;
	if (mnl_socket_bind(m->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (unsigned bit = 0; bit < sizeof(group_of_bit) / sizeof(group_of_bit[0]); bit++) {
		if (!(groups & (1u << bit)))
			continue;
		int g = (int)group_of_bit[bit];
		if (mnl_socket_setsockopt(m->nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}

	/* A burst (an interface going away drops all its addresses and routes
	 * at once) must fit; FORCE passes net.core.rmem_max when we may. */
	int fd = mnl_socket_get_fd(m->nl);
	int size = (int)(rcvbuf ? (rcvbuf > (size_t)(1 << 30) ? (size_t)(1 << 30) : rcvbuf) : DEFAULT_RCVBUF);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		goto fail;
	/* NETLINK_NO_ENOBUFS stays off (the default): overruns must be seen. */
	return m;
fail:
	err = -errno;
	rtnl_monitor_free(m);
	if (ret_err)
		*ret_err = err < 0 ? err : -EIO;
	return NULL;
}

struct rtnl_monitor *rtnl_monitor_free(struct rtnl_monitor *m)
{
	if (!m)
		return NULL;
	if (m->nl)
		mnl_socket_close(m->nl);
	free(m);
	return NULL;
}

int rtnl_monitor_fd(const struct rtnl_monitor *m)
{
	return mnl_socket_get_fd(m->nl);
}

const struct rtnl_monitor_stats *rtnl_monitor_stats(const struct rtnl_monitor *m)
{
	return &m->stats;
}

/* 1 and *ev filled for a notification we deliver, 0 for one we ignore,
 * -EBADMSG for one we cannot read. */
static int message_to_event(const struct nlmsghdr *nlh, struct rtnl_event *ev)
{
	for (size_t i = 0; i < sizeof(message_kinds) / sizeof(message_kinds[0]); i++) {
		if (message_kinds[i].nlmsg_type != nlh->nlmsg_type)
			continue;
		memset(ev, 0, sizeof(*ev));
		ev->type = message_kinds[i].event;
		int k;
		switch (message_kinds[i].body) {
		case BODY_LINK:
			k = rtnl_msg_parse_link(nlh, &ev->u.link);
			break;
		case BODY_ADDR:
			k = rtnl_msg_parse_addr(nlh, &ev->u.addr);
			break;
		default:
			k = rtnl_msg_parse_route(nlh, &ev->u.route);
			break;
		}
		return k < 0 ? k : 1;
	}
	return 0; /* NLMSG_NOOP, NLMSG_DONE, types of groups we did not ask for */
}

static int deliver(struct rtnl_monitor *m, const struct rtnl_event *ev, rtnl_event_cb cb,
		   void *userdata, int *count)
{
	m->stats.events++;
	(*count)++;
	return cb(ev, userdata);
}

/* Deliver every notification of one datagram; < 0 when the callback stops. */
static int read_datagram(struct rtnl_monitor *m, size_t left, rtnl_event_cb cb, void *userdata,
			 int *count)
{
	const struct nlmsghdr *nlh = (const void *)m->buf;
	for (; rtnl_nlmsg_ok(nlh, left); nlh = rtnl_nlmsg_next(nlh, &left)) {
		struct rtnl_event ev;
		int k = message_to_event(nlh, &ev);
		if (k < 0)
			m->stats.malformed++;
		if (k <= 0)
			continue;
		k = deliver(m, &ev, cb, userdata, count);
		if (k < 0)
			return k;
	}
	if (left > 0)
		m->stats.malformed++; /* trailing bytes that are no whole message */
	return 0;
}

int rtnl_monitor_read(struct rtnl_monitor *m, unsigned max_events, rtnl_event_cb cb, void *userdata)
{
	int count = 0;
	while (max_events == 0 || (unsigned)count < max_events) {
		ssize_t n = rtnl_recv(mnl_socket_get_fd(m->nl), m->buf, sizeof(m->buf));
		if (n == -EAGAIN)
			break;
		if (n == -EMSGSIZE || n == -ESRCH) {
			m->stats.malformed++; /* truncated, or not from the kernel */
			continue;
		}
		if (n == -ENOBUFS) {
			m->stats.overruns++;
			struct rtnl_event ev = { .type = RTNL_EVENT_OVERRUN };
			int k = deliver(m, &ev, cb, userdata, &count);
			if (k < 0)
				return k;
			continue;
		}
		if (n < 0)
			return (int)n;
		int k = read_datagram(m, (size_t)n, cb, userdata, &count);
		if (k < 0)
			return k;
	}
	return count;
}
