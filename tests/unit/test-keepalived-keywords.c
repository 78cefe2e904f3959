/* test-keepalived-keywords: the keyword tables of daemon/keepalived_keywords.c.
 *
 * The .c is included, not linked, so the tests can walk its private tables:
 * bsearch() silently misses a keyword in an unsorted array, so sortedness is
 * what makes the lookups right.  Build this test without linking
 * keepalived_keywords.o. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/keepalived_keywords.c"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* Every table: sorted by strcmp(), no duplicates, no empty names. */
static void test_tables_sorted(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < N_ELEMENTS(section_table); i++) {
		const struct kk_section *s = &section_table[i];

		if (i > 0 && strcmp(section_table[i - 1].name, s->name) >= 0)
			fail_msg("section_table: '%s' is not after '%s'", s->name,
				 section_table[i - 1].name);
		assert_true(s->n_keywords > 0);
		for (j = 0; j < s->n_keywords; j++) {
			assert_non_null(s->keywords[j]);
			assert_true(s->keywords[j][0] != '\0');
			if (j > 0 && strcmp(s->keywords[j - 1], s->keywords[j]) >= 0)
				fail_msg("section '%s': '%s' is not after '%s'", s->name,
					 s->keywords[j], s->keywords[j - 1]);
		}
	}
}

/* home_order names every section exactly once, and only sections. */
static void test_home_order_complete(void **state)
{
	size_t i, j;

	(void)state;
	assert_int_equal(N_ELEMENTS(home_order), N_ELEMENTS(section_table));
	for (i = 0; i < N_ELEMENTS(home_order); i++) {
		assert_non_null(kk_find_section(home_order[i]));
		for (j = i + 1; j < N_ELEMENTS(home_order); j++)
			if (strcmp(home_order[i], home_order[j]) == 0)
				fail_msg("home_order lists '%s' twice", home_order[i]);
	}
}

/* Every keyword of every section is found by the public lookup (catches a
 * table that sorts differently from strcmp). */
static void test_every_keyword_found(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < N_ELEMENTS(section_table); i++) {
		const struct kk_section *s = &section_table[i];

		for (j = 0; j < s->n_keywords; j++) {
			if (!keepalived_keyword_known(s->name, s->keywords[j]))
				fail_msg("'%s' not found in '%s'", s->keywords[j], s->name);
			assert_true(keepalived_keyword_known_anywhere(s->keywords[j]));
			assert_non_null(keepalived_keyword_home(s->keywords[j]));
		}
	}
}

static const struct {
	const char *section, *keyword;
} known_pairs[] = {
	{ "", "global_defs" },
	{ "", "vrrp_instance" },
	{ "", "include" },
	{ "", "virtual_server" },
	{ "", "net_namespace" },
	{ "", "vrrp_track_file" },
	{ "global_defs", "router_id" },
	{ "global_defs", "notification_email_from" },
	{ "global_defs", "vrrp_garp_master_delay" },
	{ "global_defs", "lvs_flush_onstop" },
	{ "vrrp_instance", "priority" },
	{ "vrrp_instance", "virtual_router_id" },
	{ "vrrp_instance", "unicast_peer" },
	{ "vrrp_instance", "nopreempt" },
	{ "authentication", "auth_pass" },
	{ "vrrp_script", "weight" },
	{ "vrrp_sync_group", "group" },
	{ "virtual_server", "lb_algo" },
	{ "virtual_server", "lvs_sched" },
	{ "virtual_server", "lb_kind" },
	{ "virtual_server", "lvs_method" },
	{ "virtual_server", "sh-port" },
	{ "real_server", "HTTP_GET" },
	{ "real_server", "weight" },
	{ "HTTP_GET", "nb_get_retry" },
	{ "HTTP_GET", "url" },
	{ "SSL_GET", "connect_timeout" },
	{ "url", "status_code" },
	{ "TCP_CHECK", "connect_port" },
	{ "SMTP_CHECK", "host" },
	{ "host", "connect_ip" },
	{ "MISC_CHECK", "misc_path" },
	{ "DNS_CHECK", "type" },
	{ "UDP_CHECK", "require_reply" },
	{ "FILE_CHECK", "track_file" },
	{ "BFD_CHECK", "name" },
	{ "bfd_instance", "neighbour_ip" },
	{ "track_file", "init_file" },
	{ "vrrp_track_file", "file" },
	{ "garp_group", "interfaces" },
	{ "SSL", "certificate" },
	{ "virtual_server_group", "fwmark" },
};

static void test_known_pairs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(known_pairs); i++)
		if (!keepalived_keyword_known(known_pairs[i].section, known_pairs[i].keyword))
			fail_msg("'%s' should be known in '%s'", known_pairs[i].keyword,
				 known_pairs[i].section);
}

