/* checker/ipvs_desired: the wanted IPVS table from config text and health.
 * Services of every head (address, fwmark with family, groups with ranges,
 * prefixes and fwmarks), settings (scheduler and flags, persistence, ops,
 * engine), every forwarding method, ports, inhibit_on_failure, the sorry
 * server with keepalived's quorum and hysteresis, and what is reported. */
#include <config.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "test-config-util.h"
#include "checker/ipvs_desired.h"
#include "checker/kernel_seed.h"
#include "ipvs.h"

/* ---- helpers ------------------------------------------------------------- */

/* Real servers listed here ("10.0.1.1:80") are down; the rest are up. */
struct health {
	const char *down[8];
};

static bool is_up(const struct config_real_server *rs, void *userdata)
{
	const struct health *h = userdata;
	char buf[CONFIG_SERVICE_STRLEN];

	config_rs_to_string(rs, buf, sizeof(buf));
	for (size_t i = 0; h && i < 8 && h->down[i]; i++)
		if (strcmp(h->down[i], buf) == 0)
			return false;
	return true;
}

struct fixture {
	struct diag d;
	struct lbha_config *cfg;
	struct ipvs_desired_vs *st;
	struct ipvs_table t;
	struct ipvs_desired_report rep;
	size_t problems;
};

static void setup(struct fixture *f, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->cfg = load_ok(text, &f->d);
	f->st = calloc(f->cfg->virtual_servers.n + 1, sizeof(*f->st));
}

static void build(struct fixture *f, const struct health *h)
{
	f->problems = ipvs_desired_build(f->cfg, is_up, (void *)h, f->st, &f->t, &f->rep);
}

static void teardown(struct fixture *f)
{
	ipvs_table_clear(&f->t);
	ipvs_desired_report_clear(&f->rep);
	free(f->st);
	config_free(f->cfg);
	diag_done(&f->d);
}

static const struct ipvs_service_entry *svc(const struct ipvs_table *t, const char *name)
{
	char buf[IPVS_SERVICE_STRLEN];

	for (size_t i = 0; i < t->n_services; i++)
		if (strcmp(ipvs_service_to_string(&t->services[i].svc.key, buf, sizeof(buf)), name) == 0)
			return &t->services[i];
	fail_msg("no service %s", name);
	return NULL;
}

static const struct ipvs_dest *find_dest(const struct ipvs_service_entry *e, const char *name)
{
	char buf[IPVS_DEST_STRLEN];

	for (size_t i = 0; i < e->n_dests; i++)
		if (strcmp(ipvs_dest_to_string(&e->dests[i], buf, sizeof(buf)), name) == 0)
			return &e->dests[i];
	return NULL;
}

static const struct ipvs_dest *dest(const struct ipvs_service_entry *e, const char *name)
{
	const struct ipvs_dest *d = find_dest(e, name);

	if (!d)
		fail_msg("no dest %s", name);
	return d;
}

static void assert_sorted(const struct ipvs_table *t)
{
	for (size_t i = 1; i < t->n_services; i++)
		assert_true(ipvs_service_key_cmp(&t->services[i - 1].svc.key,
						 &t->services[i].svc.key) < 0);
	for (size_t i = 0; i < t->n_services; i++)
		for (size_t j = 1; j < t->services[i].n_dests; j++)
			assert_true(ipvs_dest_key_cmp(&t->services[i].dests[j - 1],
						      &t->services[i].dests[j]) < 0);
}

static uint32_t v4mask(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* ---- services and settings ------------------------------------------------- */

static void test_basic(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n"
		  " real_server 10.0.1.2 8080 {\n  weight 3\n  uthreshold 100\n  lthreshold 10\n }\n"
		  " real_server 10.0.1.1 80 {\n }\n}\n");
	build(&f, NULL);
	assert_int_equal(f.problems, 0);
	assert_int_equal(f.t.n_services, 1);
	assert_int_equal(f.rep.services, 1);
	assert_int_equal(f.rep.dests, 2);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_int_equal(e->svc.key.af, AF_INET);
	assert_int_equal(e->svc.key.protocol, IPPROTO_TCP);
	assert_int_equal(e->svc.key.fwmark, 0);
	assert_string_equal(e->svc.sched, "rr");
	assert_string_equal(e->svc.pe_name, "");
	assert_int_equal(e->svc.flags, 0);
	assert_int_equal(e->svc.timeout, 0);
	assert_int_equal(e->svc.netmask, 0xffffffffu);
	assert_int_equal(e->n_dests, 2);
	const struct ipvs_dest *d = dest(e, "10.0.1.2:8080");
	assert_int_equal(d->fwd, IPVS_FWD_MASQ);
	assert_int_equal(d->weight, 3);
	assert_int_equal(d->u_threshold, 100);
	assert_int_equal(d->l_threshold, 10);
	assert_int_equal(dest(e, "10.0.1.1:80")->weight, 1);
	assert_sorted(&f.t);
	assert_int_equal(f.st[0].quorum, IPVS_QUORUM_UP);
	assert_int_equal(f.st[0].live, 2);
	assert_int_equal(f.st[0].live_weight, 4);
	assert_int_equal(f.st[0].services, 1);
	teardown(&f);
}

