/* The schema engine and the generic value types: every type's good and bad
 * inputs, unknown vs unsupported keywords, did-you-mean, belongs-in,
 * block misuse, argument counts, repeats, strict mode. */
#include "config.h"

#include "test-config-util.h"
#include "daemon/config_schema.h"

#define VI(body) \
	"vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n" body \
	" virtual_ipaddress {\n  192.0.2.1\n }\n}\n"

static void test_text_parsers(void **state)
{
	uint64_t u;
	int64_t i;
	bool b;

	assert_int_equal(config_parse_duration_text("1", &u), 0);
	assert_int_equal(u, 1000000);
	assert_int_equal(config_parse_duration_text("0.1", &u), 0);
	assert_int_equal(u, 100000);
	assert_int_equal(config_parse_duration_text("2.000001", &u), 0);
	assert_int_equal(u, 2000001);
	assert_int_equal(config_parse_duration_text(".5", &u), 0);
	assert_int_equal(u, 500000);
	assert_int_equal(config_parse_duration_text("0.0000001", &u), -ERANGE);
	assert_int_equal(config_parse_duration_text("1s", &u), -EINVAL);
	assert_int_equal(config_parse_duration_text("", &u), -EINVAL);
	assert_int_equal(config_parse_duration_text(".", &u), -EINVAL);
	assert_int_equal(config_parse_duration_text("-1", &u), -EINVAL);

	assert_int_equal(config_parse_int_text("-253", &i), 0);
	assert_int_equal(i, -253);
	assert_int_equal(config_parse_int_text("+7", &i), 0);
	assert_int_equal(i, 7);
	assert_int_equal(config_parse_int_text("12x", &i), -EINVAL);
	assert_int_equal(config_parse_int_text("", &i), -EINVAL);
	assert_int_equal(config_parse_int_text("99999999999999999999", &i), -ERANGE);

	assert_int_equal(config_parse_bool_text("YES", &b), 0);
	assert_true(b);
	assert_int_equal(config_parse_bool_text("off", &b), 0);
	assert_false(b);
	assert_int_equal(config_parse_bool_text("maybe", &b), -EINVAL);
}

