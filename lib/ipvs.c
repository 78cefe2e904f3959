#include "config.h"

/* The socket half of lib/ipvs: one generic-netlink socket, libnl resolves
 * the family, then requests go out with send() and replies come back with
 * recv() into one buffer, parsed by ipvs_msg.c.
 *
 * Batches: genetlink hands every message of one sendmsg to netlink_rcv_skb(),
 * which runs them in order and queues one ack each (NLM_F_ACK) before send()
 * returns.  So a batch is cut into requests of at most IPVS_BATCH_BYTES, and
 * at most as many messages as the receive buffer has room for acks: an ack
 * that does not fit is dropped by the kernel (the socket then reports
 * ENOBUFS) and could never be matched to its op.  The acks of a request are
 * read before the next request goes out. */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ip_vs.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "ipvs.h"
#include "ipvs_msg.h"
#include "xalloc.h"

/* Bytes of requests per sendmsg. */
#define IPVS_BATCH_BYTES (64 * 1024)
/* Replies: a dump skb is at most 32 KiB (netlink_recvmsg caps it). */
#define IPVS_RECV_BYTES (64 * 1024)
/* What we ask for; SO_RCVBUFFORCE works as root (we need CAP_NET_ADMIN anyway). */
#define IPVS_RCVBUF (4 * 1024 * 1024)
#define IPVS_SNDBUF (256 * 1024)
/* Receive-buffer charge of one ack: an skb's truesize (about 768 bytes for
 * a 36-byte nlmsgerr), rounded up generously. */
#define IPVS_ACK_TRUESIZE 2048
/* A kernel that answers nothing for this long is treated as a failure. */
#define IPVS_REPLY_TIMEOUT_MS 30000

struct ipvs {
	struct nl_sock *sk;
	int fd;
	uint16_t family;
	uint32_t seq;
	size_t max_batch_msgs;   /* acks that fit in half the receive buffer */
	struct ipvs_counters counters;
	uint8_t *sbuf, *rbuf;
};

