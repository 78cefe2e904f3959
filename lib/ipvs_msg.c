#include "config.h"

/* The IPVS generic-netlink codec (see ipvs_msg.h).
 *
 * Requests are built with libnl's nl_msg, which refuses to write past its
 * size, then copied into the caller's buffer: that is how ipvs_batch_send()
 * packs many messages into one sendmsg buffer and learns (-ENOBUFS) that the
 * next one no longer fits.  Replies are parsed with nla_parse() and policies
 * mirroring the kernel's (net/netfilter/ipvs/ip_vs_ctl.c), so every attribute
 * is length-checked before it is read.
 *
 * Attributes the 6.1 kernel knows and we use: IPVS_DEST_ATTR_ADDR_FAMILY
 * (3.18), IPVS_DEST_ATTR_TUN_TYPE/PORT (5.2), IPVS_DEST_ATTR_TUN_FLAGS (5.3),
 * the sync-daemon attributes SYNC_MAXLEN .. MCAST_TTL (4.3). */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "ipvs.h"
#include "ipvs_msg.h"

/* ipvs.h restates the kernel's values so its users need no kernel header. */
_Static_assert(IPVS_SVC_F_PERSISTENT == IP_VS_SVC_F_PERSISTENT, "flag");
_Static_assert(IPVS_SVC_F_HASHED == IP_VS_SVC_F_HASHED, "flag");
_Static_assert(IPVS_SVC_F_ONEPACKET == IP_VS_SVC_F_ONEPACKET, "flag");
_Static_assert(IPVS_SVC_F_SCHED1 == IP_VS_SVC_F_SCHED1, "flag");
_Static_assert(IPVS_SVC_F_SCHED2 == IP_VS_SVC_F_SCHED2, "flag");
_Static_assert(IPVS_SVC_F_SCHED3 == IP_VS_SVC_F_SCHED3, "flag");
_Static_assert(IPVS_FWD_MASQ == IP_VS_CONN_F_MASQ, "fwd");
_Static_assert(IPVS_FWD_TUNNEL == IP_VS_CONN_F_TUNNEL, "fwd");
_Static_assert(IPVS_FWD_DROUTE == IP_VS_CONN_F_DROUTE, "fwd");
_Static_assert(IPVS_FWD_BYPASS == IP_VS_CONN_F_BYPASS, "fwd");
_Static_assert((int)IPVS_TUN_GUE == (int)IP_VS_CONN_F_TUNNEL_TYPE_GUE, "tun");
_Static_assert((int)IPVS_TUN_GRE == (int)IP_VS_CONN_F_TUNNEL_TYPE_GRE, "tun");
_Static_assert(IPVS_TUN_F_REMCSUM == IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM, "tun");
_Static_assert(IPVS_DAEMON_MASTER == IP_VS_STATE_MASTER, "daemon");
_Static_assert(IPVS_DAEMON_BACKUP == IP_VS_STATE_BACKUP, "daemon");
_Static_assert(IPVS_SCHED_NAME_MAX == IP_VS_SCHEDNAME_MAXLEN, "sched");

/* Which parts of an op become attributes. */
enum {
	PART_SVC_KEY = 1 << 0,
	PART_SVC_FULL = 1 << 1,     /* with PART_SVC_KEY */
	PART_DEST_KEY = 1 << 2,
	PART_DEST_FULL = 1 << 3,    /* with PART_DEST_KEY */
	PART_TIMEOUTS = 1 << 4,
	PART_DAEMON_KEY = 1 << 5,
	PART_DAEMON_FULL = 1 << 6,  /* with PART_DAEMON_KEY */
};

static const struct {
	uint8_t cmd;
	unsigned parts;
	const char *verb;
} op_descs[_IPVS_OP_MAX] = {
	[IPVS_OP_ADD_SERVICE] = { IPVS_CMD_NEW_SERVICE, PART_SVC_KEY | PART_SVC_FULL, "add service" },
	[IPVS_OP_EDIT_SERVICE] = { IPVS_CMD_SET_SERVICE, PART_SVC_KEY | PART_SVC_FULL, "edit service" },
	[IPVS_OP_DEL_SERVICE] = { IPVS_CMD_DEL_SERVICE, PART_SVC_KEY, "delete service" },
	[IPVS_OP_ADD_DEST] = { IPVS_CMD_NEW_DEST, PART_SVC_KEY | PART_DEST_KEY | PART_DEST_FULL, "add dest" },
	[IPVS_OP_EDIT_DEST] = { IPVS_CMD_SET_DEST, PART_SVC_KEY | PART_DEST_KEY | PART_DEST_FULL, "edit dest" },
	[IPVS_OP_DEL_DEST] = { IPVS_CMD_DEL_DEST, PART_SVC_KEY | PART_DEST_KEY, "delete dest" },
	[IPVS_OP_FLUSH] = { IPVS_CMD_FLUSH, 0, "flush" },
	[IPVS_OP_SET_TIMEOUTS] = { IPVS_CMD_SET_CONFIG, PART_TIMEOUTS, "set timeouts" },
	[IPVS_OP_START_DAEMON] = { IPVS_CMD_NEW_DAEMON, PART_DAEMON_KEY | PART_DAEMON_FULL, "start" },
	[IPVS_OP_STOP_DAEMON] = { IPVS_CMD_DEL_DAEMON, PART_DAEMON_KEY, "stop" },
};

