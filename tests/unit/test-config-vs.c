/* LVS sections: virtual_server heads (address, IPv6, fwmark, group),
 * defaults, lvs_method with tunnel options, virtual_server_group ranges,
 * real servers, checkers and what they inherit. */
#include "config.h"

#include <sys/socket.h>

#include "test-config-util.h"

static const char *addr_str(const struct config_addr *a)
{
	static char buf[CONFIG_ADDR_STRLEN];

	return config_addr_to_string(a, buf, sizeof(buf));
}

static void test_vs_defaults(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);
	struct config_checker *ck = item(&rs->checkers, 0);

	assert_int_equal(vs->kind, CONFIG_VS_ADDR);
	assert_string_equal(addr_str(&vs->addr), "10.0.0.1");
	assert_int_equal(vs->port, 80);
	assert_int_equal(vs->family, AF_INET);
	assert_int_equal(vs->delay_loop_us, 60000000);
	assert_int_equal(vs->sched, CONFIG_SCHED_WLC);
	assert_int_equal(vs->fwd.method, CONFIG_LVS_NAT);
	assert_int_equal(vs->protocol, CONFIG_PROTO_TCP);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->persistence_timeout, 0);
	assert_false(vs->smtp_alert);
	assert_int_equal(rs->weight, 1);
	assert_true(rs->smtp_alert); /* keepalived's odd one out */
	assert_ptr_equal(rs->vs, vs);
	assert_int_equal(ck->type, CONFIG_CHECK_TCP);
	assert_string_equal(addr_str(&ck->connect_ip), "10.0.1.1");
	assert_int_equal(ck->connect_port, 80);
	assert_int_equal(ck->connect_timeout_us, 5000000);
	assert_int_equal(ck->retry, 1);
	assert_int_equal(ck->delay_before_retry_us, 1000000);
	assert_int_equal(ck->delay_loop_us, 60000000);
	assert_int_equal(ck->warmup_us, 60000000);
	config_free(cfg);
	diag_done(&d);
}

static void test_vs_heads(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server_group G {\n 10.0.0.1 80\n}\n"
		"virtual_server fwmark 7 {\n lb_algo rr\n real_server 10.0.1.1 {\n }\n}\n"
		"virtual_server group G {\n protocol UDP\n real_server 10.0.1.2 80 {\n }\n}\n"
		"virtual_server 2001:db8::1 443 {\n protocol TCP\n"
		" real_server 2001:db8::10 443 {\n }\n}\n"
		"virtual_server [2001:db8::2] 443 {\n protocol TCP\n"
		" real_server [2001:db8::11] 8443 {\n }\n}\n", &d);
	struct config_virtual_server *vs;
	struct config_real_server *rs;

	vs = item(&cfg->virtual_servers, 0);
	assert_int_equal(vs->kind, CONFIG_VS_FWMARK);
	assert_int_equal(vs->fwmark, 7);
	assert_int_equal(vs->family, AF_INET); /* from its real server */
	assert_int_equal(vs->sched, CONFIG_SCHED_RR);
	vs = item(&cfg->virtual_servers, 1);
	assert_int_equal(vs->kind, CONFIG_VS_GROUP);
	assert_string_equal(vs->group_name, "G");
	assert_ptr_equal(vs->group, item(&cfg->vs_groups, 0));
	vs = item(&cfg->virtual_servers, 2);
	assert_int_equal(vs->family, AF_INET6);
	assert_string_equal(addr_str(&vs->addr), "2001:db8::1");
	vs = item(&cfg->virtual_servers, 3);
	assert_string_equal(addr_str(&vs->addr), "2001:db8::2");
	rs = item(&vs->real_servers, 0);
	assert_int_equal(rs->port, 8443); /* NAT may change the port */
	config_free(cfg);
	diag_done(&d);

	assert_load_error("virtual_server fwmark {\n}\n", 1, "virtual_server fwmark needs one number");
	assert_load_error("virtual_server 10.0.0.1 0 {\n}\n", 1, "port 0 is out of range (1-65535)");
	assert_load_error("virtual_server 10.0.0.1 {\n protocol TCP\n}\n", 1,
			  "virtual_server 10.0.0.1:0/TCP has no port");
	assert_load_error("virtual_server bogus 80 {\n}\n", 1,
			  "virtual_server 'bogus' is not an IPv4 or IPv6 address");
}

