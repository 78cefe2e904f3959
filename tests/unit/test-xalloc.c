#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "xalloc.h"

static void test_strings(void **state)
{
	char *s = xasprintf("%s-%d", "vrid", 51);
	assert_string_equal(s, "vrid-51");
	free(s);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	int *z = xcalloc(4, sizeof(int));
	for (int i = 0; i < 4; i++)
		assert_int_equal(z[i], 0);
	z = xreallocarray(z, 1000, sizeof(int));
	z[999] = 7;
	free(z);
}

/* An overflowing size must abort, never wrap to a small allocation. */
static void test_overflow_aborts(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(2);
		xreallocarray(NULL, SIZE_MAX / 2, 4);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_overflow_aborts),
	};
	return cmocka_run_group_tests_name("xalloc", tests, NULL, NULL);
}
