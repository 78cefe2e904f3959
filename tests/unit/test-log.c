#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "diag.h"
#include "log.h"
#include "ratelimit.h"

/* stderr goes to a temporary file for each test; read it back with captured(). */
static int saved_stderr = -1;
static FILE *capture;
static char text[8192];

static int setup(void **state)
{
	unsetenv("JOURNAL_STREAM");
	capture = tmpfile();
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(capture), STDERR_FILENO);
	return 0;
}

static int teardown(void **state)
{
	log_close();
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fclose(capture);
	return 0;
}

static const char *captured(void)
{
	long n = lseek(STDERR_FILENO, 0, SEEK_CUR);
	assert_true(n >= 0 && n < (long)sizeof(text));
	assert_int_equal(pread(STDERR_FILENO, text, (size_t)n, 0), n);
	text[n] = '\0';
	return text;
}

static void expect(const char *want_fmt_without_prefix)
{
	char want[512];

	snprintf(want, sizeof(want), "test[%d]: %s", (int)getpid(), want_fmt_without_prefix);
	assert_string_equal(captured(), want);
}

static void test_format_and_levels(void **state)
{
	log_open("test", LOG_TARGET_STDERR, false);
	log_info("hello %d", 1);
	char want[256];
	snprintf(want, sizeof(want), "test[%d]: hello 1\ntest[%d]: error: bad %s\n",
		 (int)getpid(), (int)getpid(), "thing");
	log_error("bad %s", "thing");
	assert_string_equal(captured(), want);
}

static void test_debug_only_with_detail(void **state)
{
	log_open("test", LOG_TARGET_STDERR, false);
	assert_false(log_debug_enabled());
	log_debug("hidden");
	assert_string_equal(captured(), "");
	log_open("test", LOG_TARGET_STDERR, true);
	log_debug("shown");
	expect("debug: shown\n");
}

static void test_errno_suffix_and_return(void **state)
{
	log_open("test", LOG_TARGET_STDERR, false);
	assert_int_equal(log_errno(LOG_WARNING, -ENOENT, "cannot open %s", "x"), -ENOENT);
	assert_int_equal(log_errno(LOG_WARNING, ENOENT, "again"), -ENOENT);
	char want[256];
	snprintf(want, sizeof(want),
		 "test[%d]: warning: cannot open x: %s\ntest[%d]: warning: again: %s\n",
		 (int)getpid(), strerror(ENOENT), (int)getpid(), strerror(ENOENT));
	assert_string_equal(captured(), want);
}

static void test_long_message_is_cut(void **state)
{
	char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_open("test", LOG_TARGET_STDERR, false);
	log_notice("%s", big);
	const char *out = captured();
	size_t len = strlen(out);
	assert_true(len < 2200);
	assert_int_equal(out[len - 1], '\n');
	assert_memory_equal(out + len - 4, "...\n", 4);
}

static void test_ratelimited(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(1000000, 2);

	log_open("test", LOG_TARGET_STDERR, false);
	for (int i = 0; i < 5; i++)
		log_ratelimited(&rl, 0, LOG_WARNING, "bad packet %d", i);
	log_ratelimited(&rl, 1000000, LOG_WARNING, "bad packet %d", 5);
	char want[512];
	int p = (int)getpid();
	snprintf(want, sizeof(want),
		 "test[%d]: warning: bad packet 0\n"
		 "test[%d]: warning: bad packet 1\n"
		 "test[%d]: warning: bad packet 5 (3 similar messages suppressed)\n",
		 p, p, p);
	assert_string_equal(captured(), want);
}

static void test_log_diag(void **state)
{
	struct diag d;

	diag_init(&d);
	diag_error(&d, "a.conf", 3, "broken %s", "brace");
	diag_warn(&d, "a.conf", 0, "whole file");
	diag_warn(&d, NULL, 0, "no place");
	log_open("test", LOG_TARGET_STDERR, false);
	log_diag(&d);
	diag_done(&d);
	char want[512];
	int p = (int)getpid();
	snprintf(want, sizeof(want),
		 "test[%d]: error: a.conf:3: broken brace\n"
		 "test[%d]: warning: a.conf: whole file\n"
		 "test[%d]: warning: no place\n",
		 p, p, p);
	assert_string_equal(captured(), want);
}

static void test_errno_preserved(void **state)
{
	log_open("test", LOG_TARGET_STDERR, false);
	errno = EAGAIN;
	log_info("x");
	assert_int_equal(errno, EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format_and_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_only_with_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errno_suffix_and_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_message_is_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratelimited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_diag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errno_preserved, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
