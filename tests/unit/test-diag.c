#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"

static void test_format_and_counts(void **state)
{
	struct diag d;
	char buf[256];

	diag_init(&d);
	diag_error(&d, "a.conf", 3, "bad %s", "thing");
	diag_warn(&d, "a.conf", 0, "no line");
	diag_warn(&d, NULL, 0, "no place");
	assert_int_equal(d.n_errors, 1);
	assert_int_equal(d.n_warnings, 2);
	diag_format(&d.entries[0], buf, sizeof(buf));
	assert_string_equal(buf, "a.conf:3: error: bad thing");
	diag_format(&d.entries[1], buf, sizeof(buf));
	assert_string_equal(buf, "a.conf: warning: no line");
	diag_format(&d.entries[2], buf, sizeof(buf));
	assert_string_equal(buf, "warning: no place");
	diag_promote_warnings(&d);
	assert_int_equal(d.n_errors, 3);
	assert_int_equal(d.n_warnings, 0);
	diag_format(&d.entries[1], buf, sizeof(buf));
	assert_string_equal(buf, "a.conf: error: no line");
	diag_done(&d);
	diag_done(NULL);
}

static void test_cap(void **state)
{
	struct diag d;
	diag_init(&d);
	d.max_entries = 2;
	for (int i = 0; i < 5; i++)
		diag_error(&d, "f", (unsigned)i + 1, "e%d", i);
	assert_int_equal(d.n_entries, 2);
	assert_int_equal(d.n_dropped, 3);
	assert_int_equal(d.n_errors, 5);

	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	diag_print(&d, fp);
	fclose(fp);
	assert_string_equal(out, "f:1: error: e0\nf:2: error: e1\n... and 3 more problems not shown\n");
	free(out);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_and_counts),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