static void test_vs_values(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol UDP\n lvs_sched sh\n sh-port\n ops\n"
		" lb_kind TUN type gue port 6080 csum\n persistence_timeout\n"
		" persistence_granularity 255.255.255.0\n quorum 2\n hysteresis 1\n alpha\n omega\n"
		" quorum_up \"/bin/up now\"\n sorry_server 10.0.9.9\n delay_loop 0.5\n"
		" real_server 10.0.1.1 80 {\n  weight 3\n }\n real_server 10.0.1.2 80 {\n }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);

	assert_int_equal(vs->sched, CONFIG_SCHED_SH);
	assert_true(vs->sched_flag2);
	assert_true(vs->ops);
	assert_int_equal(vs->fwd.method, CONFIG_LVS_TUN);
	assert_int_equal(vs->fwd.tun_type, CONFIG_TUN_GUE);
	assert_int_equal(vs->fwd.tun_port, 6080);
	assert_int_equal(vs->fwd.tun_csum, CONFIG_TUN_CSUM);
	assert_int_equal(vs->persistence_timeout, 360); /* keepalived's default */
	assert_string_equal(addr_str(&vs->persistence_granularity), "255.255.255.0");
	assert_int_equal(vs->quorum, 2);
	assert_true(vs->alpha);
	assert_string_equal(vs->quorum_up->argv[1], "now");
	assert_string_equal(addr_str(&vs->sorry_addr), "10.0.9.9");
	assert_int_equal(vs->sorry_port, 80); /* the service's port */
	assert_int_equal(vs->delay_loop_us, 500000);
	assert_int_equal(rs->weight, 3);
	assert_int_equal(rs->fwd.method, CONFIG_LVS_TUN); /* inherited */
	assert_true(rs->alpha);
	config_free(cfg);
	diag_done(&d);

	assert_load_error("virtual_server 10.0.0.1 80 {\n lvs_method TUN type gue\n}\n", 2,
			  "tunnel type gue needs 'port N'");
	assert_load_error("virtual_server 10.0.0.1 80 {\n lvs_method DR type ipip\n}\n", 2,
			  "too many arguments to 'lvs_method' ('type' is extra)");
	assert_load_error("virtual_server 10.0.0.1 80 {\n lvs_method NATT\n}\n", 2,
			  "unknown lvs_method 'NATT'; expected one of: NAT, DR, TUN");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n ops\n"
			  " real_server 10.0.1.1 80 {\n }\n}\n", 1, "ops (one-packet scheduling) needs protocol UDP");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum 2\n hysteresis 2\n"
			  " real_server 10.0.1.1 80 {\n  weight 5\n }\n}\n", 1,
			  "hysteresis 2 must be less than quorum 2");
	assert_load_error("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n"
			  "  weight 70000\n }\n}\n", 3, "weight 70000 is out of range (0-65535)");
}

static void test_port_rules(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n"
		" real_server 10.0.1.1 {\n }\n real_server 10.0.1.2 8080 {\n }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);

	assert_int_equal(rs->port, 80); /* no port: the service's */
	rs = item(&vs->real_servers, 1);
	assert_int_equal(rs->port, 80); /* DR cannot change it */
	assert_warning(&d, 6, "DR cannot change the port of 10.0.0.1:80/TCP; using port 80");
	config_free(cfg);
	diag_done(&d);
}