static void test_settings(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo sh\n sh-fallback\n sh-port\n"
		  " persistence_timeout 300\n persistence_granularity 255.255.255.0\n"
		  " persistence_engine sip\n real_server 10.0.1.1 80 {\n }\n}\n"
		  "virtual_server 10.0.0.2 53 {\n protocol UDP\n lb_algo mh\n mh-port\n ops\n"
		  " real_server 10.0.1.1 53 {\n }\n}\n"
		  "virtual_server 2001:db8::1 443 {\n protocol SCTP\n lb_algo wlc\n"
		  " persistence_timeout\n persistence_granularity 64\n"
		  " real_server 2001:db8::10 443 {\n }\n}\n"
		  "virtual_server 2001:db8::2 80 {\n protocol TCP\n"
		  " real_server 2001:db8::10 80 {\n }\n}\n");
	build(&f, NULL);
	assert_int_equal(f.problems, 0);
	assert_int_equal(f.t.n_services, 4);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_string_equal(e->svc.sched, "sh");
	assert_string_equal(e->svc.pe_name, "sip");
	assert_int_equal(e->svc.flags,
			 IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2);
	assert_int_equal(e->svc.timeout, 300);
	assert_int_equal(e->svc.netmask, v4mask("255.255.255.0"));
	e = svc(&f.t, "UDP 10.0.0.2:53");
	assert_string_equal(e->svc.sched, "mh");
	assert_int_equal(e->svc.flags, IPVS_SVC_F_ONEPACKET | IPVS_SVC_F_SCHED2);
	assert_int_equal(e->svc.timeout, 0);
	e = svc(&f.t, "SCTP [2001:db8::1]:443");
	assert_int_equal(e->svc.key.protocol, IPPROTO_SCTP);
	assert_int_equal(e->svc.key.af, AF_INET6);
	assert_int_equal(e->svc.flags, IPVS_SVC_F_PERSISTENT);
	assert_int_equal(e->svc.timeout, 360); /* keepalived's default without a value */
	assert_int_equal(e->svc.netmask, 64);
	e = svc(&f.t, "TCP [2001:db8::2]:80");
	assert_string_equal(e->svc.sched, "wlc");
	assert_int_equal(e->svc.netmask, 128);
	assert_int_equal(dest(e, "[2001:db8::10]:80")->af, AF_INET6);
	teardown(&f);
}

