#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "atomic_file.h"
#include "json_parse.h"
#include "daemon/lbha_config.h"
#include "daemon/status.h"

static struct status_info sample(void)
{
	struct status_info i = {
		.pid = 4321,
		.parent_pid = 4320,
		.start_time = 1700000000,
		.updated = 1700000060,
		.config_generation = 3,
	};
	struct config_summary s = {
		.vrrp_instances = 2, .vrrp_scripts = 1, .sync_groups = 1,
		.virtual_servers = 4, .real_servers = 8, .checkers = 9,
	};

	strcpy(i.role, "checker");
	status_set_summary(&i, &s);
	return i;
}

static void test_roundtrip(void **state)
{
	struct status_info in = sample(), out;
	char *text = status_format(&in);

	assert_non_null(strstr(text, "\"role\": \"checker\""));
	assert_non_null(strstr(text, "\"config_generation\": 3"));
	assert_int_equal(status_parse(text, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	free(text);
}

static void test_unknown_keys_are_skipped(void **state)
{
	struct status_info out;

	assert_int_equal(status_parse("{\"role\":\"vrrp\",\"pid\":5,\"new_thing\":7,"
				      "\"label\":\"x\"}\n", &out), 0);
	assert_string_equal(out.role, "vrrp");
	assert_int_equal(out.pid, 5);
}

static void extra_members(FILE *f, void *userdata)
{
	fputs(",\n  \"instances\": [{\"name\": \"VI \\\"1\\\" }]\", \"up\": true, "
	      "\"master\": null, \"n\": {\"a\": [1, {\"b\": -2}]}}]", f);
}

/* A role's own members (nested arrays and objects, strings with escapes and
 * brackets, literals) are skipped; the frame's numbers still come through. */
static void test_role_members_are_skipped(void **state)
{
	struct status_info in = sample(), out;
	char *text = status_format_extra(&in, extra_members, NULL);

	assert_non_null(strstr(text, "\"instances\""));
	assert_int_equal(status_parse(text, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	free(text);
	assert_int_equal(status_parse("{\"role\": \"vrrp\", \"x\": [1, 2}", &out), -EBADMSG);
	assert_int_equal(status_parse("{\"role\": \"vrrp\", \"x\": [\"]}", &out), -EBADMSG);
	assert_int_equal(status_parse("{\"role\": \"vrrp\", \"x\": tru}", &out), -EBADMSG);
}

/* The frame's counts are config_*: a role's list of the same base name
 * ("virtual_servers": [...]) is not read as one, and no key is written twice. */
static void test_role_list_beside_a_count(void **state)
{
	static const char text[] =
		"{\"role\": \"checker\", \"config_virtual_servers\": 4, \"config_real_servers\": 8,"
		" \"virtual_servers\": [{\"name\": \"10.0.0.1:80/TCP\"}], \"sync_groups\": [],"
		" \"config_sync_groups\": 2}";
	struct json_doc *doc = NULL;
	struct status_info out, in = sample();
	char *written = status_format(&in);

	assert_int_equal(status_parse(text, &out), 0);
	assert_int_equal(out.virtual_servers, 4);
	assert_int_equal(out.sync_groups, 2);
	assert_int_equal(json_parse(text, strlen(text), NULL, &doc, NULL), 0);
	assert_int_equal(status_from_json(json_doc_root(doc), &out), 0);
	assert_int_equal(out.real_servers, 8);
	json_doc_free(doc);
	assert_int_equal(status_from_json(NULL, &out), -EBADMSG);
	assert_non_null(strstr(written, "\"config_virtual_servers\": "));
	assert_null(strstr(written, "\"virtual_servers\": "));
	free(written);
}

static void test_garbage_is_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"pid\": 5}",                            /* no role */
		"{\"role\": \"vrrp\", \"pid\": -5}",
		"{\"role\": \"vrrp\" \"pid\": 5}",         /* missing comma */
		"{\"role\": \"vr\\\"rp\"}",                 /* escapes are not ours */
		"{\"role\": \"vrrp\"} trailing",
		"{\"role\": \"a-role-name-that-is-too-long\"}",
		"{\"role\": \"vrrp\", \"pid\": 99999999999999999999999}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct status_info out;
		if (status_parse(bad[i], &out) != -EBADMSG)
			fail_msg("accepted: %s", bad[i]);
	}
}

static void test_write_is_atomic_file(void **state)
{
	char dir[] = "/tmp/test-status.XXXXXX";
	struct status_info in = sample(), out;
	char *text = NULL;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(status_write(dir, &in), 0);
	char *path = status_path(dir, "checker");
	assert_int_equal(atomic_file_read(path, 65536, &text, NULL), 0);
	assert_int_equal(status_parse(text, &out), 0);
	assert_int_equal(out.real_servers, 8);
	free(text);

	/* Rewriting leaves no temporary file behind. */
	in.config_generation = 4;
	assert_int_equal(status_write(dir, &in), 0);
	char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		fail();
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(atomic_file_read(path, 10, &text, NULL), -EFBIG);

	unlink(path);
	rmdir(dir);
	free(tmp);
	free(path);
	assert_int_equal(status_write("/nonexistent/dir", &in), -ENOENT);
}

/* `lbha status` runs as any user: a status file is 0644 even when lbha
 * was started under a strict umask, and the umask is left as it was. */
static void test_file_mode_ignores_umask(void **state)
{
	char dir[] = "/tmp/test-status.XXXXXX";
	struct stat st;

	assert_non_null(mkdtemp(dir));
	mode_t old = umask(077);
	assert_int_equal(status_write_text(dir, "vrrp", "{}\n", 3), 0);
	assert_int_equal(umask(old), 077);
	char *path = status_path(dir, "vrrp");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_unknown_keys_are_skipped),
		cmocka_unit_test(test_garbage_is_refused),
		cmocka_unit_test(test_role_members_are_skipped),
		cmocka_unit_test(test_write_is_atomic_file),
		cmocka_unit_test(test_role_list_beside_a_count),
		cmocka_unit_test(test_file_mode_ignores_umask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
