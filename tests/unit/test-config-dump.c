/* The canonical dump: load -> dump -> load gives an equal config, and the
 * second dump is byte-identical.  Run on every keepalived sample (they must
 * load with no error; warnings are allowed) and on tests/unit/data/config/.
 * One TAP line per file; without keepalived's samples those lines are SKIPs. */
#include "config.h"

#include <glob.h>
#include <unistd.h>

#include "test-config-util.h"

struct round_trip {
	char *path;
	const char *config_id;
	char name[512];
};

static struct lbha_config *load_path(const char *path, const char *config_id, struct diag *d)
{
	struct config_load_options o = { .config_id = config_id };
	struct lbha_config *cfg = NULL;

	diag_init(d);
	if (config_load_file(path, &o, d, &cfg) < 0 || d->n_errors) {
		diag_print(d, stderr);
		fail_msg("%s does not load", path);
	}
	return cfg;
}

static void check_round_trip(void **state)
{
	const struct round_trip *rt = *state;
	struct diag d1, d2;
	struct lbha_config *a, *b = NULL;
	char *t1, *t2;

	if (!rt->path) {
		skip(); /* no keepalived samples on this machine */
		return;
	}
	a = load_path(rt->path, rt->config_id, &d1);
	t1 = config_dump_string(a);
	assert_non_null(t1);
	diag_init(&d2);
	struct config_load_options o = { .config_id = rt->config_id };
	if (config_load_string("dump", t1, strlen(t1), &o, &d2, &b) < 0) {
		diag_print(&d2, stderr);
		fprintf(stderr, "%s", t1);
		fail_msg("the dump of %s does not load", rt->path);
	}
	t2 = config_dump_string(b);
	if (!config_equal(a, b))
		fail_msg("the dump of %s loads as a different config", rt->path);
	if (strcmp(t1, t2) != 0) {
		fprintf(stderr, "--- first dump\n%s--- second dump\n%s", t1, t2);
		fail_msg("dumping %s twice gives different text", rt->path);
	}
	/* What the parent sends its children: only the written values. */
	char *t3 = config_dump_written_string(a);
	struct lbha_config *c = NULL;
	struct diag d3;
	diag_init(&d3);
	if (config_load_string("written", t3, strlen(t3), &o, &d3, &c) < 0 || !config_equal(a, c)) {
		diag_print(&d3, stderr);
		fprintf(stderr, "%s", t3);
		fail_msg("the written-only dump of %s does not load as the same config", rt->path);
	}
	assert_true(strlen(t3) <= strlen(t1));
	free(t3);
	config_free(c);
	diag_done(&d3);
	free(t1);
	free(t2);
	config_free(a);
	config_free(b);
	diag_done(&d1);
	diag_done(&d2);
}