static void test_methods(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n"
		  " real_server 10.0.1.1 80 {\n }\n"
		  " real_server 10.0.1.2 80 {\n  lvs_method NAT\n }\n"
		  " real_server 10.0.1.3 80 {\n  lvs_method TUN\n }\n"
		  " real_server 10.0.1.4 80 {\n  lvs_method TUN type gue port 6080 csum\n }\n"
		  " real_server 10.0.1.8 80 {\n  lvs_method TUN type gue port 6081 remcsum\n }\n"
		  " real_server 10.0.1.5 80 {\n  lvs_method TUN type gre\n }\n"
		  " real_server 2001:db8::6 80 {\n  lvs_method TUN\n }\n"
		  " real_server 10.0.1.7 8080 {\n  lvs_method NAT\n }\n"
		  "}\n"
		  "virtual_server fwmark 9 {\n lvs_method DR\n"
		  " real_server 10.0.2.1 {\n }\n"
		  " real_server 10.0.2.2 8080 {\n  lvs_method NAT\n }\n"
		  " real_server 10.0.2.3 {\n  lvs_method NAT\n }\n}\n");
	build(&f, NULL);
	assert_int_equal(f.problems, 0);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_int_equal(e->n_dests, 8);
	const struct ipvs_dest *d = dest(e, "10.0.1.1:80");
	assert_int_equal(d->fwd, IPVS_FWD_DROUTE);
	assert_int_equal(d->tun_type, 0);
	assert_int_equal(d->tun_port, 0);
	assert_int_equal(d->tun_flags, 0);
	assert_int_equal(dest(e, "10.0.1.2:80")->fwd, IPVS_FWD_MASQ);
	d = dest(e, "10.0.1.3:80");
	assert_int_equal(d->fwd, IPVS_FWD_TUNNEL);
	assert_int_equal(d->tun_type, IPVS_TUN_IPIP);
	assert_int_equal(d->tun_flags, IPVS_TUN_F_NOCSUM);
	d = dest(e, "10.0.1.4:80");
	assert_int_equal(d->tun_type, IPVS_TUN_GUE);
	assert_int_equal(d->tun_port, 6080);
	assert_int_equal(d->tun_flags, IPVS_TUN_F_CSUM);
	d = dest(e, "10.0.1.5:80");
	assert_int_equal(d->tun_type, IPVS_TUN_GRE);
	assert_int_equal(d->tun_port, 0);
	assert_int_equal(d->tun_flags, IPVS_TUN_F_NOCSUM);
	d = dest(e, "10.0.1.8:80");
	assert_int_equal(d->tun_port, 6081);
	assert_int_equal(d->tun_flags, IPVS_TUN_F_REMCSUM);
	d = dest(e, "[2001:db8::6]:80");  /* TUN may cross families */
	assert_int_equal(d->af, AF_INET6);
	assert_int_equal(d->fwd, IPVS_FWD_TUNNEL);
	assert_int_equal(dest(e, "10.0.1.7:8080")->fwd, IPVS_FWD_MASQ); /* NAT maps the port */

	e = svc(&f.t, "FWM 9");
	assert_int_equal(e->svc.key.af, AF_INET);
	assert_int_equal(e->svc.key.protocol, 0);
	assert_int_equal(e->svc.key.port, 0);
	assert_int_equal(e->svc.key.fwmark, 9);
	assert_int_equal(dest(e, "10.0.2.1:0")->fwd, IPVS_FWD_DROUTE);
	assert_int_equal(dest(e, "10.0.2.2:8080")->fwd, IPVS_FWD_MASQ);
	assert_non_null(dest(e, "10.0.2.3:0"));
	assert_sorted(&f.t);
	teardown(&f);
}

static void test_fwmark_family(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server fwmark 7 {\n ip_family inet6\n lb_algo rr\n"
		  " persistence_timeout 60\n real_server 2001:db8::1 {\n  lvs_method DR\n }\n}\n"
		  "virtual_server fwmark 7 {\n lb_algo rr\n real_server 10.0.0.5 {\n  lvs_method DR\n }\n}\n");
	build(&f, NULL);
	assert_int_equal(f.problems, 0);
	assert_int_equal(f.t.n_services, 2);
	const struct ipvs_service_entry *e = svc(&f.t, "FWM 7 IPv6");
	assert_int_equal(e->svc.key.af, AF_INET6);
	assert_int_equal(e->svc.netmask, 128);
	assert_non_null(dest(e, "[2001:db8::1]:0"));
	e = svc(&f.t, "FWM 7");
	assert_int_equal(e->svc.key.af, AF_INET);
	assert_non_null(dest(e, "10.0.0.5:0"));
	teardown(&f);
}

/* ---- virtual_server_group ------------------------------------------------------ */

