/* Unit tests of vrrp_announce (frame builders) and vrrp_announce_sched (the
 * garp_* schedule).  No root needed.  What tshark makes of the frames is
 * test-vrrp-announce-tshark.c. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "tests/unit/test-inet-util.h"

#include "daemon/config_types.h"
#include "vrrp/vrrp_announce.h"
#include "vrrp/vrrp_announce_sched.h"

#define MSEC 1000ULL
#define SEC 1000000ULL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- frame builders ---------------------------------------------------- */

/* The gratuitous ARPs Debian's keepalived 2.2.7 sent for VIP 10.99.0.100 in
 * two runs (tcpdump -XX on the bridge, 42 bytes, no padding). */
static const uint8_t keepalived_garp_1[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x42, 0x06, 0x61, 0x34, 0xb2, 0xdb, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x42, 0x06, 0x61, 0x34, 0xb2, 0xdb,
	0x0a, 0x63, 0x00, 0x64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x63, 0x00, 0x64,
};
static const uint8_t keepalived_garp_2[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa2, 0x8e, 0xaf, 0x56, 0xb0, 0x9c, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0xa2, 0x8e, 0xaf, 0x56, 0xb0, 0x9c,
	0x0a, 0x63, 0x00, 0x64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x63, 0x00, 0x64,
};


static void test_garp_golden(void **state)
{
	const struct {
		const uint8_t *frame;
		uint8_t mac[6];
	} cases[] = {
		{ keepalived_garp_1, { 0x42, 0x06, 0x61, 0x34, 0xb2, 0xdb } },
		{ keepalived_garp_2, { 0xa2, 0x8e, 0xaf, 0x56, 0xb0, 0x9c } },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t buf[64];
		memset(buf, 0xaa, sizeof(buf));
		assert_int_equal(vrrp_garp_build(buf, sizeof(buf), cases[i].mac, ip4("10.99.0.100")),
				 VRRP_GARP_LEN);
		assert_memory_equal(buf, cases[i].frame, VRRP_GARP_LEN);
		assert_int_equal(buf[VRRP_GARP_LEN], 0xaa);  /* nothing written past the end */
	}
}

static void test_garp_errors(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t buf[VRRP_GARP_LEN];

	assert_int_equal(vrrp_garp_build(buf, VRRP_GARP_LEN - 1, mac, ip4("10.0.0.1")), -ENOSPC);
	assert_int_equal(vrrp_garp_build(buf, 0, mac, ip4("10.0.0.1")), -ENOSPC);
	assert_int_equal(vrrp_garp_build(NULL, sizeof(buf), mac, ip4("10.0.0.1")), -EINVAL);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), NULL, ip4("10.0.0.1")), -EINVAL);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac, ip4("0.0.0.0")), -EINVAL);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac, ip4("10.0.0.1")), VRRP_GARP_LEN);
}

/* Verification the way a receiver does it, not the way the builder computes
 * it: the one's-complement sum of pseudo-header plus message, checksum field
 * included, must be 0xffff (RFC 1071 section 1). */
