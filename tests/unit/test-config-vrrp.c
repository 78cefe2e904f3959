/* VRRP sections: defaults filled (keepalived's), vrrp_script, track_file,
 * virtual_ipaddress / virtual_routes lines, track_* lines, authentication,
 * sync groups, inheritance from global_defs. */
#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "test-config-util.h"

static const char *addr_str(const struct config_addr *a)
{
	static char buf[CONFIG_ADDR_STRLEN];

	return config_addr_to_string(a, buf, sizeof(buf));
}

static void test_instance_defaults(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		" virtual_ipaddress {\n  192.0.2.1\n }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);

	assert_string_equal(vi->name, "VI_1");
	assert_string_equal(vi->obj.file, TEST_FILE);
	assert_int_equal(vi->obj.line, 1);
	assert_int_equal(vi->state, CONFIG_VRRP_STATE_BACKUP);
	assert_int_equal(vi->vrid, 51);
	assert_int_equal(vi->priority, 100);
	assert_int_equal(vi->advert_int_us, 1000000);
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->family, AF_INET);
	assert_false(vi->nopreempt);
	assert_int_equal(vi->preempt_delay_us, 0);
	assert_int_equal(vi->garp_master_delay_us, 5000000);
	assert_int_equal(vi->garp_master_repeat, 5);
	assert_int_equal(vi->garp_lower_prio_delay_us, 5000000);
	assert_int_equal(vi->garp_master_refresh_us, 0);
	assert_int_equal(vi->garp_master_refresh_repeat, 1);
	assert_int_equal(vi->down_timer_adverts, 3);
	assert_int_equal(vi->accept, 1);
	assert_false(vi->strict);
	assert_false(vi->smtp_alert);
	assert_int_equal(vi->auth.type, CONFIG_AUTH_NONE);
	assert_null(vi->sync_group);
	/* a VIP without dev goes on the instance's interface */
	struct config_vip *v = item(&vi->vips, 0);
	assert_string_equal(v->dev, "eth0");
	assert_int_equal(v->addr.len, 32);
	assert_int_equal(v->scope, CONFIG_SCOPE_GLOBAL);
	/* global defaults */
	assert_int_equal(cfg->global.vrrp_version, 2);
	assert_string_equal(addr_str(&cfg->global.vrrp_mcast_group4), "224.0.0.18");
	assert_string_equal(addr_str(&cfg->global.vrrp_mcast_group6), "ff02::12");
	assert_int_equal(cfg->global.smtp_connect_timeout_us, 30000000);
	assert_string_equal(cfg->global.default_interface, "eth0");
	config_free(cfg);
	diag_done(&d);
}

static void test_global_inheritance(void **state)
{
	struct diag d;
	/* global_defs after the instance still counts */
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n garp_master_repeat 2\n"
		" virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
		"global_defs {\n vrrp_garp_master_delay 10\n vrrp_garp_master_repeat 3\n"
		" smtp_alert_vrrp true\n vrrp_version 3\n vrrp_strict\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);

	assert_int_equal(vi->garp_master_delay_us, 10000000);
	assert_int_equal(vi->garp_master_repeat, 2);        /* its own wins */
	assert_int_equal(vi->garp_lower_prio_delay_us, 10000000); /* follows master delay */
	assert_int_equal(vi->garp_lower_prio_repeat, 3);
	assert_true(vi->smtp_alert);
	assert_int_equal(vi->version, 3);
	assert_true(vi->strict);
	assert_int_equal(vi->accept, 0); /* strict: no accept unless address owner */
	config_free(cfg);
	diag_done(&d);
}

static void test_vrrp_script(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_script chk {\n script \"/usr/bin/check 'a b' c\"\n interval 2\n weight -4 reverse\n"
		" rise 3\n fall 2\n user nobody nogroup\n}\n"
		"vrrp_script plain {\n script /bin/true --flag\n}\n", &d);
	struct config_vrrp_script *s = item(&cfg->vrrp_scripts, 0);

	assert_string_equal(s->name, "chk");
	assert_string_equal(s->script->cmd, "/usr/bin/check 'a b' c");
	assert_int_equal(s->script->argc, 3);
	assert_string_equal(s->script->argv[0], "/usr/bin/check");
	assert_string_equal(s->script->argv[1], "a b");
	assert_string_equal(s->script->argv[2], "c");
	assert_null(s->script->argv[3]);
	assert_string_equal(s->script->user, "nobody");
	assert_string_equal(s->script->group, "nogroup");
	assert_int_equal(s->interval_us, 2000000);
	assert_int_equal(s->timeout_us, 2000000); /* defaults to the interval */
	assert_int_equal(s->weight, -4);
	assert_true(s->weight_reverse);
	assert_int_equal(s->rise, 3);
	assert_int_equal(s->fall, 2);

	s = item(&cfg->vrrp_scripts, 1);
	assert_int_equal(s->interval_us, 1000000);
	assert_int_equal(s->rise, 1);
	assert_int_equal(s->fall, 1);
	assert_int_equal(s->weight, 0);
	assert_int_equal(s->script->argc, 2);
	assert_string_equal(s->script->argv[1], "--flag");
	config_free(cfg);
	diag_done(&d);

	assert_load_error("vrrp_script s {\n interval 1\n}\n", 1, "vrrp_script s has no 'script'");
	assert_load_error("vrrp_script s {\n script /bin/true\n weight 254\n}\n", 3,
			  "weight 254 is out of range (-253-253)");
	assert_load_error("vrrp_script s {\n script /bin/true\n weight 2 sideways\n}\n", 3,
			  "unknown weight option 'sideways'");
}