static void test_group(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server_group G {\n 10.0.0.1-3 80\n 10.0.1.0/30 443\n"
		  " fwmark 5\n fwmark 6 inet6\n}\n"
		  "virtual_server group G {\n protocol TCP\n lb_algo lc\n lvs_method NAT\n"
		  " real_server 10.0.9.1 {\n  weight 2\n }\n"
		  " real_server 10.0.9.2 8080 {\n }\n"
		  " real_server 2001:db8::9 {\n  lvs_method TUN\n }\n}\n");
	build(&f, NULL);
	/* the IPv6 fwmark service cannot have the IPv4 NAT servers */
	assert_int_equal(f.problems, 2);
	for (size_t i = 0; i < f.rep.n_problems; i++) {
		assert_int_equal(f.rep.problems[i].type, IPVS_DESIRED_FAMILY_MISMATCH);
		assert_int_equal(f.rep.problems[i].svc.fwmark, 6);
	}
	/* 3 + 4 addresses, two fwmarks */
	assert_int_equal(f.t.n_services, 9);
	assert_int_equal(f.st[0].services, 9);
	const char *const tcp[] = { "TCP 10.0.0.1:80", "TCP 10.0.0.2:80", "TCP 10.0.0.3:80",
				    "TCP 10.0.1.0:443", "TCP 10.0.1.1:443", "TCP 10.0.1.2:443",
				    "TCP 10.0.1.3:443" };
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		const struct ipvs_service_entry *e = svc(&f.t, tcp[i]);
		uint16_t port = e->svc.key.port;
		char want[IPVS_DEST_STRLEN];
		assert_string_equal(e->svc.sched, "lc");
		assert_int_equal(e->n_dests, 3);
		/* port 0 means the service's port, per service */
		snprintf(want, sizeof(want), "10.0.9.1:%u", port);
		assert_int_equal(dest(e, want)->weight, 2);
		assert_non_null(dest(e, "10.0.9.2:8080"));
		snprintf(want, sizeof(want), "[2001:db8::9]:%u", port);
		assert_int_equal(dest(e, want)->fwd, IPVS_FWD_TUNNEL);
	}
	const struct ipvs_service_entry *e = svc(&f.t, "FWM 5");
	assert_int_equal(e->svc.key.af, AF_INET);   /* the virtual server's family */
	assert_int_equal(e->n_dests, 3);
	assert_non_null(dest(e, "10.0.9.1:0"));
	e = svc(&f.t, "FWM 6 IPv6");
	/* only the tunnel can reach across families */
	assert_int_equal(e->n_dests, 1);
	assert_non_null(dest(e, "[2001:db8::9]:0"));
	assert_sorted(&f.t);
	teardown(&f);
}

static void test_group_ipv6_range_and_mismatch(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server_group G6 {\n 2001:db8::fffe-2001:db8::1:1 80\n 10.0.0.1 80\n}\n"
		  "virtual_server group G6 {\n protocol UDP\n lvs_method DR\n"
		  " real_server 2001:db8::99 80 {\n }\n}\n");
	build(&f, NULL);
	/* ::fffe, ::ffff, ::1:0, ::1:1 crosses a 16-bit boundary */
	assert_int_equal(f.t.n_services, 5);
	assert_non_null(svc(&f.t, "UDP [2001:db8::fffe]:80"));
	assert_non_null(svc(&f.t, "UDP [2001:db8::ffff]:80"));
	assert_non_null(svc(&f.t, "UDP [2001:db8::1:0]:80"));
	assert_int_equal(svc(&f.t, "UDP [2001:db8::1:1]:80")->n_dests, 1);
	/* the IPv4 entry gets no IPv6 DR server, and that is said once */
	assert_int_equal(svc(&f.t, "UDP 10.0.0.1:80")->n_dests, 0);
	assert_int_equal(f.problems, 1);
	assert_int_equal(f.rep.problems[0].type, IPVS_DESIRED_FAMILY_MISMATCH);
	assert_int_equal(f.rep.problems[0].where->line, 8);
	teardown(&f);
}

static void test_group_truncated_and_duplicates(void **state)
{
	struct fixture f;

	setup(&f, "virtual_server 10.1.0.5 80 {\n protocol TCP\n lb_algo rr\n"
		  " real_server 10.0.9.1 80 {\n }\n}\n"
		  "virtual_server_group BIG {\n 10.0.0.0/15 80\n 10.1.0.0/29 80\n}\n"
		  "virtual_server group BIG {\n protocol TCP\n lb_algo wrr\n"
		  " real_server 10.0.9.1 {\n }\n real_server 10.0.9.1 80 {\n }\n}\n");
	build(&f, NULL);
	/* the /15 stops at IPVS_DESIRED_MAX_RANGE; the /29 overlaps with the /15's
	 * second half (truncated away) and the plain virtual server's address */
	assert_int_equal(f.t.n_services, IPVS_DESIRED_MAX_RANGE + 8 - 1 + 1);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.1.0.5:80");
	assert_string_equal(e->svc.sched, "rr");  /* the first configured wins */
	assert_int_equal(f.st[0].services, 1);
	assert_int_equal(f.st[1].services, IPVS_DESIRED_MAX_RANGE + 8 - 1);
	/* both real servers of BIG end up 10.0.9.1:80 in every service */
	assert_int_equal(svc(&f.t, "TCP 10.1.0.1:80")->n_dests, 1);
	size_t seen[_IPVS_DESIRED_PROBLEM_MAX] = { 0 };
	for (size_t i = 0; i < f.rep.n_problems; i++)
		seen[f.rep.problems[i].type]++;
	assert_int_equal(seen[IPVS_DESIRED_RANGE_TRUNCATED], 1);
	assert_int_equal(seen[IPVS_DESIRED_DUPLICATE_SERVICE], 1);
	assert_int_equal(seen[IPVS_DESIRED_DUPLICATE_DEST], 1);
	assert_int_equal(f.problems, 3);
	assert_sorted(&f.t);
	teardown(&f);
}

