#include "config.h"

/* lib/ipvs_msg.c without a kernel: every op is built, then parsed back with
 * libnl and each attribute checked; kernel-shaped replies (built here with
 * libnl the way ip_vs_ctl.c builds them) are parsed, and broken ones must be
 * refused without a crash (run under ASan/valgrind). */

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "ipvs.h"
#include "ipvs_msg.h"

#define FAMILY 0x20
#define SEQ 4242

/* A built request, parsed back. */
struct parsed {
	uint8_t buf[1024];
	int len;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *svc[IPVS_SVC_ATTR_MAX + 1];
	struct nlattr *dest[IPVS_DEST_ATTR_MAX + 1];
	struct nlattr *daemon[IPVS_DAEMON_ATTR_MAX + 1];
};

static void build_parse(const struct ipvs_op *op, uint8_t want_cmd, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	p->len = ipvs_op_build(op, FAMILY, SEQ, p->buf, sizeof(p->buf));
	assert_true(p->len > 0);
	p->nlh = (struct nlmsghdr *)p->buf;
	assert_int_equal(p->nlh->nlmsg_len, p->len);
	assert_int_equal(p->nlh->nlmsg_type, FAMILY);
	assert_int_equal(p->nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(p->nlh->nlmsg_seq, SEQ);
	assert_true(genlmsg_valid_hdr(p->nlh, 0));
	p->g = nlmsg_data(p->nlh);
	assert_int_equal(p->g->cmd, want_cmd);
	assert_int_equal(p->g->version, IPVS_GENL_VERSION);
	/* No policy: the tests check every length themselves. */
	assert_int_equal(genlmsg_parse(p->nlh, 0, p->top, IPVS_CMD_ATTR_MAX, NULL), 0);
	if (p->top[IPVS_CMD_ATTR_SERVICE])
		assert_int_equal(nla_parse_nested(p->svc, IPVS_SVC_ATTR_MAX, p->top[IPVS_CMD_ATTR_SERVICE], NULL), 0);
	if (p->top[IPVS_CMD_ATTR_DEST])
		assert_int_equal(nla_parse_nested(p->dest, IPVS_DEST_ATTR_MAX, p->top[IPVS_CMD_ATTR_DEST], NULL), 0);
	if (p->top[IPVS_CMD_ATTR_DAEMON])
		assert_int_equal(nla_parse_nested(p->daemon, IPVS_DAEMON_ATTR_MAX, p->top[IPVS_CMD_ATTR_DAEMON], NULL), 0);
}

static uint16_t get16(const struct nlattr *a)
{
	assert_non_null(a);
	assert_int_equal(nla_len(a), 2);
	return nla_get_u16(a);
}

static uint32_t get32(const struct nlattr *a)
{
	assert_non_null(a);
	assert_int_equal(nla_len(a), 4);
	return nla_get_u32(a);
}

static void assert_string_attr(const struct nlattr *a, const char *want)
{
	assert_non_null(a);
	assert_int_equal(nla_len(a), (int)strlen(want) + 1);
	assert_string_equal((const char *)nla_data(a), want);
}

static void assert_addr_attr(const struct nlattr *a, int af, const char *want)
{
	uint8_t bytes[16] = { 0 };
	assert_int_equal(inet_pton(af, want, bytes), 1);
	assert_non_null(a);
	assert_int_equal(nla_len(a), 16);   /* zero-padded, as the kernel dumps it */
	assert_memory_equal(nla_data(a), bytes, 16);
}

static struct ipvs_service svc4(void)
{
	struct ipvs_service s = { .key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 },
				  .sched = "wlc", .flags = IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_SCHED1,
				  .timeout = 300 };
	inet_pton(AF_INET, "10.0.0.1", &s.key.addr.in);
	inet_pton(AF_INET, "255.255.255.0", &s.netmask);
	return s;
}

static struct ipvs_service svc6(void)
{
	struct ipvs_service s = { .key = { .af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53 },
				  .sched = "mh", .pe_name = "sip",
				  .flags = IPVS_SVC_F_ONEPACKET | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3 |
					   IPVS_SVC_F_HASHED,
				  .timeout = 0, .netmask = 64 };
	inet_pton(AF_INET6, "2001:db8::1", &s.key.addr.in6);
	return s;
}