static void test_vsg(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server_group G {\n 10.0.0.1 80\n 10.0.0.3-10 80\n 10.0.1.250-10.0.2.5 443\n"
		" 10.0.3.8/29 25\n ae00::2-9 80\n fwmark 5 inet6\n}\n", &d);
	struct config_vs_group *g = item(&cfg->vs_groups, 0);
	struct config_vsg_entry *e;

	assert_int_equal(g->entries.n, 6);
	e = item(&g->entries, 1);
	assert_string_equal(addr_str(&e->start), "10.0.0.3");
	assert_string_equal(addr_str(&e->end), "10.0.0.10");
	assert_int_equal(e->port, 80);
	e = item(&g->entries, 2);
	assert_string_equal(addr_str(&e->end), "10.0.2.5");
	e = item(&g->entries, 3);
	assert_string_equal(addr_str(&e->start), "10.0.3.8");
	assert_string_equal(addr_str(&e->end), "10.0.3.15");
	e = item(&g->entries, 4);
	assert_string_equal(addr_str(&e->end), "ae00::9");
	e = item(&g->entries, 5);
	assert_true(e->is_fwmark);
	assert_int_equal(e->fwmark, 5);
	assert_int_equal(e->family, AF_INET6);
	config_free(cfg);
	diag_done(&d);

	assert_load_error("virtual_server_group G {\n 10.0.0.9-3 80\n}\n", 2,
			  "address range '10.0.0.9-3' ends before it starts");
	assert_load_error("virtual_server_group G {\n 10.0.0.1-300 80\n}\n", 2,
			  "'10.0.0.1-300' is not an address, range");
	assert_load_error("virtual_server_group G {\n fwmark 5 inet4\n}\n", 2,
			  "unknown fwmark family 'inet4'");
}

/* keepalive_time (lbha): a checker's own, else its real server's, else its
 * virtual server's; only HTTP checkers take it. */
static void test_keepalive_time(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n keepalive_time 30\n"
		" real_server 10.0.1.1 80 {\n"
		"  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"
		"  SSL_GET {\n   url {\n    path /\n   }\n   keepalive_time 0\n  }\n"
		"  TCP_CHECK {\n  }\n }\n"
		" real_server 10.0.1.2 80 {\n  keepalive_time 5\n"
		"  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"
		"  HTTP_GET {\n   url {\n    path /x\n   }\n   keepalive_time 2.5\n  }\n }\n}\n"
		"virtual_server 10.0.0.2 80 {\n protocol TCP\n"
		" real_server 10.0.1.3 80 {\n  HTTP_GET {\n   url {\n    path /\n   }\n  }\n }\n}\n",
		&d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);

	assert_int_equal(vs->keepalive_time_us, 30000000);
	assert_int_equal(rs->keepalive_time_us, 30000000);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 0))->keepalive_time_us,
			 30000000);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 1))->keepalive_time_us, 0);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 2))->keepalive_time_us, 0);
	rs = item(&vs->real_servers, 1);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 0))->keepalive_time_us,
			 5000000);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 1))->keepalive_time_us,
			 2500000);
	vs = item(&cfg->virtual_servers, 1);
	rs = item(&vs->real_servers, 0);
	assert_int_equal(((struct config_checker *)item(&rs->checkers, 0))->keepalive_time_us, 0);
	config_free(cfg);
	diag_done(&d);
	assert_load_error("virtual_server 10.0.0.1 80 {\n keepalive_time -1\n}\n", 2,
			  "keepalive_time");
}

