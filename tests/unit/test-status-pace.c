/* checker/status_pace: when checker.json is rebuilt, on a fake clock.  A
 * small model of checker_child.c drives it: changes call publish_soon(),
 * the one timer fires at status_pace_due(), a tick publishes when
 * something is dirty; every checker.json is counted. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "checker/status_pace.h"

#define MS(x) ((uint64_t)(x) * 1000u)
#define S(x) ((uint64_t)(x) * 1000000u)
#define T0 S(1000)
#define TICK S(1)

struct model {
	struct status_pace pace;
	uint64_t now, gap;
	bool dirty;        /* what servers_take_dirty() would say */
	unsigned written;  /* checker.json rebuilt */
	uint64_t last_written;
};

static void publish(struct model *m)
{
	status_pace_published(&m->pace, m->now);
	m->dirty = false;
	m->written++;
	m->last_written = m->now;
}

static void change(struct model *m)
{
	m->dirty = true;
	if (status_pace_change(&m->pace, m->now, m->gap))
		publish(m);
}

/* Run the timer up to `until` (it fires exactly when due). */
static void run_until(struct model *m, uint64_t until)
{
	for (;;) {
		uint64_t due = status_pace_due(&m->pace, m->gap, NULL);
		if (due > until)
			break;
		m->now = due;
		enum status_pace_action a = status_pace_fire(&m->pace, m->now, m->gap);
		if (a == STATUS_PACE_PUBLISH || (a == STATUS_PACE_IF_DIRTY && m->dirty))
			publish(m);
	}
	m->now = until;
}

static void model_init(struct model *m, uint64_t gap)
{
	*m = (struct model){ .now = T0, .gap = gap };
	status_pace_init(&m->pace, TICK, T0);
}

/* Nothing dirty: the ticks write nothing; a lone change goes out at once. */
static void test_lone_change_at_once(void **state)
{
	struct model m;

	model_init(&m, MS(200));
	run_until(&m, T0 + S(5));
	assert_int_equal(m.written, 0);
	change(&m);
	assert_int_equal(m.written, 1);
	assert_int_equal(m.last_written, T0 + S(5));
	/* its dirt went with it: the next ticks write nothing */
	run_until(&m, T0 + S(8));
	assert_int_equal(m.written, 1);
	/* another lone change, long after: at once again */
	change(&m);
	assert_int_equal(m.written, 2);
	assert_int_equal(m.last_written, T0 + S(8));
}

/* A burst of changes (10,000 servers going down one loop iteration after
 * another): the first at once, all the others in ONE checker.json at the
 * end of the gap. */
static void test_burst_one_rewrite_at_gap_end(void **state)
{
	struct model m;
	uint64_t start;

	model_init(&m, MS(200));
	m.now = start = T0 + MS(300);
	change(&m);
	assert_int_equal(m.written, 1);
	for (unsigned i = 0; i < 10000; i++) {
		run_until(&m, m.now + 10);   /* 10 us apart: 0.1 s in all */
		change(&m);
	}
	assert_int_equal(m.written, 1);
	assert_true(m.pace.pending);
	assert_int_equal(status_pace_due(&m.pace, m.gap, NULL), start + MS(200));
	run_until(&m, start + MS(199));
	assert_int_equal(m.written, 1);
	run_until(&m, start + MS(200));
	assert_int_equal(m.written, 2);
	assert_int_equal(m.last_written, start + MS(200));
	assert_false(m.pace.pending);
	/* nothing more to say: the ticks stay quiet */
	run_until(&m, start + S(3));
	assert_int_equal(m.written, 2);
}

/* Counters alone go out with the tick, not before; the tick keeps its
 * cadence whatever the changes do. */
static void test_counters_on_the_tick(void **state)
{
	struct model m;

	model_init(&m, MS(2));
	m.dirty = true;                       /* a probe result came in */
	run_until(&m, T0 + TICK - 1);
	assert_int_equal(m.written, 0);
	run_until(&m, T0 + TICK);
	assert_int_equal(m.written, 1);
	assert_int_equal(m.last_written, T0 + TICK);
	/* a change between ticks does not move the next tick */
	m.now = T0 + TICK + MS(500);
	change(&m);
	assert_int_equal(m.written, 2);
	m.dirty = true;
	run_until(&m, T0 + 2 * TICK);
	assert_int_equal(m.written, 3);
	assert_int_equal(m.last_written, T0 + 2 * TICK);
}

/* A tick inside the gap waits for the gap's end: no two checker.json
 * closer than the gap, even with a gap longer than the tick (> 50,000
 * servers). */
static void test_tick_inside_gap(void **state)
{
	struct model m;
	uint64_t prev = 0;

	model_init(&m, MS(2500));
	m.now = T0 + MS(100);
	change(&m);
	assert_int_equal(m.written, 1);
	for (unsigned i = 0; i < 50; i++) {
		m.dirty = true;
		run_until(&m, m.now + MS(100));
		if (i % 7 == 0)
			change(&m);
		if (m.last_written != prev) {
			if (prev)
				assert_true(m.last_written - prev >= m.gap);
			prev = m.last_written;
		}
	}
	assert_true(m.written >= 2);
}

/* The due time: the tick, or a pending change's gap end when earlier. */
static void test_due(void **state)
{
	struct status_pace p;
	bool by_change;

	status_pace_init(&p, TICK, T0);
	assert_int_equal(status_pace_due(&p, MS(200), &by_change), T0 + TICK);
	assert_false(by_change);
	/* never published: a change goes out at once, nothing pending */
	assert_true(status_pace_change(&p, T0 + 1, MS(200)));
	status_pace_published(&p, T0 + 1);
	assert_false(status_pace_change(&p, T0 + 2, MS(200)));
	assert_int_equal(status_pace_due(&p, MS(200), &by_change), T0 + 1 + MS(200));
	assert_true(by_change);
	/* a late timer: one fire serves both, no catch-up ticks */
	assert_int_equal(status_pace_fire(&p, T0 + S(5) + 7, MS(200)), STATUS_PACE_PUBLISH);
	status_pace_published(&p, T0 + S(5) + 7);
	assert_int_equal(status_pace_due(&p, MS(200), NULL), T0 + S(6) + 7);
	/* early (timer slack): nothing */
	assert_int_equal(status_pace_fire(&p, T0 + S(6), MS(200)), STATUS_PACE_NOTHING);
	assert_int_equal(status_pace_fire(&p, T0 + S(6) + 7, MS(200)), STATUS_PACE_IF_DIRTY);
	assert_int_equal(status_pace_due(&p, MS(200), NULL), T0 + S(7) + 7);
}

static void test_names(void **state)
{
	assert_string_equal(status_pace_action_to_string(STATUS_PACE_NOTHING), "nothing");
	assert_string_equal(status_pace_action_to_string(STATUS_PACE_PUBLISH), "publish");
	assert_string_equal(status_pace_action_to_string(STATUS_PACE_IF_DIRTY), "if-dirty");
	assert_null(status_pace_action_to_string(_STATUS_PACE_ACTION_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lone_change_at_once),
		cmocka_unit_test(test_burst_one_rewrite_at_gap_end),
		cmocka_unit_test(test_counters_on_the_tick),
		cmocka_unit_test(test_tick_inside_gap),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("status_pace", tests, NULL, NULL);
}
