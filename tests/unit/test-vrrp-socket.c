/* test-vrrp-socket: vrrp_socket against the real kernel.
 *
 * The group setup makes two private network namespaces (unshare(CLONE_NEWNET)),
 * A and B, joined by a veth pair: va in A with 10.77.0.1/24 and fe80::a, vb
 * in B with 10.77.0.2/24 and fe80::b.  The process moves between them with
 * setns() to open each side's sockets.  Both vanish when the process exits,
 * so nothing is left on the host.  Without root, or without network
 * namespaces, the kernel tests print why and skip; the pure header parser is
 * tested either way. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "vrrp/vrrp_socket.h"
#include "xalloc.h"

#define A4 "10.77.0.1"
#define B4 "10.77.0.2"
#define A6 "fe80::a"
#define B6 "fe80::b"

enum side { SIDE_A, SIDE_B };

struct env {
	const char *skip;  /* why the kernel tests cannot run, or NULL */
	int ns[2];         /* network namespace fds of the two sides */
	int ifindex[2];    /* va in A, vb in B */
};

/* Run in namespace B; a command ending in "netns " gets A's namespace file. */
static const char *const setup_b[] = {
	"ip link set lo up",
	"ip link add name vb type veth peer name va",
	"ip link set dev va netns ",
	/* no automatic link-local: the tests add their own, without DAD */
	"ip link set dev vb addrgenmode none",
	"ip addr add " B4 "/24 dev vb",
	"ip -6 addr add " B6 "/64 dev vb nodad",
	"ip link set dev vb up",
};

static const char *const setup_a[] = {
	"ip link set lo up",
	"ip link set dev va addrgenmode none",
	"ip addr add " A4 "/24 dev va",
	"ip -6 addr add " A6 "/64 dev va nodad",
	"ip link set dev va up",
};

static int run_all(const char *const *cmds, size_t n, const char *arg)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(cmds[i]);
		bool takes_arg = len >= 6 && strcmp(cmds[i] + len - 6, "netns ") == 0;
		char *cmd = xasprintf("%s%s", cmds[i], takes_arg ? arg : "");
		int r = system(cmd);
		if (r != 0)
			fprintf(stderr, "netns setup failed: %s\n", cmd);
		free(cmd);
		if (r != 0)
			return -1;
	}
	return 0;
}

static int enter_new_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		return -1;
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

/* Two namespaces, so that A's addresses are foreign to B (B would drop a
 * packet from one of its own addresses as a martian, and a unicast to a
 * local address would never cross the veth). */
static int group_setup(void **state)
{
	struct env *env = xnew(struct env);
	*state = env;
	env->ns[SIDE_A] = env->ns[SIDE_B] = -1;

	if (geteuid() != 0) {
		env->skip = "not root (raw sockets and network namespaces need it)";
		return 0;
	}
	env->ns[SIDE_A] = enter_new_netns();
	if (env->ns[SIDE_A] < 0) {
		env->skip = "unshare(CLONE_NEWNET) failed: no network namespaces here";
		return 0;
	}
	env->ns[SIDE_B] = enter_new_netns();
	if (env->ns[SIDE_B] < 0)
		return -1;
	char *a_file = xasprintf("/proc/%d/fd/%d", (int)getpid(), env->ns[SIDE_A]);
	int r = run_all(setup_b, sizeof(setup_b) / sizeof(setup_b[0]), a_file);
	free(a_file);
	if (r < 0)
		return -1;
	env->ifindex[SIDE_B] = (int)if_nametoindex("vb");
	if (setns(env->ns[SIDE_A], CLONE_NEWNET) < 0 ||
	    run_all(setup_a, sizeof(setup_a) / sizeof(setup_a[0]), "") < 0)
		return -1;
	env->ifindex[SIDE_A] = (int)if_nametoindex("va");
	return env->ifindex[SIDE_A] > 0 && env->ifindex[SIDE_B] > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	struct env *env = *state;
	/* the namespaces and the veth go when the process exits */
	for (int i = 0; i < 2; i++)
		if (env->ns[i] >= 0)
			close(env->ns[i]);
	free(env);
	return 0;
}