static void test_format_duration(void **state)
{
	char buf[32];

	config_format_duration(1000000, buf, sizeof(buf));
	assert_string_equal(buf, "1");
	config_format_duration(100000, buf, sizeof(buf));
	assert_string_equal(buf, "0.1");
	config_format_duration(1500, buf, sizeof(buf));
	assert_string_equal(buf, "0.0015");
	config_format_duration(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
}

static void test_edit_distance(void **state)
{
	assert_int_equal(config_edit_distance("priority", "priority"), 0);
	assert_int_equal(config_edit_distance("prioirty", "priority"), 1); /* transposition */
	assert_int_equal(config_edit_distance("priorty", "priority"), 1);
	assert_int_equal(config_edit_distance("abc", "xyz"), 3);
	assert_int_equal(config_edit_distance("", "ab"), 2);
}

static void test_duration_values(void **state)
{
	struct diag d;
	struct lbha_config *cfg;
	struct config_vrrp_instance *vi;

	cfg = load_ok(VI(" advert_int 3\n preempt_delay 0.25\n"), &d);
	vi = item(&cfg->vrrp_instances, 0);
	assert_int_equal(vi->advert_int_us, 3000000);
	assert_int_equal(vi->preempt_delay_us, 250000);
	config_free(cfg);
	diag_done(&d);

	assert_load_error(VI(" preempt_delay 1001\n"), 4, "preempt_delay 1001 is out of range (0-1000 seconds)");
	assert_load_error(VI(" advert_int fast\n"), 4, "advert_int 'fast' is not a time in seconds");
	assert_load_error(VI(" advert_int 0\n"), 4, "advert_int 0 is out of range (0.01-255");
}

static void test_uint_values(void **state)
{
	assert_load_error(VI(" priority 300\n"), 4, "priority 300 is out of range (1-255)");
	assert_load_error(VI(" priority 0\n"), 4, "priority 0 is out of range (1-255)");
	assert_load_error(VI(" priority high\n"), 4, "priority 'high' is not an integer (expected 1-255)");
	assert_load_error(VI(" priority -5\n"), 4, "priority -5 is out of range");
	assert_load_error("vrrp_instance VI_1 {\n interface lo\n virtual_router_id 256\n}\n", 3,
			  "virtual_router_id 256 is out of range (1-255)");
}

static void test_bool_and_flags(void **state)
{
	struct diag d;
	struct lbha_config *cfg;
	struct config_vrrp_instance *vi;

	cfg = load_ok(VI(" nopreempt\n smtp_alert\n strict_mode off\n no_accept\n"), &d);
	vi = item(&cfg->vrrp_instances, 0);
	assert_true(vi->nopreempt);
	assert_true(vi->smtp_alert);
	assert_false(vi->strict);
	assert_int_equal(vi->accept, 0);
	config_free(cfg);
	diag_done(&d);

	cfg = load_ok(VI(" nopreempt\n preempt\n smtp_alert no\n"), &d);
	vi = item(&cfg->vrrp_instances, 0);
	assert_false(vi->nopreempt); /* the later `preempt` wins, with a warning */
	assert_false(vi->smtp_alert);
	assert_warning(&d, 5, "'preempt' is given more than once");
	config_free(cfg);
	diag_done(&d);

	assert_load_error(VI(" smtp_alert perhaps\n"), 4, "smtp_alert 'perhaps' is not a boolean");
	assert_load_error(VI(" nopreempt yes\n"), 4, "'nopreempt' takes no argument ('yes' is extra)");
}

static void test_string_addr_enum(void **state)
{
	struct diag d;
	struct lbha_config *cfg;
	struct config_vrrp_instance *vi;
	char buf[CONFIG_ADDR_STRLEN];

	cfg = load_ok(VI(" state MASTER\n mcast_src_ip 192.0.2.9\n"), &d);
	vi = item(&cfg->vrrp_instances, 0);
	assert_int_equal(vi->state, CONFIG_VRRP_STATE_MASTER);
	assert_string_equal(vi->interface, "lo");
	assert_string_equal(config_addr_to_string(&vi->mcast_src_ip, buf, sizeof(buf)), "192.0.2.9");
	config_free(cfg);
	diag_done(&d);

	assert_load_error(VI(" state LEADER\n"), 4, "unknown state 'LEADER'; expected one of: BACKUP, MASTER");
	assert_load_error(VI(" mcast_src_ip 192.0.2.300\n"), 4,
			  "mcast_src_ip '192.0.2.300' is not an IPv4 or IPv6 address");
	assert_load_error("global_defs {\n vrrp_mcast_group4 ff02::12\n}\n", 2,
			  "vrrp_mcast_group4 'ff02::12' is not an IPv4 address");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0123456789abcdef\n}\n", 2,
			  "is longer than 15 characters");
	assert_load_error("virtual_server 192.0.2.1 80 {\n protocol TCP\n lb_algo rrr\n}\n", 3,
			  "unknown lb_algo 'rrr'; expected one of: rr, wrr, lc, wlc");
}

static void test_arg_counts_and_blocks(void **state)
{
	assert_load_error(VI(" priority\n"), 4, "missing argument to 'priority'");
	assert_load_error(VI(" priority 100 200\n"), 4, "too many arguments to 'priority' ('200' is extra)");
	assert_load_error(VI(" priority 100 {\n }\n"), 4, "'priority' does not take a { } block");
	assert_load_error(VI(" authentication\n"), 4, "'authentication' needs a { } block");
	assert_load_error("vrrp_instance {\n}\n", 1, "'vrrp_instance' needs a name");
	assert_load_error("vrrp_instance A B {\n}\n", 1, "'vrrp_instance' takes one name ('B' is extra)");
}

static void test_unknown_vs_unsupported(void **state)
{
	struct diag d;
	struct lbha_config *cfg;

	/* keepalived has it, lbha does not: a warning, the block skipped whole */
	cfg = load_ok("static_ipaddress {\n this is not checked at all\n}\n" VI(" vmac_xmit_base\n"), &d);
	assert_warning(&d, 1, "keyword 'static_ipaddress' is not supported by lbha and is ignored");
	assert_int_equal(d.n_errors, 0);
	config_free(cfg);
	diag_done(&d);

	/* nobody has it: an error, with did-you-mean */
	assert_load_error(VI(" prioirty 100\n"), 4,
			  "unknown keyword 'prioirty' in vrrp_instance; did you mean 'priority'?");
	assert_load_error(VI(" advert_intt 1\n"), 4, "did you mean 'advert_int'?");
	/* a keyword of another section: where it belongs */
	assert_load_error(VI(" router_id foo\n"), 4,
			  "unknown keyword 'router_id' in vrrp_instance; 'router_id' belongs in global_defs");
	/* nothing close */
	assert_load_error(VI(" zzzzzzzz\n"), 4, "unknown keyword 'zzzzzzzz' in vrrp_instance");
	assert_load_error("frobnicate 1\n", 1, "unknown keyword 'frobnicate' at the top level");
}

