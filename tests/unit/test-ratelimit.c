#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ratelimit.h"

#define SEC 1000000ULL

static void test_burst_then_refill(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(10 * SEC, 5);  /* one token per 2 s */

	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_allow(&rl, 100 * SEC));
	assert_false(ratelimit_allow(&rl, 100 * SEC));
	assert_false(ratelimit_allow(&rl, 101 * SEC));
	assert_int_equal(ratelimit_take_suppressed(&rl), 2);
	assert_int_equal(ratelimit_take_suppressed(&rl), 0);

	assert_true(ratelimit_allow(&rl, 102 * SEC));   /* one token earned */
	assert_false(ratelimit_allow(&rl, 102 * SEC));
	assert_true(ratelimit_allow(&rl, 104 * SEC));
}

static void test_steady_trickle_earns_tokens(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(10 * SEC, 5);

	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_allow(&rl, 0));
	/* 13 events 1.5 s apart over 19.5 s earn a token per 2 s: 9 pass.
	 * Resetting the refill time on every event would lose the spare half
	 * second each time and let fewer through. */
	int passed = 0;
	for (uint64_t t = 1500000; t <= 20 * SEC; t += 1500000)
		passed += ratelimit_allow(&rl, t);
	assert_int_equal(passed, 9);
}

static void test_full_after_long_quiet(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(10 * SEC, 3);

	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_allow(&rl, 0));
	assert_false(ratelimit_allow(&rl, 0));
	/* After an hour the bucket is full again, but not fuller. */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_allow(&rl, 3600 * SEC));
	assert_false(ratelimit_allow(&rl, 3600 * SEC));
}

static void test_disabled(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(0, 0);

	for (int i = 0; i < 1000; i++)
		assert_true(ratelimit_allow(&rl, 0));
	assert_int_equal(ratelimit_take_suppressed(&rl), 0);
}

static void test_clock_going_back_is_harmless(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(10 * SEC, 1);

	assert_true(ratelimit_allow(&rl, 50 * SEC));
	assert_false(ratelimit_allow(&rl, 40 * SEC));
	assert_true(ratelimit_allow(&rl, 60 * SEC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_steady_trickle_earns_tokens),
		cmocka_unit_test(test_full_after_long_quiet),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_clock_going_back_is_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