static const struct {
	const char *section, *keyword;
} unknown_pairs[] = {
	{ "vrrp_instance", "prority" },          /* typo */
	{ "vrrp_instance", "router_id" },        /* global_defs only */
	{ "global_defs", "priority" },           /* vrrp_instance only */
	{ "", "priority" },                      /* not at top level */
	{ "virtual_server", "HTTP_GET" },        /* a checker goes in real_server */
	{ "real_server", "lb_algo" },            /* virtual_server only */
	{ "TCP_CHECK", "url" },                  /* HTTP_GET/SSL_GET only */
	{ "MISC_CHECK", "connect_port" },        /* misc checks have no connection */
	{ "vrrp_instance", "PRIORITY" },         /* keywords are case sensitive */
	{ "vrrp_instance", "" },
	{ "no_such_block", "priority" },
	{ "", "nat_mask" },                      /* keepalived 1.x only */
	/* lbha's own health keywords: not keepalived's, so the engine never
	 * calls them "not supported" or moves them to vrrp_script */
	{ "virtual_server", "rise" },
	{ "virtual_server", "fall" },
	{ "virtual_server", "slow_start" },
	{ "real_server", "rise" },
	{ "real_server", "fall" },
	{ "real_server", "slow_start" },
	{ "HTTP_GET", "rise" },
	{ "TCP_CHECK", "fall" },
};

static void test_unknown_pairs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(unknown_pairs); i++)
		if (keepalived_keyword_known(unknown_pairs[i].section, unknown_pairs[i].keyword))
			fail_msg("'%s' should not be known in '%s'", unknown_pairs[i].keyword,
				 unknown_pairs[i].section);
}

static void test_anywhere_and_home(void **state)
{
	(void)state;
	assert_true(keepalived_keyword_known_anywhere("router_id"));
	assert_true(keepalived_keyword_known_anywhere("regex_stack"));
	assert_true(keepalived_keyword_known_anywhere("sh-fallback"));
	assert_false(keepalived_keyword_known_anywhere("prority"));
	assert_false(keepalived_keyword_known_anywhere(""));
	assert_false(keepalived_keyword_known_anywhere(NULL));

	assert_string_equal(keepalived_keyword_home("router_id"), "global_defs");
	assert_string_equal(keepalived_keyword_home("priority"), "vrrp_instance");
	assert_string_equal(keepalived_keyword_home("lb_algo"), "virtual_server");
	assert_string_equal(keepalived_keyword_home("auth_type"), "authentication");
	assert_string_equal(keepalived_keyword_home("weight"), "vrrp_script");
	assert_string_equal(keepalived_keyword_home("misc_path"), "MISC_CHECK");
	assert_string_equal(keepalived_keyword_home("status_code"), "url");
	assert_string_equal(keepalived_keyword_home("global_defs"), "");
	assert_null(keepalived_keyword_home("prority"));
	assert_null(keepalived_keyword_home(NULL));
}

static void test_section_keywords(void **state)
{
	const char *const *kw = NULL;
	size_t n, i;
	bool seen = false;

	(void)state;
	n = keepalived_section_keywords("vrrp_instance", &kw);
	assert_true(n > 50);
	assert_non_null(kw);
	for (i = 0; i < n; i++)
		if (strcmp(kw[i], "virtual_router_id") == 0)
			seen = true;
	assert_true(seen);

	/* Blocks sharing a table give the same array. */
	{
		const char *const *a, *const *b;

		assert_int_equal(keepalived_section_keywords("HTTP_GET", &a),
				 keepalived_section_keywords("SSL_GET", &b));
		assert_ptr_equal(a, b);
		assert_int_equal(keepalived_section_keywords("track_file", &a),
				 keepalived_section_keywords("vrrp_track_file", &b));
	}

	assert_int_equal(keepalived_section_keywords("no_such_block", &kw), 0);
	assert_int_equal(keepalived_section_keywords("virtual_ipaddress", &kw), 0);
	assert_int_equal(keepalived_section_keywords(NULL, &kw), 0);
	assert_true(keepalived_section_keywords("global_defs", NULL) > 100);
}

/* Blocks keepalived fills with data lines (addresses, names), not keywords. */
static bool is_data_block(const char *kw)
{
	static const char *const data_blocks[] = {
		"notification_email", "virtual_ipaddress", "virtual_ipaddress_excluded",
		"virtual_routes", "virtual_rules", "static_ipaddress", "static_routes",
		"static_rules", "unicast_peer", "track_interface", "track_script",
		"track_process", "track_bfd", "group", "interfaces", "linkbeat_interfaces",
		"interface_up_down_delays",
	};
	size_t i;

	for (i = 0; i < N_ELEMENTS(data_blocks); i++)
		if (strcmp(kw, data_blocks[i]) == 0)
			return true;
	return false;
}

