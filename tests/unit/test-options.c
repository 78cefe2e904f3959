#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/options.h"

static char err[256];

/* Parse a NULL-terminated list of words after "lbha". */
#define PARSE(o, ...) parse((o), (const char *[]){ "lbha", __VA_ARGS__, NULL })

static int parse(struct lbha_options *o, const char **words)
{
	char *argv[32];
	int argc = 0;

	/* getopt permutes argv: give it writable copies of the pointers. */
	while (words[argc]) {
		argv[argc] = (char *)words[argc];
		argc++;
	}
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(argc, argv, o, err, sizeof(err));
}

static void test_defaults(void **state)
{
	struct lbha_options o;

	assert_int_equal(parse(&o, (const char *[]){ "lbha", NULL }), 0);
	assert_int_equal(o.mode, OPTIONS_RUN);
	assert_string_equal(o.config_file, SYSCONFDIR "/lbha.conf");
	assert_string_equal(o.runtime_dir, RUNSTATEDIR "/lbha");
	assert_null(o.pid_file);
	assert_null(o.config_id);
	assert_false(o.dont_fork || o.log_console || o.log_detail || o.strict);
	assert_false(o.vrrp_only || o.checker_only);
	assert_int_equal(o.ipc_fd, -1);
	char *pid = options_pid_file(&o);
	assert_string_equal(pid, RUNSTATEDIR "/lbha/lbha.pid");
	free(pid);
	options_done(&o);
}

static void test_keepalived_letters(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "-f", "/x.conf", "-n", "-l", "-D", "-p", "/p.pid", "-i", "lb1",
			       "-P"), 0);
	assert_int_equal(o.mode, OPTIONS_RUN);
	assert_string_equal(o.config_file, "/x.conf");
	assert_true(o.dont_fork && o.log_console && o.log_detail && o.vrrp_only);
	assert_string_equal(o.pid_file, "/p.pid");
	assert_string_equal(o.config_id, "lb1");
	char *pid = options_pid_file(&o);
	assert_string_equal(pid, "/p.pid");
	free(pid);
	options_done(&o);

	assert_int_equal(PARSE(&o, "-nlDC", "-f/y.conf"), 0);
	assert_true(o.dont_fork && o.log_console && o.log_detail && o.checker_only);
	assert_string_equal(o.config_file, "/y.conf");
	options_done(&o);
}

static void test_long_names(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "--use-file=/a", "--dont-fork", "--log-console", "--log-detail",
			       "--pid", "/b", "--config-id", "c", "--checker-only",
			       "--runtime-dir", "/run/x"),
			 0);
	assert_string_equal(o.config_file, "/a");
	assert_string_equal(o.pid_file, "/b");
	assert_string_equal(o.config_id, "c");
	assert_string_equal(o.runtime_dir, "/run/x");
	assert_true(o.checker_only && !o.vrrp_only);
	char *pid = options_pid_file(&o);
	assert_string_equal(pid, "/b");
	free(pid);
	options_done(&o);

	assert_int_equal(PARSE(&o, "--runtime-dir", "/run/y"), 0);
	pid = options_pid_file(&o);
	assert_string_equal(pid, "/run/y/lbha.pid");
	free(pid);
	options_done(&o);
}

static void test_modes(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "-t", "-f", "x"), 0);
	assert_int_equal(o.mode, OPTIONS_CONFIG_TEST);
	options_done(&o);
	assert_int_equal(PARSE(&o, "--config-test", "--strict"), 0);
	assert_int_equal(o.mode, OPTIONS_CONFIG_TEST);
	assert_true(o.strict);
	options_done(&o);
	assert_int_equal(PARSE(&o, "--dump-config"), 0);
	assert_int_equal(o.mode, OPTIONS_DUMP_CONFIG);
	options_done(&o);
	assert_int_equal(PARSE(&o, "-h"), 0);
	assert_int_equal(o.mode, OPTIONS_HELP);
	options_done(&o);
	assert_int_equal(PARSE(&o, "--version"), 0);
	assert_int_equal(o.mode, OPTIONS_VERSION);
	options_done(&o);
	/* --help wins over a mode, like every GNU tool. */
	assert_int_equal(PARSE(&o, "-t", "--help"), 0);
	assert_int_equal(o.mode, OPTIONS_HELP);
	options_done(&o);
}