static bool af_ok(uint16_t af)
{
	return af == AF_INET || af == AF_INET6;
}

/* A fixed-size name field as an attribute; the field must hold its NUL. */
static int put_name(struct nl_msg *m, int type, const char *s, size_t size)
{
	size_t len = strnlen(s, size);
	if (len == size)
		return -EINVAL;
	return nla_put(m, type, (int)len + 1, s) < 0 ? -ENOBUFS : 0;
}

/* Every nla_put below fails only for lack of room: `bad` collects that. */
static int put_service(struct nl_msg *m, const struct ipvs_service *s, bool full)
{
	const struct ipvs_service_key *k = &s->key;
	bool bad = false;
	int r;

	if (!af_ok(k->af))
		return -EAFNOSUPPORT;
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	if (!nest)
		return -ENOBUFS;
	bad |= nla_put_u16(m, IPVS_SVC_ATTR_AF, k->af) < 0;
	if (k->fwmark) {
		/* The kernel finds fwmark services by (af, mark) alone. */
		bad |= nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, k->fwmark) < 0;
	} else {
		bad |= nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, k->protocol) < 0;
		bad |= nla_put(m, IPVS_SVC_ATTR_ADDR, sizeof(k->addr), &k->addr) < 0;
		bad |= nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(k->port)) < 0;
	}
	if (full && !bad) {
		/* The mask names every flag we manage, HASHED excepted: the
		 * caller's flags are the whole wanted set, so an edit clears
		 * what is no longer wanted. */
		struct ip_vs_flags f = { .flags = s->flags & ~IPVS_SVC_F_HASHED,
					 .mask = ~(uint32_t)IPVS_SVC_F_HASHED };
		if ((r = put_name(m, IPVS_SVC_ATTR_SCHED_NAME, s->sched, sizeof(s->sched))) < 0)
			return r;
		if (s->pe_name[0] &&
		    (r = put_name(m, IPVS_SVC_ATTR_PE_NAME, s->pe_name, sizeof(s->pe_name))) < 0)
			return r;
		bad |= nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f) < 0;
		bad |= nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0;
		/* Raw: IPv4 a mask already in network order, IPv6 a prefix
		 * length, as the kernel reads it (nla_get_be32, then plen). */
		bad |= nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask) < 0;
	}
	if (bad)
		return -ENOBUFS;
	nla_nest_end(m, nest);
	return 0;
}

static int put_dest(struct nl_msg *m, const struct ipvs_dest *d, bool full)
{
	bool bad = false;

	if (d->af && !af_ok(d->af))
		return -EAFNOSUPPORT;
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	if (!nest)
		return -ENOBUFS;
	bad |= nla_put(m, IPVS_DEST_ATTR_ADDR, sizeof(d->addr), &d->addr) < 0;
	bad |= nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0;
	/* af 0: the service's family (what kernels before 3.18 assume). */
	if (d->af)
		bad |= nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, d->af) < 0;
	if (full) {
		bad |= nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, (uint32_t)d->fwd & IP_VS_CONN_F_FWD_MASK) < 0;
		bad |= nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, d->weight) < 0;
		bad |= nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_threshold) < 0;
		bad |= nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_threshold) < 0;
		/* Tunnel settings only where they mean something (ipvs_dest_equal
		 * compares the same ones): a port for GUE, flags for GUE/GRE. */
		if (d->fwd == IPVS_FWD_TUNNEL) {
			bad |= nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, (uint8_t)d->tun_type) < 0;
			if (d->tun_type == IPVS_TUN_GUE)
				bad |= nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0;
			if (d->tun_type == IPVS_TUN_GUE || d->tun_type == IPVS_TUN_GRE)
				bad |= nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0;
		}
	}
	if (bad)
		return -ENOBUFS;
	nla_nest_end(m, nest);
	return 0;
}

