#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrrp/vrrp_priority.h"

static void track_weights(void **state)
{
	bool fault = false;

	/* positive weight: added while good */
	assert_int_equal(vrrp_priority_track_delta(10, false, true, &fault), 10);
	assert_int_equal(vrrp_priority_track_delta(10, false, false, &fault), 0);
	/* negative weight: added while bad */
	assert_int_equal(vrrp_priority_track_delta(-20, false, true, &fault), 0);
	assert_int_equal(vrrp_priority_track_delta(-20, false, false, &fault), -20);
	/* reverse swaps good and bad */
	assert_int_equal(vrrp_priority_track_delta(-20, true, true, &fault), -20);
	assert_int_equal(vrrp_priority_track_delta(10, true, false, &fault), 10);
	assert_false(fault);
	/* weight 0: bad means fault, good means nothing */
	assert_int_equal(vrrp_priority_track_delta(0, false, true, &fault), 0);
	assert_false(fault);
	assert_int_equal(vrrp_priority_track_delta(0, false, false, &fault), 0);
	assert_true(fault);
	fault = false;
	vrrp_priority_track_delta(0, true, true, &fault);
	assert_true(fault);
}

static void file_values(void **state)
{
	bool fault = false;

	assert_int_equal(vrrp_priority_file_delta(1, false, -50, &fault), -50);
	assert_int_equal(vrrp_priority_file_delta(2, false, 30, &fault), 60);
	assert_int_equal(vrrp_priority_file_delta(2, true, 30, &fault), -60);
	assert_false(fault);
	assert_int_equal(vrrp_priority_file_delta(0, false, 0, &fault), 0);
	assert_false(fault);
	vrrp_priority_file_delta(0, false, 7, &fault);
	assert_true(fault);
	fault = false;
	/* a value no priority survives: fault, and no overflow on junk */
	vrrp_priority_file_delta(-1, false, 254, &fault);
	assert_true(fault);
	fault = false;
	assert_int_equal(vrrp_priority_file_delta(253, false, INT64_MAX, &fault), 253);
	vrrp_priority_file_delta(253, false, INT64_MIN, &fault);
	assert_true(fault);
}

static void effective(void **state)
{
	assert_int_equal(vrrp_priority_effective(100, 0), 100);
	assert_int_equal(vrrp_priority_effective(100, -30), 70);
	assert_int_equal(vrrp_priority_effective(100, -500), 1);
	assert_int_equal(vrrp_priority_effective(100, 500), 254);
	assert_int_equal(vrrp_priority_effective(255, -100), 255);
	assert_int_equal(vrrp_priority_effective(254, 1), 254);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(track_weights),
		cmocka_unit_test(file_values),
		cmocka_unit_test(effective),
	};
	return cmocka_run_group_tests_name("vrrp_priority", tests, NULL, NULL);
}