static void test_add_service_v4(void **state)
{
	struct ipvs_op op = { .type = IPVS_OP_ADD_SERVICE, .svc = svc4() };
	struct parsed p;

	build_parse(&op, IPVS_CMD_NEW_SERVICE, &p);
	assert_null(p.top[IPVS_CMD_ATTR_DEST]);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_TCP);
	assert_addr_attr(p.svc[IPVS_SVC_ATTR_ADDR], AF_INET, "10.0.0.1");
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PORT]), htons(80));
	assert_null(p.svc[IPVS_SVC_ATTR_FWMARK]);
	assert_string_attr(p.svc[IPVS_SVC_ATTR_SCHED_NAME], "wlc");
	assert_null(p.svc[IPVS_SVC_ATTR_PE_NAME]);
	struct ip_vs_flags f;
	assert_int_equal(nla_len(p.svc[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	memcpy(&f, nla_data(p.svc[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	assert_int_equal(f.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1);
	assert_int_equal(f.mask, ~(uint32_t)IP_VS_SVC_F_HASHED);
	assert_int_equal(get32(p.svc[IPVS_SVC_ATTR_TIMEOUT]), 300);
	/* the mask's bytes are in network order, as the kernel reads them */
	uint32_t mask = get32(p.svc[IPVS_SVC_ATTR_NETMASK]);
	assert_memory_equal(&mask, "\xff\xff\xff\x00", 4);
}

static void test_edit_service_v6(void **state)
{
	struct ipvs_op op = { .type = IPVS_OP_EDIT_SERVICE, .svc = svc6() };
	struct parsed p;

	build_parse(&op, IPVS_CMD_SET_SERVICE, &p);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET6);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_UDP);
	assert_addr_attr(p.svc[IPVS_SVC_ATTR_ADDR], AF_INET6, "2001:db8::1");
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PORT]), htons(53));
	assert_string_attr(p.svc[IPVS_SVC_ATTR_SCHED_NAME], "mh");
	assert_string_attr(p.svc[IPVS_SVC_ATTR_PE_NAME], "sip");
	struct ip_vs_flags f;
	memcpy(&f, nla_data(p.svc[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	/* HASHED is never sent, and the mask clears every other flag not set */
	assert_int_equal(f.flags, IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3);
	assert_int_equal(f.mask & (IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1), IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1);
	assert_int_equal(f.mask & IP_VS_SVC_F_HASHED, 0);
	assert_int_equal(get32(p.svc[IPVS_SVC_ATTR_TIMEOUT]), 0);
	assert_int_equal(get32(p.svc[IPVS_SVC_ATTR_NETMASK]), 64);   /* IPv6: the prefix length */
}

static void test_fwmark_services(void **state)
{
	static const uint16_t afs[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < 2; i++) {
		struct ipvs_op op = { .type = IPVS_OP_ADD_SERVICE,
				      .svc = { .key = { .af = afs[i], .fwmark = 7 }, .sched = "rr",
					       .netmask = afs[i] == AF_INET6 ? 128 : 0xffffffff } };
		struct parsed p;

		build_parse(&op, IPVS_CMD_NEW_SERVICE, &p);
		assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_AF]), afs[i]);
		assert_int_equal(get32(p.svc[IPVS_SVC_ATTR_FWMARK]), 7);
		assert_null(p.svc[IPVS_SVC_ATTR_PROTOCOL]);
		assert_null(p.svc[IPVS_SVC_ATTR_ADDR]);
		assert_null(p.svc[IPVS_SVC_ATTR_PORT]);
		assert_string_attr(p.svc[IPVS_SVC_ATTR_SCHED_NAME], "rr");

		op.type = IPVS_OP_DEL_SERVICE;
		build_parse(&op, IPVS_CMD_DEL_SERVICE, &p);
		assert_int_equal(get32(p.svc[IPVS_SVC_ATTR_FWMARK]), 7);
		assert_null(p.svc[IPVS_SVC_ATTR_ADDR]);
		assert_null(p.svc[IPVS_SVC_ATTR_SCHED_NAME]);
	}
}

static void test_del_service_sends_the_key_only(void **state)
{
	struct ipvs_op op = { .type = IPVS_OP_DEL_SERVICE, .svc = svc4() };
	struct parsed p;

	build_parse(&op, IPVS_CMD_DEL_SERVICE, &p);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_TCP);
	assert_addr_attr(p.svc[IPVS_SVC_ATTR_ADDR], AF_INET, "10.0.0.1");
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_PORT]), htons(80));
	assert_null(p.svc[IPVS_SVC_ATTR_SCHED_NAME]);
	assert_null(p.svc[IPVS_SVC_ATTR_FLAGS]);
	assert_null(p.svc[IPVS_SVC_ATTR_TIMEOUT]);
	assert_null(p.svc[IPVS_SVC_ATTR_NETMASK]);
	assert_null(p.top[IPVS_CMD_ATTR_DEST]);
}

static struct ipvs_op dest_op(enum ipvs_op_type type, enum ipvs_fwd fwd)
{
	struct ipvs_op op = { .type = type, .svc = svc4(),
			      .dest = { .af = AF_INET, .port = 8080, .fwd = fwd, .weight = 7,
					.u_threshold = 100, .l_threshold = 50 } };
	inet_pton(AF_INET, "10.0.0.2", &op.dest.addr.in);
	return op;
}