static int put_timeouts(struct nl_msg *m, const struct ipvs_timeouts *t)
{
	bool bad = false;

	/* 0 leaves the kernel's value: the attribute is simply left out. */
	if (t->tcp)
		bad |= nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0;
	if (t->tcp_fin)
		bad |= nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin) < 0;
	if (t->udp)
		bad |= nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0;
	return bad ? -ENOBUFS : 0;
}

static int put_daemon(struct nl_msg *m, const struct ipvs_daemon *d, bool full)
{
	bool bad = false;
	int r;

	if (d->state != IPVS_DAEMON_MASTER && d->state != IPVS_DAEMON_BACKUP)
		return -EINVAL;
	if (full && d->mcast_af && !af_ok(d->mcast_af))
		return -EAFNOSUPPORT;
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	if (!nest)
		return -ENOBUFS;
	bad |= nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, (uint32_t)d->state) < 0;
	if (!bad && (full || d->mcast_ifn[0]) &&
	    (r = put_name(m, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn, sizeof(d->mcast_ifn))) < 0)
		return r;
	if (full) {
		bad |= nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0;
		/* 0 is "the kernel's default": left out, as ipvsadm does. */
		if (d->sync_maxlen)
			bad |= nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen) < 0;
		if (d->mcast_af == AF_INET)
			bad |= nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &d->mcast_group.in) < 0;
		else if (d->mcast_af == AF_INET6)
			bad |= nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &d->mcast_group.in6) < 0;
		/* Host order: the kernel reads this one with nla_get_u16. */
		if (d->mcast_port)
			bad |= nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, d->mcast_port) < 0;
		if (d->mcast_ttl)
			bad |= nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl) < 0;
	}
	if (bad)
		return -ENOBUFS;
	nla_nest_end(m, nest);
	return 0;
}

/* Build a message of `cmd` with the parts of `op` named by `parts`. */
static int build(uint8_t cmd, uint16_t flags, unsigned parts, const struct ipvs_op *op,
		 uint16_t family_id, uint32_t seq, void *buf, size_t size)
{
	/* The nl_msg is no bigger than the room left, so libnl itself says
	 * when the message does not fit. */
	struct nl_msg *m = nlmsg_alloc_size(size < IPVS_MSG_MAX ? size : IPVS_MSG_MAX);
	int r = 0;

	if (!m)
		return -ENOMEM;
	if (!genlmsg_put(m, NL_AUTO_PORT, seq, family_id, 0, flags, cmd, IPVS_GENL_VERSION))
		r = -ENOBUFS;
	if (r == 0 && (parts & PART_SVC_KEY))
		r = put_service(m, &op->svc, parts & PART_SVC_FULL);
	if (r == 0 && (parts & PART_DEST_KEY))
		r = put_dest(m, &op->dest, parts & PART_DEST_FULL);
	if (r == 0 && (parts & PART_TIMEOUTS))
		r = put_timeouts(m, &op->timeouts);
	if (r == 0 && (parts & PART_DAEMON_KEY))
		r = put_daemon(m, &op->daemon, parts & PART_DAEMON_FULL);
	if (r == 0) {
		struct nlmsghdr *nlh = nlmsg_hdr(m);
		if (nlh->nlmsg_len > size) {
			r = -ENOBUFS;
		} else {
			memcpy(buf, nlh, nlh->nlmsg_len);
			r = (int)nlh->nlmsg_len;
		}
	}
	nlmsg_free(m);
	return r;
}

int ipvs_op_build(const struct ipvs_op *op, uint16_t family_id, uint32_t seq, void *buf,
		  size_t size)
{
	if (!op || (unsigned)op->type >= _IPVS_OP_MAX)
		return -EINVAL;
	return build(op_descs[op->type].cmd, NLM_F_REQUEST | NLM_F_ACK, op_descs[op->type].parts,
		     op, family_id, seq, buf, size);
}

int ipvs_msg_build_request(uint8_t cmd, uint16_t flags, const struct ipvs_service_key *key,
			   uint16_t family_id, uint32_t seq, void *buf, size_t size)
{
	struct ipvs_op op = { 0 };

	if (key)
		op.svc.key = *key;
	return build(cmd, flags, key ? PART_SVC_KEY : 0, &op, family_id, seq, buf, size);
}