/* ---- health ---------------------------------------------------------------------- */

static void test_inhibit_on_failure(void **state)
{
	struct fixture f;
	const struct health h = { { "10.0.1.1:80", "10.0.1.2:80", "10.0.2.1:80", NULL } };

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		  " real_server 10.0.1.1 80 {\n  weight 5\n }\n"
		  " real_server 10.0.1.2 80 {\n  weight 5\n  inhibit_on_failure\n }\n"
		  " real_server 10.0.1.3 80 {\n  weight 5\n }\n}\n"
		  "virtual_server 10.0.0.2 80 {\n protocol TCP\n inhibit_on_failure\n"
		  " real_server 10.0.2.1 80 {\n }\n real_server 10.0.2.2 80 {\n }\n}\n");
	build(&f, &h);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_int_equal(e->n_dests, 2);
	assert_null(find_dest(e, "10.0.1.1:80"));           /* down: removed */
	assert_int_equal(dest(e, "10.0.1.2:80")->weight, 0); /* down, inhibited */
	assert_int_equal(dest(e, "10.0.1.3:80")->weight, 5);
	assert_int_equal(f.st[0].live, 1);
	assert_int_equal(f.st[0].live_weight, 5);
	e = svc(&f.t, "TCP 10.0.0.2:80");                    /* inherited from the VS */
	assert_int_equal(dest(e, "10.0.2.1:80")->weight, 0);
	assert_int_equal(dest(e, "10.0.2.2:80")->weight, 1);
	teardown(&f);
}

/* Every real server down and no sorry server: the service stays, empty
 * (this once sorted a NULL candidate list). */
static void test_all_down_no_sorry(void **state)
{
	struct fixture f;
	const struct health h = { { "10.0.1.1:80", "10.0.1.2:80", NULL } };

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		  " real_server 10.0.1.1 80 {\n }\n real_server 10.0.1.2 80 {\n }\n}\n");
	build(&f, &h);
	assert_int_equal(svc(&f.t, "TCP 10.0.0.1:80")->n_dests, 0);
	assert_int_equal(f.st[0].live, 0);
	teardown(&f);
}

/* A restarted checker's seeds: the kernel table built with 10.0.1.2 down
 * (removed) and 10.0.1.3 down (inhibited: weight 0) says 10.0.1.1 up, the
 * other two down; the second virtual server is not in that table (as if
 * new), so its server gets no seed; a server of a group, in the kernel
 * under several services, is up. */
