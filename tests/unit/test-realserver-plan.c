/* The pure half of `lbha realserver`: wants per mode, planning against what
 * is there, the wording of each line, and the undo decisions. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/realserver_plan.h"

static struct config_addr addr(const char *s)
{
	struct config_addr a;
	assert_int_equal(config_addr_parse(s, &a), 0);
	return a;
}

/* The wants as "kind name" strings, for whole-list comparisons. */
static void assert_wants(const struct rs_want *w, size_t n, const char *const *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		char buf[160];
		snprintf(buf, sizeof(buf), "%s %s", rs_kind_to_string(w[i].kind), w[i].name);
		assert_string_equal(buf, want[i]);
	}
}

static void test_mode_strings(void **state)
{
	(void)state;
	assert_int_equal(rs_mode_from_string("dr"), RS_MODE_DR);
	assert_int_equal(rs_mode_from_string("TUN"), RS_MODE_TUN);
	assert_int_equal(rs_mode_from_string("nat"), _RS_MODE_INVALID);
	assert_int_equal(rs_mode_from_string(NULL), _RS_MODE_INVALID);
	assert_string_equal(rs_mode_to_string(RS_MODE_TUN), "tun");
	assert_null(rs_mode_to_string(_RS_MODE_MAX));
	assert_int_equal(rs_kind_from_string("addr"), RS_ADDR);
	assert_int_equal(rs_kind_from_string("route"), _RS_KIND_INVALID);
}