static uint16_t icmp6_verify_sum(const uint8_t *ip6hdr, const uint8_t *msg, size_t len)
{
	uint8_t pseudo[40 + 128];
	assert_true(len <= 128);
	memcpy(pseudo, ip6hdr + 8, 32);           /* source, destination */
	pseudo[32] = 0;
	pseudo[33] = 0;
	pseudo[34] = (uint8_t)(len >> 8);
	pseudo[35] = (uint8_t)len;
	pseudo[36] = pseudo[37] = pseudo[38] = 0;
	pseudo[39] = 58;
	memcpy(pseudo + 40, msg, len);

	size_t total = 40 + len;
	uint64_t sum = 0;
	for (size_t i = 0; i < total; i += 2)
		sum += (uint16_t)(pseudo[i] << 8 | (i + 1 < total ? pseudo[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void check_na(const uint8_t *f, const uint8_t mac[6], const struct in6_addr *src,
		     const struct in6_addr *vip, bool router)
{
	static const uint8_t dst_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	const struct in6_addr all_nodes = ip6("ff02::1");

	/* Ethernet */
	assert_memory_equal(f, dst_mac, 6);
	assert_memory_equal(f + 6, mac, 6);
	assert_int_equal(f[12] << 8 | f[13], 0x86dd);
	/* IPv6 */
	const uint8_t *ip = f + 14;
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(ip[1] | ip[2] | ip[3], 0);
	assert_int_equal(ip[4] << 8 | ip[5], 32);          /* NA 24 + option 8 */
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, src, 16);
	assert_memory_equal(ip + 24, &all_nodes, 16);
	/* ICMPv6 NA */
	const uint8_t *na = ip + 40;
	assert_int_equal(na[0], 136);
	assert_int_equal(na[1], 0);
	assert_int_equal(na[4], router ? 0xa0 : 0x20);     /* R, S=0, O=1 */
	assert_int_equal(na[5] | na[6] | na[7], 0);
	assert_memory_equal(na + 8, vip, 16);
	/* Target Link-Layer Address option */
	assert_int_equal(na[24], 2);
	assert_int_equal(na[25], 1);
	assert_memory_equal(na + 26, mac, 6);
	assert_int_equal(icmp6_verify_sum(ip, na, 32), 0xffff);
}

static void test_na_fields_and_checksum(void **state)
{
	const struct {
		uint8_t mac[6];
		const char *src, *vip;
		bool router;
	} cases[] = {
		{ { 0x42, 0x06, 0x61, 0x34, 0xb2, 0xdb }, "fe80::4006:61ff:fe34:b2db", "fd00:99::100", false },
		{ { 0xa2, 0x8e, 0xaf, 0x56, 0xb0, 0x9c }, "fe80::1", "2001:db8::ffff:1", true },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe }, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", false },
		{ { 0, 0, 0, 0, 0, 1 }, "fe80::", "::1", true },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t buf[VRRP_NA_LEN + 1];
		struct in6_addr src = ip6(cases[i].src), vip = ip6(cases[i].vip);

		buf[VRRP_NA_LEN] = 0xaa;
		assert_int_equal(vrrp_na_build(buf, VRRP_NA_LEN, cases[i].mac, &src, &vip,
					       cases[i].router), VRRP_NA_LEN);
		assert_int_equal(buf[VRRP_NA_LEN], 0xaa);
		check_na(buf, cases[i].mac, &src, &vip, cases[i].router);
	}
}

/* The same checksum computed by hand once, so a symmetric mistake in both the
 * builder and the verifier above (e.g. a wrong pseudo-header layout used by
 * both) would still be caught. */
static void test_na_checksum_known_value(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	struct in6_addr src = ip6("fe80::a"), vip = ip6("fd00::1");
	uint8_t buf[VRRP_NA_LEN];

	/* Words: src fe80+000a, dst ff02+0001, length 0020, next header 003a,
	 * 8800 (type, code), 2000 (flags), fd00+0001, 0201 (option), 0200 0000 000a.
	 * fe80+000a+ff02+0001+0020+003a+8800+2000+fd00+0001+0201+0200+000a
	 * = 0x3a6f3 -> 0xa6f6, complement 0x5909. */
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &src, &vip, false), VRRP_NA_LEN);
	assert_int_equal(buf[14 + 40 + 2] << 8 | buf[14 + 40 + 3], 0x5909);
}

static void test_na_errors(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct in6_addr ll = ip6("fe80::1"), vip = ip6("fd00::1");
	struct in6_addr global = ip6("2001:db8::1"), mcast = ip6("ff02::1"), any = ip6("::");
	uint8_t buf[VRRP_NA_LEN];

	assert_int_equal(vrrp_na_build(buf, VRRP_NA_LEN - 1, mac, &ll, &vip, false), -ENOSPC);
	assert_int_equal(vrrp_na_build(NULL, sizeof(buf), mac, &ll, &vip, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), NULL, &ll, &vip, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, NULL, &vip, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &ll, NULL, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &global, &vip, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &ll, &mcast, false), -EINVAL);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &ll, &any, false), -EINVAL);
}