/* The environment, or a skip (with the reason as a TAP comment). */
static const struct env *need_netns(void **state)
{
	struct env *env = *state;
	if (env->skip) {
		print_message("# SKIP: %s\n", env->skip);
		skip();
	}
	return env;
}

/* Sockets stay in the namespace they were created in. */
static void enter(const struct env *env, enum side side)
{
	assert_int_equal(setns(env->ns[side], CLONE_NEWNET), 0);
}

/* A plain raw proto-112 socket on one side, for sending what we do not send
 * and seeing what the kernel put in the IP header. */
static int plain_raw(const struct env *env, enum side side, int family)
{
	enter(env, side);
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, 112);
	assert_true(fd >= 0);
	const char *dev = side == SIDE_A ? "va" : "vb";
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, 3), 0);
	return fd;
}

static struct config_addr addr(const char *s)
{
	struct config_addr a;
	assert_int_equal(config_addr_parse(s, &a), 0);
	return a;
}

static struct vrrp_socket *open_sock(const struct env *env, enum side side, int family,
                                     bool unicast)
{
	struct vrrp_socket_params p = { .family = family, .ifindex = env->ifindex[side],
	                                .unicast = unicast };
	enter(env, side);
	int err = 0;
	struct vrrp_socket *s = vrrp_socket_open(&p, &err);
	if (!s)
		fail_msg("vrrp_socket_open: %s", strerror(-err));
	return s;
}

static bool readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	return poll(&pfd, 1, timeout_ms) == 1;
}

/* Receive one datagram, waiting up to a second for it to cross the veth. */
static void recv_one(struct vrrp_socket *s, struct vrrp_rx *rx)
{
	assert_true(readable(vrrp_socket_fd(s), 1000));
	assert_int_equal(vrrp_socket_recv(s, rx), 0);
}

/* Nothing arrives within a short wait. */
static void recv_none(struct vrrp_socket *s)
{
	struct vrrp_rx rx;
	(void)readable(vrrp_socket_fd(s), 100);
	assert_int_equal(vrrp_socket_recv(s, &rx), -EAGAIN);
}

static void assert_addr(const struct config_addr *got, const char *want)
{
	struct config_addr w = addr(want);
	char buf[CONFIG_ADDR_STRLEN];
	if (!config_addr_equal(got, &w))
		fail_msg("address %s, want %s", config_addr_to_string(got, buf, sizeof(buf)), want);
}

static void assert_rx(const struct vrrp_rx *rx, const uint8_t *payload, size_t len, int ttl,
                      const char *src, const char *dst, int ifindex)
{
	assert_int_equal(rx->len, len);
	if (len)
		assert_memory_equal(rx->payload, payload, len);
	assert_int_equal(rx->ttl, ttl);
	assert_addr(&rx->src, src);
	assert_addr(&rx->dst, dst);
	assert_int_equal(rx->ifindex, ifindex);
}

/* A v2-looking advert; the socket does not care what it says. */
static const uint8_t advert[20] = { 0x21, 51, 150, 1, 0, 1, 0xab, 0xcd, 10, 99, 0, 100 };

/* ---- pure: the IPv4 header parser ---- */

static void ipv4_header(uint8_t *b, size_t ihl_words, size_t tot, uint8_t ttl)
{
	memset(b, 0, ihl_words * 4);
	b[0] = (uint8_t)(0x40 | ihl_words);
	b[2] = (uint8_t)(tot >> 8);
	b[3] = (uint8_t)tot;
	b[8] = ttl;
	b[9] = 112;
	memcpy(b + 12, (const uint8_t[]){ 10, 77, 0, 1 }, 4);
	memcpy(b + 16, (const uint8_t[]){ 224, 0, 0, 18 }, 4);
}