static void test_vips(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		" virtual_ipaddress {\n"
		"  10.0.0.1/24 dev eth1 label eth1:1 scope link brd 10.0.0.255\n"
		"  10.0.0.2/24 brd +\n"
		"  10.0.0.3 no_track home -nodad preferred_lft forever\n"
		" }\n"
		" virtual_ipaddress_excluded {\n  2001:db8::1/64 dev eth0\n }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);
	struct config_vip *v = item(&vi->vips, 0);

	assert_string_equal(addr_str(&v->addr.addr), "10.0.0.1");
	assert_int_equal(v->addr.len, 24);
	assert_string_equal(v->dev, "eth1");
	assert_string_equal(v->label, "eth1:1");
	assert_int_equal(v->scope, CONFIG_SCOPE_LINK);
	assert_string_equal(addr_str(&v->brd), "10.0.0.255");
	assert_int_equal(v->obj.line, 5);
	v = item(&vi->vips, 1);
	assert_string_equal(addr_str(&v->brd), "10.0.0.255"); /* + sets the host bits */
	v = item(&vi->vips, 2);
	assert_true(v->no_track);
	assert_true(v->home);
	assert_true(v->nodad);
	assert_int_equal(v->preferred_lft, CONFIG_LFT_FOREVER);
	v = item(&vi->evips, 0);
	assert_int_equal(v->addr.addr.family, AF_INET6);
	assert_int_equal(v->addr.len, 64);
	config_free(cfg);
	diag_done(&d);

	assert_load_error("vrrp_instance VI_1 {\n virtual_ipaddress {\n  10.0.0.1 dve eth0\n }\n}\n", 3,
			  "unknown virtual address option 'dve'");
	assert_load_error("vrrp_instance VI_1 {\n virtual_ipaddress {\n  10.0.0.1/33\n }\n}\n", 3,
			  "virtual address '10.0.0.1/33' has a bad prefix length");
	assert_load_error("vrrp_instance VI_1 {\n virtual_ipaddress {\n  10.0.0.1 dev\n }\n}\n", 3,
			  "'dev' needs a value");
	assert_load_error("vrrp_instance VI_1 {\n virtual_ipaddress {\n  10.0.0.1 brd 2001:db8::1\n }\n}\n",
			  3, "brd is IPv6 but the address is IPv4");
	assert_load_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
			  " virtual_ipaddress {\n  10.0.0.1\n  2001:db8::1\n }\n}\n",
			  6, "virtual_ipaddress mixes IPv4 and IPv6");
}