static void test_announcer_bad_args(void **state)
{
	int err = 0;

	assert_null(vrrp_announcer_open(0, &err));
	assert_int_equal(err, -EINVAL);
	assert_null(vrrp_announcer_open(-3, NULL));
	assert_null(vrrp_announcer_free(NULL));
	assert_int_equal(vrrp_announcer_send_garp(NULL, (const uint8_t[6]) { 2 }, ip4("10.0.0.1")),
			 -EINVAL);
}

/* ---- schedule ----------------------------------------------------------- */

struct burst {
	uint64_t at;
	unsigned rounds;
};

/* Drive the schedule the way the VRRP child does (a timer at _next(), send
 * _due() rounds), from `t0` until `until`, and compare the bursts seen. */
static void run_sched(struct vrrp_announce_sched *s, uint64_t until, const struct burst *want,
		      size_t n_want)
{
	size_t seen = 0;

	for (;;) {
		uint64_t t = vrrp_announce_sched_next(s);
		if (t == UINT64_MAX || t > until)
			break;
		unsigned r = vrrp_announce_sched_due(s, t);
		if (r == 0)
			continue;
		assert_true(seen < n_want);
		if (want[seen].at != t || want[seen].rounds != r)
			fail_msg("burst %zu: got %u rounds at %llu us, want %u at %llu us", seen, r,
				 (unsigned long long)t, want[seen].rounds,
				 (unsigned long long)want[seen].at);
		seen++;
	}
	assert_int_equal(seen, n_want);
}

static void test_sched_default(void **state)
{
	/* keepalived's defaults: 5 at once, 5 more after 5 s, nothing after */
	const struct vrrp_announce_params p = { .repeat = 5, .delay_us = 5 * SEC,
						.refresh_repeat = 1 };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const uint64_t t0 = 1234 * SEC + 17;

	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	assert_int_equal(vrrp_announce_sched_due(&s, t0), 0);
	vrrp_announce_sched_start(&s, &p, t0);
	assert_int_equal(vrrp_announce_sched_next(&s), t0);
	assert_int_equal(vrrp_announce_sched_due(&s, t0), 5);
	assert_int_equal(vrrp_announce_sched_next(&s), t0 + 5 * SEC);
	assert_int_equal(vrrp_announce_sched_due(&s, t0 + 5 * SEC - 1), 0);
	assert_int_equal(vrrp_announce_sched_due(&s, t0 + 5 * SEC), 5);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	assert_int_equal(vrrp_announce_sched_due(&s, t0 + 3600 * SEC), 0);

	/* a late timer still gets the whole second burst */
	vrrp_announce_sched_start(&s, &p, t0);
	assert_int_equal(vrrp_announce_sched_due(&s, t0 + 100), 5);
	assert_int_equal(vrrp_announce_sched_due(&s, t0 + 9 * SEC), 5);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
}

static void test_sched_no_delay(void **state)
{
	const struct vrrp_announce_params p = { .repeat = 5 };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const struct burst want[] = { { 0, 5 } };

	vrrp_announce_sched_start(&s, &p, 0);
	run_sched(&s, 3600 * SEC, want, ARRAY_SIZE(want));
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
}

static void test_sched_min_garp(void **state)
{
	/* vrrp_min_garp: repeat 1, delay 0 */
	const struct vrrp_announce_params p = { .repeat = 1 };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const struct burst want[] = { { 10, 1 } };

	vrrp_announce_sched_start(&s, &p, 10);
	run_sched(&s, 3600 * SEC, want, ARRAY_SIZE(want));
}

static void test_sched_repeat_zero(void **state)
{
	/* nothing at all, even with a delay: the delay only repeats the burst */
	const struct vrrp_announce_params p = { .repeat = 0, .delay_us = 5 * SEC };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;

	vrrp_announce_sched_start(&s, &p, 0);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	assert_int_equal(vrrp_announce_sched_due(&s, 0), 0);
	assert_int_equal(vrrp_announce_sched_due(&s, 10 * SEC), 0);
}