int ipvs_open(struct ipvs **ret)
{
	struct ipvs *c = xnew(struct ipvs);
	int r;

	c->sk = nl_socket_alloc();
	if (!c->sk) {
		r = -ENOMEM;
		goto fail;
	}
	if (genl_connect(c->sk) < 0) {
		r = -EIO;
		goto fail;
	}
	c->fd = nl_socket_get_fd(c->sk);
	r = genl_ctrl_resolve(c->sk, IPVS_GENL_NAME);
	if (r < 0) {
		/* The controller says "no such family": no ip_vs module. */
		r = r == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		goto fail;
	}
	c->family = (uint16_t)r;

	int one = 1, rcvbuf = IPVS_RCVBUF, sndbuf = IPVS_SNDBUF;
	/* Error acks need not echo the request back: smaller acks. */
	(void)setsockopt(c->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(c->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		(void)setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	socklen_t len = sizeof(rcvbuf);
	if (getsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0 || rcvbuf <= 0)
		rcvbuf = 65536;
	c->max_batch_msgs = (size_t)rcvbuf / 2 / IPVS_ACK_TRUESIZE;
	if (c->max_batch_msgs < 1)
		c->max_batch_msgs = 1;

	c->seq = (uint32_t)getpid() << 12;   /* any start; only matching matters */
	c->sbuf = xmalloc(IPVS_BATCH_BYTES);
	c->rbuf = xmalloc(IPVS_RECV_BYTES);
	*ret = c;
	return 0;
fail:
	ipvs_close(c);
	return r;
}

struct ipvs *ipvs_close(struct ipvs *c)
{
	if (!c)
		return NULL;
	nl_socket_free(c->sk);   /* closes the fd; NULL-safe */
	free(c->sbuf);
	free(c->rbuf);
	free(c);
	return NULL;
}

const struct ipvs_counters *ipvs_counters(const struct ipvs *c)
{
	return &c->counters;
}

static int send_request(struct ipvs *c, const void *buf, size_t len, size_t n_msgs, bool read)
{
	for (;;) {
		ssize_t n = send(c->fd, buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		c->counters.requests++;
		c->counters.messages += n_msgs;
		c->counters.read_requests += read;
		return 0;
	}
}

/* One recv into c->rbuf, waiting at most IPVS_REPLY_TIMEOUT_MS.  Returns the
 * byte count or a negative errno (-ENOBUFS: the kernel dropped replies). */
static ssize_t recv_some(struct ipvs *c)
{
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		int r = poll(&p, 1, IPVS_REPLY_TIMEOUT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		ssize_t n = recv(c->fd, c->rbuf, IPVS_RECV_BYTES, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		return n;
	}
}

/* After an overrun the queue holds a mix of whatever was not dropped: read it
 * all away so the next request starts clean. */
static void drain(struct ipvs *c)
{
	while (recv(c->fd, c->rbuf, IPVS_RECV_BYTES, MSG_DONTWAIT) > 0 || errno == ENOBUFS ||
	       errno == EINTR)
		;
}

/* Called for each data message of a reply; returns <0 to fail the request
 * (the rest of the reply is still read). */
typedef int (*ipvs_reply_fn)(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata);

/* Send one request (a dump or a get) and read its whole reply: data messages
 * go to `fn`; it ends with NLMSG_DONE or an NLMSG_ERROR (an ack). */
static int transact(struct ipvs *c, uint8_t cmd, uint16_t flags, const struct ipvs_service_key *key,
		    ipvs_reply_fn fn, void *userdata)
{
	uint32_t seq = ++c->seq;
	int len = ipvs_msg_build_request(cmd, flags, key, c->family, seq, c->sbuf, IPVS_BATCH_BYTES);
	int r = 0;

	if (len < 0)
		return len;
	if ((r = send_request(c, c->sbuf, (size_t)len, 1, true)) < 0)
		return r;
	for (;;) {
		ssize_t n = recv_some(c);
		if (n < 0) {
			if (n == -ENOBUFS)
				drain(c);
			return (int)n;
		}
		int rem = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)c->rbuf; nlmsg_ok(h, rem);
		     h = nlmsg_next(h, &rem)) {
			if (h->nlmsg_seq != seq)
				continue;   /* left over from an abandoned request */
			if (h->nlmsg_type == NLMSG_DONE) {
				int err = 0;
				if (nlmsg_datalen(h) >= (int)sizeof(int))
					memcpy(&err, nlmsg_data(h), sizeof(err));
				return r < 0 ? r : err;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = nlmsg_data(h);
				if (nlmsg_datalen(h) < (int)sizeof(*e)) {
					c->counters.errors++;
					return -EBADMSG;
				}
				if (e->error < 0)
					c->counters.errors++;
				return r < 0 ? r : e->error;
			}
			if (h->nlmsg_type != c->family || !fn)
				continue;
			int rr = fn(c, h, userdata);
			if (rr < 0) {
				c->counters.errors++;
				if (r == 0)
					r = rr;
			}
			/* A get (no dump) has no DONE: its data then the ack. */
		}
	}
}

static int on_info(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata)
{
	return ipvs_msg_parse_info(nlh, userdata);
}

int ipvs_get_info(struct ipvs *c, struct ipvs_info *ret)
{
	struct ipvs_info info = { 0 };
	int r = transact(c, IPVS_CMD_GET_INFO, NLM_F_REQUEST | NLM_F_ACK, NULL, on_info, &info);

	if (r == 0)
		*ret = info;
	return r;
}

static int on_timeouts(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata)
{
	return ipvs_msg_parse_timeouts(nlh, userdata);
}

int ipvs_get_timeouts(struct ipvs *c, struct ipvs_timeouts *ret)
{
	struct ipvs_timeouts t = { 0 };
	int r = transact(c, IPVS_CMD_GET_CONFIG, NLM_F_REQUEST | NLM_F_ACK, NULL, on_timeouts, &t);

	if (r == 0)
		*ret = t;
	return r;
}

static int on_service(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata)
{
	struct ipvs_service s;
	int r = ipvs_msg_parse_service(nlh, &s);

	if (r == 0)
		ipvs_table_add_service(userdata, &s);
	return r;
}

static int on_dest(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata)
{
	struct ipvs_service_entry *e = userdata;
	struct ipvs_dest d;
	int r = ipvs_msg_parse_dest(nlh, e->svc.key.af, &d);

	if (r == 0)
		ipvs_entry_add_dest(e, &d);
	return r;
}

int ipvs_dump_services(struct ipvs *c, struct ipvs_table *ret)
{
	ipvs_table_clear(ret);
	int r = transact(c, IPVS_CMD_GET_SERVICE, NLM_F_REQUEST | NLM_F_DUMP, NULL, on_service, ret);
	if (r < 0) {
		ipvs_table_clear(ret);
		return r;
	}
	ipvs_table_sort(ret);
	return 0;
}

int ipvs_dump(struct ipvs *c, struct ipvs_table *ret)
{
	int r;

	ipvs_table_clear(ret);
	r = transact(c, IPVS_CMD_GET_SERVICE, NLM_F_REQUEST | NLM_F_DUMP, NULL, on_service, ret);
	/* A dump may run only one at a time per socket, so the dests come
	 * one service after the other. */
	for (size_t i = 0; r == 0 && i < ret->n_services; i++) {
		struct ipvs_service_entry *e = &ret->services[i];
		r = transact(c, IPVS_CMD_GET_DEST, NLM_F_REQUEST | NLM_F_DUMP, &e->svc.key, on_dest, e);
	}
	if (r < 0) {
		ipvs_table_clear(ret);
		return r;
	}
	ipvs_table_sort(ret);
	return 0;
}

struct daemons {
	struct ipvs_daemon *d;
	size_t n;
};

static int on_daemon(struct ipvs *c, const struct nlmsghdr *nlh, void *userdata)
{
	struct daemons *ds = userdata;
	struct ipvs_daemon d;
	int r = ipvs_msg_parse_daemon(nlh, &d);

	if (r < 0)
		return r;
	if (ds->n >= 2)
		return -EBADMSG;   /* there are only master and backup */
	ds->d[ds->n++] = d;
	return 0;
}

int ipvs_get_daemons(struct ipvs *c, struct ipvs_daemon ret[2], size_t *n_ret)
{
	struct ipvs_daemon got[2];
	struct daemons ds = { .d = got };
	int r = transact(c, IPVS_CMD_GET_DAEMON, NLM_F_REQUEST | NLM_F_DUMP, NULL, on_daemon, &ds);

	if (r < 0)
		return r;
	for (size_t i = 0; i < ds.n; i++)
		ret[i] = got[i];
	*n_ret = ds.n;
	return 0;
}

/* Ops [first, end) went out with sequence numbers base + index; their
 * `error` is 1 until acked.  Read acks until none is pending. */
static int read_acks(struct ipvs *c, struct ipvs_batch *b, uint32_t base, size_t first, size_t end,
		     size_t pending, int *failed)
{
	while (pending > 0) {
		ssize_t n = recv_some(c);
		if (n < 0) {
			if (n == -ENOBUFS)
				drain(c);
			return (int)n;
		}
		int rem = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)c->rbuf; nlmsg_ok(h, rem);
		     h = nlmsg_next(h, &rem)) {
			size_t i = (size_t)(uint32_t)(h->nlmsg_seq - base);
			if (h->nlmsg_type != NLMSG_ERROR || i < first || i >= end || b->ops[i].error != 1)
				continue;
			const struct nlmsgerr *e = nlmsg_data(h);
			int err = nlmsg_datalen(h) >= (int)sizeof(*e) ? e->error : -EBADMSG;
			b->ops[i].error = err > 0 ? -EPROTO : err;
			pending--;
			if (err != 0) {
				(*failed)++;
				c->counters.errors++;
			}
		}
	}
	return 0;
}

