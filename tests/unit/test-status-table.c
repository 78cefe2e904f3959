#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "json_parse.h"
#include "daemon/status_table.h"

#define NOW 1795299510ULL

/* vrrp.json and checker.json as lbha wrote them (a peer-less MASTER, an
 * HTTP_GET checker with one server up and one refused), with a second
 * instance, a sync group and more virtual servers added by hand.  Note the
 * frame's config_ counts before the role's lists
 * of the same names: the table must read the lists. */
static const char vrrp_json[] =
	"{\n"
	"  \"role\": \"vrrp\",\n"
	"  \"pid\": 24378,\n"
	"  \"parent_pid\": 24371,\n"
	"  \"start_time\": 1795299502,\n"
	"  \"updated\": 1795299508,\n"
	"  \"config_generation\": 1,\n"
	"  \"config_vrrp_instances\": 2,\n"
	"  \"config_vrrp_scripts\": 0,\n"
	"  \"config_sync_groups\": 1,\n"
	"  \"config_virtual_servers\": 1,\n"
	"  \"config_real_servers\": 2,\n"
	"  \"config_checkers\": 2,\n"
	"  \"instances\": [\n"
	"    {\"name\": \"VI_1\", \"state\": \"MASTER\", \"vrid\": 51, \"version\": 2,"
	" \"interface\": \"eth0\",\n"
	"     \"priority\": 120, \"base_priority\": 120, \"advert_priority\": 120,"
	" \"held\": false, \"advert_int_us\": 1000000, \"master_adver_int_us\": 1000000,\n"
	"     \"source\": \"10.200.8.1\", \"master\": \"10.200.8.1\", \"master_priority\": 120,\n"
	"     \"last_transition\": 1795299506, \"last_reason\": \"master down\", \"fault\": null,"
	" \"sync_group\": \"G1\",\n"
	"     \"counters\": {\"adverts_sent\": 3, \"adverts_received\": 0, \"transitions\": 2,"
	" \"drops\": {\"ttl\": 0, \"vrid\": 0}}},\n"
	"    {\"name\": \"VI_6\", \"state\": \"BACKUP\", \"vrid\": 7, \"version\": 3,"
	" \"interface\": \"bond0.100\",\n"
	"     \"priority\": 1, \"base_priority\": 150, \"advert_priority\": 1,"
	" \"held\": true, \"advert_int_us\": 1000000, \"master_adver_int_us\": 1000000,\n"
	"     \"source\": \"fd00:200::1\", \"master\": \"fd00:200::2\", \"master_priority\": 100,\n"
	"     \"last_transition\": 1795295000, \"last_reason\": \"handover\","
	" \"fault\": null, \"sync_group\": \"G1\", \"counters\": {}}\n"
	"  ],\n"
	"  \"sync_groups\": [{\"name\": \"G1\", \"state\": \"MASTER\"}],\n"
	"  \"unmatched_drops\": {\"ttl\": 0},\n"
	"  \"bad_headers\": 0\n"
	"}\n";