static void test_all_errors_reported(void **state)
{
	struct diag d;

	/* parsing goes on after an error: three bad lines, three errors */
	assert_null(load(VI(" priority 0\n advert_int x\n state NONE\n"), &d));
	assert_error(&d, 4, "priority 0");
	assert_error(&d, 5, "advert_int 'x'");
	assert_error(&d, 6, "state 'NONE'");
	assert_int_equal(d.n_errors, 3);
	diag_done(&d);
}

static void test_strict(void **state)
{
	struct diag d;
	struct config_load_options o = { .config_id = "test", .strict = true };
	const char *text = "static_routes {\n 10.0.0.0/8 dev lo\n}\n" VI("");

	assert_null(load_opts(text, &o, &d));
	assert_error(&d, 1, "keyword 'static_routes' is not supported");
	assert_int_equal(d.n_warnings, 0);
	diag_done(&d);

	o.strict = false;
	struct lbha_config *cfg = load_opts(text, &o, &d);
	assert_non_null(cfg);
	assert_int_equal(d.n_warnings, 1);
	config_free(cfg);
	diag_done(&d);
}

static void test_preflight(void **state)
{
	struct diag d;
	struct config_load_options o = { .config_id = "test", .preflight = true };
	struct lbha_config *cfg = load_opts(
		"vrrp_instance VI_1 {\n interface lbha-nope0\n virtual_router_id 1\n"
		" track_interface {\n  lo\n }\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
		&o, &d);

	assert_non_null(cfg);
	assert_warning(&d, 2, "interface 'lbha-nope0' does not exist (yet); vrrp_instance VI_1 will "
			      "wait in FAULT until it appears");
	assert_false(has_diag(&d, DIAG_WARNING, 0, "interface 'lo'"));
	assert_int_equal(d.n_warnings, 1); /* named once, not for the VIP too */
	config_free(cfg);
	diag_done(&d);
}

static void count_if(const char *ifname, const char *file, unsigned line, void *userdata)
{
	(*(int *)userdata)++;
}

static void test_foreach_interface_and_summary(void **state)
{
	struct diag d;
	struct config_summary s;
	int n = 0;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		" track_interface {\n  eth1\n  eth0\n }\n"
		" virtual_ipaddress {\n  192.0.2.1 dev eth2\n  192.0.2.2\n }\n}\n"
		"virtual_server 192.0.2.1 80 {\n protocol TCP\n"
		" real_server 192.0.2.10 80 {\n  TCP_CHECK {\n  }\n  TCP_CHECK {\n  }\n }\n}\n",
		&d);

	config_foreach_interface(cfg, count_if, &n);
	assert_int_equal(n, 3); /* eth0, eth1, eth2 once each */
	config_summarize(cfg, &s);
	assert_int_equal(s.vrrp_instances, 1);
	assert_int_equal(s.virtual_servers, 1);
	assert_int_equal(s.real_servers, 1);
	assert_int_equal(s.checkers, 2);
	config_free(cfg);
	diag_done(&d);
	assert_null(config_free(NULL));
}

static void test_file_errors(void **state)
{
	struct diag d;
	struct lbha_config *cfg = NULL;

	diag_init(&d);
	assert_int_equal(config_load_file("/nonexistent/lbha.conf", NULL, &d, &cfg), -ENOENT);
	assert_null(cfg);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_parsers),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_duration_values),
		cmocka_unit_test(test_uint_values),
		cmocka_unit_test(test_bool_and_flags),
		cmocka_unit_test(test_string_addr_enum),
		cmocka_unit_test(test_arg_counts_and_blocks),
		cmocka_unit_test(test_unknown_vs_unsupported),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_preflight),
		cmocka_unit_test(test_foreach_interface_and_summary),
		cmocka_unit_test(test_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