static void test_kernel_seed(void **state)
{
	struct fixture f;
	const struct health h = { { "10.0.1.2:80", "10.0.1.3:80", "10.0.3.1:80", NULL } };
	struct kernel_seed *seed = NULL;
	const struct config_virtual_server *vs1, *vs2;

	setup(&f, "virtual_server_group G {\n 10.0.5.1-3 80\n}\n"
		  "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		  " real_server 10.0.1.1 80 {\n }\n real_server 10.0.1.2 80 {\n }\n"
		  " real_server 10.0.1.3 80 {\n  inhibit_on_failure\n }\n}\n"
		  "virtual_server group G {\n protocol TCP\n"
		  " real_server 10.0.3.1 80 {\n }\n real_server 10.0.3.2 80 {\n }\n}\n");
	build(&f, &h);
	/* the kernel lacks the group's 10.0.5.2 service: the rest still tells */
	struct ipvs_table kernel = { 0 };
	for (size_t i = 0; i < f.t.n_services; i++) {
		char buf[IPVS_SERVICE_STRLEN];
		if (strcmp(ipvs_service_to_string(&f.t.services[i].svc.key, buf, sizeof(buf)),
			   "TCP 10.0.5.2:80") == 0)
			continue;
		struct ipvs_service_entry *e = ipvs_table_add_service(&kernel, &f.t.services[i].svc);
		for (size_t j = 0; j < f.t.services[i].n_dests; j++)
			ipvs_entry_add_dest(e, &f.t.services[i].dests[j]);
	}
	ipvs_table_sort(&kernel);
	/* a virtual server added since: its service is not in the kernel */
	size_t n = kernel_seed_build(f.cfg, &kernel, &seed);
	vs1 = f.cfg->virtual_servers.items[0];
	vs2 = f.cfg->virtual_servers.items[1];
	const struct config_real_server *const *r1 = (const void *)vs1->real_servers.items;
	const struct config_real_server *const *r2 = (const void *)vs2->real_servers.items;
	assert_int_equal(n, 5);
	assert_int_equal(kernel_seed_find(seed, n, r1[0]), HEALTH_UP);
	assert_int_equal(kernel_seed_find(seed, n, r1[1]), HEALTH_DOWN);
	assert_int_equal(kernel_seed_find(seed, n, r1[2]), HEALTH_DOWN);
	assert_int_equal(kernel_seed_find(seed, n, r2[0]), HEALTH_DOWN);
	assert_int_equal(kernel_seed_find(seed, n, r2[1]), HEALTH_UP);
	free(seed);

	/* an empty kernel (first start): nothing is seeded */
	struct ipvs_table empty = { 0 };
	seed = NULL;
	assert_int_equal(kernel_seed_build(f.cfg, &empty, &seed), 0);
	assert_int_equal(kernel_seed_find(seed, 0, r1[0]), -1);
	free(seed);
	ipvs_table_clear(&kernel);
	teardown(&f);
}

/* The weight callback (slow start, misc_dynamic): 10.0.1.1 ramps at 2,
 * 10.0.1.2 is down (its callback weight does not matter), the others keep
 * the configured weight. */
static uint32_t ramp_weight(const struct config_real_server *rs, void *userdata)
{
	char buf[CONFIG_SERVICE_STRLEN];

	config_rs_to_string(rs, buf, sizeof(buf));
	if (strcmp(buf, "10.0.1.1:80") == 0)
		return 2;
	if (strcmp(buf, "10.0.1.2:80") == 0)
		return 9;
	return rs->weight;
}

static void test_weight_callback(void **state)
{
	struct fixture f;
	static const struct health h = { { "10.0.1.2:80", NULL } };
	const struct ipvs_desired_health hh = { .up = is_up, .weight = ramp_weight,
						.userdata = (void *)&h };

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum 8\n"
		  " real_server 10.0.1.1 80 {\n  weight 5\n }\n"
		  " real_server 10.0.1.2 80 {\n  weight 5\n  inhibit_on_failure\n }\n"
		  " real_server 10.0.1.3 80 {\n  weight 5\n }\n}\n");
	f.problems = ipvs_desired_build_health(f.cfg, &hh, f.st, &f.t, &f.rep);
	const struct ipvs_service_entry *e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_int_equal(dest(e, "10.0.1.1:80")->weight, 2);  /* ramping */
	assert_int_equal(dest(e, "10.0.1.2:80")->weight, 0);  /* down, inhibited */
	assert_int_equal(dest(e, "10.0.1.3:80")->weight, 5);
	/* the quorum counts the weight now: 2 + 5 < 8 */
	assert_int_equal(f.st[0].live_weight, 7);
	assert_int_equal(f.st[0].quorum, IPVS_QUORUM_DOWN);
	/* NULL health: all up with their configured weights */
	ipvs_table_clear(&f.t);
	f.st[0].quorum = IPVS_QUORUM_UNKNOWN;
	f.problems = ipvs_desired_build_health(f.cfg, NULL, f.st, &f.t, &f.rep);
	assert_int_equal(f.st[0].live_weight, 15);
	assert_int_equal(f.st[0].quorum, IPVS_QUORUM_UP);
	teardown(&f);
}