static void assert_dest_common(const struct parsed *p, uint32_t fwd)
{
	assert_int_equal(get16(p->svc[IPVS_SVC_ATTR_AF]), AF_INET);
	assert_null(p->svc[IPVS_SVC_ATTR_SCHED_NAME]);   /* the service's key only */
	assert_addr_attr(p->dest[IPVS_DEST_ATTR_ADDR], AF_INET, "10.0.0.2");
	assert_int_equal(get16(p->dest[IPVS_DEST_ATTR_PORT]), htons(8080));
	assert_int_equal(get16(p->dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET);
	assert_int_equal(get32(p->dest[IPVS_DEST_ATTR_FWD_METHOD]), fwd);
	assert_int_equal(get32(p->dest[IPVS_DEST_ATTR_WEIGHT]), 7);
	assert_int_equal(get32(p->dest[IPVS_DEST_ATTR_U_THRESH]), 100);
	assert_int_equal(get32(p->dest[IPVS_DEST_ATTR_L_THRESH]), 50);
}

static void test_dest_dr_nat(void **state)
{
	struct parsed p;
	struct ipvs_op op = dest_op(IPVS_OP_ADD_DEST, IPVS_FWD_DROUTE);

	/* tunnel settings on a non-tunnel dest are not sent */
	op.dest.tun_type = IPVS_TUN_GUE;
	op.dest.tun_port = 1;
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_dest_common(&p, IP_VS_CONN_F_DROUTE);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_TYPE]);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_PORT]);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]);

	op = dest_op(IPVS_OP_EDIT_DEST, IPVS_FWD_MASQ);
	build_parse(&op, IPVS_CMD_SET_DEST, &p);
	assert_dest_common(&p, IP_VS_CONN_F_MASQ);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_TYPE]);
}

static void test_dest_tunnels(void **state)
{
	struct parsed p;
	struct ipvs_op op = dest_op(IPVS_OP_ADD_DEST, IPVS_FWD_TUNNEL);

	op.dest.tun_type = IPVS_TUN_IPIP;
	op.dest.tun_port = 99;
	op.dest.tun_flags = IPVS_TUN_F_CSUM;
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_dest_common(&p, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(nla_len(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), 1);
	assert_int_equal(nla_get_u8(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), IP_VS_CONN_F_TUNNEL_TYPE_IPIP);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_PORT]);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]);

	op.dest.tun_type = IPVS_TUN_GUE;
	op.dest.tun_port = 6080;
	op.dest.tun_flags = IPVS_TUN_F_REMCSUM;
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_int_equal(nla_get_u8(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_TUN_PORT]), htons(6080));
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]), IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);

	op.type = IPVS_OP_EDIT_DEST;
	op.dest.tun_type = IPVS_TUN_GRE;
	op.dest.tun_flags = IPVS_TUN_F_CSUM;
	build_parse(&op, IPVS_CMD_SET_DEST, &p);
	assert_int_equal(nla_get_u8(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_PORT]);
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]), IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
}

static void test_dest_v6_and_mixed_family(void **state)
{
	struct parsed p;
	struct ipvs_op op = { .type = IPVS_OP_ADD_DEST, .svc = svc6(),
			      .dest = { .af = AF_INET6, .port = 53, .fwd = IPVS_FWD_DROUTE, .weight = 1 } };

	inet_pton(AF_INET6, "2001:db8::2", &op.dest.addr.in6);
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_addr_attr(p.svc[IPVS_SVC_ATTR_ADDR], AF_INET6, "2001:db8::1");
	assert_addr_attr(p.dest[IPVS_DEST_ATTR_ADDR], AF_INET6, "2001:db8::2");
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET6);

	/* an IPv4 tunnel dest under an IPv6 service */
	op.dest = (struct ipvs_dest){ .af = AF_INET, .port = 53, .fwd = IPVS_FWD_TUNNEL, .weight = 1 };
	inet_pton(AF_INET, "10.0.0.9", &op.dest.addr.in);
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_int_equal(get16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET6);
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET);
	assert_addr_attr(p.dest[IPVS_DEST_ATTR_ADDR], AF_INET, "10.0.0.9");

	/* af 0: the service's, and no family attribute (pre-3.18 style) */
	op.dest.af = 0;
	build_parse(&op, IPVS_CMD_NEW_DEST, &p);
	assert_null(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]);
}

static void test_del_dest_sends_the_key_only(void **state)
{
	struct parsed p;
	struct ipvs_op op = dest_op(IPVS_OP_DEL_DEST, IPVS_FWD_TUNNEL);

	build_parse(&op, IPVS_CMD_DEL_DEST, &p);
	assert_addr_attr(p.dest[IPVS_DEST_ATTR_ADDR], AF_INET, "10.0.0.2");
	assert_int_equal(get16(p.dest[IPVS_DEST_ATTR_PORT]), htons(8080));
	assert_null(p.dest[IPVS_DEST_ATTR_FWD_METHOD]);
	assert_null(p.dest[IPVS_DEST_ATTR_WEIGHT]);
	assert_null(p.dest[IPVS_DEST_ATTR_U_THRESH]);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_TYPE]);
}

