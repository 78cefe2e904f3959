#include <config.h>

/* fuzz-ipvs: the IPVS generic-netlink reply parsers (lib/ipvs_msg.c).
 *
 * Input: one control byte, then the attributes of a reply (what follows the
 * genetlink header).  The harness puts the netlink and genetlink headers
 * around them, as the kernel would, with nlmsg_len exactly the message
 * (the parsers' callers have checked it against what was received).
 * Control byte:
 *   bits 0-2  the parser (mod 5): service, dest, daemon, info, timeouts
 *   0x08      dest: the service is IPv6 (else IPv4)
 *   0x10      the genetlink command is the next byte (else the parser's own)
 * Properties beyond "no crash": what a parser accepts, ipvs_op_build()
 * turns back into a message that parses to the same thing. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>

#include "ipvs.h"
#include "ipvs_msg.h"
#include "tests/fuzz/fuzz.h"

#define FAMILY_ID 0x20

enum which { W_SERVICE, W_DEST, W_DAEMON, W_INFO, W_TIMEOUTS, _W_MAX };

static const uint8_t reply_cmd[_W_MAX] = {
	[W_SERVICE] = IPVS_CMD_NEW_SERVICE, [W_DEST] = IPVS_CMD_NEW_DEST,
	[W_DAEMON] = IPVS_CMD_NEW_DAEMON,   [W_INFO] = IPVS_CMD_SET_INFO,
	[W_TIMEOUTS] = IPVS_CMD_SET_CONFIG,
};

/* A request built from `op`, whose command is the reply's: it parses back. */
static const struct nlmsghdr *build(const struct ipvs_op *op, uint8_t *buf)
{
	int n = ipvs_op_build(op, FAMILY_ID, 1, buf, IPVS_MSG_MAX);

	FUZZ_CHECK(n > 0);
	return (const struct nlmsghdr *)buf;
}

static void service_round_trip(const struct ipvs_service *s)
{
	_Alignas(struct nlmsghdr) uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_op op = { .type = IPVS_OP_ADD_SERVICE, .svc = *s };
	struct ipvs_service again;
	char text[IPVS_OP_STRLEN];

	FUZZ_CHECK(s->key.af == AF_INET || s->key.af == AF_INET6);
	FUZZ_CHECK(memchr(s->sched, '\0', sizeof(s->sched)) != NULL);
	FUZZ_CHECK(memchr(s->pe_name, '\0', sizeof(s->pe_name)) != NULL);
	FUZZ_CHECK(ipvs_msg_parse_service(build(&op, buf), &again) == 0);
	FUZZ_CHECK(ipvs_service_key_cmp(&s->key, &again.key) == 0);
	FUZZ_CHECK(ipvs_service_equal(s, &again));
	ipvs_op_to_string(&op, text, sizeof(text));
}

static void dest_round_trip(const struct ipvs_dest *d, uint16_t svc_af)
{
	_Alignas(struct nlmsghdr) uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_op op = { .type = IPVS_OP_ADD_DEST, .dest = *d,
			      .svc = { .key = { .af = svc_af, .fwmark = 1 }, .sched = "rr" } };
	struct ipvs_dest again;
	char text[IPVS_OP_STRLEN];

	FUZZ_CHECK(d->af == AF_INET || d->af == AF_INET6);
	FUZZ_CHECK(ipvs_msg_parse_dest(build(&op, buf), svc_af, &again) == 0);
	FUZZ_CHECK(ipvs_dest_equal(d, &again));
	ipvs_op_to_string(&op, text, sizeof(text));
}

static void daemon_round_trip(const struct ipvs_daemon *d)
{
	_Alignas(struct nlmsghdr) uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_op op = { .type = IPVS_OP_START_DAEMON, .daemon = *d };
	struct ipvs_daemon b;
	char text[IPVS_OP_STRLEN];

	FUZZ_CHECK(memchr(d->mcast_ifn, '\0', sizeof(d->mcast_ifn)) != NULL);
	FUZZ_CHECK(ipvs_msg_parse_daemon(build(&op, buf), &b) == 0);
	FUZZ_CHECK(b.state == d->state && strcmp(b.mcast_ifn, d->mcast_ifn) == 0 &&
		   b.syncid == d->syncid && b.sync_maxlen == d->sync_maxlen &&
		   b.mcast_port == d->mcast_port && b.mcast_ttl == d->mcast_ttl &&
		   b.mcast_af == d->mcast_af);
	if (d->mcast_af)
		FUZZ_CHECK(memcmp(&b.mcast_group, &d->mcast_group,
				  d->mcast_af == AF_INET ? 4 : 16) == 0);
	ipvs_op_to_string(&op, text, sizeof(text));
}

static void timeouts_round_trip(const struct ipvs_timeouts *t)
{
	_Alignas(struct nlmsghdr) uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_op op = { .type = IPVS_OP_SET_TIMEOUTS, .timeouts = *t };
	struct ipvs_timeouts b;

	FUZZ_CHECK(ipvs_msg_parse_timeouts(build(&op, buf), &b) == 0);
	FUZZ_CHECK(b.tcp == t->tcp && b.tcp_fin == t->tcp_fin && b.udp == t->udp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++, size--;
	enum which w = (enum which)((ctl & 0x07) % _W_MAX);
	uint8_t cmd = reply_cmd[w];
	if (ctl & 0x10) {
		if (size < 1)
			return 0;
		cmd = data[0];
		data++, size--;
	}
	uint16_t svc_af = ctl & 0x08 ? AF_INET6 : AF_INET;

	/* exactly the message: a read past nlmsg_len is a read past the buffer */
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN + size;
	if (len > UINT32_MAX)
		return 0;
	struct nlmsghdr *nlh = malloc(len);
	if (!nlh)
		abort();
	*nlh = (struct nlmsghdr){ .nlmsg_len = (uint32_t)len, .nlmsg_type = FAMILY_ID,
				  .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = 1 };
	struct genlmsghdr g = { .cmd = cmd, .version = IPVS_GENL_VERSION };
	memcpy((uint8_t *)nlh + NLMSG_HDRLEN, &g, GENL_HDRLEN);
	if (size)
		memcpy((uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN, data, size);

	union {
		struct ipvs_service svc;
		struct ipvs_dest dest;
		struct ipvs_daemon daemon;
		struct ipvs_info info;
		struct ipvs_timeouts timeouts;
	} r;
	int rc;
	switch (w) {
	case W_SERVICE:
		if ((rc = ipvs_msg_parse_service(nlh, &r.svc)) == 0)
			service_round_trip(&r.svc);
		break;
	case W_DEST:
		if ((rc = ipvs_msg_parse_dest(nlh, svc_af, &r.dest)) == 0)
			dest_round_trip(&r.dest, svc_af);
		break;
	case W_DAEMON:
		if ((rc = ipvs_msg_parse_daemon(nlh, &r.daemon)) == 0)
			daemon_round_trip(&r.daemon);
		break;
	case W_INFO:
		rc = ipvs_msg_parse_info(nlh, &r.info);
		break;
	case W_TIMEOUTS:
	default:
		if ((rc = ipvs_msg_parse_timeouts(nlh, &r.timeouts)) == 0)
			timeouts_round_trip(&r.timeouts);
		break;
	}
	FUZZ_CHECK(rc == 0 || rc == -EBADMSG);
	if (rc == 0)
		FUZZ_CHECK(cmd == reply_cmd[w]);
	free(nlh);
	return 0;
}
