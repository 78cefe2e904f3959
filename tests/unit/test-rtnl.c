#include "config.h"

/* lib/rtnl against the real kernel, inside a private network namespace.
 *
 * The group setup unshares the network namespace (so nothing here touches
 * the host's interfaces, and everything vanishes when the process exits),
 * brings lo up and creates veth0/veth1.  `ip` is the independent reader and
 * writer: what lib/rtnl adds must show in `ip` output, and what `ip` changes
 * must reach the monitor.  Without root or CLONE_NEWNET every kernel test
 * prints why and skips; the parser tests run everywhere. */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "rtnl.h"
#include "rtnl_msg.h"
#include "xalloc.h"

struct fixture {
	const char *skip_reason; /* NULL when the namespace is ready */
	struct rtnl *r;
	int veth0, veth1;
};

#define REQUIRE_NETNS(f)                                                        \
	do {                                                                    \
		if ((f)->skip_reason) {                                         \
			printf("# SKIP %s\n", (f)->skip_reason);                \
			skip();                                                 \
		}                                                               \
	} while (0)

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	int st = system(cmd);
	free(cmd);
	return st;
}

/* stdout of a command, NUL-terminated. */
static char *sh_output(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = xreallocarray(buf, cap *= 2, 1);
	}
	buf[len] = '\0';
	pclose(p);
	return buf;
}

static void assert_output_has(const char *cmd, const char *needle, bool want)
{
	char *out = sh_output(cmd);
	if ((strstr(out, needle) != NULL) != want)
		fail_msg("`%s` %s \"%s\"; it printed:\n%s", cmd, want ? "lacks" : "still has",
			 needle, out);
	free(out);
}

static struct rtnl_ip ip_of(const char *s)
{
	struct rtnl_ip ip = { .family = strchr(s, ':') ? AF_INET6 : AF_INET };
	assert_int_equal(inet_pton(ip.family, s, &ip.u), 1);
	return ip;
}

static uint64_t now_msec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -errno;
}