static void test_flush_and_timeouts(void **state)
{
	struct parsed p;
	struct ipvs_op op = { .type = IPVS_OP_FLUSH };

	build_parse(&op, IPVS_CMD_FLUSH, &p);
	assert_int_equal(p.len, NLMSG_HDRLEN + GENL_HDRLEN);

	op = (struct ipvs_op){ .type = IPVS_OP_SET_TIMEOUTS, .timeouts = { 900, 120, 300 } };
	build_parse(&op, IPVS_CMD_SET_CONFIG, &p);
	assert_int_equal(get32(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP]), 900);
	assert_int_equal(get32(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]), 120);
	assert_int_equal(get32(p.top[IPVS_CMD_ATTR_TIMEOUT_UDP]), 300);

	op.timeouts = (struct ipvs_timeouts){ .tcp_fin = 60 };   /* 0: leave as is */
	build_parse(&op, IPVS_CMD_SET_CONFIG, &p);
	assert_null(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	assert_int_equal(get32(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]), 60);
	assert_null(p.top[IPVS_CMD_ATTR_TIMEOUT_UDP]);
}

static void test_daemons(void **state)
{
	struct parsed p;
	struct ipvs_op op = { .type = IPVS_OP_START_DAEMON,
			      .daemon = { .state = IPVS_DAEMON_MASTER, .mcast_ifn = "eth0", .syncid = 5,
					  .sync_maxlen = 1400, .mcast_port = 8850, .mcast_ttl = 2,
					  .mcast_af = AF_INET } };

	inet_pton(AF_INET, "224.0.0.81", &op.daemon.mcast_group.in);
	build_parse(&op, IPVS_CMD_NEW_DAEMON, &p);
	assert_int_equal(get32(p.daemon[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_MASTER);
	assert_string_attr(p.daemon[IPVS_DAEMON_ATTR_MCAST_IFN], "eth0");
	assert_int_equal(get32(p.daemon[IPVS_DAEMON_ATTR_SYNC_ID]), 5);
	assert_int_equal(get16(p.daemon[IPVS_DAEMON_ATTR_SYNC_MAXLEN]), 1400);
	assert_int_equal(get16(p.daemon[IPVS_DAEMON_ATTR_MCAST_PORT]), 8850);   /* host order */
	assert_int_equal(nla_len(p.daemon[IPVS_DAEMON_ATTR_MCAST_TTL]), 1);
	assert_int_equal(nla_get_u8(p.daemon[IPVS_DAEMON_ATTR_MCAST_TTL]), 2);
	assert_int_equal(nla_len(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	assert_memory_equal(nla_data(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP]), "\xe0\x00\x00\x51", 4);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP6]);

	op.daemon = (struct ipvs_daemon){ .state = IPVS_DAEMON_BACKUP, .mcast_ifn = "eth1", .syncid = 6,
					  .mcast_af = AF_INET6 };
	inet_pton(AF_INET6, "ff02::81", &op.daemon.mcast_group.in6);
	build_parse(&op, IPVS_CMD_NEW_DAEMON, &p);
	assert_int_equal(get32(p.daemon[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_BACKUP);
	assert_int_equal(nla_len(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	assert_memory_equal(nla_data(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP6]), &op.daemon.mcast_group.in6, 16);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	/* 0 = the kernel's defaults: left out */
	assert_null(p.daemon[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_MCAST_PORT]);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_MCAST_TTL]);

	op.type = IPVS_OP_STOP_DAEMON;
	op.daemon.mcast_ifn[0] = '\0';
	build_parse(&op, IPVS_CMD_DEL_DAEMON, &p);
	assert_int_equal(get32(p.daemon[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_BACKUP);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_MCAST_IFN]);
	assert_null(p.daemon[IPVS_DAEMON_ATTR_SYNC_ID]);
}

static void test_too_small_buffer(void **state)
{
	struct ipvs_op ops[] = {
		{ .type = IPVS_OP_ADD_SERVICE, .svc = svc6() },
		dest_op(IPVS_OP_ADD_DEST, IPVS_FWD_TUNNEL),
		{ .type = IPVS_OP_FLUSH },
		{ .type = IPVS_OP_SET_TIMEOUTS, .timeouts = { 1, 2, 3 } },
		{ .type = IPVS_OP_START_DAEMON, .daemon = { .state = IPVS_DAEMON_MASTER, .mcast_ifn = "lo" } },
	};
	uint8_t buf[1024];

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int len = ipvs_op_build(&ops[i], FAMILY, 1, buf, sizeof(buf));
		assert_true(len > 0);
		for (int size = 0; size < len; size++) {
			memset(buf, 0xaa, sizeof(buf));
			assert_int_equal(ipvs_op_build(&ops[i], FAMILY, 1, buf, (size_t)size), -ENOBUFS);
			assert_int_equal(buf[size], 0xaa);   /* nothing written past size */
		}
		assert_int_equal(ipvs_op_build(&ops[i], FAMILY, 1, buf, (size_t)len), len);
	}
}

static void test_invalid_ops(void **state)
{
	uint8_t buf[1024];
	struct ipvs_op op = { .type = _IPVS_OP_MAX };

	assert_int_equal(ipvs_op_build(&op, FAMILY, 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ipvs_op_build(NULL, FAMILY, 1, buf, sizeof(buf)), -EINVAL);
	op = (struct ipvs_op){ .type = IPVS_OP_ADD_SERVICE, .svc = svc4() };
	op.svc.key.af = 99;
	assert_int_equal(ipvs_op_build(&op, FAMILY, 1, buf, sizeof(buf)), -EAFNOSUPPORT);
	op.svc = svc4();
	memset(op.svc.sched, 'x', sizeof(op.svc.sched));   /* no NUL */
	assert_int_equal(ipvs_op_build(&op, FAMILY, 1, buf, sizeof(buf)), -EINVAL);
	op = dest_op(IPVS_OP_ADD_DEST, IPVS_FWD_DROUTE);
	op.dest.af = 3;
	assert_int_equal(ipvs_op_build(&op, FAMILY, 1, buf, sizeof(buf)), -EAFNOSUPPORT);
	op = (struct ipvs_op){ .type = IPVS_OP_START_DAEMON, .daemon = { .state = 3 } };
	assert_int_equal(ipvs_op_build(&op, FAMILY, 1, buf, sizeof(buf)), -EINVAL);
}

static void test_requests(void **state)
{
	uint8_t buf[1024];
	struct ipvs_service s = svc6();
	int len = ipvs_msg_build_request(IPVS_CMD_GET_DEST, NLM_F_REQUEST | NLM_F_DUMP, &s.key, FAMILY, 9,
					 buf, sizeof(buf));
	assert_true(len > 0);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, IPVS_CMD_GET_DEST);
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *svc[IPVS_SVC_ATTR_MAX + 1];
	assert_int_equal(genlmsg_parse(nlh, 0, top, IPVS_CMD_ATTR_MAX, NULL), 0);
	assert_int_equal(nla_parse_nested(svc, IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE], NULL), 0);
	assert_addr_attr(svc[IPVS_SVC_ATTR_ADDR], AF_INET6, "2001:db8::1");
	assert_null(svc[IPVS_SVC_ATTR_SCHED_NAME]);

	len = ipvs_msg_build_request(IPVS_CMD_GET_INFO, NLM_F_REQUEST | NLM_F_ACK, NULL, FAMILY, 10, buf,
				     sizeof(buf));
	assert_int_equal(len, NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_op_to_string(void **state)
{
	char buf[IPVS_OP_STRLEN];
	struct ipvs_op op = { .type = IPVS_OP_ADD_SERVICE, .svc = svc4() };

	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "add service TCP 10.0.0.1:80");
	op.type = IPVS_OP_EDIT_SERVICE;
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "edit service TCP 10.0.0.1:80");
	op.type = IPVS_OP_DEL_SERVICE;
	op.svc = svc6();
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "delete service UDP [2001:db8::1]:53");
	op = dest_op(IPVS_OP_ADD_DEST, IPVS_FWD_DROUTE);
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "add dest 10.0.0.2:8080 in TCP 10.0.0.1:80");
	op.type = IPVS_OP_EDIT_DEST;
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "edit dest 10.0.0.2:8080 in TCP 10.0.0.1:80");
	op.type = IPVS_OP_DEL_DEST;
	op.dest.af = 0;   /* the service's family */
	op.svc.key = (struct ipvs_service_key){ .af = AF_INET, .fwmark = 3 };
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "delete dest 10.0.0.2:8080 in FWM 3");
	op = (struct ipvs_op){ .type = IPVS_OP_FLUSH };
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "flush");
	op = (struct ipvs_op){ .type = IPVS_OP_SET_TIMEOUTS, .timeouts = { 900, 0, 300 } };
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "set timeouts tcp 900 tcpfin 0 udp 300");
	op = (struct ipvs_op){ .type = IPVS_OP_START_DAEMON,
			       .daemon = { .state = IPVS_DAEMON_MASTER, .mcast_ifn = "eth0", .syncid = 5 } };
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "start master sync daemon on eth0 syncid 5");
	op.type = IPVS_OP_STOP_DAEMON;
	op.daemon.state = IPVS_DAEMON_BACKUP;
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "stop backup sync daemon");
	op.type = _IPVS_OP_MAX;
	assert_string_equal(ipvs_op_to_string(&op, buf, sizeof(buf)), "op 10");
}