static void test_parse_ipv4(void **state)
{
	(void)state;
	uint8_t b[64];
	struct vrrp_rx rx;

	ipv4_header(b, 5, 20 + sizeof(advert), 255);
	memcpy(b + 20, advert, sizeof(advert));
	assert_int_equal(vrrp_socket_parse_ipv4(b, 20 + sizeof(advert), &rx), 0);
	assert_ptr_equal(rx.payload, b + 20);
	assert_int_equal(rx.len, sizeof(advert));
	assert_int_equal(rx.ttl, 255);
	assert_addr(&rx.src, A4);
	assert_addr(&rx.dst, VRRP_SOCKET_GROUP4);

	/* options: the payload starts after them */
	ipv4_header(b, 6, 24 + 4, 64);
	assert_int_equal(vrrp_socket_parse_ipv4(b, 28, &rx), 0);
	assert_ptr_equal(rx.payload, b + 24);
	assert_int_equal(rx.len, 4);
	assert_int_equal(rx.ttl, 64);

	/* bytes past the total length are not payload; an empty payload is fine */
	ipv4_header(b, 5, 20, 255);
	assert_int_equal(vrrp_socket_parse_ipv4(b, 30, &rx), 0);
	assert_int_equal(rx.len, 0);
}

static void test_parse_ipv4_garbage(void **state)
{
	(void)state;
	uint8_t b[64];
	struct vrrp_rx rx;

	ipv4_header(b, 5, 20, 255);
	assert_int_equal(vrrp_socket_parse_ipv4(b, 19, &rx), -EBADMSG); /* short */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 0, &rx), -EBADMSG);
	b[0] = 0x65;                                                    /* version 6 */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 20, &rx), -EBADMSG);
	b[0] = 0x44;                                                    /* IHL 4 */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 20, &rx), -EBADMSG);
	ipv4_header(b, 5, 20, 255);
	b[0] = 0x4f;                                                    /* IHL 15: 60 > 40 */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 40, &rx), -EBADMSG);
	ipv4_header(b, 5, 41, 255);                                     /* total past the end */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 40, &rx), -EBADMSG);
	ipv4_header(b, 6, 20, 255);                                     /* total < header */
	assert_int_equal(vrrp_socket_parse_ipv4(b, 40, &rx), -EBADMSG);

	/* every length of every byte pattern: never reads past the buffer */
	for (size_t n = 0; n <= sizeof(b); n++) {
		for (unsigned v = 0; v < 256; v += 15) {
			uint8_t *junk = xmalloc(n ? n : 1);
			memset(junk, (int)v, n);
			if (n)
				junk[0] = (uint8_t)(0x40 | (v & 0x0f));
			int r = vrrp_socket_parse_ipv4(junk, n, &rx);
			if (r == 0)
				assert_true(rx.payload + rx.len <= junk + n);
			else
				assert_int_equal(r, -EBADMSG);
			free(junk);
		}
	}
}

static void test_open_bad_params(void **state)
{
	(void)state;
	struct vrrp_socket_params p = { .family = AF_UNIX, .ifindex = 1 };
	int err = 0;

	assert_null(vrrp_socket_open(&p, &err));
	assert_int_equal(err, -EINVAL);
	p.family = AF_INET;
	p.ifindex = 0;
	assert_null(vrrp_socket_open(&p, &err));
	assert_int_equal(err, -EINVAL);
	p.ifindex = 1;
	p.group = addr(VRRP_SOCKET_GROUP6); /* wrong family */
	assert_null(vrrp_socket_open(&p, &err));
	assert_int_equal(err, -EINVAL);
	p.group = addr("10.0.0.1");          /* not multicast */
	assert_null(vrrp_socket_open(&p, &err));
	assert_int_equal(err, -EINVAL);
	assert_null(vrrp_socket_open(&p, NULL));
	assert_null(vrrp_socket_free(NULL));
}

/* ---- kernel ---- */

static void test_open_missing_interface(void **state)
{
	need_netns(state);
	struct vrrp_socket_params p = { .family = AF_INET, .ifindex = 999999 };
	int err = 0;
	assert_null(vrrp_socket_open(&p, &err));
	assert_int_equal(err, -ENODEV);
}

static void test_empty_eagain(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *s = open_sock(env, SIDE_B, AF_INET, false);
	struct vrrp_rx rx;

	assert_int_equal(vrrp_socket_recv(s, &rx), -EAGAIN);
	assert_int_equal(vrrp_socket_family(s), AF_INET);
	assert_int_equal(vrrp_socket_ifindex(s), ib);
	assert_false(vrrp_socket_is_unicast(s));
	assert_addr(vrrp_socket_group(s), VRRP_SOCKET_GROUP4);
	vrrp_socket_free(s);

	s = open_sock(env, SIDE_B, AF_INET6, true);
	assert_int_equal(vrrp_socket_recv(s, &rx), -EAGAIN);
	assert_false(config_addr_is_set(vrrp_socket_group(s)));
	vrrp_socket_free(s);
}

