/* checker/slow_start: the weight ramp of a recovered real server, on a fake
 * clock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "checker/slow_start.h"

#define S(x) ((uint64_t)(x) * 1000000u)
#define MS(x) ((uint64_t)(x) * 1000u)
#define T0 S(500)

static void test_step_length(void **state)
{
	assert_int_equal(slow_start_step(S(100)), S(10));
	assert_int_equal(slow_start_step(S(10)), S(1));
	assert_int_equal(slow_start_step(S(5)), S(1));   /* never below 1 s */
	assert_int_equal(slow_start_step(MS(300)), S(1));
	assert_int_equal(slow_start_step(S(25)), MS(2500));
}

/* 10 s to weight 100: steps every second, 1, 10, 20, ... 100 at 10 s. */
static void test_ramp_steps(void **state)
{
	struct slow_start ss;
	uint64_t next;

	slow_start_init(&ss, S(10), 100);
	assert_int_equal(ss.weight, 100);
	assert_int_equal(slow_start_deadline(&ss), 0);
	assert_int_equal(slow_start_begin(&ss, T0), 1);  /* "from 0": the least that takes traffic */
	assert_true(ss.active);
	assert_int_equal(slow_start_deadline(&ss), T0 + S(1));
	for (unsigned k = 1; k < 10; k++) {
		assert_int_equal(slow_start_update(&ss, T0 + S(k), &next), 10 * k);
		assert_int_equal(next, T0 + S(k + 1));
	}
	assert_int_equal(slow_start_update(&ss, T0 + S(10), &next), 100);
	assert_int_equal(next, 0);
	assert_false(ss.active);
	/* late timers and later calls change nothing */
	assert_int_equal(slow_start_update(&ss, T0 + S(50), &next), 100);
	assert_int_equal(next, 0);
}

/* A timer that fires late or early lands on the right step. */
static void test_ramp_off_schedule(void **state)
{
	struct slow_start ss;
	uint64_t next;

	slow_start_init(&ss, S(60), 7);   /* step 6 s */
	slow_start_begin(&ss, T0);
	/* early: still the first step */
	assert_int_equal(slow_start_update(&ss, T0 + S(5), &next), 1);
	assert_int_equal(next, T0 + S(6));
	/* late, in the 4th step (18..24 s): 7 * 18 / 60 = 2 */
	assert_int_equal(slow_start_update(&ss, T0 + S(20), &next), 2);
	assert_int_equal(next, T0 + S(24));
	assert_int_equal(slow_start_update(&ss, T0 + S(54), &next), 6);
	assert_int_equal(next, T0 + S(60)); /* the last step lands on the duration */
	assert_int_equal(slow_start_update(&ss, T0 + S(61), &next), 7);
	assert_int_equal(next, 0);
}

/* Uneven: 25 s has steps of 2.5 s; the last one is exactly at 25 s. */
static void test_ramp_uneven(void **state)
{
	struct slow_start ss;
	uint64_t next;
	uint32_t prev = 0, w;
	unsigned steps = 0;

	slow_start_init(&ss, S(25), 1000);
	w = slow_start_begin(&ss, T0);
	next = slow_start_deadline(&ss);
	while (next) {
		assert_true(w >= prev);
		prev = w;
		w = slow_start_update(&ss, next, &next);
		steps++;
	}
	assert_int_equal(w, 1000);
	assert_int_equal(steps, 10);
}

static void test_nothing_to_ramp(void **state)
{
	struct slow_start ss;

	slow_start_init(&ss, 0, 100);                 /* slow start off */
	assert_int_equal(slow_start_begin(&ss, T0), 100);
	assert_false(ss.active);
	assert_int_equal(slow_start_deadline(&ss), 0);

	slow_start_init(&ss, S(30), 1);               /* weight 1 cannot ramp */
	assert_int_equal(slow_start_begin(&ss, T0), 1);
	assert_false(ss.active);

	slow_start_init(&ss, S(30), 0);               /* weight 0 stays 0 */
	assert_int_equal(slow_start_begin(&ss, T0), 0);
	assert_false(ss.active);
}

/* Fails during the ramp: drops out; when it comes back, the ramp starts over. */
static void test_interrupted(void **state)
{
	struct slow_start ss;
	uint64_t next;

	slow_start_init(&ss, S(10), 50);
	slow_start_begin(&ss, T0);
	assert_int_equal(slow_start_update(&ss, T0 + S(4), &next), 20);
	slow_start_stop(&ss);
	assert_false(ss.active);
	assert_int_equal(slow_start_deadline(&ss), 0);
	assert_int_equal(slow_start_update(&ss, T0 + S(5), &next), 50);
	assert_int_equal(next, 0);

	assert_int_equal(slow_start_begin(&ss, T0 + S(30)), 1);
	assert_int_equal(slow_start_update(&ss, T0 + S(32), &next), 10);
	assert_int_equal(next, T0 + S(33));
}

/* The configured weight changes during the ramp: progress kept, rescaled. */
static void test_target_change(void **state)
{
	struct slow_start ss;
	uint64_t next;

	slow_start_init(&ss, S(10), 100);
	slow_start_begin(&ss, T0);
	assert_int_equal(slow_start_update(&ss, T0 + S(5), &next), 50);
	assert_int_equal(slow_start_set_target(&ss, 200, T0 + S(5)), 100);
	assert_true(ss.active);
	assert_int_equal(slow_start_update(&ss, T0 + S(6), &next), 120);
	assert_int_equal(slow_start_set_target(&ss, 10, T0 + S(6)), 6);
	assert_int_equal(slow_start_update(&ss, T0 + S(10), &next), 10);
	assert_false(ss.active);

	/* down to 1 or 0 during a ramp: nothing left to ramp */
	slow_start_begin(&ss, T0 + S(20));
	assert_true(ss.active);
	assert_int_equal(slow_start_set_target(&ss, 0, T0 + S(21)), 0);
	assert_false(ss.active);

	/* not ramping: the new target applies at once */
	assert_int_equal(slow_start_set_target(&ss, 30, T0 + S(22)), 30);
}

static void test_duration_change(void **state)
{
	struct slow_start ss;
	uint64_t next;

	slow_start_init(&ss, S(100), 100);
	slow_start_begin(&ss, T0);
	assert_int_equal(slow_start_update(&ss, T0 + S(30), &next), 30);
	/* shortened below the elapsed time: done */
	assert_int_equal(slow_start_set_duration(&ss, S(20), T0 + S(30)), 100);
	assert_false(ss.active);

	slow_start_init(&ss, S(100), 100);
	slow_start_begin(&ss, T0);
	assert_int_equal(slow_start_set_duration(&ss, S(50), T0 + S(25)), 50);
	assert_int_equal(slow_start_deadline(&ss), T0 + S(30));
	assert_int_equal(slow_start_set_duration(&ss, 0, T0 + S(26)), 100);
	assert_false(ss.active);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_length),
		cmocka_unit_test(test_ramp_steps),
		cmocka_unit_test(test_ramp_off_schedule),
		cmocka_unit_test(test_ramp_uneven),
		cmocka_unit_test(test_nothing_to_ramp),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_target_change),
		cmocka_unit_test(test_duration_change),
	};
	return cmocka_run_group_tests_name("slow_start", tests, NULL, NULL);
}