static const char checker_json[] =
	"{\n"
	"  \"role\": \"checker\",\n"
	"  \"pid\": 24379,\n"
	"  \"parent_pid\": 24371,\n"
	"  \"start_time\": 1795200000,\n"
	"  \"updated\": 1795299507,\n"
	"  \"config_generation\": 3,\n"
	"  \"config_virtual_servers\": 2,\n"
	"  \"config_real_servers\": 4,\n"
	"  \"ipvs\": {\"available\": true, \"interval_ms\": 10000, \"open_failures\": 0,\n"
	"    \"services_wanted\": 2, \"dests_wanted\": 4, \"services_installed\": 2,"
	" \"dests_installed\": 3,\n"
	"    \"last_reconcile\": 1795299503, \"last_reason\": \"health\","
	" \"last_result\": \"ok\", \"last_duration_us\": 7,\n"
	"    \"netlink\": {\"requests\": 0, \"errors\": 0}},\n"
	"  \"health\": {\"real_servers\": 4, \"up\": 2, \"down\": 1, \"unknown\": 1,"
	" \"probes\": 4, \"checks\": 10, \"failures\": 5},\n"
	"  \"virtual_servers\": [\n"
	"    {\"name\": \"10.200.8.100:80/TCP\", \"quorum\": \"up\", \"sorry_active\": false,"
	" \"real_servers\": [\n"
	"      {\"address\": \"10.200.8.2\", \"port\": 8080, \"state\": \"up\", \"weight\": 3,"
	" \"configured_weight\": 3, \"slow_start\": false, \"last_result\": \"ok\","
	" \"reason\": \"ok\", \"last_change\": 0, \"ups\": 0, \"downs\": 0, \"checks\": 5,"
	" \"failures\": 0, \"checkers\": [{\"type\": \"HTTP_GET\", \"port\": 8080,"
	" \"state\": \"up\", \"phase\": \"waiting\", \"last_result\": \"ok\", \"reason\": \"ok\","
	" \"checks\": 5, \"failures\": 0, \"retries\": 0, \"shared_by\": 1}]},\n"
	"      {\"address\": \"10.200.8.2\", \"port\": 8081, \"state\": \"down\", \"weight\": 0,"
	" \"configured_weight\": 2, \"slow_start\": false, \"last_result\": \"refused\","
	" \"reason\": \"refused (Connection refused)\", \"last_change\": 1795299503,"
	" \"ups\": 0, \"downs\": 1, \"checks\": 5, \"failures\": 5, \"checkers\": []}]},\n"
	"    {\"name\": \"[fd00:200::100]:443/TCP\", \"quorum\": \"down\", \"sorry_active\": true,"
	" \"real_servers\": [\n"
	"      {\"address\": \"fd00:200::5\", \"port\": 443, \"state\": \"up\", \"weight\": 25,"
	" \"configured_weight\": 100, \"slow_start\": true, \"last_result\": \"ok\","
	" \"reason\": \"ok\", \"last_change\": 1795299000, \"checks\": 1234567,"
	" \"failures\": 12},\n"
	"      {\"address\": \"fd00:200::6\", \"port\": 443, \"state\": \"unknown\", \"weight\": 0,"
	" \"configured_weight\": 100, \"slow_start\": false, \"last_result\": null,"
	" \"reason\": null, \"last_change\": 0, \"checks\": 0, \"failures\": 0}]}]\n"
	"}\n";

static const char expected[] =
	"  vrrp     pid 24378, up 8s, config generation 1\n"
	"  checker  pid 24379, up 1d 3h, config generation 3\n"
	"\n"
	"VRRP INSTANCE  INTERFACE  VRID  STATE          PRIO NOW/CFG  MASTER       "
	"LAST TRANSITION  REASON\n"
	"VI_1           eth0       51    MASTER         120/120       10.200.8.1   "
	"4s ago           master down\n"
	"VI_6           bond0.100  7     BACKUP (held)  1/150         fd00:200::2  "
	"1h 15m ago       handover\n"
	"Sync groups: G1 MASTER\n"
	"\n"
	"IPVS: 2 virtual servers, 3 real servers installed; last reconcile 7s ago (health): ok\n"
	"Health: 4 real servers: 2 up, 1 down, 1 unknown\n"
	"\n"
	"VIRTUAL SERVER / REAL SERVER  HEALTH           WEIGHT NOW/CFG  CHECKS   "
	"FAILURES  LAST CHANGE  REASON\n"
	"10.200.8.100:80/TCP           quorum up\n"
	"  -> 10.200.8.2:8080          up               3/3             5        0         "
	"-            ok\n"
	"  -> 10.200.8.2:8081          down             0/2             5        5         "
	"7s ago       refused (Connection refused)\n"
	"[fd00:200::100]:443/TCP       quorum down, sorry server\n"
	"  -> [fd00:200::5]:443        up (slow start)  25/100          1234567  12        "
	"8m 30s ago   ok\n"
	"  -> [fd00:200::6]:443        unknown          0/100           0        0         "
	"-            -\n";

static struct json_doc *parse(const char *text)
{
	struct json_doc *doc = NULL;
	struct json_error err;

	if (json_parse(text, strlen(text), NULL, &doc, &err) < 0)
		fail_msg("sample JSON refused: %s at %zu", err.message, err.offset);
	return doc;
}