static void test_defaults_written_out(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok(
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.1.1 80 {\n"
		"  TCP_CHECK {\n  }\n }\n}\n", &d);
	char *t = config_dump_string(cfg);

	assert_non_null(strstr(t, "\tpriority 100\n"));
	assert_non_null(strstr(t, "\tadvert_int 1\n"));
	assert_non_null(strstr(t, "\tstate BACKUP\n"));
	assert_non_null(strstr(t, "\t\t10.0.0.1/32 dev eth0 scope global\n"));
	assert_non_null(strstr(t, "virtual_server 10.0.0.1 80 {\n"));
	assert_non_null(strstr(t, "\tlvs_sched wlc\n"));
	assert_non_null(strstr(t, "\tlvs_method NAT\n"));
	assert_non_null(strstr(t, "\tdelay_loop 60\n"));
	assert_non_null(strstr(t, "\t\t\tconnect_port 80\n"));
	free(t);
	config_free(cfg);
	diag_done(&d);
}

static void test_equal_sees_differences(void **state)
{
#define BASE(prio, vip)                                                              \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority " prio \
	"\n virtual_ipaddress {\n  10.0.0." vip "\n }\n}\n"
	const char *t1 = BASE("100", "1"), *t2 = BASE("101", "1"), *t3 = BASE("100", "2");
	struct diag d1, d2, d3;

	struct lbha_config *a = load_ok(t1, &d1), *b = load_ok(t2, &d2), *c = load_ok(t3, &d3);
	struct diag d4;
	struct lbha_config *a2 = load_ok(t1, &d4);

	assert_true(config_equal(a, a2));
	assert_false(config_equal(a, b)); /* a scalar */
	assert_false(config_equal(a, c)); /* an item of a line list */
	assert_false(config_equal(a, NULL));
	config_free(a);
	config_free(a2);
	config_free(b);
	config_free(c);
	diag_done(&d1);
	diag_done(&d2);
	diag_done(&d3);
	diag_done(&d4);
}

static void test_quoting_round_trip(void **state)
{
	struct diag d1, d2;
	struct lbha_config *a = load_ok(
		"vrrp_script s {\n script \"/bin/x 'a b' \\\"q\\\" back\\\\slash #not-a-comment\"\n}\n",
		&d1);
	struct config_vrrp_script *s = item(&a->vrrp_scripts, 0);
	char *t = config_dump_string(a);
	struct lbha_config *b = load_ok(t, &d2);
	struct config_vrrp_script *s2 = item(&b->vrrp_scripts, 0);

	assert_string_equal(s->script->cmd, "/bin/x 'a b' \"q\" back\\slash #not-a-comment");
	assert_string_equal(s2->script->cmd, s->script->cmd);
	assert_string_equal(s2->script->argv[1], "a b");
	free(t);
	config_free(a);
	config_free(b);
	diag_done(&d1);
	diag_done(&d2);
}

static void test_conditional_conf(void **state)
{
	char path[512];
	struct diag d;
	struct lbha_config *cfg;
	struct config_vrrp_instance *vi;
	struct config_vrrp_script *s;

	snprintf(path, sizeof(path), "%s/keepalived.conf.conditional_conf", KEEPALIVED_SAMPLES);
	if (access(path, R_OK) != 0) {
		skip();
		return;
	}
	cfg = load_path(path, "high", &d);
	vi = item(&cfg->vrrp_instances, 0);
	s = item(&cfg->vrrp_scripts, 0);
	assert_int_equal(vi->priority, 170);
	assert_string_equal(s->script->cmd, "/etc/keepalived/scripts/check_high_VI_0.sh");
	config_free(cfg);
	diag_done(&d);
	cfg = load_path(path, "low", &d);
	vi = item(&cfg->vrrp_instances, 0);
	assert_int_equal(vi->priority, 85);
	config_free(cfg);
	diag_done(&d);
}

/* One round-trip test per file matching pattern. */
static void add_files(const char *pattern, struct round_trip ***rts, size_t *n)
{
	glob_t g;

	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		/* the conditional sample means something only with a config id */
		bool cond = strstr(g.gl_pathv[i], "conditional_conf") != NULL;
		for (int k = 0; k < (cond ? 2 : 1); k++) {
			struct round_trip *rt = calloc(1, sizeof(*rt));
			assert_non_null(rt);
			rt->path = strdup(g.gl_pathv[i]);
			rt->config_id = !cond ? "test" : k == 0 ? "high" : "low";
			snprintf(rt->name, sizeof(rt->name), "round trip %s%s%s",
				 strrchr(g.gl_pathv[i], '/') + 1, cond ? " -i " : "",
				 cond ? rt->config_id : "");
			*rts = realloc(*rts, (*n + 1) * sizeof(**rts));
			(*rts)[(*n)++] = rt;
		}
	}
	globfree(&g);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_defaults_written_out),
		cmocka_unit_test(test_equal_sees_differences),
		cmocka_unit_test(test_quoting_round_trip),
		cmocka_unit_test(test_conditional_conf),
	};
	const size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	struct round_trip **rts = NULL;
	size_t n = 0;
	size_t n_samples;

	add_files(KEEPALIVED_SAMPLES "/keepalived.conf.*", &rts, &n);
	n_samples = n;
	if (n_samples == 0) {
		/* a TAP SKIP that says why, instead of silently testing nothing */
		struct round_trip *rt = calloc(1, sizeof(*rt));
		snprintf(rt->name, sizeof(rt->name),
			 "round trip of keepalived samples (none in " KEEPALIVED_SAMPLES
			 ": package keepalived not installed)");
		rts = realloc(rts, sizeof(*rts));
		rts[n++] = rt;
	}
	add_files(CONFIG_TEST_DATA "/*.conf", &rts, &n);

	struct CMUnitTest *tests = calloc(n_fixed + n, sizeof(*tests));
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < n; i++)
		tests[n_fixed + i] = (struct CMUnitTest){
			.name = rts[i]->name,
			.test_func = check_round_trip,
			.initial_state = rts[i],
		};
	int r = _cmocka_run_group_tests("config dump", tests, n_fixed + n, NULL, NULL);

	for (size_t i = 0; i < n; i++) {
		free(rts[i]->path);
		free(rts[i]);
	}
	free(rts);
	free(tests);
	return r;
}