static void test_ipv4_multicast(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *sa = open_sock(env, SIDE_A, AF_INET, false);
	struct vrrp_socket *sb = open_sock(env, SIDE_B, AF_INET, false);
	struct config_addr src = addr(A4);
	struct vrrp_rx rx;

	/* a plain raw socket on vb sees the header the kernel built for us */
	int spy = plain_raw(env, SIDE_B, AF_INET);

	assert_int_equal(vrrp_socket_send(sa, advert, sizeof(advert), &src, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, advert, sizeof(advert), 255, A4, VRRP_SOCKET_GROUP4, ib);

	uint8_t hdr[64];
	assert_true(readable(spy, 1000));
	assert_int_equal(recv(spy, hdr, sizeof(hdr), 0), 20 + sizeof(advert));
	assert_int_equal(hdr[1], 0xc0);          /* DSCP CS6, like keepalived */
	assert_int_equal(hdr[6] & 0x40, 0);      /* no DF, like keepalived */
	close(spy);

	/* a second VRID on the same sockets, the explicit group as dst */
	uint8_t other[sizeof(advert)];
	memcpy(other, advert, sizeof(other));
	other[1] = 52;
	struct config_addr group = addr(VRRP_SOCKET_GROUP4);
	assert_int_equal(vrrp_socket_send(sa, other, sizeof(other), &src, &group), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, other, sizeof(other), 255, A4, VRRP_SOCKET_GROUP4, ib);

	recv_none(sa); /* multicast loop is off: the sender hears nothing of its own */
	recv_none(sb);
	vrrp_socket_free(sa);
	vrrp_socket_free(sb);
}

static void test_ipv6_multicast(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *sa = open_sock(env, SIDE_A, AF_INET6, false);
	struct vrrp_socket *sb = open_sock(env, SIDE_B, AF_INET6, false);
	struct config_addr src = addr(A6);
	struct vrrp_rx rx;
	static const uint8_t v3[] = { 0x31, 51, 100, 1, 0, 100, 0x12, 0x34,
	                              0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64 };

	assert_int_equal(vrrp_socket_send(sa, v3, sizeof(v3), &src, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, v3, sizeof(v3), 255, A6, VRRP_SOCKET_GROUP6, ib);
	recv_none(sa);
	recv_none(sb);
	vrrp_socket_free(sa);
	vrrp_socket_free(sb);
}

static void test_ipv4_unicast(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *ua = open_sock(env, SIDE_A, AF_INET, true);
	struct vrrp_socket *ub = open_sock(env, SIDE_B, AF_INET, true);
	struct vrrp_socket *ma = open_sock(env, SIDE_A, AF_INET, false);
	struct vrrp_socket *mb = open_sock(env, SIDE_B, AF_INET, false);
	struct config_addr src = addr(A4), dst = addr(B4);
	struct vrrp_rx rx;

	assert_int_equal(vrrp_socket_send(ua, advert, sizeof(advert), &src, &dst), 0);
	recv_one(ub, &rx);
	assert_rx(&rx, advert, sizeof(advert), 255, A4, B4, ib);
	recv_none(mb); /* bound to the group: no unicast */

	assert_int_equal(vrrp_socket_send(ma, advert, sizeof(advert), &src, NULL), 0);
	recv_one(mb, &rx);
	recv_none(ub); /* joined no group: no multicast */

	/* no group to fall back on */
	assert_int_equal(vrrp_socket_send(ua, advert, sizeof(advert), &src, NULL), -EDESTADDRREQ);
	vrrp_socket_free(ua);
	vrrp_socket_free(ub);
	vrrp_socket_free(ma);
	vrrp_socket_free(mb);
}

static void test_ipv6_unicast(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *ua = open_sock(env, SIDE_A, AF_INET6, true);
	struct vrrp_socket *ub = open_sock(env, SIDE_B, AF_INET6, true);
	struct config_addr src = addr(A6), dst = addr(B6);
	struct vrrp_rx rx;

	assert_int_equal(vrrp_socket_send(ua, advert, sizeof(advert), &src, &dst), 0);
	recv_one(ub, &rx);
	assert_rx(&rx, advert, sizeof(advert), 255, A6, B6, ib);
	recv_none(ua);
	vrrp_socket_free(ua);
	vrrp_socket_free(ub);
}

/* vrrp_mcast_group4/6 may name another group; only its members hear it. */
static void test_custom_group(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket_params p = { .family = AF_INET, .ifindex = env->ifindex[SIDE_A],
	                                .group = addr("224.0.0.99") };
	struct config_addr src = addr(A4);
	struct vrrp_rx rx;

	enter(env, SIDE_A);
	struct vrrp_socket *sa = vrrp_socket_open(&p, NULL);
	assert_non_null(sa);
	p.ifindex = ib;
	enter(env, SIDE_B);
	struct vrrp_socket *sb = vrrp_socket_open(&p, NULL);
	assert_non_null(sb);
	struct vrrp_socket *rfc = open_sock(env, SIDE_B, AF_INET, false);

	assert_int_equal(vrrp_socket_send(sa, advert, sizeof(advert), &src, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, advert, sizeof(advert), 255, A4, "224.0.0.99", ib);
	recv_none(rfc);
	vrrp_socket_free(sa);
	vrrp_socket_free(sb);
	vrrp_socket_free(rfc);
}

/* A sender that does not set TTL 255 (e.g. from beyond a router): the socket
 * reports what arrived, the caller drops it. */
static void test_ttl_not_255(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *ub = open_sock(env, SIDE_B, AF_INET, true);
	struct vrrp_socket *mb = open_sock(env, SIDE_B, AF_INET, false);
	struct vrrp_socket *ub6 = open_sock(env, SIDE_B, AF_INET6, true);
	struct vrrp_rx rx;
	int ttl = 64;

	int fd = plain_raw(env, SIDE_A, AF_INET);
	assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)), 0);
	assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)), 0);
	struct sockaddr_in to = { .sin_family = AF_INET };
	inet_pton(AF_INET, B4, &to.sin_addr);
	assert_int_equal(sendto(fd, advert, sizeof(advert), 0, (struct sockaddr *)&to, sizeof(to)),
	                 sizeof(advert));
	recv_one(ub, &rx);
	assert_rx(&rx, advert, sizeof(advert), 64, A4, B4, ib);

	inet_pton(AF_INET, VRRP_SOCKET_GROUP4, &to.sin_addr);
	assert_int_equal(sendto(fd, advert, sizeof(advert), 0, (struct sockaddr *)&to, sizeof(to)),
	                 sizeof(advert));
	recv_one(mb, &rx);
	assert_rx(&rx, advert, sizeof(advert), 64, A4, VRRP_SOCKET_GROUP4, ib);
	close(fd);

	fd = plain_raw(env, SIDE_A, AF_INET6);
	assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)), 0);
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6,
	                            .sin6_scope_id = (uint32_t)env->ifindex[SIDE_A] };
	inet_pton(AF_INET6, B6, &to6.sin6_addr);
	assert_int_equal(sendto(fd, advert, sizeof(advert), 0, (struct sockaddr *)&to6, sizeof(to6)),
	                 sizeof(advert));
	recv_one(ub6, &rx);
	assert_rx(&rx, advert, sizeof(advert), 64, A6, B6, ib);
	close(fd);

	vrrp_socket_free(ub);
	vrrp_socket_free(mb);
	vrrp_socket_free(ub6);
}