/* The table for children[0..n), as a string the caller frees. */
static char *table(const struct status_table_child *c, size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	status_table_write(f, c, n, NOW);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_no_trailing_space(const char *text)
{
	for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
		if (p > text && p[-1] == ' ')
			fail_msg("trailing space before offset %zu", (size_t)(p - text));
}

static void test_sample(void **state)
{
	struct json_doc *v = parse(vrrp_json), *c = parse(checker_json);
	const struct status_table_child children[] = {
		{ .role = "vrrp", .doc = json_doc_root(v) },
		{ .role = "checker", .doc = json_doc_root(c) },
	};
	char *out = table(children, 2);

	if (strcmp(out, expected) != 0) {
		fputs(out, stderr);
		fail_msg("the table differs from the expected one (got it on stderr)");
	}
	assert_no_trailing_space(out);
	free(out);
	json_doc_free(v);
	json_doc_free(c);
}

/* A child without a file shows its problem, and its sections are left out;
 * instances and virtual servers that are empty say "none". */
static void test_missing_children(void **state)
{
	struct json_doc *v = parse("{\"role\": \"vrrp\", \"pid\": 5, \"start_time\": 1795299500,"
				   " \"config_generation\": 0, \"instances\": [], \"sync_groups\": []}");
	struct json_doc *c = parse("{\"role\": \"checker\", \"pid\": 6, \"virtual_servers\": []}");
	const struct status_table_child children[] = {
		{ .role = "vrrp", .doc = json_doc_root(v) },
		{ .role = "checker", .problem = "not running (no status file)" },
	};
	char *out = table(children, 2);

	assert_string_equal(out,
			    "  vrrp     pid 5, up 10s, no config yet\n"
			    "  checker  not running (no status file)\n"
			    "\n"
			    "VRRP instances: none\n");
	free(out);

	const struct status_table_child only_checker[] = {
		{ .role = "checker", .doc = json_doc_root(c) },
	};
	out = table(only_checker, 1);
	assert_string_equal(out, "  checker  pid 6\n\nVirtual servers: none\n");
	free(out);
	json_doc_free(v);
	json_doc_free(c);
}

/* Members missing or of the wrong type print as "?"; control characters in
 * strings as '?'; a fault reason follows the transition's. */
static void test_odd_members(void **state)
{
	struct json_doc *v = parse(
		"{\"role\": \"vrrp\", \"instances\": [{\"name\": \"VI\\u001b[31m\","
		" \"state\": \"FAULT\", \"vrid\": \"51\", \"priority\": -1, \"base_priority\": 100,"
		" \"master\": null, \"last_transition\": 1795299510, \"last_reason\": \"fault\","
		" \"fault\": \"interface eth9 is down\"}, 42]}");
	const struct status_table_child children[] = {
		{ .role = "vrrp", .doc = json_doc_root(v) },
	};
	char *out = table(children, 1);

	assert_string_equal(out,
			    "  vrrp  pid ?\n"
			    "\n"
			    "VRRP INSTANCE  INTERFACE  VRID  STATE  PRIO NOW/CFG  MASTER  "
			    "LAST TRANSITION  REASON\n"
			    "VI?[31m        ?          ?     FAULT  ?/100         -       "
			    "0s ago           fault; fault: interface eth9 is down\n"
			    "?              ?          ?     ?      ?/?           -       "
			    "?                -\n");
	free(out);
	json_doc_free(v);
}

/* UTF-8 names take one column per character, so the columns still line
 * up. */
static void test_utf8_width(void **state)
{
	struct json_doc *v = parse(
		"{\"role\": \"vrrp\", \"instances\": [{\"name\": \"\xc3\xa9t\xc3\xa9\","
		" \"interface\": \"e\", \"vrid\": 1, \"state\": \"BACKUP\", \"priority\": 1,"
		" \"base_priority\": 1, \"master\": \"10.0.0.1\", \"last_transition\": 0,"
		" \"last_reason\": \"startup\"}]}");
	const struct status_table_child children[] = {
		{ .role = "vrrp", .doc = json_doc_root(v) },
	};
	char *out = table(children, 1);

	assert_non_null(strstr(out, "\n\xc3\xa9t\xc3\xa9" "            e "));
	free(out);
	json_doc_free(v);
}

/* checker.json for n real servers, 20 per virtual server, as
 * checker/servers_status.c writes it. */
static char *big_checker_json(size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	fprintf(f, "{\n  \"role\": \"checker\",\n  \"pid\": 1,\n  \"start_time\": %llu,\n"
		   "  \"config_generation\": 1,\n  \"config_virtual_servers\": %zu,\n"
		   "  \"health\": {\"real_servers\": %zu, \"up\": %zu, \"down\": %zu, \"unknown\": 0},\n"
		   "  \"virtual_servers\": [",
		NOW - 100, n / 20, n, n - n / 7, n / 7);
	for (size_t i = 0; i < n; i++) {
		bool up = i % 7 != 0;
		if (i % 20 == 0)
			fprintf(f, "%s\n    {\"name\": \"10.%zu.%zu.1:80/TCP\", \"quorum\": \"up\","
				   " \"sorry_active\": false, \"real_servers\": [",
				i ? "]}," : "", i / 20 / 250, i / 20 % 250);
		fprintf(f, "%s\n      {\"address\": \"10.%zu.%zu.%zu\", \"port\": 8080,"
			   " \"state\": \"%s\", \"weight\": %d, \"configured_weight\": 3,"
			   " \"slow_start\": false, \"last_result\": \"%s\", \"reason\": \"%s\","
			   " \"last_change\": %llu, \"ups\": 1, \"downs\": %d, \"checks\": %zu,"
			   " \"failures\": %d, \"checkers\": [{\"type\": \"HTTP_GET\", \"port\": 8080,"
			   " \"state\": \"%s\", \"phase\": \"waiting\", \"last_result\": \"%s\","
			   " \"reason\": \"%s\", \"checks\": %zu, \"failures\": %d, \"retries\": 0,"
			   " \"shared_by\": 1}]}",
			i % 20 ? "," : "", 100 + i / 62500, i / 250 % 250, i % 250, up ? "up" : "down",
			up ? 3 : 0, up ? "ok" : "timeout", up ? "ok" : "timeout (3 s)",
			NOW - 60 - i % 3600, up ? 0 : 1, 100 + i, up ? 0 : 4, up ? "up" : "down",
			up ? "ok" : "timeout", up ? "ok" : "timeout (3 s)", 100 + i, up ? 0 : 4);
	}
	fputs("]}]\n}\n", f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 10,000 real servers: every one gets its row.  The time is printed, not
 * asserted (tests never assert on wall time); it is a few hundredths of a
 * second here. */
static void test_ten_thousand_real_servers(void **state)
{
	enum { N = 10000 };
	char *text = big_checker_json(N);
	struct timespec t0;
	struct json_doc *doc = NULL;
	struct json_error err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(json_parse(text, strlen(text), NULL, &doc, &err), 0);
	double parse_s = seconds_since(&t0);
	const struct status_table_child children[] = {
		{ .role = "checker", .doc = json_doc_root(doc) },
	};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *out = table(children, 1);
	double table_s = seconds_since(&t0);
	print_message("# checker.json of %d real servers (%zu bytes): parsed in %.3f s, "
		      "table in %.3f s\n", N, strlen(text), parse_s, table_s);

	size_t lines = 0, rs_rows = 0, down_rows = 0;
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		lines++;
	for (const char *p = out; (p = strstr(p, "\n  -> ")); p++) {
		rs_rows++;
		down_rows += strncmp(p + 31, "down ", 5) == 0;
	}
	assert_int_equal(rs_rows, N);
	assert_int_equal(down_rows, (N + 6) / 7);
	/* child line, blank, health, blank, header, the virtual servers, rows */
	assert_int_equal(lines, 5 + N / 20 + N);
	const char *last = strstr(out, "\n  -> 10.100.39.249:8080 ");
	assert_non_null(last);
	assert_memory_equal(last + 31, "up      3/3             10099   0         "
				       "47m 39s ago  ok\n", 58);
	assert_no_trailing_space(out);
	free(out);
	json_doc_free(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_missing_children),
		cmocka_unit_test(test_odd_members),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_ten_thousand_real_servers),
	};
	return cmocka_run_group_tests_name("status_table", tests, NULL, NULL);
}
