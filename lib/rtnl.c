#include "config.h"

/* The request handle: one NETLINK_ROUTE socket, a sequence counter, and the
 * one loop that reads a reply to its end.  Requests and dumps both go
 * through rtnl_transact(), so every caller gets the kernel's own errno and
 * nothing from an earlier, abandoned reply can be mistaken for the current
 * one (messages of another sequence number are dropped). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtnl.h"
#include "rtnl_msg.h"
#include "xalloc.h"

struct rtnl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char buf[RTNL_RECV_BUFSIZE];
};

size_t rtnl_ip_len(int family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

bool rtnl_ip_equal(const struct rtnl_ip *a, const struct rtnl_ip *b)
{
	return a->family == b->family && memcmp(&a->u, &b->u, rtnl_ip_len(a->family)) == 0;
}

struct rtnl *rtnl_open(int *ret_err)
{
	struct rtnl *r = xnew(struct rtnl);
	int err;

	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!r->nl)
		goto fail;
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	r->portid = mnl_socket_get_portid(r->nl);
	/* Errors need not echo our whole request back; older kernels lack it. */
	int one = 1;
	(void)mnl_socket_setsockopt(r->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return r;
fail:
	err = -errno;
	rtnl_close(r);
	if (ret_err)
		*ret_err = err < 0 ? err : -EIO;
	return NULL;
}

struct rtnl *rtnl_close(struct rtnl *r)
{
	if (!r)
		return NULL;
	if (r->nl)
		mnl_socket_close(r->nl);
	free(r);
	return NULL;
}

int rtnl_fd(const struct rtnl *r)
{
	return mnl_socket_get_fd(r->nl);
}

/* What one reply message means for the transaction. */
enum reply_step { STEP_MORE, STEP_END };

static enum reply_step reply_message(const struct nlmsghdr *m, rtnl_msg_cb msg_cb, void *ctx,
				     int *result, bool *intr)
{
	if (m->nlmsg_flags & NLM_F_DUMP_INTR)
		*intr = true;

	if (m->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);
		if (mnl_nlmsg_get_payload_len(m) < sizeof(*e))
			*result = -EBADMSG;
		else if (e->error != 0)
			*result = e->error < 0 ? e->error : -EPROTO;
		return STEP_END; /* an ACK keeps the callback's stop value */
	}
	if (m->nlmsg_type == NLMSG_DONE) {
		/* A dump that failed midway says so in DONE's payload. */
		if (mnl_nlmsg_get_payload_len(m) >= sizeof(int)) {
			int err;
			memcpy(&err, mnl_nlmsg_get_payload(m), sizeof(err));
			if (err < 0)
				*result = err;
		}
		if (*intr && *result == 0)
			*result = -EINTR;
		return STEP_END;
	}
	if (m->nlmsg_type < NLMSG_MIN_TYPE)
		return STEP_MORE; /* NOOP/OVERRUN: nothing to deliver */
	if (msg_cb && *result == 0)
		*result = msg_cb(m, ctx);
	return STEP_MORE;
}

int rtnl_transact(struct rtnl *r, struct nlmsghdr *nlh, rtnl_msg_cb msg_cb, void *ctx)
{
	/* NLM_F_DUMP is two bits (ROOT|MATCH), and ROOT is also REPLACE on a
	 * NEW request: only both bits together mean a dump. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = ++r->seq;
	nlh->nlmsg_pid = 0;

	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	int result = 0;
	bool intr = false;
	for (;;) {
		ssize_t n = rtnl_recv(mnl_socket_get_fd(r->nl), r->buf, sizeof(r->buf));
		if (n == -ESRCH)
			continue; /* not from the kernel: not our reply */
		if (n < 0)
			return (int)n;
		size_t left = (size_t)n;
		for (const struct nlmsghdr *m = (const void *)r->buf; rtnl_nlmsg_ok(m, left);
		     m = rtnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != r->seq)
				continue; /* left over from an earlier, abandoned reply */
			if (reply_message(m, msg_cb, ctx, &result, &intr) == STEP_END)
				return result;
		}
	}
}

ssize_t rtnl_recv(int fd, void *buf, size_t size)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;
	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (msg.msg_namelen != sizeof(from) || from.nl_family != AF_NETLINK || from.nl_pid != 0)
		return -ESRCH;
	return n;
}

int rtnl_attr_table(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, unsigned max)
{
	size_t hdr = MNL_ALIGN(hdrlen);
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + hdr)
		return -EBADMSG;
	memset(tb, 0, (max + 1) * sizeof(*tb));
	/* Bounded by nlmsg_len itself, not by its rounded-up end. */
	int left = (int)(nlh->nlmsg_len - MNL_NLMSG_HDRLEN - hdr);
	for (const struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh, hdrlen); mnl_attr_ok(a, left);
	     a = mnl_attr_next(a)) {
		left -= (int)MNL_ALIGN(a->nla_len);
		uint16_t type = mnl_attr_get_type(a);
		if (type <= max)
			tb[type] = a;
	}
	return 0;
}

int rtnl_attr_get_ip(const struct nlattr *a, int family, struct rtnl_ip *ret)
{
	size_t len = rtnl_ip_len(family);
	if (len == 0 || mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	ret->family = family;
	memcpy(&ret->u, mnl_attr_get_payload(a), len);
	return 0;
}

void rtnl_attr_put_ip(struct nlmsghdr *nlh, uint16_t type, const struct rtnl_ip *ip)
{
	mnl_attr_put(nlh, type, rtnl_ip_len(ip->family), &ip->u);
}