/* Short and empty VRRP parts come through as they are: the codec judges. */
static void test_junk_payload(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *sa = open_sock(env, SIDE_A, AF_INET, false);
	struct vrrp_socket *sb = open_sock(env, SIDE_B, AF_INET, false);
	struct vrrp_socket *sa6 = open_sock(env, SIDE_A, AF_INET6, false);
	struct vrrp_socket *sb6 = open_sock(env, SIDE_B, AF_INET6, false);
	struct config_addr src = addr(A4), src6 = addr(A6);
	static const uint8_t junk[3] = { 0xff, 0x00, 0x42 };
	struct vrrp_rx rx;

	assert_int_equal(vrrp_socket_send(sa, junk, sizeof(junk), &src, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, junk, sizeof(junk), 255, A4, VRRP_SOCKET_GROUP4, ib);
	assert_int_equal(vrrp_socket_send(sa, junk, 0, &src, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, junk, 0, 255, A4, VRRP_SOCKET_GROUP4, ib);

	assert_int_equal(vrrp_socket_send(sa6, junk, sizeof(junk), &src6, NULL), 0);
	recv_one(sb6, &rx);
	assert_rx(&rx, junk, sizeof(junk), 255, A6, VRRP_SOCKET_GROUP6, ib);
	assert_int_equal(vrrp_socket_send(sa6, junk, 0, &src6, NULL), 0);
	recv_one(sb6, &rx);
	assert_rx(&rx, junk, 0, 255, A6, VRRP_SOCKET_GROUP6, ib);

	vrrp_socket_free(sa);
	vrrp_socket_free(sb);
	vrrp_socket_free(sa6);
	vrrp_socket_free(sb6);
}

/* IP options move the payload; the parser follows the IHL. */
static void test_ipv4_options(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *ub = open_sock(env, SIDE_B, AF_INET, true);
	static const uint8_t nops[4] = { 1, 1, 1, 0 }; /* NOP NOP NOP END */
	struct vrrp_rx rx;

	int fd = plain_raw(env, SIDE_A, AF_INET);
	assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_OPTIONS, nops, sizeof(nops)), 0);
	struct sockaddr_in to = { .sin_family = AF_INET };
	inet_pton(AF_INET, B4, &to.sin_addr);
	assert_int_equal(sendto(fd, advert, sizeof(advert), 0, (struct sockaddr *)&to, sizeof(to)),
	                 sizeof(advert));
	recv_one(ub, &rx);
	assert_rx(&rx, advert, sizeof(advert), 64 /* kernel default */, A4, B4, ib);
	close(fd);
	vrrp_socket_free(ub);
}