static void test_sched_zeroed_is_idle(void **state)
{
	/* instances are xzalloc'd: a zeroed schedule must not look due (a
	 * timer at 0 that re-arms itself forever) */
	struct vrrp_announce_sched s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	assert_int_equal(vrrp_announce_sched_due(&s, 0), 0);
	assert_int_equal(vrrp_announce_sched_due(&s, 3600 * SEC), 0);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	vrrp_announce_sched_stop(&s);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
}

static void test_sched_refresh(void **state)
{
	const struct vrrp_announce_params p = { .repeat = 5, .delay_us = 5 * SEC,
						.refresh_us = 60 * SEC, .refresh_repeat = 2 };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const struct burst want[] = {
		{ 0, 5 }, { 5 * SEC, 5 }, { 60 * SEC, 2 }, { 120 * SEC, 2 }, { 180 * SEC, 2 },
	};

	vrrp_announce_sched_start(&s, &p, 0);
	run_sched(&s, 200 * SEC, want, ARRAY_SIZE(want));
	assert_int_equal(vrrp_announce_sched_next(&s), 240 * SEC);

	/* a caller 130 s late gets one refresh, not two, and the period restarts */
	assert_int_equal(vrrp_announce_sched_due(&s, 370 * SEC), 2);
	assert_int_equal(vrrp_announce_sched_next(&s), 430 * SEC);

	/* leaving MASTER */
	vrrp_announce_sched_stop(&s);
	assert_int_equal(vrrp_announce_sched_next(&s), UINT64_MAX);
	assert_int_equal(vrrp_announce_sched_due(&s, 1000 * SEC), 0);
}

static void test_sched_refresh_meets_delay(void **state)
{
	/* refresh and second burst due at the same time: both, in one go */
	const struct vrrp_announce_params p = { .repeat = 3, .delay_us = 5 * SEC,
						.refresh_us = 5 * SEC, .refresh_repeat = 1 };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const struct burst want[] = { { 0, 3 }, { 5 * SEC, 4 }, { 10 * SEC, 1 }, { 15 * SEC, 1 } };

	vrrp_announce_sched_start(&s, &p, 0);
	run_sched(&s, 15 * SEC, want, ARRAY_SIZE(want));
}

static void test_sched_interval(void **state)
{
	/* vrrp_garp_interval 100 ms: every round on its own */
	const struct vrrp_announce_params p = { .repeat = 3, .delay_us = 1 * SEC,
						.interval_us = 100 * MSEC };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	const struct burst want[] = {
		{ 0, 1 }, { 100 * MSEC, 1 }, { 200 * MSEC, 1 },
		{ 1 * SEC, 1 }, { 1100 * MSEC, 1 }, { 1200 * MSEC, 1 },
	};

	vrrp_announce_sched_start(&s, &p, 0);
	run_sched(&s, 3600 * SEC, want, ARRAY_SIZE(want));

	/* early wake-ups send nothing; a late one sends one round, and the next
	 * is a full interval after it (no catch-up burst) */
	vrrp_announce_sched_start(&s, &p, 0);
	assert_int_equal(vrrp_announce_sched_due(&s, 0), 1);
	assert_int_equal(vrrp_announce_sched_due(&s, 50 * MSEC), 0);
	assert_int_equal(vrrp_announce_sched_next(&s), 100 * MSEC);
	assert_int_equal(vrrp_announce_sched_due(&s, 450 * MSEC), 1);
	assert_int_equal(vrrp_announce_sched_next(&s), 550 * MSEC);
	assert_int_equal(vrrp_announce_sched_due(&s, 500 * MSEC), 0);
}

static void test_sched_interval_longer_than_delay(void **state)
{
	/* 5 rounds 2 s apart overrun the 5 s delay: the second burst queues
	 * behind the first and the spacing holds throughout */
	const struct vrrp_announce_params p = { .repeat = 5, .delay_us = 5 * SEC,
						.interval_us = 2 * SEC };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;
	struct burst want[10];

	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		want[i] = (struct burst) { i * 2 * SEC, 1 };
	vrrp_announce_sched_start(&s, &p, 0);
	run_sched(&s, 3600 * SEC, want, ARRAY_SIZE(want));
}

