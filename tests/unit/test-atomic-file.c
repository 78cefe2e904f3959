#include "config.h"

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
#include "xalloc.h"

static int setup(void **state)
{
	char *dir = xstrdup("/tmp/lbha-test-atomic-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", (char *)*state);
	int r = system(cmd);
	free(cmd);
	free(*state);
	return r == 0 ? 0 : -1;
}

static void test_write_read_replace(void **state)
{
	char *path = xasprintf("%s/state.json", (char *)*state);
	char *data;
	size_t len;
	struct stat st;

	assert_int_equal(atomic_file_write(path, "first", 5, 0640), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(atomic_file_write(path, "second!", 7, 0640), 0);
	assert_int_equal(atomic_file_read(path, 100, &data, &len), 0);
	assert_int_equal(len, 7);
	assert_string_equal(data, "second!");
	free(data);

	/* no temporary file is left beside it */
	char *cmd = xasprintf("test $(ls '%s' | wc -l) -eq 1", (char *)*state);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

static void test_read_limits_and_errors(void **state)
{
	char *path = xasprintf("%s/big", (char *)*state);
	char *data = NULL;
	size_t len;

	assert_int_equal(atomic_file_write(path, "0123456789", 10, 0600), 0);
	assert_int_equal(atomic_file_read(path, 9, &data, &len), -EFBIG);
	assert_null(data);
	free(path);
	path = xasprintf("%s/missing", (char *)*state);
	assert_int_equal(atomic_file_read(path, 9, &data, &len), -ENOENT);
	free(path);
	path = xasprintf("%s/no/such/dir/f", (char *)*state);
	assert_int_equal(atomic_file_write(path, "x", 1, 0600), -ENOENT);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_limits_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests_name("atomic_file", tests, NULL, NULL);
}
