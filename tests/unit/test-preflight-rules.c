/* `lbha -t`'s preflight decisions: which checks a config calls for, and the
 * warning (or none) for what the host has. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/lbha_config.h"
#include "daemon/preflight_rules.h"
#include "diag.h"

static struct lbha_config *load(const char *text)
{
	struct lbha_config *cfg = NULL;
	struct diag d;

	diag_init(&d);
	int r = config_load_string("t.conf", text, strlen(text), NULL, &d, &cfg);
	if (r < 0)
		diag_print(&d, stderr);
	assert_int_equal(r, 0);
	diag_done(&d);
	return cfg;
}

static const char nat_conf[] =
	"virtual_server 10.200.0.100 80 {\n"
	"    lb_kind NAT\n"
	"    protocol TCP\n"
	"    real_server 10.200.1.1 80 {\n"
	"        weight 1\n"
	"    }\n"
	"}\n";

static void test_nat_ipv4(void **state)
{
	(void)state;
	struct lbha_config *cfg = load(nat_conf);
	struct preflight_check *c;
	size_t n = preflight_checks(cfg, &c);
	struct diag d;
	char line[512];

	assert_int_equal(n, 2);
	assert_int_equal(c[0].kind, PREFLIGHT_IPVS);
	assert_int_equal(c[1].kind, PREFLIGHT_SYSCTL);
	assert_string_equal(c[1].key, "net.ipv4.ip_forward");
	assert_int_equal(c[1].value, 1);
	assert_string_equal(c[1].file, "t.conf");
	assert_int_equal(c[1].line, 1);

	diag_init(&d);
	assert_false(preflight_judge(&c[1], &(struct preflight_seen){ .present = true,
								     .value = 1 }, &d));
	assert_false(preflight_judge(&c[1], &(struct preflight_seen){ .present = false }, &d));
	assert_int_equal(d.n_entries, 0);
	assert_true(preflight_judge(&c[1], &(struct preflight_seen){ .present = true,
								    .value = 0 }, &d));
	assert_int_equal(d.n_warnings, 1);
	diag_format(&d.entries[0], line, sizeof(line));
	assert_non_null(strstr(line, "t.conf:1: warning: lvs_method NAT"));
	assert_non_null(strstr(line, "net.ipv4.ip_forward is 0: run 'sysctl -w "
				     "net.ipv4.ip_forward=1'"));
	assert_null(strchr(line, '\n'));
	diag_done(&d);
	free(c);
	config_free(cfg);
}

static void test_nat_ipv6_and_dedup(void **state)
{
	(void)state;
	struct lbha_config *cfg = load(
		"virtual_server 2001:db8::100 80 {\n"
		"    lb_kind NAT\n"
		"    real_server 2001:db8::1 80 {\n"
		"    }\n"
		"}\n"
		"virtual_server 2001:db8::100 443 {\n"
		"    lb_kind NAT\n"
		"    real_server 2001:db8::1 443 {\n"
		"    }\n"
		"}\n");
	struct preflight_check *c;
	size_t n = preflight_checks(cfg, &c);

	assert_int_equal(n, 2);
	assert_string_equal(c[1].key, "net.ipv6.conf.all.forwarding");
	assert_int_equal(c[1].line, 1);
	free(c);
	config_free(cfg);
}

static void test_dr_redirects_per_interface(void **state)
{
	(void)state;
	struct lbha_config *cfg = load(
		"vrrp_instance VI_1 {\n"
		"    state MASTER\n"
		"    interface eth0.100\n"
		"    virtual_router_id 51\n"
		"    priority 100\n"
		"    virtual_ipaddress {\n"
		"        10.200.0.100\n"
		"    }\n"
		"}\n"
		"virtual_server 10.200.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 10.200.1.1 80 {\n"
		"    }\n"
		"}\n");
	struct preflight_check *c;
	size_t n = preflight_checks(cfg, &c);
	struct diag d;

	assert_int_equal(n, 3);
	assert_string_equal(c[1].key, "net.ipv4.conf.all.send_redirects");
	assert_int_equal(c[1].value, 0);
	assert_int_equal(c[1].line, 10);
	assert_string_equal(c[2].key, "net.ipv4.conf.eth0/100.send_redirects");
	assert_int_equal(c[2].line, 3);

	diag_init(&d);
	assert_true(preflight_judge(&c[2], &(struct preflight_seen){ .present = true,
								    .value = 1 }, &d));
	assert_non_null(strstr(d.entries[0].message,
			       "run 'sysctl -w net.ipv4.conf.eth0/100.send_redirects=0'"));
	diag_done(&d);
	free(c);
	config_free(cfg);
}

static void test_no_virtual_server_no_check(void **state)
{
	(void)state;
	struct lbha_config *cfg = load("global_defs {\n    router_id a\n}\n");
	struct preflight_check *c = (void *)1;

	assert_int_equal(preflight_checks(cfg, &c), 0);
	assert_null(c);
	config_free(cfg);
}

static void test_ipvs(void **state)
{
	(void)state;
	struct preflight_check c = { .kind = PREFLIGHT_IPVS, .need = "virtual_server needs IPVS",
				     .file = "t.conf", .line = 4 };
	struct diag d;

	diag_init(&d);
	assert_false(preflight_judge(&c, &(struct preflight_seen){ .present = true }, &d));
	assert_false(preflight_judge(&c, &(struct preflight_seen){ .module_known = true }, &d));
	assert_true(preflight_judge(&c, &(struct preflight_seen){ 0 }, &d));
	assert_int_equal(d.n_warnings, 1);
	assert_non_null(strstr(d.entries[0].message, "CONFIG_IP_VS"));
	diag_done(&d);
}

static void test_modules_lists(void **state)
{
	(void)state;
	const char *dep =
		"kernel/net/netfilter/ipvs/ip_vs_rr.ko.xz: kernel/net/netfilter/ipvs/ip_vs.ko.xz\n"
		"kernel/net/ipv4/ipip.ko.zst: kernel/net/ipv4/tunnel4.ko.zst\n";
	const char *dep_with = "kernel/net/netfilter/ipvs/ip_vs.ko.zst: kernel/a.ko\n";
	const char *builtin = "kernel/net/netfilter/ipvs/ip_vs.ko\n";

	/* ip_vs appears only as a dependency: not listed itself */
	assert_false(preflight_modules_list_has(dep, "ip_vs"));
	assert_true(preflight_modules_list_has(dep, "ip_vs_rr"));
	assert_true(preflight_modules_list_has(dep, "ipip"));
	assert_true(preflight_modules_list_has(dep_with, "ip_vs"));
	assert_true(preflight_modules_list_has(builtin, "ip_vs"));
	assert_false(preflight_modules_list_has("", "ip_vs"));
	assert_false(preflight_modules_list_has("kernel/x/ip_vsx.ko:\n", "ip_vs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nat_ipv4),
		cmocka_unit_test(test_nat_ipv6_and_dedup),
		cmocka_unit_test(test_dr_redirects_per_interface),
		cmocka_unit_test(test_no_virtual_server_no_check),
		cmocka_unit_test(test_ipvs),
		cmocka_unit_test(test_modules_lists),
	};
	return cmocka_run_group_tests_name("preflight-rules", tests, NULL, NULL);
}
