#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "json_out.h"

static char *written(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_write_string(f, s);
	fclose(f);
	return buf;
}

static void escapes(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "", "\"\"" },
		{ "plain text", "\"plain text\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "tab\there\n", "\"tab\\u0009here\\u000a\"" },
		{ "\x01", "\"\\u0001\"" },
		{ "\"", "\"\\\"\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },  /* UTF-8 passes through */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = written(rows[i].in);
		assert_string_equal(got, rows[i].out);
		free(got);
	}
	char *got = written(NULL);
	assert_string_equal(got, "\"\"");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
	};
	return cmocka_run_group_tests_name("json_out", tests, NULL, NULL);
}