/* Lines of the shipped samples that keepalived 2.2.7 itself rejects with
 * "Unknown keyword": keepalived.conf.vrrp.lvs_syncd lists instance names
 * straight in vrrp_sync_group instead of in a group { } block. */
static bool expected_unknown(const char *path, unsigned lineno)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strcmp(base, "keepalived.conf.vrrp.lvs_syncd") == 0 && (lineno == 4 || lineno == 5);
}

/* A crude scan of a keepalived.conf: the first word of each line inside a
 * block with a keyword table must be known there.  Good enough for the
 * samples keepalived ships (one statement per line, '{' at line end).
 * Returns the number of unknown keywords, printing each; counts the ones
 * expected_unknown() knows about in *n_expected instead. */
static int scan_sample(const char *path, int *n_expected)
{
	char stack[32][64];
	size_t depth = 0, skip_depth = 0; /* skip_depth: >0 while inside a data block */
	char line[4096];
	unsigned lineno = 0;
	int unknown = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	strcpy(stack[0], "");
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *word, *save = NULL, *open_brace, *close_brace;

		lineno++;
		p[strcspn(p, "!#\n")] = '\0';
		p += strspn(p, " \t");
		if (*p == '@') /* conditional line: drop the @tag */
			p += strcspn(p, " \t");
		open_brace = strchr(p, '{');
		close_brace = strrchr(p, '}');
		word = strtok_r(p, " \t{}", &save);
		if (word && *word != '$') {
			const char *section = stack[depth];

			/* virtual_server_group lines are addresses, except fwmark. */
			bool address = strcmp(section, "virtual_server_group") == 0 &&
				       strcmp(word, "fwmark") != 0;

			if (skip_depth == 0 && !address && !is_data_block(section) &&
			    kk_find_section(section) && !keepalived_keyword_known(section, word)) {
				if (expected_unknown(path, lineno)) {
					(*n_expected)++;
				} else {
					print_message("%s:%u: '%s' unknown in '%s'\n", path, lineno,
						      word, section);
					unknown++;
				}
			}
		}
		/* `a {` opens, `}` closes, `a { b c }` on one line does neither. */
		if (open_brace && !(close_brace && close_brace > open_brace)) {
			if (depth + 1 < N_ELEMENTS(stack)) {
				depth++;
				snprintf(stack[depth], sizeof(stack[depth]), "%s", word ? word : "");
				if (skip_depth || (word && is_data_block(word)))
					skip_depth++;
			}
		} else if (close_brace && !open_brace && depth > 0) {
			depth--;
			if (skip_depth)
				skip_depth--;
		}
	}
	fclose(f);
	return unknown;
}

static void test_keepalived_samples(void **state)
{
	static const char *const samples[] = {
		"HTTP_GET.port", "IPv6", "PING_CHECK", "SMTP_CHECK", "SSL_GET", "UDP_CHECK",
		"conditional_conf", "fwmark", "inhibit", "misc_check", "misc_check_arg",
		"quorum", "sample", "status_code", "track_interface", "virtual_server_group",
		"virtualhost", "vrrp", "vrrp.localcheck", "vrrp.lvs_syncd", "vrrp.routes",
		"vrrp.rules", "vrrp.scripts", "vrrp.static_ipaddress", "vrrp.sync",
	};
	const char *dir = "/usr/share/doc/keepalived/samples";
	char path[512];
	size_t i, found = 0;
	int unknown = 0, n_expected = 0;
	bool have_lvs_syncd = false;

	(void)state;
	for (i = 0; i < N_ELEMENTS(samples); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/keepalived.conf.%s", dir, samples[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		found++;
		if (strcmp(samples[i], "vrrp.lvs_syncd") == 0)
			have_lvs_syncd = true;
		unknown += scan_sample(path, &n_expected);
	}
	if (found == 0)
		skip(); /* keepalived package not installed */
	assert_int_equal(unknown, 0);
	/* Proves the scan looks at keywords at all. */
	if (have_lvs_syncd)
		assert_int_equal(n_expected, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test(test_home_order_complete),
		cmocka_unit_test(test_every_keyword_found),
		cmocka_unit_test(test_known_pairs),
		cmocka_unit_test(test_unknown_pairs),
		cmocka_unit_test(test_anywhere_and_home),
		cmocka_unit_test(test_section_keywords),
		cmocka_unit_test(test_keepalived_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
