/* The state file of `lbha realserver`: format, parse, and one record per
 * thing with the first one's "found before" kept. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/realserver_state.h"

static struct rs_change sysctl(const char *key, bool known, int old, int new_value)
{
	struct rs_change c = { .kind = RS_SYSCTL, .old_known = known, .old_value = old,
			       .new_value = new_value };
	snprintf(c.name, sizeof(c.name), "%s", key);
	return c;
}

static struct rs_change addr(const char *ifname, const char *a, unsigned len)
{
	struct rs_change c = { .kind = RS_ADDR, .prefixlen = len };
	snprintf(c.name, sizeof(c.name), "%s", ifname);
	assert_int_equal(config_addr_parse(a, &c.addr), 0);
	return c;
}

static struct rs_change named(enum rs_kind kind, const char *name)
{
	struct rs_change c = { .kind = kind };
	snprintf(c.name, sizeof(c.name), "%s", name);
	return c;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct rs_state s = { 0 }, back = { 0 };
	struct rs_change recs[] = {
		named(RS_MODULE, "ipip"),
		sysctl("net.ipv4.conf.all.rp_filter", true, 1, 0),
		sysctl("net.ipv4.conf.tunl0.rp_filter", false, 0, 0),
		named(RS_LINK_UP, "tunl0"),
		addr("tunl0", "10.0.0.100", 32),
		addr("lo", "2001:db8::1", 128),
	};
	unsigned line = 99;

	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_true(rs_state_add(&s, &recs[i]));
	char *text = rs_state_format(&s);
	assert_non_null(strstr(text, "\nlbha-realserver-state 1\n"
				     "module ipip\n"
				     "sysctl net.ipv4.conf.all.rp_filter 1 0\n"
				     "sysctl net.ipv4.conf.tunl0.rp_filter - 0\n"
				     "link tunl0\n"
				     "addr tunl0 10.0.0.100/32\n"
				     "addr lo 2001:db8::1/128\n"));
	assert_int_equal(rs_state_parse(text, &back, &line), 0);
	assert_int_equal(back.n, s.n);
	for (size_t i = 0; i < s.n; i++) {
		assert_true(rs_change_same_target(&back.v[i], &s.v[i]));
		assert_int_equal(back.v[i].old_known, s.v[i].old_known);
		if (s.v[i].old_known)
			assert_int_equal(back.v[i].old_value, s.v[i].old_value);
		assert_int_equal(back.v[i].new_value, s.v[i].new_value);
	}
	free(text);
	rs_state_done(&s);
	rs_state_done(&back);
	rs_state_done(NULL);
}

static void test_first_record_wins(void **state)
{
	(void)state;
	struct rs_state s = { 0 };
	struct rs_change first = sysctl("net.ipv4.conf.all.arp_ignore", true, 0, 1);
	struct rs_change again = sysctl("net.ipv4.conf.all.arp_ignore", true, 2, 1);
	struct rs_change a1 = addr("lo", "10.0.0.100", 32), a2 = addr("lo", "10.0.0.101", 32);

	assert_true(rs_state_add(&s, &first));
	assert_false(rs_state_add(&s, &again));
	assert_true(rs_state_add(&s, &a1));
	assert_true(rs_state_add(&s, &a2));
	assert_false(rs_state_add(&s, &a1));
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[0].old_value, 0);
	rs_state_done(&s);
}

static void test_comments_and_blank_lines(void **state)
{
	(void)state;
	struct rs_state s = { 0 };
	const char *text = "# hello\n\n  lbha-realserver-state 1  # v1\n\nlink lo\n\n";

	assert_int_equal(rs_state_parse(text, &s, NULL), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].kind, RS_LINK_UP);
	assert_string_equal(s.v[0].name, "lo");
	rs_state_done(&s);

	assert_int_equal(rs_state_parse("lbha-realserver-state 1\n", &s, NULL), 0);
	assert_int_equal(s.n, 0);
}

static void test_bad_files(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned line;
	} rows[] = {
		{ "", 0 },
		{ "# only a comment\n", 0 },
		{ "link lo\n", 1 },
		{ "lbha-realserver-state 2\n", 1 },
		{ "lbha-realserver-state 1\nroute lo\n", 2 },
		{ "lbha-realserver-state 1\n\nlink\n", 3 },
		{ "lbha-realserver-state 1\nlink lo extra\n", 2 },
		{ "lbha-realserver-state 1\nsysctl net.ipv4.ip_forward x 1\n", 2 },
		{ "lbha-realserver-state 1\nsysctl kernel.panic 0 1\n", 2 },
		{ "lbha-realserver-state 1\nsysctl net.ipv4.conf.all.rp_filter 1\n", 2 },
		{ "lbha-realserver-state 1\nsysctl net.ipv4/../../x 1 0\n", 2 },
		{ "lbha-realserver-state 1\naddr lo 10.0.0.1\n", 2 },
		{ "lbha-realserver-state 1\naddr lo 10.0.0.1/33\n", 2 },
		{ "lbha-realserver-state 1\naddr averyveryverylongifname 10.0.0.1/32\n", 2 },
		{ "lbha-realserver-state 1\nmodule ip ip\n", 2 },
		{ "lbha-realserver-state 1\nmodule a b c d e f\n", 2 },
		{ "lbha-realserver-state 1\nlink lo;rm\n", 2 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rs_state s = { 0 };
		unsigned line = 1234;
		assert_int_equal(rs_state_parse(rows[i].text, &s, &line), -EINVAL);
		assert_int_equal(line, rows[i].line);
		assert_int_equal(s.n, 0);
		assert_null(s.v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_first_record_wins),
		cmocka_unit_test(test_comments_and_blank_lines),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests_name("realserver-state", tests, NULL, NULL);
}
