/* vrrp_announcer against a real Linux neighbour table.
 *
 * In a private network namespace (unshare(CLONE_NEWNET): it vanishes with
 * this process, nothing touches the host), a veth pair a <-> b: we send
 * GARPs / NAs from `a` and read b's neighbour entries for the VIPs.
 * Needs root; without it, or without network namespaces, the whole program
 * reports itself skipped with the reason ("1..0 # SKIP": automake's TAP
 * driver counts cmocka's per-test "not ok # SKIP" as a failure). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/unit/test-inet-util.h"

#include "vrrp/vrrp_announce.h"

#define MAC_A "02:00:00:00:00:0a"
#define MAC_OLD "02:00:00:00:00:99"

struct ctx {
	int ifindex_a;
	uint8_t mac_a[6];
	struct in6_addr ll_a;
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int r = system(cmd);
	if (r != 0)
		print_message("# command failed (%d): %s\n", r, cmd);
	return r;
}

static int group_setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	*state = c;

	/* veth a <-> b, inside the namespace main() entered */
	if (sh("ip link set lo up") || sh("ip link add name a type veth peer name b") ||
	    sh("ip link set dev a address " MAC_A) ||
	    sh("ip link set dev b address 02:00:00:00:00:0b") ||
	    sh("sysctl -qw net.ipv6.conf.a.disable_ipv6=0 net.ipv6.conf.b.disable_ipv6=0") ||
	    sh("ip link set dev a up") || sh("ip link set dev b up") ||
	    sh("ip addr add 10.99.0.50/24 dev b") ||
	    sh("ip -6 addr add fd00:99::50/64 dev b nodad") ||
	    sh("ip -6 addr add fe80::a/64 dev a nodad")) {
		/* root with a namespace: this must work, so it is a failure */
		print_message("# could not set up the veth pair in the namespace\n");
		return -1;
	}
	c->ifindex_a = (int)if_nametoindex("a");
	assert_true(c->ifindex_a > 0);
	assert_int_equal(inet_pton(AF_INET6, "fe80::a", &c->ll_a), 1);

	/* The MAC as the kernel has it, not as we asked for it. */
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "a");
	assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	memcpy(c->mac_a, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return 0;
}

static int group_teardown(void **state)
{
	struct ctx *c = *state;

	/* The namespace dies with this process; deleting the pair is tidiness. */
	if (c->ifindex_a > 0)
		sh("ip link del dev a");
	free(c);
	return 0;
}

/* The lladdr of b's neighbour entry for `addr` ("" when there is none). */
static void neigh_lladdr(const char *addr, char *buf, size_t size)
{
	char cmd[128], line[256];

	snprintf(cmd, sizeof(cmd), "ip neigh show %s dev b 2>/dev/null", addr);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf[0] = 0;
	while (fgets(line, sizeof(line), p)) {
		char *ll = strstr(line, "lladdr ");
		if (ll) {
			snprintf(buf, size, "%.17s", ll + 7);
			break;
		}
	}
	pclose(p);
}

/* Poll until b's entry for `addr` has `mac` (2 s at most): the frame goes
 * through b's backlog asynchronously.  Returns whether it got there. */
static bool wait_neigh(const char *addr, const char *mac)
{
	char have[32] = "";
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 200; i++) {
		neigh_lladdr(addr, have, sizeof(have));
		if (strcmp(have, mac) == 0)
			return true;
		nanosleep(&tick, NULL);
	}
	print_message("# %s: lladdr '%s', wanted %s\n", addr, have, mac);
	return false;
}

static void assert_neigh(const char *addr, const char *mac)
{
	char have[32];
	neigh_lladdr(addr, have, sizeof(have));
	assert_string_equal(have, mac);
}


static void test_garp_updates_existing_entry(void **state)
{
	struct ctx *c = *state;
	int err = 0;

	/* arp_accept=0, the default: Linux takes a gratuitous ARP request as an
	 * update of an entry it already has (this is what moves clients over to
	 * a new master) but creates no entry from it; see the next test. */
	assert_int_equal(sh("sysctl -qw net.ipv4.conf.b.arp_accept=0"), 0);
	assert_int_equal(sh("ip neigh replace 10.99.0.100 dev b lladdr " MAC_OLD " nud stale"), 0);
	sh("ip neigh del 10.99.0.102 dev b 2>/dev/null || true");

	struct vrrp_announcer *a = vrrp_announcer_open(c->ifindex_a, &err);
	assert_non_null(a);
	assert_int_equal(vrrp_announcer_ifindex(a), c->ifindex_a);
	/* .102 first: when .100 has moved, .102's frame has been handled too */
	assert_int_equal(vrrp_announcer_send_garp(a, c->mac_a, ip4("10.99.0.102")), 0);
	assert_int_equal(vrrp_announcer_send_garp(a, c->mac_a, ip4("10.99.0.100")), 0);
	assert_true(wait_neigh("10.99.0.100", MAC_A));
	assert_neigh("10.99.0.102", "");
	assert_null(vrrp_announcer_free(a));
}