int ipvs_batch_send(struct ipvs *c, struct ipvs_batch *b)
{
	uint32_t base = c->seq + 1;
	int failed = 0, r = 0;
	size_t i = 0;

	c->seq += (uint32_t)b->n_ops;
	for (size_t k = 0; k < b->n_ops; k++)
		b->ops[k].error = -EIO;

	while (i < b->n_ops) {
		size_t first = i, len = 0, n_msgs = 0;

		while (i < b->n_ops && n_msgs < c->max_batch_msgs) {
			int n = ipvs_op_build(&b->ops[i], c->family, base + (uint32_t)i, c->sbuf + len,
					      IPVS_BATCH_BYTES - len);
			if (n == -ENOBUFS && n_msgs > 0)
				break;   /* full: this one starts the next request */
			if (n < 0) {
				b->ops[i++].error = n;   /* never sent */
				failed++;
				continue;
			}
			b->ops[i++].error = 1;   /* pending */
			len += (size_t)n;
			n_msgs++;
		}
		if (n_msgs == 0)
			continue;
		if ((r = send_request(c, c->sbuf, len, n_msgs, false)) < 0)
			break;
		if ((r = read_acks(c, b, base, first, i, n_msgs, &failed)) < 0)
			break;
	}
	/* After a socket error, whatever was not acked is unknown: -EIO. */
	for (size_t k = 0; k < b->n_ops; k++)
		if (b->ops[k].error == 1)
			b->ops[k].error = -EIO;
	return r < 0 ? r : failed;
}