static int group_setup(void **state)
{
	struct fixture *f = xnew(struct fixture);
	*state = f;
	if (geteuid() != 0) {
		f->skip_reason = "needs root (for unshare(CLONE_NEWNET) and veth)";
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		f->skip_reason = "unshare(CLONE_NEWNET) failed: no network namespaces here";
		return 0;
	}
	/* No DAD: link-local addresses are usable at once, and no test waits. */
	(void)write_file("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
	if (sh("ip link set lo up && ip link add veth0 type veth peer name veth1 && "
	       "ip link set veth0 up && ip link set veth1 up && "
	       "ip addr add 198.51.100.1/24 dev veth0 && "
	       "ip -6 addr add 2001:db8::1/64 dev veth0 nodad") != 0) {
		f->skip_reason = "could not create a veth pair in the namespace";
		return 0;
	}
	int err = 0;
	f->r = rtnl_open(&err);
	if (!f->r)
		return -1;
	struct rtnl_link l;
	if (rtnl_link_get_by_name(f->r, "veth0", &l) < 0)
		return -1;
	f->veth0 = l.ifindex;
	if (rtnl_link_get_by_name(f->r, "veth1", &l) < 0)
		return -1;
	f->veth1 = l.ifindex;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *f = *state;
	rtnl_close(f->r);
	free(f);
	return 0;
}

/* ---- links ---- */

static int count_link(const struct rtnl_link *l, void *userdata)
{
	(void)l;
	(*(int *)userdata)++;
	return 0;
}

static void test_link_get(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_link l, m;

	assert_int_equal(rtnl_link_get_by_name(f->r, "veth0", &l), 0);
	assert_int_equal(l.ifindex, f->veth0);
	assert_string_equal(l.name, "veth0");
	assert_true(l.flags & IFF_UP);
	assert_int_equal(l.type, ARPHRD_ETHER);
	assert_int_equal(l.hwaddr_len, 6);
	assert_int_equal(l.mtu, 1500);

	assert_int_equal(rtnl_link_get_by_index(f->r, f->veth0, &m), 0);
	assert_string_equal(m.name, "veth0");
	assert_memory_equal(m.hwaddr, l.hwaddr, 6);

	assert_int_equal(rtnl_link_get_by_name(f->r, "lo", &l), 0);
	assert_int_equal(l.type, ARPHRD_LOOPBACK);
	assert_true(l.flags & IFF_UP);

	assert_int_equal(rtnl_link_get_by_name(f->r, "nosuchdev0", &l), -ENODEV);
	assert_int_equal(rtnl_link_get_by_index(f->r, 999999, &l), -ENODEV);
	assert_int_equal(rtnl_link_get_by_name(f->r, "", &l), -EINVAL);
	assert_int_equal(rtnl_link_get_by_name(f->r, "a-name-longer-than-ifnamsiz", &l), -EINVAL);

	int n = 0;
	assert_int_equal(rtnl_link_dump(f->r, count_link, &n), 0);
	assert_int_equal(n, 3); /* lo, veth0, veth1 */
}

/* ---- addresses ---- */

struct find_addr {
	struct rtnl_ip ip;
	struct rtnl_addr found;
	int hits;
};

static int find_addr_cb(const struct rtnl_addr *a, void *userdata)
{
	struct find_addr *fa = userdata;
	if (rtnl_ip_equal(&a->local, &fa->ip)) {
		fa->found = *a;
		fa->hits++;
	}
	return 0;
}

static void test_addr_ipv4(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_addr a;
	rtnl_addr_init(&a);
	a.ifindex = f->veth0;
	a.local = ip_of("192.0.2.10");
	a.prefixlen = 24;
	a.broadcast = ip_of("192.0.2.255");
	a.scope = RT_SCOPE_UNIVERSE;
	strcpy(a.label, "veth0:vip");

	assert_int_equal(rtnl_addr_add(f->r, &a), 0);

	struct find_addr fa = { .ip = a.local };
	assert_int_equal(rtnl_addr_dump(f->r, AF_INET, f->veth0, find_addr_cb, &fa), 0);
	assert_int_equal(fa.hits, 1);
	assert_int_equal(fa.found.prefixlen, 24);
	assert_true(rtnl_ip_equal(&fa.found.broadcast, &a.broadcast));
	assert_string_equal(fa.found.label, "veth0:vip");
	assert_int_equal(fa.found.scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(fa.found.preferred_lft, -1);
	assert_int_equal(rtnl_addr_present(f->r, f->veth0, &a.local), 1);
	assert_int_equal(rtnl_addr_present(f->r, f->veth1, &a.local), 0);
	assert_output_has("ip -4 addr show dev veth0",
			  "inet 192.0.2.10/24 brd 192.0.2.255 scope global veth0:vip", true);

	assert_int_equal(rtnl_addr_add(f->r, &a), 0); /* idempotent */
	fa.hits = 0;
	assert_int_equal(rtnl_addr_dump(f->r, AF_UNSPEC, 0, find_addr_cb, &fa), 0);
	assert_int_equal(fa.hits, 1);

	assert_int_equal(rtnl_addr_del(f->r, &a), 0);
	assert_int_equal(rtnl_addr_del(f->r, &a), -EADDRNOTAVAIL);
	assert_int_equal(rtnl_addr_present(f->r, f->veth0, &a.local), 0);
	assert_output_has("ip -4 addr show dev veth0", "192.0.2.10", false);

	/* A label must name its interface; IPv6 has none. */
	strcpy(a.label, "eth9:vip");
	assert_int_equal(rtnl_addr_add(f->r, &a), -EINVAL);
	a.label[0] = '\0';
	a.ifindex = 999999;
	assert_int_equal(rtnl_addr_add(f->r, &a), -ENODEV);
	a.ifindex = f->veth0;
	a.prefixlen = 33;
	assert_int_equal(rtnl_addr_add(f->r, &a), -EINVAL);
}

static void test_addr_ipv6(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_addr a;
	rtnl_addr_init(&a);
	a.ifindex = f->veth0;
	a.local = ip_of("2001:db8::10");
	a.prefixlen = 128;
	a.flags = IFA_F_NODAD | IFA_F_NOPREFIXROUTE;

	assert_int_equal(rtnl_addr_add(f->r, &a), 0);
	assert_output_has("ip -6 addr show dev veth0", "inet6 2001:db8::10/128 scope global nodad", true);
	struct find_addr fa = { .ip = a.local };
	assert_int_equal(rtnl_addr_dump(f->r, AF_INET6, f->veth0, find_addr_cb, &fa), 0);
	assert_int_equal(fa.hits, 1);
	assert_true(fa.found.flags & IFA_F_NODAD);
	assert_true(fa.found.flags & IFA_F_NOPREFIXROUTE);

	/* Re-adding with preferred_lft 0 replaces it as deprecated. */
	a.preferred_lft = 0;
	assert_int_equal(rtnl_addr_add(f->r, &a), 0);
	assert_output_has("ip -6 addr show dev veth0", "deprecated", true);
	fa.hits = 0;
	assert_int_equal(rtnl_addr_dump(f->r, AF_INET6, f->veth0, find_addr_cb, &fa), 0);
	assert_int_equal(fa.found.preferred_lft, 0);
	assert_true(fa.found.flags & IFA_F_DEPRECATED);

	assert_int_equal(rtnl_addr_del(f->r, &a), 0);
	assert_int_equal(rtnl_addr_del(f->r, &a), -EADDRNOTAVAIL);
	assert_output_has("ip -6 addr show dev veth0", "2001:db8::10/", false);

	strcpy(a.label, "veth0:x");
	assert_int_equal(rtnl_addr_add(f->r, &a), -EINVAL);
}

static void test_addr_primary(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_ip ip;

	assert_int_equal(rtnl_addr_primary(f->r, AF_INET, f->veth1, &ip), -EADDRNOTAVAIL);
	assert_int_equal(sh("ip addr add 192.0.2.1/24 dev veth1 && ip addr add 192.0.2.2/24 dev veth1"), 0);
	assert_int_equal(rtnl_addr_primary(f->r, AF_INET, f->veth1, &ip), 0);
	assert_true(rtnl_ip_equal(&ip, &(struct rtnl_ip){ 0 }) == false);
	struct rtnl_ip want = ip_of("192.0.2.1");
	assert_true(rtnl_ip_equal(&ip, &want));
	assert_int_equal(sh("ip addr flush dev veth1"), 0);

	/* IPv6: the link-local one, not the global 2001:db8::1. */
	assert_int_equal(rtnl_addr_primary(f->r, AF_INET6, f->veth0, &ip), 0);
	assert_int_equal(ip.family, AF_INET6);
	assert_true(IN6_IS_ADDR_LINKLOCAL(&ip.u.v6));
	assert_int_equal(rtnl_addr_primary(f->r, AF_INET6, 999999, &ip), -EADDRNOTAVAIL);
}

/* ---- routes ---- */

static int count_route(const struct rtnl_route *rt, void *userdata)
{
	(void)rt;
	(*(int *)userdata)++;
	return 0;
}

static void test_route_unicast(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_route rt;
	rtnl_route_init(&rt);
	rt.family = AF_INET;
	rt.dst = ip_of("203.0.113.0");
	rt.dst_len = 24;
	rt.gateway = ip_of("198.51.100.2");
	rt.prefsrc = ip_of("198.51.100.1");
	rt.metric = 7;

	assert_int_equal(rtnl_route_add(f->r, &rt), 0);
	assert_output_has("ip route show 203.0.113.0/24",
			  "203.0.113.0/24 via 198.51.100.2 dev veth0 src 198.51.100.1 metric 7", true);
	assert_int_equal(rtnl_route_add(f->r, &rt), -EEXIST);
	assert_int_equal(rtnl_route_replace(f->r, &rt), 0);
	assert_int_equal(rtnl_route_del(f->r, &rt), 0);
	assert_int_equal(rtnl_route_del(f->r, &rt), -ESRCH);
	assert_output_has("ip route show", "203.0.113.0", false);

	/* A device route in a table above 255, scope link by default. */
	rtnl_route_init(&rt);
	rt.family = AF_INET;
	rt.dst = ip_of("203.0.113.0");
	rt.dst_len = 24;
	rt.oif = f->veth0;
	rt.table = 1000;
	rt.metric = 50;
	assert_int_equal(rtnl_route_add(f->r, &rt), 0);
	assert_output_has("ip route show table 1000", "203.0.113.0/24 dev veth0 scope link metric 50", true);
	int n = 0;
	assert_int_equal(rtnl_route_dump(f->r, AF_INET, 1000, count_route, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rtnl_route_del(f->r, &rt), 0);

	/* Onlink: a gateway outside every connected subnet. */
	rtnl_route_init(&rt);
	rt.family = AF_INET;
	rt.dst = ip_of("203.0.113.128");
	rt.dst_len = 25;
	rt.gateway = ip_of("198.18.1.1");
	rt.oif = f->veth0;
	assert_int_equal(rtnl_route_add(f->r, &rt), -ENETUNREACH);
	rt.onlink = true;
	assert_int_equal(rtnl_route_add(f->r, &rt), 0);
	assert_output_has("ip route show 203.0.113.128/25", "via 198.18.1.1 dev veth0 onlink", true);
	assert_int_equal(rtnl_route_del(f->r, &rt), 0);

	/* IPv6, default route. */
	rtnl_route_init(&rt);
	rt.family = AF_INET6;
	rt.gateway = ip_of("2001:db8::2");
	rt.oif = f->veth0;
	rt.metric = 1024;
	assert_int_equal(rtnl_route_add(f->r, &rt), 0);
	assert_output_has("ip -6 route show default", "default via 2001:db8::2 dev veth0 metric 1024", true);
	assert_int_equal(rtnl_route_del(f->r, &rt), 0);
	assert_output_has("ip -6 route show default", "2001:db8::2", false);
}

static void test_route_types(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	static const struct {
		unsigned char type;
		const char *dst, *shown;
	} cases[] = {
		{ RTN_BLACKHOLE, "198.18.0.0", "blackhole 198.18.0.0/24" },
		{ RTN_UNREACHABLE, "198.18.2.0", "unreachable 198.18.2.0/24" },
		{ RTN_PROHIBIT, "198.18.3.0", "prohibit 198.18.3.0/24" },
		{ RTN_THROW, "198.18.4.0", "throw 198.18.4.0/24" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rtnl_route rt;
		rtnl_route_init(&rt);
		rt.family = AF_INET;
		rt.dst = ip_of(cases[i].dst);
		rt.dst_len = 24;
		rt.type = cases[i].type;
		rt.table = 100;
		assert_int_equal(rtnl_route_add(f->r, &rt), 0);
		assert_output_has("ip route show table 100", cases[i].shown, true);
	}
	int n = 0;
	assert_int_equal(rtnl_route_dump(f->r, AF_INET, 100, count_route, &n), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rtnl_route rt;
		rtnl_route_init(&rt);
		rt.family = AF_INET;
		rt.dst = ip_of(cases[i].dst);
		rt.dst_len = 24;
		rt.table = 100;
		assert_int_equal(rtnl_route_del(f->r, &rt), 0);
	}
	assert_output_has("ip route show table 100", "198.18.", false);

	struct rtnl_route rt6;
	rtnl_route_init(&rt6);
	rt6.family = AF_INET6;
	rt6.dst = ip_of("2001:db8:2::");
	rt6.dst_len = 64;
	rt6.type = RTN_BLACKHOLE;
	assert_int_equal(rtnl_route_add(f->r, &rt6), 0);
	assert_output_has("ip -6 route show", "blackhole 2001:db8:2::/64", true);
	assert_int_equal(rtnl_route_del(f->r, &rt6), 0);
}

static int find_multipath(const struct rtnl_route *rt, void *userdata)
{
	if (rt->n_nexthops == 0)
		return 0;
	*(struct rtnl_route *)userdata = *rt;
	return 1; /* stop early: the dump must still be drained */
}

static void test_route_multipath(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	struct rtnl_route rt;
	rtnl_route_init(&rt);
	rt.family = AF_INET;
	rt.dst = ip_of("203.0.113.0");
	rt.dst_len = 24;
	rt.nexthops[0] = (struct rtnl_nexthop){ .gateway = ip_of("198.51.100.2"), .ifindex = f->veth0 };
	rt.nexthops[1] = (struct rtnl_nexthop){ .gateway = ip_of("198.51.100.3"), .weight = 3 };
	rt.n_nexthops = 2;
	assert_int_equal(rtnl_route_add(f->r, &rt), 0);
	char *out = sh_output("ip route show 203.0.113.0/24");
	assert_non_null(strstr(out, "nexthop via 198.51.100.2 dev veth0 weight 1"));
	assert_non_null(strstr(out, "nexthop via 198.51.100.3 dev veth0 weight 3"));
	free(out);

	struct rtnl_route got = { .n_nexthops = 0 };
	assert_int_equal(rtnl_route_dump(f->r, AF_INET, RT_TABLE_MAIN, find_multipath, &got), 1);
	assert_int_equal(got.n_nexthops, 2);
	assert_int_equal(got.nexthops[1].weight, 3);
	assert_int_equal(got.nexthops[1].ifindex, f->veth0);
	struct rtnl_ip gw2 = ip_of("198.51.100.3");
	assert_true(rtnl_ip_equal(&got.nexthops[1].gateway, &gw2));
	assert_int_equal(rtnl_route_del(f->r, &rt), 0);
	assert_output_has("ip route show", "203.0.113.0", false);

	rt.n_nexthops = RTNL_ROUTE_MAX_NEXTHOPS + 1;
	assert_int_equal(rtnl_route_add(f->r, &rt), -EINVAL);
}

/* ---- monitor ---- */

struct seen {
	int ifindex;
	struct rtnl_ip addr;
	bool addr_new, addr_del, route_new, link_down, link_up;
	int overruns, events;
};

static int monitor_cb(const struct rtnl_event *ev, void *userdata)
{
	struct seen *s = userdata;
	s->events++;
	switch (ev->type) {
	case RTNL_EVENT_ADDR_NEW:
	case RTNL_EVENT_ADDR_DEL:
		if (ev->u.addr.ifindex == s->ifindex && rtnl_ip_equal(&ev->u.addr.local, &s->addr)) {
			if (ev->type == RTNL_EVENT_ADDR_NEW)
				s->addr_new = true;
			else
				s->addr_del = true;
		}
		break;
	case RTNL_EVENT_ROUTE_NEW:
		if (ev->u.route.oif == s->ifindex && ev->u.route.dst_len == 24 &&
		    ev->u.route.table == RT_TABLE_MAIN)
			s->route_new = true;
		break;
	case RTNL_EVENT_LINK_NEW:
		if (ev->u.link.ifindex == s->ifindex) {
			if (ev->u.link.flags & IFF_UP)
				s->link_up = true;
			else
				s->link_down = true;
		}
		break;
	case RTNL_EVENT_OVERRUN:
		s->overruns++;
		break;
	default:
		break;
	}
	return 0;
}

/* Read events until *flag is set or a second passes. */
static bool wait_for(struct rtnl_monitor *m, struct seen *s, const bool *flag)
{
	uint64_t deadline = now_msec() + 1000;
	while (!*flag) {
		uint64_t now = now_msec();
		if (now >= deadline)
			return false;
		struct pollfd p = { .fd = rtnl_monitor_fd(m), .events = POLLIN };
		int k = poll(&p, 1, (int)(deadline - now));
		assert_true(k >= 0);
		assert_true(rtnl_monitor_read(m, 0, monitor_cb, s) >= 0);
	}
	return true;
}

static void test_monitor_events(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	int err = 0;
	struct rtnl_monitor *m = rtnl_monitor_open(RTNL_MONITOR_ALL, 0, &err);
	assert_non_null(m);
	struct seen s = { .ifindex = f->veth1, .addr = ip_of("198.19.5.77") };

	assert_int_equal(sh("ip addr add 198.19.5.77/24 dev veth1"), 0);
	assert_true(wait_for(m, &s, &s.addr_new));
	assert_true(wait_for(m, &s, &s.route_new));
	assert_int_equal(sh("ip addr del 198.19.5.77/24 dev veth1"), 0);
	assert_true(wait_for(m, &s, &s.addr_del));

	assert_int_equal(sh("ip link set veth1 down"), 0);
	assert_true(wait_for(m, &s, &s.link_down));
	s.link_up = false;
	assert_int_equal(sh("ip link set veth1 up"), 0);
	assert_true(wait_for(m, &s, &s.link_up));

	assert_int_equal(s.overruns, 0);
	assert_int_equal(rtnl_monitor_stats(m)->malformed, 0);
	assert_true(rtnl_monitor_stats(m)->events >= 5);
	/* Nothing queued: a read returns at once with no events. */
	assert_int_equal(rtnl_monitor_read(m, 0, monitor_cb, &s), 0);
	rtnl_monitor_free(m);

	assert_null(rtnl_monitor_open(0, 0, &err));
	assert_int_equal(err, -EINVAL);
	assert_null(rtnl_monitor_open(1u << 20, 0, &err));
	assert_int_equal(err, -EINVAL);
}

static void test_monitor_overrun(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	int err = 0;
	/* The smallest buffer the kernel allows holds a few notifications. */
	struct rtnl_monitor *m = rtnl_monitor_open(RTNL_MONITOR_IPV4_ADDR, 1, &err);
	assert_non_null(m);

	struct rtnl_addr a;
	rtnl_addr_init(&a);
	a.ifindex = f->veth1;
	a.prefixlen = 32;
	for (int i = 1; i <= 64; i++) {
		char s[32];
		snprintf(s, sizeof(s), "198.19.6.%d", i);
		a.local = ip_of(s);
		assert_int_equal(rtnl_addr_add(f->r, &a), 0);
	}
	struct seen s = { .ifindex = f->veth1 };
	int n = rtnl_monitor_read(m, 0, monitor_cb, &s);
	assert_true(n > 0);
	assert_true(s.overruns >= 1);
	assert_true(rtnl_monitor_stats(m)->overruns >= 1);

	/* After the overrun the monitor goes on working. */
	assert_int_equal(sh("ip addr flush dev veth1"), 0);
	s.addr = ip_of("198.19.6.64");
	assert_true(wait_for(m, &s, &s.addr_del) || s.overruns >= 2);
	rtnl_monitor_free(m);

	/* max_events bounds one read. */
	m = rtnl_monitor_open(RTNL_MONITOR_IPV4_ADDR, 0, &err);
	assert_non_null(m);
	for (int i = 1; i <= 8; i++) {
		char t[32];
		snprintf(t, sizeof(t), "198.19.7.%d", i);
		a.local = ip_of(t);
		assert_int_equal(rtnl_addr_add(f->r, &a), 0);
	}
	assert_int_equal(rtnl_monitor_read(m, 3, monitor_cb, &s), 3);
	assert_int_equal(rtnl_monitor_read(m, 0, monitor_cb, &s), 5);
	assert_int_equal(sh("ip addr flush dev veth1"), 0);
	rtnl_monitor_free(m);
}

/* A datagram from another process (not the kernel) is dropped: counted by
 * the monitor, ignored by a request. */
static void test_foreign_sender(void **state)
{
	struct fixture *f = *state;
	REQUIRE_NETNS(f);
	int err = 0;
	struct rtnl_monitor *m = rtnl_monitor_open(RTNL_MONITOR_LINK, 0, &err);
	assert_non_null(m);
	struct sockaddr_nl me;
	socklen_t len = sizeof(me);
	assert_int_equal(getsockname(rtnl_monitor_fd(m), (struct sockaddr *)&me, &len), 0);

	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	assert_true(s >= 0);
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = me.nl_pid };
	char junk[64];
	memset(junk, 0xa5, sizeof(junk));
	assert_int_equal(sendto(s, junk, sizeof(junk), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(junk));
	close(s);

	struct seen seen = { .ifindex = f->veth1 };
	assert_int_equal(rtnl_monitor_read(m, 0, monitor_cb, &seen), 0);
	assert_int_equal(rtnl_monitor_stats(m)->malformed, 1);
	assert_int_equal(seen.events, 0);
	rtnl_monitor_free(m);

	/* Forged "success" ACKs for every likely sequence number, queued on the
	 * request socket before a request that fails: the kernel's answer wins. */
	len = sizeof(me);
	assert_int_equal(getsockname(rtnl_fd(f->r), (struct sockaddr *)&me, &len), 0);
	enum { N_FORGED = 400 };
	size_t one = NLMSG_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr));
	char *forged = xzalloc(N_FORGED * one);
	for (unsigned i = 0; i < N_FORGED; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(forged + i * one);
		h->nlmsg_len = (uint32_t)one;
		h->nlmsg_type = NLMSG_ERROR;
		h->nlmsg_seq = i + 1;
		h->nlmsg_pid = me.nl_pid;
	}
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	assert_true(s >= 0);
	to.nl_pid = me.nl_pid;
	assert_int_equal(sendto(s, forged, N_FORGED * one, 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)(N_FORGED * one));
	close(s);
	free(forged);
	struct rtnl_addr a;
	rtnl_addr_init(&a);
	a.ifindex = f->veth1;
	a.local = ip_of("198.19.9.9");
	a.prefixlen = 32;
	assert_int_equal(rtnl_addr_del(f->r, &a), -EADDRNOTAVAIL);
}

/* ---- parsers, fed bytes no kernel would send (no root needed) ---- */

static void test_parse_malformed(void **state)
{
	(void)state;
	union {
		struct nlmsghdr h;
		char b[256];
	} u;
	struct rtnl_addr a;
	struct rtnl_link l;
	struct rtnl_route rt;

	/* Shorter than the fixed header. */
	memset(&u, 0, sizeof(u));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(u.b);
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(rtnl_msg_parse_addr(nlh, &a), -EBADMSG);
	assert_int_equal(rtnl_msg_parse_link(nlh, &l), -EBADMSG);
	assert_int_equal(rtnl_msg_parse_route(nlh, &rt), -EBADMSG);

	/* An IPv4 address whose IFA_LOCAL has IPv6's length. */
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 2;
	struct in6_addr six = IN6ADDR_LOOPBACK_INIT;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(six), &six);
	assert_int_equal(rtnl_msg_parse_addr(nlh, &a), -EBADMSG);

	/* No address at all, then a good one. */
	nlh = mnl_nlmsg_put_header(u.b);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 2;
	assert_int_equal(rtnl_msg_parse_addr(nlh, &a), -EBADMSG);
	struct in_addr four = { htonl(0xc0000201) };
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(four), &four);
	mnl_attr_put_strz(nlh, IFA_LABEL, "eth0:x");
	assert_int_equal(rtnl_msg_parse_addr(nlh, &a), 0);
	assert_int_equal(a.ifindex, 2);
	assert_string_equal(a.label, "eth0:x");
	/* A prefix length beyond the family. */
	ifa->ifa_prefixlen = 40;
	assert_int_equal(rtnl_msg_parse_addr(nlh, &a), -EBADMSG);

	/* A link whose name is not NUL-terminated, and a zero ifindex. */
	nlh = mnl_nlmsg_put_header(u.b);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");
	assert_int_equal(rtnl_msg_parse_link(nlh, &l), -EBADMSG);
	ifi->ifi_index = 0;
	assert_int_equal(rtnl_msg_parse_link(nlh, &l), -EBADMSG);

	/* A message length that libmnl's mnl_nlmsg_ok() would take (negative as
	 * an int) must not be walked. */
	nlh = mnl_nlmsg_put_header(u.b);
	nlh->nlmsg_len = 0xa5a5a5a5u;
	size_t left = 64;
	assert_false(rtnl_nlmsg_ok(nlh, left));
	nlh->nlmsg_len = 16;
	assert_true(rtnl_nlmsg_ok(nlh, left));
	assert_true(rtnl_nlmsg_next(nlh, &left) == (const void *)(u.b + 16));
	assert_int_equal(left, 48);
	nlh->nlmsg_len = 65;
	assert_false(rtnl_nlmsg_ok(nlh, 64));

	/* A route whose RTA_MULTIPATH nexthop claims more bytes than it has. */
	nlh = mnl_nlmsg_put_header(u.b);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	struct rtnexthop bad = { .rtnh_len = 200 };
	mnl_attr_put(nlh, RTA_MULTIPATH, sizeof(bad), &bad);
	assert_int_equal(rtnl_msg_parse_route(nlh, &rt), -EBADMSG);
	/* RTA_OIF of the wrong size. */
	nlh = mnl_nlmsg_put_header(u.b);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	mnl_attr_put_u8(nlh, RTA_OIF, 1);
	assert_int_equal(rtnl_msg_parse_route(nlh, &rt), -EBADMSG);
}

static void test_event_names(void **state)
{
	(void)state;
	for (int t = 0; t < _RTNL_EVENT_MAX; t++)
		assert_non_null(rtnl_event_type_to_string((enum rtnl_event_type)t));
	assert_string_equal(rtnl_event_type_to_string(RTNL_EVENT_OVERRUN), "overrun");
	assert_null(rtnl_event_type_to_string(_RTNL_EVENT_MAX));
	assert_null(rtnl_event_type_to_string(_RTNL_EVENT_INVALID));
	assert_null(rtnl_close(NULL));
	assert_null(rtnl_monitor_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_link_get),
		cmocka_unit_test(test_addr_ipv4),
		cmocka_unit_test(test_addr_ipv6),
		cmocka_unit_test(test_addr_primary),
		cmocka_unit_test(test_route_unicast),
		cmocka_unit_test(test_route_types),
		cmocka_unit_test(test_route_multipath),
		cmocka_unit_test(test_monitor_events),
		cmocka_unit_test(test_monitor_overrun),
		cmocka_unit_test(test_foreign_sender),
	};
	return cmocka_run_group_tests_name("rtnl", tests, group_setup, group_teardown);
}