/* ---- replies, built the way ip_vs_ctl.c builds them ----------------------- */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc_size(4096);
	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 1, FAMILY, 0, NLM_F_MULTI, cmd, IPVS_GENL_VERSION));
	return m;
}

/* The kernel's service reply; `drop` leaves one attribute out, `shortaddr`
 * sends a 2-byte address, `badsched` a scheduler name without NUL. */
static struct nl_msg *service_reply(bool v6, uint32_t fwmark, int drop, bool shortaddr, bool badsched)
{
	struct nl_msg *m = reply(IPVS_CMD_NEW_SERVICE);
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	uint8_t addr[16] = { 0 };
	struct ip_vs_flags f = { .flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED, .mask = ~0u };

	inet_pton(v6 ? AF_INET6 : AF_INET, v6 ? "2001:db8::1" : "10.0.0.1", addr);
	if (drop != IPVS_SVC_ATTR_AF)
		nla_put_u16(m, IPVS_SVC_ATTR_AF, v6 ? AF_INET6 : AF_INET);
	if (fwmark) {
		nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, fwmark);
	} else {
		if (drop != IPVS_SVC_ATTR_PROTOCOL)
			nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_SCTP);
		if (drop != IPVS_SVC_ATTR_ADDR)
			nla_put(m, IPVS_SVC_ATTR_ADDR, shortaddr ? 2 : 16, addr);
		if (drop != IPVS_SVC_ATTR_PORT)
			nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(5000));
	}
	if (drop != IPVS_SVC_ATTR_SCHED_NAME)
		nla_put(m, IPVS_SVC_ATTR_SCHED_NAME, badsched ? 3 : 4, badsched ? "lbl" : "sed");
	nla_put_string(m, IPVS_SVC_ATTR_PE_NAME, "sip");
	if (drop != IPVS_SVC_ATTR_FLAGS)
		nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f);
	if (drop != IPVS_SVC_ATTR_TIMEOUT)
		nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, 360);
	if (drop != IPVS_SVC_ATTR_NETMASK)
		nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, v6 ? 96 : htonl(0xffffff00));
	struct nlattr *st = nla_nest_start(m, IPVS_SVC_ATTR_STATS);
	nla_put_u32(m, IPVS_STATS_ATTR_CONNS, 12);
	nla_nest_end(m, st);
	nla_nest_end(m, n);
	return m;
}