static void test_dr_ipv4(void **state)
{
	(void)state;
	struct config_addr v[] = { addr("10.0.0.100"), addr("10.0.0.101"), addr("10.0.0.100") };
	struct rs_want *w;
	size_t n;
	static const char *const want[] = {
		"sysctl net.ipv4.conf.all.arp_ignore", "sysctl net.ipv4.conf.all.arp_announce",
		"sysctl net.ipv4.conf.lo.arp_ignore", "sysctl net.ipv4.conf.lo.arp_announce",
		"link lo", "addr lo", "addr lo",
	};

	assert_int_equal(rs_wants(RS_MODE_DR, v, 3, &w, &n), 0);
	assert_wants(w, n, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(w[0].value, 1);
	assert_int_equal(w[1].value, 2);
	assert_string_equal(w[0].fallback, "");
	assert_true(config_addr_equal(&w[5].addr, &v[0]));
	assert_int_equal(w[5].prefixlen, 32);
	assert_true(config_addr_equal(&w[6].addr, &v[1]));
	free(w);
}

static void test_dr_ipv6_needs_no_sysctl(void **state)
{
	(void)state;
	struct config_addr v[] = { addr("2001:db8::100") };
	struct rs_want *w;
	size_t n;
	static const char *const want[] = { "link lo", "addr lo" };

	assert_int_equal(rs_wants(RS_MODE_DR, v, 1, &w, &n), 0);
	assert_wants(w, n, want, 2);
	assert_int_equal(w[1].prefixlen, 128);
	free(w);
}

static void test_tun_both_families(void **state)
{
	(void)state;
	struct config_addr v[] = { addr("2001:db8::100"), addr("10.0.0.100") };
	struct rs_want *w;
	size_t n;
	static const char *const want[] = {
		"module ipip", "module ip6_tunnel",
		"sysctl net.ipv4.conf.all.arp_ignore", "sysctl net.ipv4.conf.all.arp_announce",
		"sysctl net.ipv4.conf.all.rp_filter", "sysctl net.ipv4.conf.tunl0.rp_filter",
		"link tunl0", "link ip6tnl0", "addr ip6tnl0", "addr tunl0",
	};

	assert_int_equal(rs_wants(RS_MODE_TUN, v, 2, &w, &n), 0);
	assert_wants(w, n, want, sizeof(want) / sizeof(want[0]));
	assert_string_equal(w[0].ifname, "tunl0");
	assert_string_equal(w[1].ifname, "ip6tnl0");
	assert_int_equal(w[4].value, 0);
	assert_string_equal(w[4].fallback, "");
	/* tunl0's key may not exist before ipip is loaded */
	assert_string_equal(w[5].fallback, "net.ipv4.conf.default.rp_filter");
	assert_string_equal(w[5].ifname, "tunl0");
	free(w);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct config_addr v[] = { { .family = AF_UNSPEC } };
	struct rs_want *w = NULL;
	size_t n = 0;

	assert_int_equal(rs_wants(RS_MODE_DR, v, 1, &w, &n), -EINVAL);
	assert_int_equal(rs_wants(_RS_MODE_MAX, NULL, 0, &w, &n), -EINVAL);
	assert_null(w);
}

static void test_sysctl_values_that_satisfy(void **state)
{
	(void)state;
	struct config_addr v[] = { addr("10.0.0.100") };
	struct rs_want *w;
	size_t n;

	assert_int_equal(rs_wants(RS_MODE_DR, v, 1, &w, &n), 0);
	const struct rs_want *ign = &w[0], *ann = &w[1];
	static const struct {
		int value;
		bool ignore_ok, announce_ok;
	} rows[] = {
		{ 0, false, false }, { 1, true, false }, { 2, true, true }, { 3, true, false },
		{ 4, false, false }, { 7, false, false }, { 8, true, false }, { 40, false, false },
		{ -1, false, false },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rs_have h = { .present = true, .value = rows[i].value };
		assert_int_equal(rs_want_satisfied(ign, &h), rows[i].ignore_ok);
		assert_int_equal(rs_want_satisfied(ann, &h), rows[i].announce_ok);
	}
	struct rs_have missing = { .present = false, .value = 1 };
	assert_false(rs_want_satisfied(ign, &missing));
	free(w);
}

static void test_plan_only_what_differs(void **state)
{
	(void)state;
	struct config_addr v[] = { addr("10.0.0.100") };
	struct rs_want *w;
	size_t n;

	assert_int_equal(rs_wants(RS_MODE_DR, v, 1, &w, &n), 0);
	assert_int_equal(n, 6);
	/* all.arp_ignore 0, all.arp_announce 2, lo 2/2, lo down, VIP missing */
	struct rs_have h[6] = {
		{ true, 0 }, { true, 2 }, { true, 2 }, { true, 2 }, { true, 0 }, { false, 0 },
	};
	struct rs_change c[6];
	char line[160];

	size_t k = rs_plan(w, h, n, c);
	assert_int_equal(k, 3);
	assert_string_equal(rs_change_describe(&c[0], RS_DONE, line, sizeof(line)),
			    "set net.ipv4.conf.all.arp_ignore 0 -> 1");
	assert_string_equal(rs_change_describe(&c[1], RS_DONE, line, sizeof(line)),
			    "brought lo up");
	assert_string_equal(rs_change_describe(&c[2], RS_DONE, line, sizeof(line)),
			    "added 10.0.0.100/32 to lo");
	assert_string_equal(rs_change_describe(&c[2], RS_WOULD, line, sizeof(line)),
			    "would add 10.0.0.100/32 to lo");

	/* everything in place: nothing to do */
	struct rs_have all[6] = {
		{ true, 1 }, { true, 2 }, { true, 8 }, { true, 2 }, { true, 1 }, { true, 0 },
	};
	assert_int_equal(rs_plan(w, all, n, c), 0);
	free(w);
}

static void test_describe_tun(void **state)
{
	(void)state;
	struct rs_change m = { .kind = RS_MODULE, .name = "ipip" };
	struct rs_change s = { .kind = RS_SYSCTL, .name = "net.ipv4.conf.tunl0.rp_filter",
			       .old_known = false, .new_value = 0 };
	struct rs_change a = { .kind = RS_ADDR, .name = "ip6tnl0", .addr = addr("2001:db8::1"),
			       .prefixlen = 128 };
	char line[160];

	assert_string_equal(rs_change_describe(&m, RS_DONE, line, sizeof(line)),
			    "loaded module ipip");
	assert_string_equal(rs_change_describe(&m, RS_WOULD, line, sizeof(line)),
			    "would load module ipip");
	assert_string_equal(rs_change_describe(&s, RS_WOULD, line, sizeof(line)),
			    "would set net.ipv4.conf.tunl0.rp_filter (none) -> 0");
	assert_string_equal(rs_change_describe(&a, RS_DONE, line, sizeof(line)),
			    "added 2001:db8::1/128 to ip6tnl0");
}

static void test_sysctl_keys_and_paths(void **state)
{
	(void)state;
	char key[RS_NAME_MAX], path[256], tiny[8];

	assert_string_equal(rs_sysctl_conf_key("ipv4", "eth0.100", "rp_filter", key, sizeof(key)),
			    "net.ipv4.conf.eth0/100.rp_filter");
	assert_string_equal(rs_sysctl_path(key, path, sizeof(path)),
			    "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
	assert_string_equal(rs_sysctl_path("net.ipv4.ip_forward", path, sizeof(path)),
			    "/proc/sys/net/ipv4/ip_forward");
	assert_null(rs_sysctl_conf_key("ipv4", "lo", "arp_ignore", tiny, sizeof(tiny)));
	assert_null(rs_sysctl_path("net.ipv4.ip_forward", tiny, sizeof(tiny)));
}

static void test_undo_decisions(void **state)
{
	(void)state;
	struct rs_change s = { .kind = RS_SYSCTL, .name = "net.ipv4.conf.all.arp_ignore",
			       .old_known = true, .old_value = 0, .new_value = 1 };
	struct rs_change unknown = s;
	struct rs_change a = { .kind = RS_ADDR, .name = "lo", .addr = addr("10.0.0.100"),
			       .prefixlen = 32 };
	struct rs_change l = { .kind = RS_LINK_UP, .name = "tunl0" };
	struct rs_change m = { .kind = RS_MODULE, .name = "ipip" };
	unknown.old_known = false;
	const struct {
		const struct rs_change *c;
		struct rs_have now;
		enum rs_undo want;
	} rows[] = {
		{ &s, { true, 1 }, RS_UNDO_RESTORE },
		{ &s, { true, 0 }, RS_UNDO_ALREADY },
		{ &s, { true, 3 }, RS_UNDO_CHANGED },
		{ &s, { false, 0 }, RS_UNDO_ALREADY },
		{ &unknown, { true, 1 }, RS_UNDO_CHANGED },
		{ &a, { true, 0 }, RS_UNDO_RESTORE },
		{ &a, { false, 0 }, RS_UNDO_ALREADY },
		{ &l, { true, 1 }, RS_UNDO_RESTORE },
		{ &l, { true, 0 }, RS_UNDO_ALREADY },
		{ &l, { false, 0 }, RS_UNDO_ALREADY },
		{ &m, { true, 1 }, RS_UNDO_KEEP },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(rs_undo_decide(rows[i].c, &rows[i].now), rows[i].want);
}

static void test_undo_wording(void **state)
{
	(void)state;
	struct rs_change s = { .kind = RS_SYSCTL, .name = "net.ipv4.conf.all.arp_ignore",
			       .old_known = true, .old_value = 0, .new_value = 1 };
	struct rs_change a = { .kind = RS_ADDR, .name = "lo", .addr = addr("10.0.0.100"),
			       .prefixlen = 32 };
	struct rs_change l = { .kind = RS_LINK_UP, .name = "lo" };
	struct rs_change m = { .kind = RS_MODULE, .name = "ipip" };
	struct rs_have one = { true, 1 }, zero = { true, 0 }, three = { true, 3 };
	char line[200];

	assert_string_equal(rs_undo_describe(&s, RS_UNDO_RESTORE, &one, RS_DONE, line, sizeof(line)),
			    "restored net.ipv4.conf.all.arp_ignore 1 -> 0");
	assert_string_equal(rs_undo_describe(&s, RS_UNDO_RESTORE, &one, RS_WOULD, line, sizeof(line)),
			    "would restore net.ipv4.conf.all.arp_ignore 1 -> 0");
	assert_string_equal(rs_undo_describe(&s, RS_UNDO_ALREADY, &zero, RS_DONE, line, sizeof(line)),
			    "net.ipv4.conf.all.arp_ignore is already 0");
	assert_string_equal(rs_undo_describe(&s, RS_UNDO_CHANGED, &three, RS_DONE, line, sizeof(line)),
			    "left net.ipv4.conf.all.arp_ignore at 3 (lbha set 1, something "
			    "changed it since)");
	assert_string_equal(rs_undo_describe(&a, RS_UNDO_RESTORE, &one, RS_DONE, line, sizeof(line)),
			    "removed 10.0.0.100/32 from lo");
	assert_string_equal(rs_undo_describe(&a, RS_UNDO_ALREADY, &zero, RS_DONE, line, sizeof(line)),
			    "10.0.0.100/32 is already gone from lo");
	assert_string_equal(rs_undo_describe(&l, RS_UNDO_RESTORE, &one, RS_DONE, line, sizeof(line)),
			    "brought lo down");
	assert_string_equal(rs_undo_describe(&m, RS_UNDO_KEEP, &one, RS_DONE, line, sizeof(line)),
			    "left module ipip loaded (other tunnels may use it; rmmod ipip if "
			    "none does)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_strings),
		cmocka_unit_test(test_dr_ipv4),
		cmocka_unit_test(test_dr_ipv6_needs_no_sysctl),
		cmocka_unit_test(test_tun_both_families),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_sysctl_values_that_satisfy),
		cmocka_unit_test(test_plan_only_what_differs),
		cmocka_unit_test(test_describe_tun),
		cmocka_unit_test(test_sysctl_keys_and_paths),
		cmocka_unit_test(test_undo_decisions),
		cmocka_unit_test(test_undo_wording),
	};
	return cmocka_run_group_tests_name("realserver-plan", tests, NULL, NULL);
}
