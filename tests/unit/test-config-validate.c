/* Whole-file validation: every rule fires with its file:line message, and
 * the legitimate neighbours of each rule do not. */
#include "config.h"

#include "test-config-util.h"

/* An instance on one line each, so line numbers are easy to follow. */
#define INST(name, ifname, vrid, vip)                                             \
	"vrrp_instance " name " {\n interface " ifname "\n virtual_router_id " vrid \
	"\n virtual_ipaddress {\n  " vip "\n }\n}\n"

static void test_missing_required(void **state)
{
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n}\n", 1,
			  "vrrp_instance VI_1 has no virtual_router_id");
	assert_load_error("vrrp_instance VI_1 {\n virtual_router_id 1\n}\n", 1,
			  "vrrp_instance VI_1 has no interface");
}

static void test_vrid_conflicts(void **state)
{
	struct diag d;
	struct lbha_config *cfg;

	/* lines: VI_1 is 1-7, VI_2 starts at 8, its virtual_router_id is line 10 */
	assert_load_error(INST("VI_1", "eth0", "51", "10.0.0.1") INST("VI_2", "eth0", "51", "10.0.0.2"),
			  10, "virtual_router_id 51 is used twice on eth0 (IPv4): vrrp_instance VI_1 and VI_2");
	/* another interface, or another family, is fine */
	cfg = load_ok(INST("VI_1", "eth0", "51", "10.0.0.1") INST("VI_2", "eth1", "51", "10.0.0.2")
		      INST("VI_3", "eth0", "51", "2001:db8::1"), &d);
	config_free(cfg);
	diag_done(&d);
	/* unicast with disjoint peers too (keepalived allows it) */
	cfg = load_ok("vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		      " unicast_peer {\n  10.0.0.8\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		      "vrrp_instance B {\n interface eth0\n virtual_router_id 5\n"
		      " unicast_peer {\n  10.0.0.9\n }\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n", &d);
	config_free(cfg);
	diag_done(&d);
}

static void test_vip_conflicts(void **state)
{
	assert_load_error(INST("VI_1", "eth0", "1", "10.0.0.1/24") INST("VI_2", "eth0", "2", "10.0.0.1"),
			  12, "virtual address 10.0.0.1 is in vrrp_instance VI_2 and already in VI_1 (t.conf:5)");
}

static void test_references(void **state)
{
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			  " track_script {\n  chk_missing\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  5, "track_script 'chk_missing' in vrrp_instance VI_1 names no vrrp_script");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			  " track_file {\n  nofile\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  5, "track_file 'nofile' in vrrp_instance VI_1 names no track_file block");
	assert_load_error("vrrp_sync_group G {\n group {\n  VI_1\n  VI_9\n }\n}\n"
			  INST("VI_1", "eth0", "1", "10.0.0.1"),
			  4, "vrrp_sync_group G names no vrrp_instance 'VI_9'");
	assert_load_error("vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
			  "vrrp_sync_group H {\n group {\n  VI_1\n  VI_2\n }\n}\n"
			  INST("VI_1", "eth0", "1", "10.0.0.1") INST("VI_2", "eth0", "2", "10.0.0.2"),
			  9, "vrrp_instance VI_1 is already in vrrp_sync_group G (t.conf:1)");
	assert_load_error("virtual_server group NOPE {\n protocol TCP\n real_server 10.0.0.1 80 {\n }\n}\n",
			  1, "virtual_server group NOPE names no virtual_server_group");
	assert_load_error("global_defs {\n lvs_sync_daemon eth0 inst VI_X\n}\n", 2,
			  "lvs_sync_daemon names no vrrp_instance 'VI_X'");
}

static void test_unique_names(void **state)
{
	assert_load_error(INST("VI_1", "eth0", "1", "10.0.0.1") INST("VI_1", "eth0", "2", "10.0.0.2"),
			  8, "vrrp_instance VI_1 is defined twice (first at t.conf:1)");
	assert_load_error("vrrp_script s {\n script /bin/true\n}\nvrrp_script s {\n script /bin/false\n}\n",
			  4, "vrrp_script s is defined twice");
}

static void test_version_rules(void **state)
{
	struct diag d;
	struct lbha_config *cfg;

	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 2\n"
			  " virtual_ipaddress {\n  2001:db8::1\n }\n}\n",
			  4, "vrrp_instance VI_1 has IPv6 virtual addresses, which need version 3");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n advert_int 0.5\n"
			  " virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  4, "advert_int 0.5 is not allowed with VRRP version 2 (whole seconds 1-255)");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
			  " advert_int 0.015\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  5, "advert_int 0.015 is not allowed with VRRP version 3");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
			  " advert_int 41\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  5, "advert_int 41 is not allowed with VRRP version 3 (0.01-40.95");
	cfg = load_ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
		      " advert_int 0.01\n priority 255\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n", &d);
	config_free(cfg);
	diag_done(&d);
}

static void test_family_rules(void **state)
{
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			  " unicast_peer {\n  2001:db8::9\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  5, "unicast_peer IPv6 address in IPv4 vrrp_instance VI_1");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n sorry_server 2001:db8::1 80\n"
			  " real_server 10.0.1.1 80 {\n }\n}\n",
			  3, "sorry_server is IPv6 but virtual_server 10.0.0.1:80/TCP is IPv4");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 2001:db8::1 80 {\n }\n}\n",
			  3, "real_server [2001:db8::1]:80 is IPv6 but virtual_server 10.0.0.1:80/TCP is IPv4");
}

static void test_lvs_duplicates(void **state)
{
	struct diag d;
	struct lbha_config *cfg;

	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.1.1 80 {\n }\n real_server 10.0.1.1 80 {\n }\n}\n",
			  5, "real_server 10.0.1.1:80 is listed twice in virtual_server 10.0.0.1:80/TCP (first at t.conf:3)");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.1.1 80 {\n }\n}\n"
			  "virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.1.2 80 {\n }\n}\n",
			  6, "virtual_server 10.0.0.1:80/TCP is defined twice (first at t.conf:1)");
	/* the same address and port with another protocol is another service */
	cfg = load_ok("virtual_server 10.0.0.1 53 {\n protocol TCP\n real_server 10.0.1.1 53 {\n }\n}\n"
		      "virtual_server 10.0.0.1 53 {\n protocol UDP\n real_server 10.0.1.1 53 {\n }\n}\n", &d);
	config_free(cfg);
	diag_done(&d);
}

static void test_strict_mode_rules(void **state)
{
	assert_load_error("global_defs {\n vrrp_strict\n}\n"
			  "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			  " authentication {\n  auth_type PASS\n  auth_pass x\n }\n"
			  " virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
			  7, "authentication is not allowed in strict mode");
}

static void test_sync_group_weights(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_script chk {\n script /bin/true\n weight 5\n}\n"
		"vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		" track_script {\n  chk\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		INST("VI_2", "eth0", "2", "10.0.0.2"), &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);
	struct config_track *t = item(&vi->track_scripts, 0);

	assert_int_equal(t->weight, 0);
	assert_warning(&d, 15, "weight of 'chk' is ignored: vrrp_instance VI_1 is in vrrp_sync_group G");
	config_free(cfg);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_vrid_conflicts),
		cmocka_unit_test(test_vip_conflicts),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_unique_names),
		cmocka_unit_test(test_version_rules),
		cmocka_unit_test(test_family_rules),
		cmocka_unit_test(test_lvs_duplicates),
		cmocka_unit_test(test_strict_mode_rules),
		cmocka_unit_test(test_sync_group_weights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