static void test_parse_service(void **state)
{
	struct ipvs_service s;
	struct nl_msg *m = service_reply(false, 0, -1, false, false);

	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), 0);
	nlmsg_free(m);
	assert_int_equal(s.key.af, AF_INET);
	assert_int_equal(s.key.protocol, IPPROTO_SCTP);
	assert_int_equal(s.key.port, 5000);
	assert_int_equal(s.key.fwmark, 0);
	assert_int_equal(ntohl(s.key.addr.in.s_addr), 0x0a000001);
	for (size_t i = 4; i < 16; i++)
		assert_int_equal(s.key.addr.bytes[i], 0);
	assert_string_equal(s.sched, "sed");
	assert_string_equal(s.pe_name, "sip");
	assert_int_equal(s.flags, IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_HASHED);
	assert_int_equal(s.timeout, 360);
	assert_int_equal(s.netmask, htonl(0xffffff00));

	m = service_reply(true, 9, -1, false, false);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), 0);
	nlmsg_free(m);
	assert_int_equal(s.key.af, AF_INET6);
	assert_int_equal(s.key.fwmark, 9);
	assert_int_equal(s.key.protocol, 0);
	assert_int_equal(s.key.port, 0);
	assert_int_equal(s.netmask, 96);

	m = service_reply(true, 0, -1, false, false);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), 0);
	nlmsg_free(m);
	struct in6_addr want;
	inet_pton(AF_INET6, "2001:db8::1", &want);
	assert_memory_equal(&s.key.addr.in6, &want, 16);
}