static void test_http_checker(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n virtualhost vs.example\n retry 4\n"
		" real_server 10.0.1.1 80 {\n  delay_loop 10\n"
		"  HTTP_GET {\n   url {\n    path /health\n    status_code 200-299 404 503\n   }\n"
		"   url {\n    path /\n    digest FF20AD2481F97B1754EF3E12ECD3A9CC\n"
		"    virtualhost url.example\n   }\n   connect_port 8080\n   nb_get_retry 2\n"
		"   http_protocol 1.1\n  }\n"
		"  SSL_GET {\n   url {\n    path /\n   }\n   enable_sni\n  }\n"
		"  MISC_CHECK {\n   misc_path \"/bin/check -v\"\n   user nobody\n  }\n"
		" }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);
	struct config_checker *ck = item(&rs->checkers, 0);
	struct config_url *u = item(&ck->urls, 0);

	assert_int_equal(ck->type, CONFIG_CHECK_HTTP_GET);
	assert_int_equal(ck->connect_port, 8080);
	assert_int_equal(ck->retry, 2);
	assert_int_equal(ck->http_protocol, CONFIG_HTTP_1_1);
	assert_int_equal(ck->delay_loop_us, 10000000);       /* from the real server */
	assert_int_equal(ck->delay_before_retry_us, 3000000); /* HTTP default */
	assert_string_equal(ck->virtualhost, "vs.example");  /* from the virtual server */
	assert_string_equal(u->path, "/health");
	assert_int_equal(u->n_status, 3);
	assert_int_equal(u->status[0].lo, 200);
	assert_int_equal(u->status[0].hi, 299);
	assert_int_equal(u->status[1].lo, 404);
	assert_int_equal(u->status[1].hi, 404);
	assert_string_equal(u->virtualhost, "vs.example");
	u = item(&ck->urls, 1);
	assert_string_equal(u->digest, "ff20ad2481f97b1754ef3e12ecd3a9cc");
	assert_string_equal(u->virtualhost, "url.example");
	assert_int_equal(u->n_status, 1); /* default 200-299 */
	assert_int_equal(u->status[0].hi, 299);

	ck = item(&rs->checkers, 1);
	assert_int_equal(ck->type, CONFIG_CHECK_SSL_GET);
	assert_true(ck->enable_sni);
	assert_int_equal(ck->retry, 4); /* the virtual server's, through the real server */

	ck = item(&rs->checkers, 2);
	assert_int_equal(ck->type, CONFIG_CHECK_MISC);
	assert_string_equal(ck->misc_path->argv[0], "/bin/check");
	assert_string_equal(ck->misc_path->user, "nobody");
	assert_int_equal(ck->misc_timeout_us, 10000000); /* delay_loop */
	assert_int_equal(ck->retry, 4);
	config_free(cfg);
	diag_done(&d);

	assert_load_error("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n"
			  "  HTTP_GET {\n   connect_timeout 3\n  }\n }\n}\n", 3, "HTTP_GET has no url block");
	assert_load_error("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n"
			  "  HTTP_GET {\n   url {\n    path /\n    status_code 2000\n   }\n  }\n }\n}\n", 6,
			  "status_code 2000 is out of range (100-599)");
	assert_load_error("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n"
			  "  HTTP_GET {\n   url {\n    path /\n    digest xyz\n   }\n  }\n }\n}\n", 6,
			  "digest 'xyz' is not an MD5 sum");
	assert_load_error("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n"
			  "  MISC_CHECK {\n   misc_timeout 3\n  }\n }\n}\n", 3, "MISC_CHECK has no misc_path");
	assert_load_error("virtual_server fwmark 1 {\n real_server 10.0.1.1 {\n"
			  "  TCP_CHECK {\n  }\n }\n}\n", 3, "TCP_CHECK for real_server 10.0.1.1:0 has no port");
}

