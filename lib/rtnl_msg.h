/* rtnl_msg: private glue of the rtnl_*.c files (not for callers of lib/rtnl.h).
 *
 * The request/dump transaction on a handle, attribute table parsing, and the
 * message -> struct parsers that dumps and the monitor share.  Parsers are
 * pure: they check every length before reading and return -EBADMSG for
 * anything truncated or inconsistent. */
#ifndef LBHA_RTNL_MSG_H
#define LBHA_RTNL_MSG_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <sys/types.h>

#include "rtnl.h"

/* Big enough for any single rtnetlink message the kernel sends us: dumps
 * fill up to 32 KiB per datagram, and a smaller buffer truncates them. */
#define RTNL_RECV_BUFSIZE (32u * 1024u)
/* Requests we build are small (a route with 16 nexthops is < 1 KiB).  Zero
 * the buffer: attribute padding goes to the kernel too, and some libmnl
 * versions leave it as they found it. */
#define RTNL_REQ_BUFSIZE 4096u

/* Receive one datagram from the kernel.  Returns its length, -EAGAIN when
 * nothing is queued (non-blocking sockets), -ENOBUFS when the kernel dropped
 * notifications, -EMSGSIZE when the datagram did not fit (it is lost),
 * -ESRCH when it came from another process (it is dropped: anyone may send
 * to a netlink port, and a forged ACK must not pass for the kernel's), or
 * another negative errno.  EINTR is retried here. */
ssize_t rtnl_recv(int fd, void *buf, size_t size);

/* Walk the messages of a datagram.  Unlike libmnl's mnl_nlmsg_ok(), which
 * takes a length >= 2 GiB for a negative int and walks off the buffer, these
 * refuse any header whose length does not fit what is left. */
static inline bool rtnl_nlmsg_ok(const struct nlmsghdr *nlh, size_t left)
{
	return left >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= left;
}
static inline const struct nlmsghdr *rtnl_nlmsg_next(const struct nlmsghdr *nlh, size_t *left)
{
	size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
	step = step < *left ? step : *left;
	*left -= step;
	return (const struct nlmsghdr *)((const char *)nlh + step);
}

/* Called for each data message of the reply (not NLMSG_ERROR/DONE).
 * Returns 0 to go on, > 0 to stop delivering (kept as the result), < 0 to
 * stop with that error; either way the reply is still read to its end. */
typedef int (*rtnl_msg_cb)(const struct nlmsghdr *nlh, void *ctx);

/* Send nlh (sequence number and NLM_F_REQUEST filled in here) and read the
 * reply to its end: the ACK/error for a request (NLM_F_ACK is added unless
 * NLM_F_DUMP is set), NLMSG_DONE for a dump.  msg_cb may be NULL.
 * Returns 0, the callback's stop value, the kernel's error, -EINTR for an
 * inconsistent dump, or a socket error. */
int rtnl_transact(struct rtnl *r, struct nlmsghdr *nlh, rtnl_msg_cb msg_cb, void *ctx);

/* Fill tb[0..max] with the attributes that follow a fixed header of hdrlen
 * bytes (later duplicates win, types above max are ignored).  -EBADMSG when
 * the message is shorter than its fixed header. */
int rtnl_attr_table(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, unsigned max);

/* Read an address attribute of `family`; -EBADMSG when its length is wrong. */
int rtnl_attr_get_ip(const struct nlattr *a, int family, struct rtnl_ip *ret);
/* Append an address attribute (the family gives its length). */
void rtnl_attr_put_ip(struct nlmsghdr *nlh, uint16_t type, const struct rtnl_ip *ip);

/* Message parsers: 0, or -EBADMSG for a truncated/inconsistent message.
 * They accept the NEW and DEL types alike; the caller checks the type. */
int rtnl_msg_parse_addr(const struct nlmsghdr *nlh, struct rtnl_addr *ret);
int rtnl_msg_parse_link(const struct nlmsghdr *nlh, struct rtnl_link *ret);
int rtnl_msg_parse_route(const struct nlmsghdr *nlh, struct rtnl_route *ret);

#endif
