#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <systemd/sd-event.h>

#include "monotonic.h"
#include "timer_set.h"

/* A timer that records the order it fired in and may act from its callback. */
struct tick {
	struct timer_entry t;
	struct timer_set *ts;
	int id, fired;
	uint64_t fired_at;
	struct tick *disarm;   /* disarm this one when firing */
	uint64_t rearm_in;     /* re-arm self this long after now (0: no) */
	int rearms_left;
};

static int order[64], n_order;

static void on_tick(struct timer_entry *t, uint64_t now)
{
	struct tick *k = (struct tick *)t;

	k->fired++;
	k->fired_at = now;
	if (n_order < (int)(sizeof(order) / sizeof(order[0])))
		order[n_order++] = k->id;
	if (k->disarm)
		timer_set_disarm(k->ts, &k->disarm->t);
	if (k->rearms_left > 0) {
		k->rearms_left--;
		assert_int_equal(timer_set_arm(k->ts, t, now + k->rearm_in), 0);
	}
}

static void run_until_idle(sd_event *e, struct timer_set *ts, uint64_t limit_usec)
{
	uint64_t end = monotonic_usec() + limit_usec;

	while (timer_set_count(ts) > 0 && monotonic_usec() < end)
		assert_true(sd_event_run(e, 100000) >= 0);
}

static struct timer_set *setup(sd_event **e)
{
	struct timer_set *ts;

	n_order = 0;
	assert_int_equal(sd_event_new(e), 0);
	assert_int_equal(timer_set_new(*e, 1, "test", &ts), 0);
	return ts;
}

static void teardown(sd_event *e, struct timer_set *ts)
{
	timer_set_free(ts);
	sd_event_unref(e);
}

static void tick_init(struct tick *k, struct timer_set *ts, int id)
{
	*k = (struct tick){ .ts = ts, .id = id };
	timer_entry_init(&k->t, on_tick);
}

static void test_fires_in_deadline_order(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	struct tick k[8];
	const int delay_ms[8] = { 40, 10, 30, 0, 20, 50, 5, 15 };
	const int want[8] = { 3, 6, 1, 7, 4, 2, 0, 5 };
	uint64_t now = monotonic_usec();

	for (int i = 0; i < 8; i++) {
		tick_init(&k[i], ts, i);
		assert_int_equal(timer_set_arm(ts, &k[i].t, now + (uint64_t)delay_ms[i] * 1000), 0);
	}
	assert_int_equal(timer_set_count(ts), 8);
	run_until_idle(e, ts, 5000000);
	assert_int_equal(n_order, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(order[i], want[i]);
		assert_true(k[i].fired_at >= now + (uint64_t)delay_ms[i] * 1000);
	}
	teardown(e, ts);
}

static void test_rearm_and_disarm(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	struct tick a, b, c;
	uint64_t now = monotonic_usec();

	tick_init(&a, ts, 1);
	tick_init(&b, ts, 2);
	tick_init(&c, ts, 3);
	timer_set_arm(ts, &a.t, now + 10000);
	timer_set_arm(ts, &b.t, now + 20000);
	timer_set_arm(ts, &c.t, now + 30000);
	/* a moves after c; b is disarmed; disarming twice is harmless */
	timer_set_arm(ts, &a.t, now + 40000);
	timer_set_disarm(ts, &b.t);
	timer_set_disarm(ts, &b.t);
	assert_false(timer_entry_armed(&b.t));
	assert_int_equal(timer_set_count(ts), 2);
	run_until_idle(e, ts, 5000000);
	assert_int_equal(n_order, 2);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 1);
	assert_int_equal(b.fired, 0);
	teardown(e, ts);
}

/* A callback disarms a timer due in the same dispatch: it must not fire. */
static void test_callback_disarms_a_due_one(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	struct tick a, b;
	uint64_t now = monotonic_usec();

	tick_init(&a, ts, 1);
	tick_init(&b, ts, 2);
	a.disarm = &b;
	timer_set_arm(ts, &a.t, now);
	timer_set_arm(ts, &b.t, now + 1);
	run_until_idle(e, ts, 5000000);
	assert_int_equal(a.fired, 1);
	assert_int_equal(b.fired, 0);
	teardown(e, ts);
}

/* Re-arming itself for "now" runs again in a later dispatch, not forever
 * within this one. */
static void test_rearm_for_now_from_callback(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	struct tick a;

	tick_init(&a, ts, 1);
	a.rearms_left = 5;
	a.rearm_in = 0;
	timer_set_arm(ts, &a.t, monotonic_usec());
	assert_true(sd_event_run(e, 1000000) >= 0);
	assert_int_equal(a.fired, 1);
	run_until_idle(e, ts, 5000000);
	assert_int_equal(a.fired, 6);
	teardown(e, ts);
}

/* Many timers with random deadlines, some re-armed, some disarmed: the
 * armed ones all fire, in order, once. */
static void test_many_random(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	enum { N = 2000 };
	struct tick *k = calloc(N, sizeof(*k));
	uint64_t now = monotonic_usec(), last = 0;
	int armed = 0;

	srand(7);
	for (int i = 0; i < N; i++) {
		tick_init(&k[i], ts, i);
		timer_set_arm(ts, &k[i].t, now + (uint64_t)(rand() % 50000));
	}
	for (int i = 0; i < N; i += 3)
		timer_set_arm(ts, &k[i].t, now + (uint64_t)(rand() % 50000));
	for (int i = 1; i < N; i += 7)
		timer_set_disarm(ts, &k[i].t);
	for (int i = 0; i < N; i++)
		armed += timer_entry_armed(&k[i].t);
	assert_int_equal((int)timer_set_count(ts), armed);
	/* order[] is too small here: check by deadlines instead */
	run_until_idle(e, ts, 5000000);
	for (int i = 0; i < N; i++) {
		assert_int_equal(k[i].fired, i % 7 == 1 ? 0 : 1);
		if (k[i].fired) {
			assert_true(k[i].fired_at >= k[i].t.when);
			last = k[i].fired_at > last ? k[i].fired_at : last;
		}
	}
	assert_true(last > 0);
	free(k);
	teardown(e, ts);
}

/* Freeing the set with timers armed leaves them disarmed. */
static void test_free_with_armed(void **state)
{
	sd_event *e;
	struct timer_set *ts = setup(&e);
	struct tick a;

	tick_init(&a, ts, 1);
	timer_set_arm(ts, &a.t, monotonic_usec() + 1000000);
	timer_set_free(ts);
	assert_false(timer_entry_armed(&a.t));
	sd_event_unref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_in_deadline_order),
		cmocka_unit_test(test_rearm_and_disarm),
		cmocka_unit_test(test_callback_disarms_a_due_one),
		cmocka_unit_test(test_rearm_for_now_from_callback),
		cmocka_unit_test(test_many_random),
		cmocka_unit_test(test_free_with_armed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