static void test_unsupported_checkers(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 25 {\n protocol TCP\n real_server 10.0.1.1 25 {\n"
		"  SMTP_CHECK {\n   helo_name x\n   bogus_keyword_not_checked\n  }\n"
		"  PING_CHECK {\n  }\n }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);

	assert_int_equal(rs->checkers.n, 0);
	assert_warning(&d, 4, "keyword 'SMTP_CHECK' is not supported by lbha and is ignored");
	assert_warning(&d, 8, "keyword 'PING_CHECK' is not supported by lbha");
	config_free(cfg);
	diag_done(&d);
}

/* lbha's rise, fall and slow_start: defaults, inheritance VS -> RS ->
 * checker, ranges, and the dump (printed only when they say something). */
static void test_health_keywords(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		" real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n }\n}\n", &d);
	struct config_virtual_server *vs = item(&cfg->virtual_servers, 0);
	struct config_real_server *rs = item(&vs->real_servers, 0);
	struct config_checker *ck = item(&rs->checkers, 0);
	char *t;

	assert_int_equal(vs->rise, 1);
	assert_int_equal(vs->fall, 1);
	assert_int_equal(vs->slow_start_us, 0);
	assert_int_equal(rs->rise, 1);
	assert_int_equal(rs->fall, 1);
	assert_int_equal(rs->slow_start_us, 0);
	assert_int_equal(ck->rise, 1);
	assert_int_equal(ck->fall, 1);
	t = config_dump_string(cfg);
	/* defaults are not printed: the dump of a keepalived config stays keepalived's */
	assert_null(strstr(t, "rise"));
	assert_null(strstr(t, "fall"));
	assert_null(strstr(t, "slow_start"));
	free(t);
	config_free(cfg);
	diag_done(&d);

	cfg = load_ok(
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n rise 3\n fall 2\n slow_start 30\n"
		" real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n }\n"
		" real_server 10.0.1.2 80 {\n  rise 1\n  fall 5\n  slow_start 0\n"
		"  HTTP_GET {\n   url {\n    path /\n   }\n  }\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n"
		" }\n}\n", &d);
	vs = item(&cfg->virtual_servers, 0);
	assert_int_equal(vs->rise, 3);
	assert_int_equal(vs->fall, 2);
	assert_int_equal(vs->slow_start_us, 30000000);
	rs = item(&vs->real_servers, 0);          /* inherits */
	assert_int_equal(rs->rise, 3);
	assert_int_equal(rs->fall, 2);
	assert_int_equal(rs->slow_start_us, 30000000);
	ck = item(&rs->checkers, 0);
	assert_int_equal(ck->rise, 3);
	assert_int_equal(ck->fall, 2);
	rs = item(&vs->real_servers, 1);          /* its own, an explicit default too */
	assert_int_equal(rs->rise, 1);
	assert_int_equal(rs->fall, 5);
	assert_int_equal(rs->slow_start_us, 0);
	for (size_t i = 0; i < rs->checkers.n; i++) {
		ck = item(&rs->checkers, i);
		assert_int_equal(ck->rise, 1);
		assert_int_equal(ck->fall, 5);
	}

	/* the dump says it all and loads back equal, even the explicit
	 * defaults under non-default parents */
	t = config_dump_string(cfg);
	assert_non_null(strstr(t, "\trise 3\n"));
	assert_non_null(strstr(t, "\tslow_start 30\n"));
	assert_non_null(strstr(t, "\t\trise 1\n"));
	assert_non_null(strstr(t, "\t\tslow_start 0\n"));
	struct diag d2;
	struct lbha_config *b = load_ok(t, &d2);
	assert_true(config_equal(cfg, b));
	char *t2 = config_dump_string(b);
	assert_string_equal(t, t2);
	free(t);
	free(t2);
	config_free(b);
	diag_done(&d2);
	config_free(cfg);
	diag_done(&d);

	/* a checker sets its own */
	cfg = load_ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n rise 3\n"
		      " real_server 10.0.1.1 80 {\n  TCP_CHECK {\n   rise 1\n   fall 4\n  }\n"
		      "  TCP_CHECK {\n   connect_port 81\n  }\n }\n}\n", &d);
	vs = item(&cfg->virtual_servers, 0);
	rs = item(&vs->real_servers, 0);
	ck = item(&rs->checkers, 0);
	assert_int_equal(ck->rise, 1);
	assert_int_equal(ck->fall, 4);
	ck = item(&rs->checkers, 1);
	assert_int_equal(ck->rise, 3);
	assert_int_equal(ck->fall, 1);
	t = config_dump_string(cfg);
	assert_non_null(strstr(t, "\t\t\trise 1\n"));
	assert_non_null(strstr(t, "\t\t\tfall 4\n"));
	b = load_ok(t, &d2);
	assert_true(config_equal(cfg, b));
	free(t);
	config_free(b);
	diag_done(&d2);
	config_free(cfg);
	diag_done(&d);
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.1.1 80 {\n  TCP_CHECK {\n   fall 0\n  }\n }\n}\n", 5,
			  "fall 0 is out of range (1-65535)");

	assert_load_error("virtual_server 10.0.0.1 80 {\n rise 0\n}\n", 2,
			  "rise 0 is out of range (1-65535)");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.1.1 80 {\n  fall 70000\n }\n}\n", 4,
			  "fall 70000 is out of range (1-65535)");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.1.1 80 {\n  fall\n }\n}\n", 4, "fall");
	assert_load_error("virtual_server 10.0.0.1 80 {\n slow_start 100000\n}\n", 2,
			  "slow_start");
	assert_load_error("virtual_server 10.0.0.1 80 {\n slow_start -1\n}\n", 2,
			  "slow_start");
	assert_load_error("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			  " real_server 10.0.1.1 80 {\n  rise many\n }\n}\n", 4, "rise");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vs_defaults),
		cmocka_unit_test(test_vs_heads),
		cmocka_unit_test(test_vs_values),
		cmocka_unit_test(test_port_rules),
		cmocka_unit_test(test_vsg),
		cmocka_unit_test(test_http_checker),
		cmocka_unit_test(test_keepalive_time),
		cmocka_unit_test(test_unsupported_checkers),
		cmocka_unit_test(test_health_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