static void test_quorum_next(void **state)
{
	/* quorum 3, hysteresis 1: up at >= 4, down below 2 */
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UNKNOWN, 4, 3, 1), IPVS_QUORUM_UP);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UNKNOWN, 3, 3, 1), IPVS_QUORUM_DOWN);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_DOWN, 3, 3, 1), IPVS_QUORUM_DOWN);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_DOWN, 4, 3, 1), IPVS_QUORUM_UP);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UP, 2, 3, 1), IPVS_QUORUM_UP);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UP, 1, 3, 1), IPVS_QUORUM_DOWN);
	/* without hysteresis it is a plain threshold */
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UP, 1, 1, 0), IPVS_QUORUM_UP);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UP, 0, 1, 0), IPVS_QUORUM_DOWN);
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_DOWN, 1, 1, 0), IPVS_QUORUM_UP);
	/* an empty pool always loses the quorum (keepalived's !weight_sum) */
	assert_int_equal(ipvs_quorum_next(IPVS_QUORUM_UP, 0, 1, 1), IPVS_QUORUM_DOWN);
	assert_string_equal(ipvs_quorum_to_string(IPVS_QUORUM_UP), "up");
	assert_null(ipvs_quorum_to_string(_IPVS_QUORUM_MAX));
}

#define SORRY_CONF                                                                     \
	"virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum 3\n hysteresis 1\n"       \
	" sorry_server 10.0.5.5 8080\n"                                                 \
	" real_server 10.0.1.1 80 {\n }\n real_server 10.0.1.2 80 {\n }\n"              \
	" real_server 10.0.1.3 80 {\n }\n real_server 10.0.1.4 80 {\n  inhibit_on_failure\n }\n}\n"

static const struct ipvs_service_entry *step(struct fixture *f, const struct health *h,
					     enum ipvs_quorum want)
{
	build(f, h);
	assert_int_equal(f->st[0].quorum, want);
	assert_int_equal(f->st[0].sorry_active, want == IPVS_QUORUM_DOWN);
	return svc(&f->t, "TCP 10.0.0.1:80");
}

static void test_sorry_hysteresis(void **state)
{
	const struct health all = { { NULL } };
	const struct health three = { { "10.0.1.1:80", NULL } };
	const struct health one = { { "10.0.1.1:80", "10.0.1.2:80", "10.0.1.3:80", NULL } };
	const struct ipvs_service_entry *e;
	struct fixture f;

	setup(&f, SORRY_CONF);
	/* start with 4 of 4: up (4 >= 3+1), no sorry server */
	e = step(&f, &all, IPVS_QUORUM_UP);
	assert_int_equal(e->n_dests, 4);
	assert_null(find_dest(e, "10.0.5.5:8080"));
	/* 3 live: still up (3 >= 3-1) */
	e = step(&f, &three, IPVS_QUORUM_UP);
	assert_int_equal(e->n_dests, 3);
	/* 1 live: down (1 < 3-1); the sorry server alone serves, the live
	 * inhibit_on_failure server stays with weight 0 */
	e = step(&f, &one, IPVS_QUORUM_DOWN);
	assert_int_equal(e->n_dests, 2);
	assert_int_equal(dest(e, "10.0.5.5:8080")->weight, 1);
	assert_int_equal(dest(e, "10.0.5.5:8080")->fwd, IPVS_FWD_MASQ);
	assert_int_equal(dest(e, "10.0.1.4:80")->weight, 0);
	assert_int_equal(f.st[0].live_weight, 1);
	/* back to 3: still down (3 < 3+1) */
	e = step(&f, &three, IPVS_QUORUM_DOWN);
	assert_int_equal(e->n_dests, 2);
	assert_non_null(dest(e, "10.0.5.5:8080"));
	/* 4: up again, sorry server out, everyone back */
	e = step(&f, &all, IPVS_QUORUM_UP);
	assert_int_equal(e->n_dests, 4);
	assert_null(find_dest(e, "10.0.5.5:8080"));
	assert_int_equal(dest(e, "10.0.1.4:80")->weight, 1);
	/* a fresh start with 3 live has no past: down (3 < 3+1) */
	f.st[0].quorum = IPVS_QUORUM_UNKNOWN;
	e = step(&f, &three, IPVS_QUORUM_DOWN);
	assert_non_null(dest(e, "10.0.5.5:8080"));
	teardown(&f);
}

