/* daemon/watchdog.c: when the parent pets systemd's watchdog. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "daemon/watchdog.h"

#define SEC 1000000ULL
#define STALE (3 * SEC)

static void test_alive(void **state)
{
	struct watchdog_child c = { .running = true, .ready = true, .last_ping_usec = 100 * SEC };

	assert_true(watchdog_child_alive(&c, 100 * SEC, STALE));
	assert_true(watchdog_child_alive(&c, 103 * SEC - 1, STALE));
	assert_false(watchdog_child_alive(&c, 103 * SEC, STALE));   /* three pings missed */
	/* a ping stamped after the loop's cached now is fresh */
	assert_true(watchdog_child_alive(&c, 99 * SEC, STALE));
	c.ready = false;
	assert_false(watchdog_child_alive(&c, 100 * SEC, STALE));
	c.ready = true;
	c.running = false;
	assert_false(watchdog_child_alive(&c, 100 * SEC, STALE));
}

static void test_every_child_must_ping(void **state)
{
	struct watchdog_child c[2] = {
		{ .running = true, .ready = true, .last_ping_usec = 10 * SEC },
		{ .running = true, .ready = true, .last_ping_usec = 10 * SEC },
	};
	size_t culprit = 99;

	assert_true(watchdog_should_pet(c, 2, 11 * SEC, STALE, &culprit));
	assert_int_equal(culprit, 99);  /* untouched when petting */
	/* the checker (1) stops pinging: no petting once it is stale */
	c[0].last_ping_usec = 14 * SEC;
	assert_true(watchdog_should_pet(c, 2, 12 * SEC, STALE, &culprit));
	assert_false(watchdog_should_pet(c, 2, 14 * SEC, STALE, &culprit));
	assert_int_equal(culprit, 1);
	/* both stale: the first is named */
	assert_false(watchdog_should_pet(c, 2, 30 * SEC, STALE, &culprit));
	assert_int_equal(culprit, 0);
	/* it pings again: petting resumes */
	c[0].last_ping_usec = c[1].last_ping_usec = 30 * SEC;
	assert_true(watchdog_should_pet(c, 2, 31 * SEC, STALE, NULL));
	/* a restarting child (not running) stops it too */
	c[1].running = false;
	assert_false(watchdog_should_pet(c, 2, 31 * SEC, STALE, NULL));
	/* no children: nothing to wait for */
	assert_true(watchdog_should_pet(c, 0, 31 * SEC, STALE, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alive),
		cmocka_unit_test(test_every_child_must_ping),
	};

	return cmocka_run_group_tests_name("watchdog", tests, NULL, NULL);
}