static void test_garp_creates_entry_with_arp_accept(void **state)
{
	struct ctx *c = *state;
	int err = 0;

	/* arp_accept=1 lets a gratuitous ARP create a missing entry, so hosts
	 * that never talked to the VIP learn it too (and the test needs no
	 * stale entry to see the GARP arrive). */
	sh("ip neigh del 10.99.0.101 dev b 2>/dev/null || true");
	assert_int_equal(sh("sysctl -qw net.ipv4.conf.b.arp_accept=1"), 0);
	struct vrrp_announcer *a = vrrp_announcer_open(c->ifindex_a, &err);
	assert_non_null(a);
	assert_int_equal(vrrp_announcer_send_garp(a, c->mac_a, ip4("10.99.0.101")), 0);
	assert_true(wait_neigh("10.99.0.101", MAC_A));
	vrrp_announcer_free(a);
	assert_int_equal(sh("sysctl -qw net.ipv4.conf.b.arp_accept=0"), 0);
}

/* Send a frame the announcer would never send (the controls below). */
static void send_raw(int ifindex, const uint8_t *frame, size_t len)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_IPV6),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	memcpy(sll.sll_addr, frame, 6);
	assert_int_equal(sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)),
			 (ssize_t)len);
	close(fd);
}

/* Rewrite the ICMPv6 checksum of an NA frame after editing it. */
static void na_fix_checksum(uint8_t *f)
{
	uint8_t *ip = f + 14, *icmp = ip + 40;
	uint32_t sum = 32 + 58;

	icmp[2] = icmp[3] = 0;
	for (size_t i = 8; i < 40; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	for (size_t i = 0; i < 32; i += 2)
		sum += (uint32_t)icmp[i] << 8 | icmp[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	icmp[2] = (uint8_t)(~sum >> 8);
	icmp[3] = (uint8_t)~sum;
}

static void test_na_updates_existing_entry(void **state)
{
	struct ctx *c = *state;
	struct in6_addr vip = ip6("fd00:99::100"), sentinel = ip6("fd00:99::101");
	int err = 0;

	assert_int_equal(sh("ip -6 neigh replace fd00:99::100 dev b lladdr " MAC_OLD " nud stale"), 0);
	assert_int_equal(sh("ip -6 neigh replace fd00:99::101 dev b lladdr " MAC_OLD " nud stale"), 0);

	struct vrrp_announcer *a = vrrp_announcer_open(c->ifindex_a, &err);
	assert_non_null(a);
	assert_int_equal(vrrp_announcer_send_na(a, c->mac_a, &c->ll_a, &vip, false), 0);
	/* the Override flag is what makes Linux replace the lladdr of a STALE
	 * entry (RFC 4861 7.2.5); without it the NA is ignored, see below */
	assert_true(wait_neigh("fd00:99::100", MAC_A));

	/* Controls, each naming another MAC for the VIP: an NA with a broken
	 * checksum and a valid NA without Override must both leave the entry
	 * alone.  A valid NA for the sentinel, sent last, tells when the kernel
	 * has handled them. */
	static const uint8_t mac_c[6] = { 2, 0, 0, 0, 0, 0x0c }, mac_d[6] = { 2, 0, 0, 0, 0, 0x0d };
	uint8_t bad_sum[VRRP_NA_LEN], no_override[VRRP_NA_LEN];
	assert_int_equal(vrrp_na_build(bad_sum, sizeof(bad_sum), mac_c, &c->ll_a, &vip, false),
			 VRRP_NA_LEN);
	bad_sum[14 + 40 + 3] ^= 0x40;
	assert_int_equal(vrrp_na_build(no_override, sizeof(no_override), mac_d, &c->ll_a, &vip,
				       false), VRRP_NA_LEN);
	no_override[14 + 40 + 4] &= (uint8_t)~0x20;
	na_fix_checksum(no_override);
	send_raw(c->ifindex_a, bad_sum, sizeof(bad_sum));
	send_raw(c->ifindex_a, no_override, sizeof(no_override));
	assert_int_equal(vrrp_announcer_send_na(a, c->mac_a, &c->ll_a, &sentinel, true), 0);
	assert_true(wait_neigh("fd00:99::101", MAC_A));
	assert_neigh("fd00:99::100", MAC_A);

	/* and the no-Override frame is otherwise fine: with Override it moves the entry */
	no_override[14 + 40 + 4] |= 0x20;
	na_fix_checksum(no_override);
	send_raw(c->ifindex_a, no_override, sizeof(no_override));
	assert_true(wait_neigh("fd00:99::100", "02:00:00:00:00:0d"));
	assert_null(vrrp_announcer_free(a));
}

static void test_open_unknown_interface(void **state)
{
	int err = 0;

	assert_null(vrrp_announcer_open(999999, &err));
	assert_int_equal(err, -ENODEV);
}

/* Why the tests cannot run here, or NULL; on NULL we are in a fresh namespace. */
static const char *precondition(char *buf, size_t size)
{
	if (geteuid() != 0)
		return "not root (needs CAP_NET_ADMIN and CAP_NET_RAW)";
	if (system("command -v ip >/dev/null 2>&1") != 0)
		return "no ip(8) (Debian package iproute2)";
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(buf, size, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return buf;
	}
	return NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp_updates_existing_entry),
		cmocka_unit_test(test_garp_creates_entry_with_arp_accept),
		cmocka_unit_test(test_na_updates_existing_entry),
		cmocka_unit_test(test_open_unknown_interface),
	};
	char buf[256];
	const char *why = precondition(buf, sizeof(buf));

	if (why) {
		printf("1..0 # SKIP %s\n", why);
		return 0;
	}
	/* From here on everything happens in our private namespace. */
	return cmocka_run_group_tests_name("vrrp_announce_netns", tests, group_setup,
					   group_teardown);
}