static void test_sorry_inhibit_and_duplicate(void **state)
{
	const struct health all = { { NULL } };
	const struct health none = { { "10.0.1.1:80", "10.0.1.2:80", NULL } };
	const struct ipvs_service_entry *e;
	struct fixture f;

	setup(&f, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n"
		  " sorry_server 10.0.5.5 80\n sorry_server_inhibit\n"
		  " sorry_server_lvs_method TUN\n"
		  " real_server 10.0.1.1 80 {\n }\n}\n"
		  "virtual_server 10.0.0.2 80 {\n protocol TCP\n"
		  " sorry_server 10.0.1.2 80\n"
		  " real_server 10.0.1.2 80 {\n  weight 7\n }\n}\n");
	build(&f, &all);
	assert_int_equal(f.problems, 0);
	e = svc(&f.t, "TCP 10.0.0.1:80");
	/* sorry_server_inhibit: in with weight 0 while the quorum is up */
	assert_int_equal(e->n_dests, 2);
	assert_int_equal(dest(e, "10.0.5.5:80")->weight, 0);
	assert_int_equal(dest(e, "10.0.5.5:80")->fwd, IPVS_FWD_TUNNEL);
	assert_int_equal(dest(e, "10.0.1.1:80")->fwd, IPVS_FWD_DROUTE);
	/* a sorry server that is also a real server: the real server's dest */
	e = svc(&f.t, "TCP 10.0.0.2:80");
	assert_int_equal(e->n_dests, 1);
	assert_int_equal(dest(e, "10.0.1.2:80")->weight, 7);

	build(&f, &none);
	assert_int_equal(f.problems, 0);
	e = svc(&f.t, "TCP 10.0.0.1:80");
	assert_int_equal(e->n_dests, 1);
	assert_int_equal(dest(e, "10.0.5.5:80")->weight, 1);
	e = svc(&f.t, "TCP 10.0.0.2:80");
	assert_int_equal(e->n_dests, 1);
	assert_int_equal(dest(e, "10.0.1.2:80")->weight, 1);  /* now as the sorry server */
	teardown(&f);
}

static void test_empty_and_same(void **state)
{
	struct fixture f;
	struct diag d2;

	setup(&f, "global_defs {\n router_id x\n}\n");
	build(&f, NULL);
	assert_int_equal(f.t.n_services, 0);
	assert_int_equal(f.problems, 0);
	teardown(&f);

	struct lbha_config *a = load_ok(
		"virtual_server_group G {\n 10.0.0.1 80\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.1.1 80 {\n }\n}\n"
		"virtual_server fwmark 3 {\n real_server 10.0.1.1 80 {\n }\n}\n"
		"virtual_server group G {\n protocol UDP\n real_server 10.0.1.1 80 {\n }\n}\n", &f.d);
	struct lbha_config *b = load_ok(
		"virtual_server_group G {\n 10.0.0.1 80\n}\n"
		"virtual_server group G {\n protocol UDP\n real_server 10.0.1.2 80 {\n }\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol UDP\n real_server 10.0.1.1 80 {\n }\n}\n"
		"virtual_server fwmark 3 {\n lb_algo rr\n real_server 10.0.1.1 80 {\n }\n}\n", &d2);
	const struct config_virtual_server *a0 = item(&a->virtual_servers, 0),
		*a1 = item(&a->virtual_servers, 1), *a2 = item(&a->virtual_servers, 2),
		*b0 = item(&b->virtual_servers, 0), *b1 = item(&b->virtual_servers, 1),
		*b2 = item(&b->virtual_servers, 2);
	assert_false(ipvs_desired_vs_same(a0, b1)); /* protocol differs */
	assert_true(ipvs_desired_vs_same(a1, b2));  /* settings may differ */
	assert_true(ipvs_desired_vs_same(a2, b0));
	assert_false(ipvs_desired_vs_same(a0, a1));
	config_free(a);
	config_free(b);
	diag_done(&f.d);
	diag_done(&d2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_fwmark_family),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_group_ipv6_range_and_mismatch),
		cmocka_unit_test(test_group_truncated_and_duplicates),
		cmocka_unit_test(test_inhibit_on_failure),
		cmocka_unit_test(test_all_down_no_sorry),
		cmocka_unit_test(test_kernel_seed),
		cmocka_unit_test(test_weight_callback),
		cmocka_unit_test(test_quorum_next),
		cmocka_unit_test(test_sorry_hysteresis),
		cmocka_unit_test(test_sorry_inhibit_and_duplicate),
		cmocka_unit_test(test_empty_and_same),
	};

	return cmocka_run_group_tests_name("ipvs_desired", tests, NULL, NULL);
}
