#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

#define MSEC 1000ULL
#define SEC 1000000ULL

static void test_doubles_up_to_max(void **state)
{
	struct backoff b = BACKOFF_INIT(100 * MSEC, 30 * SEC, 60 * SEC);
	const uint64_t want[] = { 100 * MSEC, 200 * MSEC, 400 * MSEC, 800 * MSEC, 1600 * MSEC,
				  3200 * MSEC, 6400 * MSEC, 12800 * MSEC, 25600 * MSEC, 30 * SEC,
				  30 * SEC };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(backoff_next(&b, 1 * SEC), want[i]);
}

static void test_long_run_resets(void **state)
{
	struct backoff b = BACKOFF_INIT(100 * MSEC, 30 * SEC, 60 * SEC);

	for (int i = 0; i < 6; i++)
		backoff_next(&b, 0);
	assert_int_equal(backoff_next(&b, 59 * SEC), 6400 * MSEC);
	assert_int_equal(backoff_next(&b, 60 * SEC), 100 * MSEC);
	assert_int_equal(backoff_next(&b, 0), 200 * MSEC);
}

static void test_first_failure_uses_min(void **state)
{
	struct backoff b = BACKOFF_INIT(100 * MSEC, 30 * SEC, 60 * SEC);

	assert_int_equal(backoff_next(&b, 0), 100 * MSEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_up_to_max),
		cmocka_unit_test(test_long_run_resets),
		cmocka_unit_test(test_first_failure_uses_min),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