static void test_parse_service_refuses_broken(void **state)
{
	static const int required[] = { IPVS_SVC_ATTR_AF, IPVS_SVC_ATTR_PROTOCOL, IPVS_SVC_ATTR_ADDR,
					IPVS_SVC_ATTR_PORT, IPVS_SVC_ATTR_SCHED_NAME, IPVS_SVC_ATTR_FLAGS,
					IPVS_SVC_ATTR_TIMEOUT, IPVS_SVC_ATTR_NETMASK };
	struct ipvs_service s;
	struct nl_msg *m;

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		m = service_reply(false, 0, required[i], false, false);
		assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), -EBADMSG);
		nlmsg_free(m);
	}
	m = service_reply(true, 0, -1, true, false);   /* 2-byte address */
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);
	m = service_reply(false, 0, -1, false, true);  /* name without NUL */
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);

	/* a dest reply is not a service */
	m = reply(IPVS_CMD_NEW_DEST);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);
	/* no genl header at all */
	struct nlmsghdr bare = { .nlmsg_len = sizeof(bare), .nlmsg_type = FAMILY };
	assert_int_equal(ipvs_msg_parse_service(&bare, &s), -EBADMSG);
	/* a 6-byte flags attribute (shorter than struct ip_vs_flags) */
	m = reply(IPVS_CMD_NEW_SERVICE);
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m, IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, 1);
	nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	nla_put(m, IPVS_SVC_ATTR_FLAGS, 6, "\0\0\0\0\0\0");
	nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, 0);
	nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, 0);
	nla_nest_end(m, n);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);
}

static struct nl_msg *dest_reply(bool with_af, bool v6)
{
	struct nl_msg *m = reply(IPVS_CMD_NEW_DEST);
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	uint8_t addr[16] = { 0 };

	inet_pton(v6 ? AF_INET6 : AF_INET, v6 ? "2001:db8::7" : "10.0.0.7", addr);
	nla_put(m, IPVS_DEST_ATTR_ADDR, 16, addr);
	nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(443));
	nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_TUNNEL | 0x100);   /* other bits masked */
	nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, 17);
	nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(6080));
	nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, 1000);
	nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, 10);
	nla_put_u32(m, IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
	nla_put_u32(m, IPVS_DEST_ATTR_INACT_CONNS, 4);
	nla_put_u32(m, IPVS_DEST_ATTR_PERSIST_CONNS, 5);
	if (with_af)
		nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, v6 ? AF_INET6 : AF_INET);
	nla_nest_end(m, n);
	return m;
}

static void test_parse_dest(void **state)
{
	struct ipvs_dest d;
	struct nl_msg *m = dest_reply(true, true);

	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d), 0);
	nlmsg_free(m);
	assert_int_equal(d.af, AF_INET6);   /* the attribute wins over the service's family */
	struct in6_addr want;
	inet_pton(AF_INET6, "2001:db8::7", &want);
	assert_memory_equal(&d.addr.in6, &want, 16);
	assert_int_equal(d.port, 443);
	assert_int_equal(d.fwd, IPVS_FWD_TUNNEL);
	assert_int_equal(d.weight, 17);
	assert_int_equal(d.tun_type, IPVS_TUN_GUE);
	assert_int_equal(d.tun_port, 6080);
	assert_int_equal(d.tun_flags, IPVS_TUN_F_CSUM);
	assert_int_equal(d.u_threshold, 1000);
	assert_int_equal(d.l_threshold, 10);
	assert_int_equal(d.active_conns, 3);
	assert_int_equal(d.inact_conns, 4);
	assert_int_equal(d.persist_conns, 5);

	/* a kernel before 3.18: no family attribute, the service's is used */
	m = dest_reply(false, false);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d), 0);
	nlmsg_free(m);
	assert_int_equal(d.af, AF_INET);
	assert_int_equal(ntohl(d.addr.in.s_addr), 0x0a000007);
	for (size_t i = 4; i < 16; i++)
		assert_int_equal(d.addr.bytes[i], 0);

	m = dest_reply(false, false);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), 0, &d), -EBADMSG);   /* no family at all */
	nlmsg_free(m);
	m = reply(IPVS_CMD_NEW_DEST);
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	nla_put_u16(m, IPVS_DEST_ATTR_PORT, 1);
	nla_nest_end(m, n);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d), -EBADMSG);
	nlmsg_free(m);
}