static void test_errors(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "--bogus"), -EINVAL);
	assert_string_equal(err, "unknown option '--bogus'");
	assert_int_equal(PARSE(&o, "-x"), -EINVAL);
	assert_string_equal(err, "unknown option '-x'");
	assert_int_equal(PARSE(&o, "-f"), -EINVAL);
	assert_string_equal(err, "option '-f' needs an argument");
	assert_int_equal(PARSE(&o, "--pid"), -EINVAL);
	assert_string_equal(err, "option '--pid' needs an argument");
	assert_int_equal(PARSE(&o, "extra"), -EINVAL);
	assert_string_equal(err, "unexpected argument 'extra'");
	assert_int_equal(PARSE(&o, "-t", "--dump-config"), -EINVAL);
	assert_int_equal(PARSE(&o, "--vrrp-only", "--checker-only"), -EINVAL);
	assert_non_null(strstr(err, "exclude"));
}

static void test_status_subcommand(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "status"), 0);
	assert_int_equal(o.mode, OPTIONS_STATUS);
	assert_false(o.json);
	assert_string_equal(o.runtime_dir, RUNSTATEDIR "/lbha");
	options_done(&o);

	assert_int_equal(PARSE(&o, "status", "--json", "--runtime-dir", "/tmp/r"), 0);
	assert_int_equal(o.mode, OPTIONS_STATUS);
	assert_true(o.json);
	assert_string_equal(o.runtime_dir, "/tmp/r");
	options_done(&o);

	assert_int_equal(PARSE(&o, "status", "-n"), -EINVAL);
	assert_string_equal(err, "unknown option '-n'");
	assert_int_equal(PARSE(&o, "status", "more"), -EINVAL);
}

static void test_child_options(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "--child=vrrp", "--ipc-fd=3", "--runtime-dir=/r", "--log-console"), 0);
	assert_int_equal(o.mode, OPTIONS_CHILD);
	assert_string_equal(o.child_role, "vrrp");
	assert_int_equal(o.ipc_fd, 3);
	assert_true(o.log_console);
	options_done(&o);

	assert_int_equal(PARSE(&o, "--child=vrrp", "--runtime-dir=/r"), -EINVAL);
	assert_int_equal(PARSE(&o, "--child=vrrp", "--ipc-fd=x", "--runtime-dir=/r"), -EINVAL);
	assert_int_equal(PARSE(&o, "--child=vrrp", "--ipc-fd=-1", "--runtime-dir=/r"), -EINVAL);
}

static void test_make_absolute(void **state)
{
	struct lbha_options o;

	assert_int_equal(PARSE(&o, "-f", "lbha.conf", "--runtime-dir", "run", "-p", "/abs.pid"), 0);
	options_make_absolute(&o, "/home/x");
	assert_string_equal(o.config_file, "/home/x/lbha.conf");
	assert_string_equal(o.runtime_dir, "/home/x/run");
	assert_string_equal(o.pid_file, "/abs.pid");
	options_done(&o);
}

static void test_usage_lists_exit_codes(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	options_usage(f);
	fclose(f);
	assert_non_null(strstr(buf, "Exit status"));
	assert_non_null(strstr(buf, "  2   the config file cannot be read"));
	assert_non_null(strstr(buf, "--runtime-dir"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_keepalived_letters),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_status_subcommand),
		cmocka_unit_test(test_child_options),
		cmocka_unit_test(test_make_absolute),
		cmocka_unit_test(test_usage_lists_exit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