const char *ipvs_op_to_string(const struct ipvs_op *op, char *buf, size_t size)
{
	char s[IPVS_SERVICE_STRLEN], d[IPVS_DEST_STRLEN];

	if (!buf || size == 0)
		return buf;
	if ((unsigned)op->type >= _IPVS_OP_MAX) {
		snprintf(buf, size, "op %d", (int)op->type);
		return buf;
	}
	const char *verb = op_descs[op->type].verb;
	unsigned parts = op_descs[op->type].parts;
	if (parts & PART_DEST_KEY) {
		struct ipvs_dest dest = op->dest;
		if (!dest.af)
			dest.af = op->svc.key.af;
		snprintf(buf, size, "%s %s in %s", verb, ipvs_dest_to_string(&dest, d, sizeof(d)),
			 ipvs_service_to_string(&op->svc.key, s, sizeof(s)));
	} else if (parts & PART_SVC_KEY) {
		snprintf(buf, size, "%s %s", verb, ipvs_service_to_string(&op->svc.key, s, sizeof(s)));
	} else if (parts & PART_TIMEOUTS) {
		snprintf(buf, size, "%s tcp %u tcpfin %u udp %u", verb, op->timeouts.tcp,
			 op->timeouts.tcp_fin, op->timeouts.udp);
	} else if (parts & PART_DAEMON_KEY) {
		const char *state = op->daemon.state == IPVS_DAEMON_MASTER ? "master"
				    : op->daemon.state == IPVS_DAEMON_BACKUP ? "backup"
									       : "?";
		if (parts & PART_DAEMON_FULL)
			snprintf(buf, size, "%s %s sync daemon on %.16s syncid %u", verb, state,
				 op->daemon.mcast_ifn, op->daemon.syncid);
		else
			snprintf(buf, size, "%s %s sync daemon", verb, state);
	} else {
		snprintf(buf, size, "%s", verb);
	}
	return buf;
}

/* ---- replies ------------------------------------------------------------- */

static const struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static const struct nla_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = { .type = NLA_U32 },
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = { .type = NLA_U32 },
};

static const struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .minlen = 4, .maxlen = 16 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING, .maxlen = IPVS_SCHED_NAME_MAX },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING, .maxlen = IPVS_PE_NAME_MAX },
	[IPVS_SVC_ATTR_FLAGS] = { .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
};

static const struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .minlen = 4, .maxlen = 16 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

static const struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING, .maxlen = 16 },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .minlen = 16, .maxlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

/* The top-level attributes of a reply whose genl command must be `cmd`. */
static int parse_top(const struct nlmsghdr *nlh, uint8_t cmd, struct nlattr **tb, int max,
		     const struct nla_policy *policy)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nlh;   /* libnl's API is not const */

	if (!genlmsg_valid_hdr(h, 0))
		return -EBADMSG;
	if (((const struct genlmsghdr *)nlmsg_data(h))->cmd != cmd)
		return -EBADMSG;
	return genlmsg_parse(h, 0, tb, max, policy) < 0 ? -EBADMSG : 0;
}

static int parse_nested(const struct nlmsghdr *nlh, uint8_t cmd, int outer, struct nlattr **tb,
			int max, const struct nla_policy *policy)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	int r = parse_top(nlh, cmd, top, IPVS_CMD_ATTR_MAX, cmd_policy);

	if (r < 0)
		return r;
	if (!top[outer] || nla_parse_nested(tb, max, top[outer], policy) < 0)
		return -EBADMSG;
	return 0;
}

/* An address of family `af` from an attribute of 4..16 bytes, zero-padded. */
static int get_addr(const struct nlattr *a, uint16_t af, union ipvs_addr *ret)
{
	int need = af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;

	if (!a || need == 0 || nla_len(a) < need)
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	memcpy(ret, nla_data(a), (size_t)need);
	return 0;
}

/* A policy-checked NLA_STRING (NUL-terminated, at most `size` bytes). */
static void get_name(const struct nlattr *a, char *dst, size_t size)
{
	size_t len = strnlen(nla_data(a), (size_t)nla_len(a));

	if (len >= size)
		len = size - 1;
	memcpy(dst, nla_data(a), len);
	dst[len] = '\0';
}

int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *ret)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	int r = parse_nested(nlh, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, tb,
			     IPVS_SVC_ATTR_MAX, svc_policy);

	if (r < 0)
		return r;
	if (!tb[IPVS_SVC_ATTR_AF] || !tb[IPVS_SVC_ATTR_SCHED_NAME] || !tb[IPVS_SVC_ATTR_FLAGS] ||
	    !tb[IPVS_SVC_ATTR_TIMEOUT] || !tb[IPVS_SVC_ATTR_NETMASK])
		return -EBADMSG;

	*ret = (struct ipvs_service){ 0 };
	struct ipvs_service_key *k = &ret->key;
	k->af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
	if (!af_ok(k->af))
		return -EBADMSG;
	if (tb[IPVS_SVC_ATTR_FWMARK] && nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK])) {
		k->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	} else {
		if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_PORT] ||
		    get_addr(tb[IPVS_SVC_ATTR_ADDR], k->af, &k->addr) < 0)
			return -EBADMSG;
		k->protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		k->port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	get_name(tb[IPVS_SVC_ATTR_SCHED_NAME], ret->sched, sizeof(ret->sched));
	if (tb[IPVS_SVC_ATTR_PE_NAME])
		get_name(tb[IPVS_SVC_ATTR_PE_NAME], ret->pe_name, sizeof(ret->pe_name));
	struct ip_vs_flags f;
	memcpy(&f, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	ret->flags = f.flags;
	ret->timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	ret->netmask = nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
	return 0;
}