static void test_parse_daemon_info_timeouts(void **state)
{
	struct nl_msg *m = reply(IPVS_CMD_NEW_DAEMON);
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_BACKUP);
	nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, "eth1");
	nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, 6);
	nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN, 65507);
	nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, 8848);
	nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, 1);
	struct in6_addr g;
	inet_pton(AF_INET6, "ff02::81", &g);
	nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &g);
	nla_nest_end(m, n);
	struct ipvs_daemon d;
	assert_int_equal(ipvs_msg_parse_daemon(nlmsg_hdr(m), &d), 0);
	nlmsg_free(m);
	assert_int_equal(d.state, IPVS_DAEMON_BACKUP);
	assert_string_equal(d.mcast_ifn, "eth1");
	assert_int_equal(d.syncid, 6);
	assert_int_equal(d.sync_maxlen, 65507);
	assert_int_equal(d.mcast_port, 8848);
	assert_int_equal(d.mcast_ttl, 1);
	assert_int_equal(d.mcast_af, AF_INET6);
	assert_memory_equal(&d.mcast_group.in6, &g, 16);

	m = reply(IPVS_CMD_NEW_DAEMON);
	n = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, 7);   /* neither master nor backup */
	nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, "eth1");
	nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, 6);
	nla_nest_end(m, n);
	assert_int_equal(ipvs_msg_parse_daemon(nlmsg_hdr(m), &d), -EBADMSG);
	nlmsg_free(m);

	m = reply(IPVS_CMD_SET_INFO);
	nla_put_u32(m, IPVS_INFO_ATTR_VERSION, 0x010201);
	nla_put_u32(m, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	struct ipvs_info info;
	assert_int_equal(ipvs_msg_parse_info(nlmsg_hdr(m), &info), 0);
	nlmsg_free(m);
	assert_int_equal(info.version, 0x010201);
	assert_int_equal(info.conn_tab_size, 4096);
	m = reply(IPVS_CMD_SET_INFO);
	nla_put_u16(m, IPVS_INFO_ATTR_VERSION, 1);   /* too short for a u32 */
	nla_put_u32(m, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	assert_int_equal(ipvs_msg_parse_info(nlmsg_hdr(m), &info), -EBADMSG);
	nlmsg_free(m);

	m = reply(IPVS_CMD_SET_CONFIG);
	nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, 900);
	nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, 300);
	struct ipvs_timeouts t;
	assert_int_equal(ipvs_msg_parse_timeouts(nlmsg_hdr(m), &t), 0);
	nlmsg_free(m);
	assert_int_equal(t.tcp, 900);
	assert_int_equal(t.tcp_fin, 0);
	assert_int_equal(t.udp, 300);
}

/* Random damage to valid replies: refused or parsed, never a crash or an
 * out-of-bounds read (ASan and valgrind watch this one). */
static void test_damaged_replies_do_not_crash(void **state)
{
	struct nl_msg *good[] = { service_reply(false, 0, -1, false, false),
				  service_reply(true, 5, -1, false, false), dest_reply(true, false) };
	unsigned seed = 12345;

	for (size_t k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		const struct nlmsghdr *src = nlmsg_hdr(good[k]);
		size_t len = src->nlmsg_len;
		for (int round = 0; round < 3000; round++) {
			uint8_t *copy = malloc(len);   /* exact size: ASan sees any overrun */
			assert_non_null(copy);
			memcpy(copy, src, len);
			int hits = 1 + rand_r(&seed) % 4;
			for (int h = 0; h < hits; h++) {
				size_t at = NLMSG_HDRLEN + (size_t)rand_r(&seed) % (len - NLMSG_HDRLEN);
				copy[at] = (uint8_t)rand_r(&seed);
			}
			struct ipvs_service s;
			struct ipvs_dest d;
			struct ipvs_daemon dm;
			(void)ipvs_msg_parse_service((struct nlmsghdr *)copy, &s);
			(void)ipvs_msg_parse_dest((struct nlmsghdr *)copy, AF_INET, &d);
			(void)ipvs_msg_parse_daemon((struct nlmsghdr *)copy, &dm);
			free(copy);
		}
		nlmsg_free(good[k]);
	}
}

static void test_open_without_ipvs(void **state)
{
	FILE *f = fopen("/proc/net/ip_vs", "r");
	if (f) {
		fclose(f);
		print_message("the kernel here has IPVS: the -ENOENT path is tested only without it\n");
		skip();
	}
	struct ipvs *c = NULL;
	int r = ipvs_open(&c);
	if (r == -EIO || r == -EPROTONOSUPPORT || r == -EACCES || r == -EPERM) {
		print_message("no generic netlink here (%d)\n", r);
		skip();
	}
	assert_int_equal(r, -ENOENT);
	assert_null(c);
	assert_null(ipvs_close(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_service_v4),
		cmocka_unit_test(test_edit_service_v6),
		cmocka_unit_test(test_fwmark_services),
		cmocka_unit_test(test_del_service_sends_the_key_only),
		cmocka_unit_test(test_dest_dr_nat),
		cmocka_unit_test(test_dest_tunnels),
		cmocka_unit_test(test_dest_v6_and_mixed_family),
		cmocka_unit_test(test_del_dest_sends_the_key_only),
		cmocka_unit_test(test_flush_and_timeouts),
		cmocka_unit_test(test_daemons),
		cmocka_unit_test(test_too_small_buffer),
		cmocka_unit_test(test_invalid_ops),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_op_to_string),
		cmocka_unit_test(test_parse_service),
		cmocka_unit_test(test_parse_service_refuses_broken),
		cmocka_unit_test(test_parse_dest),
		cmocka_unit_test(test_parse_daemon_info_timeouts),
		cmocka_unit_test(test_damaged_replies_do_not_crash),
		cmocka_unit_test(test_open_without_ipvs),
	};
	return cmocka_run_group_tests_name("ipvs-msg", tests, NULL, NULL);
}