static void test_sched_restart(void **state)
{
	/* a dual-master episode ends: start again, the old schedule is forgotten */
	const struct vrrp_announce_params p = { .repeat = 5, .delay_us = 5 * SEC };
	const struct vrrp_announce_params lower = { .repeat = 2, .delay_us = 3 * SEC };
	struct vrrp_announce_sched s = VRRP_ANNOUNCE_SCHED_INIT;

	vrrp_announce_sched_start(&s, &p, 0);
	assert_int_equal(vrrp_announce_sched_due(&s, 0), 5);
	vrrp_announce_sched_start(&s, &lower, 2 * SEC);
	const struct burst want[] = { { 2 * SEC, 2 }, { 5 * SEC, 2 } };
	run_sched(&s, 3600 * SEC, want, ARRAY_SIZE(want));

	/* a stop and a new mastership */
	vrrp_announce_sched_stop(&s);
	vrrp_announce_sched_start(&s, &p, 100 * SEC);
	const struct burst again[] = { { 100 * SEC, 5 }, { 105 * SEC, 5 } };
	run_sched(&s, 3600 * SEC, again, ARRAY_SIZE(again));
}

static void test_params_from_config(void **state)
{
	struct config_vrrp_instance vi;
	struct config_global g;
	struct vrrp_announce_params p;

	memset(&vi, 0, sizeof(vi));
	memset(&g, 0, sizeof(g));
	vi.garp_master_repeat = 5;
	vi.garp_master_delay_us = 5 * SEC;
	vi.garp_lower_prio_repeat = 2;
	vi.garp_lower_prio_delay_us = 1 * SEC;
	vi.garp_master_refresh_us = 60 * SEC;
	vi.garp_master_refresh_repeat = 3;
	g.vrrp_garp_interval_us = 10 * MSEC;
	g.vrrp_gna_interval_us = 20 * MSEC;

	vrrp_announce_params_master(&p, &vi, &g, AF_INET);
	assert_int_equal(p.repeat, 5);
	assert_int_equal(p.delay_us, 5 * SEC);
	assert_int_equal(p.refresh_us, 60 * SEC);
	assert_int_equal(p.refresh_repeat, 3);
	assert_int_equal(p.interval_us, 10 * MSEC);

	vrrp_announce_params_master(&p, &vi, &g, AF_INET6);
	assert_int_equal(p.interval_us, 20 * MSEC);

	vrrp_announce_params_lower_prio(&p, &vi, &g, AF_INET6);
	assert_int_equal(p.repeat, 2);
	assert_int_equal(p.delay_us, 1 * SEC);
	assert_int_equal(p.refresh_us, 60 * SEC);
	assert_int_equal(p.interval_us, 20 * MSEC);

	vrrp_announce_params_master(&p, &vi, NULL, AF_INET);
	assert_int_equal(p.interval_us, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp_golden),
		cmocka_unit_test(test_garp_errors),
		cmocka_unit_test(test_na_fields_and_checksum),
		cmocka_unit_test(test_na_checksum_known_value),
		cmocka_unit_test(test_na_errors),
		cmocka_unit_test(test_announcer_bad_args),
		cmocka_unit_test(test_sched_default),
		cmocka_unit_test(test_sched_no_delay),
		cmocka_unit_test(test_sched_min_garp),
		cmocka_unit_test(test_sched_repeat_zero),
		cmocka_unit_test(test_sched_zeroed_is_idle),
		cmocka_unit_test(test_sched_refresh),
		cmocka_unit_test(test_sched_refresh_meets_delay),
		cmocka_unit_test(test_sched_interval),
		cmocka_unit_test(test_sched_interval_longer_than_delay),
		cmocka_unit_test(test_sched_restart),
		cmocka_unit_test(test_params_from_config),
	};
	return cmocka_run_group_tests_name("vrrp_announce", tests, NULL, NULL);
}