int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af, struct ipvs_dest *ret)
{
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	int r = parse_nested(nlh, IPVS_CMD_NEW_DEST, IPVS_CMD_ATTR_DEST, tb, IPVS_DEST_ATTR_MAX,
			     dest_policy);

	if (r < 0)
		return r;
	if (!tb[IPVS_DEST_ATTR_PORT] || !tb[IPVS_DEST_ATTR_FWD_METHOD] ||
	    !tb[IPVS_DEST_ATTR_WEIGHT] || !tb[IPVS_DEST_ATTR_U_THRESH] ||
	    !tb[IPVS_DEST_ATTR_L_THRESH])
		return -EBADMSG;

	*ret = (struct ipvs_dest){ 0 };
	ret->af = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ? nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (get_addr(tb[IPVS_DEST_ATTR_ADDR], ret->af, &ret->addr) < 0)
		return -EBADMSG;
	ret->port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
	ret->fwd = (enum ipvs_fwd)(nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK);
	ret->weight = nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	ret->u_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	ret->l_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		ret->tun_type = (enum ipvs_tun_type)nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT])
		ret->tun_port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]));
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS])
		ret->tun_flags = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	if (tb[IPVS_DEST_ATTR_ACTIVE_CONNS])
		ret->active_conns = nla_get_u32(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	if (tb[IPVS_DEST_ATTR_INACT_CONNS])
		ret->inact_conns = nla_get_u32(tb[IPVS_DEST_ATTR_INACT_CONNS]);
	if (tb[IPVS_DEST_ATTR_PERSIST_CONNS])
		ret->persist_conns = nla_get_u32(tb[IPVS_DEST_ATTR_PERSIST_CONNS]);
	return 0;
}

int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *ret)
{
	struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];
	int r = parse_nested(nlh, IPVS_CMD_NEW_DAEMON, IPVS_CMD_ATTR_DAEMON, tb,
			     IPVS_DAEMON_ATTR_MAX, daemon_policy);

	if (r < 0)
		return r;
	if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !tb[IPVS_DAEMON_ATTR_SYNC_ID])
		return -EBADMSG;

	*ret = (struct ipvs_daemon){ 0 };
	uint32_t state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	if (state != IPVS_DAEMON_MASTER && state != IPVS_DAEMON_BACKUP)
		return -EBADMSG;
	ret->state = (enum ipvs_daemon_state)state;
	get_name(tb[IPVS_DAEMON_ATTR_MCAST_IFN], ret->mcast_ifn, sizeof(ret->mcast_ifn));
	ret->syncid = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		ret->sync_maxlen = nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT])
		ret->mcast_port = nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL])
		ret->mcast_ttl = nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
		ret->mcast_af = AF_INET6;
		memcpy(&ret->mcast_group.in6, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	} else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
		ret->mcast_af = AF_INET;
		memcpy(&ret->mcast_group.in, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	}
	return 0;
}

int ipvs_msg_parse_info(const struct nlmsghdr *nlh, struct ipvs_info *ret)
{
	struct nlattr *tb[IPVS_INFO_ATTR_MAX + 1];
	int r = parse_top(nlh, IPVS_CMD_SET_INFO, tb, IPVS_INFO_ATTR_MAX, info_policy);

	if (r < 0)
		return r;
	if (!tb[IPVS_INFO_ATTR_VERSION] || !tb[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		return -EBADMSG;
	ret->version = nla_get_u32(tb[IPVS_INFO_ATTR_VERSION]);
	ret->conn_tab_size = nla_get_u32(tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}

int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *ret)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int r = parse_top(nlh, IPVS_CMD_SET_CONFIG, tb, IPVS_CMD_ATTR_MAX, cmd_policy);

	if (r < 0)
		return r;
	/* A kernel without TCP or UDP support leaves those out: 0. */
	*ret = (struct ipvs_timeouts){ 0 };
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP])
		ret->tcp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		ret->tcp_fin = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_UDP])
		ret->udp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}