static void test_send_errors(void **state)
{
	const struct env *env = need_netns(state);
	int ib = env->ifindex[SIDE_B];
	struct vrrp_socket *sa = open_sock(env, SIDE_A, AF_INET, false);
	struct config_addr v6 = addr(A6), v4 = addr(A4), foreign = addr("192.0.2.1");

	assert_int_equal(vrrp_socket_send(sa, advert, sizeof(advert), &v4, &v6), -EAFNOSUPPORT);
	assert_int_equal(vrrp_socket_send(sa, advert, sizeof(advert), &v6, NULL), -EAFNOSUPPORT);
	/* not one of our addresses: -ENETUNREACH for a multicast dst, else -EINVAL */
	int r = vrrp_socket_send(sa, advert, sizeof(advert), &foreign, NULL);
	assert_true(r == -ENETUNREACH || r == -EINVAL);
	struct vrrp_socket *sa6 = open_sock(env, SIDE_A, AF_INET6, false);
	struct config_addr foreign6 = addr("fe80::99");
	assert_int_equal(vrrp_socket_send(sa6, advert, sizeof(advert), &foreign6, NULL), -EINVAL);
	vrrp_socket_free(sa6);
	/* no source: the kernel picks a's address */
	struct vrrp_socket *sb = open_sock(env, SIDE_B, AF_INET, false);
	struct vrrp_rx rx;
	assert_int_equal(vrrp_socket_send(sa, advert, sizeof(advert), NULL, NULL), 0);
	recv_one(sb, &rx);
	assert_rx(&rx, advert, sizeof(advert), 255, A4, VRRP_SOCKET_GROUP4, ib);
	vrrp_socket_free(sa);
	vrrp_socket_free(sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_ipv4_garbage),
		cmocka_unit_test(test_open_bad_params),
		cmocka_unit_test(test_open_missing_interface),
		cmocka_unit_test(test_empty_eagain),
		cmocka_unit_test(test_ipv4_multicast),
		cmocka_unit_test(test_ipv6_multicast),
		cmocka_unit_test(test_ipv4_unicast),
		cmocka_unit_test(test_ipv6_unicast),
		cmocka_unit_test(test_custom_group),
		cmocka_unit_test(test_ttl_not_255),
		cmocka_unit_test(test_junk_payload),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_send_errors),
	};
	return cmocka_run_group_tests_name("vrrp_socket", tests, group_setup, group_teardown);
}