static void test_routes(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n virtual_routes {\n"
		"  10.1.0.0/16 via 10.0.0.254 dev eth0 metric 5 table 10\n"
		"  src 10.0.0.1 to 10.2.0.0/16 gw 10.0.0.253 or 10.0.0.252 table main scope link\n"
		"  blackhole 10.3.0.0/16\n"
		"  10.4.0.0/16 dev eth1 mtu 1400 advmss 1360\n"
		" }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);
	struct config_vroute *r = item(&vi->vroutes, 0);

	assert_int_equal(r->type, CONFIG_ROUTE_UNICAST);
	assert_string_equal(addr_str(&r->dst.addr), "10.1.0.0");
	assert_int_equal(r->dst.len, 16);
	assert_string_equal(addr_str(&r->via), "10.0.0.254");
	assert_string_equal(r->dev, "eth0");
	assert_int_equal(r->metric, 5);
	assert_int_equal(r->table, 10);
	r = item(&vi->vroutes, 1);
	assert_string_equal(addr_str(&r->src), "10.0.0.1");
	assert_string_equal(addr_str(&r->dst.addr), "10.2.0.0");
	assert_string_equal(addr_str(&r->via2), "10.0.0.252");
	assert_int_equal(r->table, 254);
	assert_int_equal(r->scope, CONFIG_SCOPE_LINK);
	r = item(&vi->vroutes, 2);
	assert_int_equal(r->type, CONFIG_ROUTE_BLACKHOLE);
	r = item(&vi->vroutes, 3);
	assert_string_equal(r->extra, "mtu 1400 advmss 1360"); /* kept verbatim */
	assert_warning(&d, 11, "route option 'mtu' is not supported by lbha");
	config_free(cfg);
	diag_done(&d);

	assert_load_error("vrrp_instance VI_1 {\n virtual_routes {\n  via 10.0.0.1\n }\n}\n", 3,
			  "route destination 'via' is not an address/prefix");
	assert_load_error("vrrp_instance VI_1 {\n virtual_routes {\n  10.0.0.0/8 via 2001:db8::1\n }\n}\n",
			  3, "route gateway is IPv6 but the address is IPv4");
}

static void test_tracking(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_script chk {\n script /bin/true\n weight 10\n}\n"
		"track_file tf {\n file /run/x\n weight 3\n init_file 5 overwrite\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n"
		" track_interface {\n  eth1\n  eth2 weight -20 reverse\n }\n"
		" track_script {\n  chk\n  chk weight 2\n }\n"
		" track_file {\n  tf\n }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);
	struct config_track *t;

	t = item(&vi->track_interfaces, 0);
	assert_string_equal(t->name, "eth1");
	assert_int_equal(t->weight, 0);
	t = item(&vi->track_interfaces, 1);
	assert_int_equal(t->weight, -20);
	assert_true(t->reverse);
	t = item(&vi->track_scripts, 0);
	assert_int_equal(t->weight, 10); /* the script's own weight */
	assert_ptr_equal(t->target, item(&cfg->vrrp_scripts, 0));
	t = item(&vi->track_scripts, 1);
	assert_int_equal(t->weight, 2);
	t = item(&vi->track_files, 0);
	assert_int_equal(t->weight, 3);
	struct config_track_file *tf = item(&cfg->track_files, 0);
	assert_string_equal(tf->path, "/run/x");
	assert_true(tf->init_file);
	assert_int_equal(tf->init_value, 5);
	assert_true(tf->init_overwrite);
	config_free(cfg);
	diag_done(&d);

	assert_load_error("vrrp_instance VI_1 {\n track_interface {\n  eth0 weight 300\n }\n}\n", 3,
			  "weight 300 is out of range (-253-253)");
	assert_load_error("vrrp_instance VI_1 {\n track_interface {\n  eth0 heavy\n }\n}\n", 3,
			  "unknown option 'heavy' after 'eth0'");
}

static void test_authentication(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		" authentication {\n  auth_type PASS\n  auth_pass 0123456789\n }\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);

	assert_int_equal(vi->auth.type, CONFIG_AUTH_PASS);
	assert_string_equal(vi->auth.pass, "01234567");
	assert_warning(&d, 4, "auth_pass is longer than 8 characters; only '01234567' is used");
	config_free(cfg);
	diag_done(&d);

	assert_load_error("vrrp_instance VI_1 {\n authentication {\n  auth_type MD5\n }\n}\n", 3,
			  "unknown auth_type 'MD5'; expected one of: PASS, AH");
	assert_load_error("vrrp_instance VI_1 {\n authentication {\n  auth_type AH\n }\n}\n", 2,
			  "authentication block has no auth_pass");

	/* AH loads, but the operator is told it protects nothing */
	cfg = load_ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		      " authentication {\n  auth_type AH\n  auth_pass secret\n }\n"
		      " virtual_ipaddress {\n  10.0.0.1\n }\n}\n", &d);
	assert_warning(&d, 4, "auth_type AH (IPsec AH) is not implemented");
	config_free(cfg);
	diag_done(&d);
}

static void test_sync_group(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n"
		" notify_master \"/bin/notify master\" root\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
		" virtual_ipaddress {\n  10.0.0.2\n }\n}\n", &d);
	struct config_vrrp_sync_group *g = item(&cfg->sync_groups, 0);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 1);
	struct config_track *m = item(&g->members, 1);

	assert_string_equal(g->name, "G1");
	assert_int_equal(g->members.n, 2);
	assert_ptr_equal(m->target, vi);
	assert_ptr_equal(vi->sync_group, g);
	assert_string_equal(g->notify.master->argv[1], "master");
	assert_string_equal(g->notify.master->user, "root");
	config_free(cfg);
	diag_done(&d);
}

static void test_ipv6_instance(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 9\n advert_int 0.5\n"
		" virtual_ipaddress {\n  fe80::1/64\n  2001:db8::10/64\n }\n}\n", &d);
	struct config_vrrp_instance *vi = item(&cfg->vrrp_instances, 0);

	assert_int_equal(vi->family, AF_INET6);
	assert_int_equal(vi->version, 3); /* IPv6 means VRRPv3 */
	assert_int_equal(vi->advert_int_us, 500000);
	config_free(cfg);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance_defaults),
		cmocka_unit_test(test_global_inheritance),
		cmocka_unit_test(test_vrrp_script),
		cmocka_unit_test(test_vips),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_tracking),
		cmocka_unit_test(test_authentication),
		cmocka_unit_test(test_sync_group),
		cmocka_unit_test(test_ipv6_instance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
