/* checker/health: the per-checker state machine and the per-real-server
 * tally, driven with a fake clock and fixed seeds. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checker/health.h"

#define S(x) ((uint64_t)(x) * 1000000u)
#define MS(x) ((uint64_t)(x) * 1000u)
#define T0 S(1000)  /* the fake clock starts here (0 means "not armed") */

/* A checker on a fake clock. */
struct rig {
	struct health_checker c;
	struct health_rng rng;
	struct health_output out;
	uint64_t now;
};

static struct health_params params(uint64_t loop, uint32_t retry, uint64_t dbr, uint32_t rise,
				   uint32_t fall)
{
	return (struct health_params){
		.delay_loop_usec = loop, .delay_before_retry_usec = dbr, .warmup_usec = 0,
		.retry = retry, .rise = rise, .fall = fall, .jitter_pct = 0,
	};
}

static void rig_init(struct rig *r, const struct health_params *p)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(health_checker_init(&r->c, p), 0);
	health_rng_seed(&r->rng, 42);
	r->now = T0;
	struct health_event ev = { .type = HEALTH_EV_START };
	assert_int_equal(health_checker_step(&r->c, &ev, r->now, &r->rng, &r->out), 0);
	assert_int_equal(r->c.phase, HEALTH_PHASE_WAITING);
}

/* Advance to the deadline, fire the timer (a probe must start), and feed a
 * result `took` later.  Returns the time the probe started. */
static uint64_t probe(struct rig *r, struct health_result res, uint64_t took)
{
	struct health_event t = { .type = HEALTH_EV_TIMER };
	struct health_event e = { .type = HEALTH_EV_RESULT, .result = res };
	uint64_t start;

	assert_true(r->out.deadline_usec >= r->now);
	r->now = r->out.deadline_usec;
	start = r->now;
	assert_int_equal(health_checker_step(&r->c, &t, r->now, &r->rng, &r->out), 0);
	assert_true(r->out.start_probe);
	assert_int_equal(r->out.deadline_usec, 0);
	r->now += took;
	assert_int_equal(health_checker_step(&r->c, &e, r->now, &r->rng, &r->out), 0);
	return start;
}

static const struct health_result OK = { HEALTH_OK, 0, HEALTH_WEIGHT_CONFIGURED };
static const struct health_result REFUSED = { HEALTH_REFUSED, 0, HEALTH_WEIGHT_CONFIGURED };

/* ---- keepalived's behaviour (rise 1, fall 1) ---------------------------------------- */

static void test_defaults_no_retry(void **state)
{
	struct health_params p = params(S(10), 0, S(3), 1, 1);
	struct rig r;

	rig_init(&r, &p);
	assert_int_equal(r.c.state, HEALTH_UP); /* no alpha: starts up */
	assert_int_equal(r.out.deadline_usec, T0); /* no warmup, no jitter: at once */

	uint64_t s = probe(&r, OK, MS(20));
	assert_false(r.out.state_changed);
	assert_true(r.out.first_verdict);
	assert_int_equal(r.out.deadline_usec, s + S(10)); /* anchored at the probe's start */

	s = probe(&r, REFUSED, MS(5));
	assert_true(r.out.state_changed);
	assert_false(r.out.first_verdict);
	assert_int_equal(r.out.new_state, HEALTH_DOWN);
	assert_string_equal(r.out.reason, "connection refused");
	assert_int_equal(r.out.deadline_usec, s + S(10));
	assert_int_equal(r.c.last_change_usec, s + MS(5));

	probe(&r, REFUSED, MS(5)); /* down stays down, no retry */
	assert_false(r.out.state_changed);
	s = probe(&r, OK, MS(5));
	assert_true(r.out.state_changed);
	assert_int_equal(r.out.new_state, HEALTH_UP);
	assert_string_equal(r.out.reason, "ok");
	assert_int_equal(r.out.deadline_usec, s + S(10));
	assert_int_equal(r.c.n.ups, 1);
	assert_int_equal(r.c.n.downs, 1);
	assert_int_equal(r.c.n.probes, 4);
}

static void test_retry_timing(void **state)
{
	struct health_params p = params(S(60), 2, S(3), 1, 1);
	struct rig r;
	struct health_result timeout = HEALTH_RESULT(HEALTH_TIMEOUT, 0);

	rig_init(&r, &p);
	probe(&r, OK, MS(1));
	/* fail, retry 3 s after the failure, fail, retry, fail: down */
	uint64_t s1 = probe(&r, timeout, S(5));
	assert_false(r.out.state_changed);
	assert_int_equal(r.out.deadline_usec, s1 + S(5) + S(3));
	uint64_t s2 = probe(&r, timeout, S(5));
	assert_int_equal(s2, s1 + S(8));
	assert_false(r.out.state_changed);
	assert_int_equal(r.c.retry_it, 2);
	uint64_t s3 = probe(&r, timeout, S(5));
	assert_int_equal(s3, s2 + S(8));
	assert_true(r.out.state_changed);
	assert_int_equal(r.out.new_state, HEALTH_DOWN);
	assert_string_equal(r.out.reason, "timeout after 2 retries");
	assert_int_equal(r.c.n.retries, 2);
	assert_int_equal(r.out.deadline_usec, s3 + S(60)); /* back to delay_loop */

	/* down: a failure is not retried */
	uint64_t s4 = probe(&r, timeout, S(5));
	assert_int_equal(r.out.deadline_usec, s4 + S(60));
	assert_int_equal(r.c.retry_it, 0);

	/* up again; a good retry ends the check with no state change */
	probe(&r, OK, MS(1));
	assert_int_equal(r.c.state, HEALTH_UP);
	probe(&r, REFUSED, MS(1));
	assert_int_equal(r.c.retry_it, 1);
	uint64_t s5 = probe(&r, OK, MS(1));
	assert_false(r.out.state_changed);
	assert_int_equal(r.c.retry_it, 0);
	assert_int_equal(r.out.deadline_usec, s5 + S(60));
	assert_int_equal(r.c.state, HEALTH_UP);
}

/* A probe slower than the interval: the next one starts at once, never in the past. */
static void test_slow_probe(void **state)
{
	struct health_params p = params(S(2), 0, S(1), 1, 1);
	struct rig r;

	rig_init(&r, &p);
	probe(&r, OK, S(5));
	assert_int_equal(r.out.deadline_usec, r.now);
}

/* ---- rise / fall ----------------------------------------------------------------------- */

static void test_fall_sequence(void **state)
{
	/* loop 60 s, dbr 3 s: fast interval 15 s */
	struct health_params p = params(S(60), 1, S(3), 2, 3);
	struct rig r;

	assert_int_equal(health_fast_interval(&p), S(15));
	rig_init(&r, &p);
	probe(&r, OK, MS(1));

	/* one failed check (probe + retry), then a good one: the streak resets */
	uint64_t s = probe(&r, REFUSED, MS(1));
	assert_int_equal(r.out.deadline_usec, s + MS(1) + S(3)); /* retry */
	s = probe(&r, REFUSED, MS(1));
	assert_int_equal(r.c.fall_count, 1);
	assert_false(r.out.state_changed);
	assert_int_equal(r.out.deadline_usec, s + S(15)); /* fast: a change is pending */
	s = probe(&r, OK, MS(1));
	assert_int_equal(r.c.fall_count, 0);
	assert_int_equal(r.out.deadline_usec, s + S(60));

	/* three failed checks in a row: down at the last one */
	for (int i = 1; i <= 3; i++) {
		probe(&r, REFUSED, MS(1));
		assert_false(r.out.state_changed);
		s = probe(&r, REFUSED, MS(1));
		assert_int_equal(r.out.state_changed, i == 3);
		assert_int_equal(r.c.fall_count, i == 3 ? 0 : (uint32_t)i);
	}
	assert_int_equal(r.c.state, HEALTH_DOWN);
	assert_string_equal(r.out.reason,
			    "connection refused; 3 failed checks in a row, each after 1 retries");
	assert_int_equal(r.out.deadline_usec, s + S(60));

	/* rise 2: ok, fail, ok, ok -> up at the last */
	s = probe(&r, OK, MS(1));
	assert_int_equal(r.c.rise_count, 1);
	assert_int_equal(r.out.deadline_usec, s + S(15));
	s = probe(&r, REFUSED, MS(1)); /* down: no retry, the streak resets */
	assert_int_equal(r.c.rise_count, 0);
	assert_int_equal(r.out.deadline_usec, s + S(60));
	probe(&r, OK, MS(1));
	assert_false(r.out.state_changed);
	probe(&r, OK, MS(1));
	assert_true(r.out.state_changed);
	assert_int_equal(r.out.new_state, HEALTH_UP);
	assert_string_equal(r.out.reason, "ok; 2 passed checks in a row");
}

/* A flapping server (good, bad, good, bad...) never changes state with
 * rise 2 / fall 2, where rise 1 / fall 1 changes on every check. */
static void test_flapping(void **state)
{
	struct health_params p2 = params(S(5), 0, S(1), 2, 2), p1 = params(S(5), 0, S(1), 1, 1);
	struct rig a, b;

	rig_init(&a, &p2);
	rig_init(&b, &p1);
	for (int i = 0; i < 50; i++) {
		probe(&a, i % 2 ? OK : REFUSED, MS(1));
		probe(&b, i % 2 ? OK : REFUSED, MS(1));
		assert_false(a.out.state_changed);
		assert_true(b.out.state_changed);
	}
	assert_int_equal(a.c.n.ups + a.c.n.downs, 0);
	assert_int_equal(b.c.n.ups + b.c.n.downs, 50);
}

static void test_fast_interval_bounds(void **state)
{
	struct health_params p = params(S(4), 0, S(3), 1, 1);

	assert_int_equal(health_fast_interval(&p), S(3));  /* not below delay_before_retry */
	p = params(S(1), 0, S(3), 1, 1);
	assert_int_equal(health_fast_interval(&p), S(1));  /* nor above delay_loop */
	p = params(S(60), 0, 0, 1, 1);
	assert_int_equal(health_fast_interval(&p), S(15));
}

/* ---- alpha / omega starts, warmup ------------------------------------------------------ */

/* A seed replaces alpha's start before START, and only then. */
static void test_seed(void **state)
{
	struct health_params p = params(S(10), 1, S(2), 2, 2);
	struct health_checker c;
	struct health_rng rng;
	struct health_output out;

	p.alpha = true;
	assert_int_equal(health_checker_init(&c, &p), 0);
	assert_int_equal(c.state, HEALTH_DOWN);
	assert_int_equal(health_checker_seed(&c, HEALTH_UP), 0);
	assert_int_equal(c.state, HEALTH_UP);
	assert_int_equal(health_checker_seed(&c, (enum health_state)7), -EINVAL);
	health_rng_seed(&rng, 1);
	assert_int_equal(health_checker_step(&c, &(struct health_event){ .type = HEALTH_EV_START },
					     T0, &rng, &out), 0);
	assert_int_equal(health_checker_seed(&c, HEALTH_DOWN), -EBUSY);
	assert_int_equal(c.state, HEALTH_UP);
}

static void test_alpha_start(void **state)
{
	struct health_params p = params(S(10), 1, S(2), 1, 1);
	struct rig r;

	p.alpha = true;
	rig_init(&r, &p);
	assert_int_equal(r.c.state, HEALTH_DOWN);
	/* the first check is retried even though down (keepalived's !has_run) */
	probe(&r, REFUSED, MS(1));
	assert_int_equal(r.c.retry_it, 1);
	assert_false(r.out.first_verdict);
	probe(&r, REFUSED, MS(1));
	assert_true(r.out.first_verdict);
	assert_false(r.out.state_changed);
	probe(&r, OK, MS(1));
	assert_true(r.out.state_changed);
	assert_false(r.out.first_verdict);
	assert_int_equal(r.out.new_state, HEALTH_UP);

	/* proven up by the very first check */
	rig_init(&r, &p);
	probe(&r, OK, MS(1));
	assert_true(r.out.state_changed);
	assert_true(r.out.first_verdict);

	/* alpha with rise 3: three passed checks before the server is in */
	p.rise = 3;
	rig_init(&r, &p);
	probe(&r, OK, MS(1));
	probe(&r, OK, MS(1));
	assert_int_equal(r.c.state, HEALTH_DOWN);
	probe(&r, OK, MS(1));
	assert_int_equal(r.c.state, HEALTH_UP);
}

static void test_omega_start(void **state)
{
	/* without alpha the server is in from the start and leaves only after
	 * its first check fails (retries included) */
	struct health_params p = params(S(10), 1, S(2), 1, 1);
	struct rig r;

	rig_init(&r, &p);
	assert_int_equal(r.c.state, HEALTH_UP);
	probe(&r, REFUSED, MS(1));
	assert_int_equal(r.c.state, HEALTH_UP);
	probe(&r, REFUSED, MS(1));
	assert_true(r.out.state_changed);
	assert_true(r.out.first_verdict);
	assert_int_equal(r.out.new_state, HEALTH_DOWN);
}

static void test_warmup(void **state)
{
	struct health_params p = params(S(10), 0, S(1), 1, 1);
	struct health_checker c;
	struct health_rng rng;
	struct health_output out;
	struct health_event ev = { .type = HEALTH_EV_START };
	uint64_t lo = UINT64_MAX, hi = 0;

	p.warmup_usec = S(30);
	health_rng_seed(&rng, 7);
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(health_checker_init(&c, &p), 0);
		assert_int_equal(health_checker_step(&c, &ev, T0, &rng, &out), 0);
		assert_true(out.deadline_usec >= T0 && out.deadline_usec < T0 + S(30));
		lo = out.deadline_usec < lo ? out.deadline_usec : lo;
		hi = out.deadline_usec > hi ? out.deadline_usec : hi;
	}
	assert_true(lo < T0 + S(1));   /* the whole window is used */
	assert_true(hi > T0 + S(29));

	/* warmup 0: spread over the first jitter window (10% of delay_loop) */
	p.warmup_usec = 0;
	p.jitter_pct = 10;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(health_checker_init(&c, &p), 0);
		assert_int_equal(health_checker_step(&c, &ev, T0, &rng, &out), 0);
		assert_true(out.deadline_usec >= T0 && out.deadline_usec < T0 + S(1));
	}
	/* no jitter, no warmup: exactly now */
	p.jitter_pct = 0;
	assert_int_equal(health_checker_init(&c, &p), 0);
	assert_int_equal(health_checker_step(&c, &ev, T0, &rng, &out), 0);
	assert_int_equal(out.deadline_usec, T0);
}

/* ---- jitter ---------------------------------------------------------------------------- */

static void test_jitter_bounds(void **state)
{
	struct health_rng rng;
	uint64_t lo = UINT64_MAX, hi = 0, sum = 0;
	const int n = 20000;

	health_rng_seed(&rng, 1);
	for (int i = 0; i < n; i++) {
		uint64_t v = health_jittered(S(60), 10, &rng);
		assert_true(v >= S(54) && v <= S(66));
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	assert_true(lo < S(54) + MS(100));
	assert_true(hi > S(66) - MS(100));
	/* centred: the mean is within 0.1 s of 60 s */
	assert_true(sum / n > S(60) - MS(100) && sum / n < S(60) + MS(100));
	assert_int_equal(health_jittered(S(60), 0, &rng), S(60));
	assert_int_equal(health_jittered(5, 10, &rng), 5); /* too small to jitter */

	/* the same seed gives the same sequence */
	struct health_rng a, b;
	health_rng_seed(&a, 99);
	health_rng_seed(&b, 99);
	for (int i = 0; i < 100; i++)
		assert_int_equal(health_rng_next(&a), health_rng_next(&b));
	assert_int_equal(health_rng_below(&a, 0), 0);
}

/* 10,000 servers started together: first probes flat over the warmup
 * window (default: delay_loop), and still flat after many jittered rounds. */
static void test_spread_10000(void **state)
{
	enum { N = 10000, BINS = 20 };
	struct health_params p = params(S(5), 0, S(1), 1, 1);
	struct health_checker *c = calloc(N, sizeof(*c));
	struct health_rng rng;
	struct health_output out;
	unsigned hist[BINS] = { 0 };

	assert_non_null(c);
	p.warmup_usec = S(5);
	p.jitter_pct = 10;
	health_rng_seed(&rng, 2024);
	for (int i = 0; i < N; i++) {
		struct health_event ev = { .type = HEALTH_EV_START };
		assert_int_equal(health_checker_init(&c[i], &p), 0);
		assert_int_equal(health_checker_step(&c[i], &ev, T0, &rng, &out), 0);
		hist[(out.deadline_usec - T0) * BINS / S(5)]++;
	}
	/* expected N / BINS = 500 per bin; binomial sd ~22: allow +-20% (4.5 sd) */
	for (int b = 0; b < BINS; b++)
		if (hist[b] < 400 || hist[b] > 600)
			fail_msg("first probes: bin %d has %u (expected 400..600)", b, hist[b]);

	/* run every server for 20 rounds of ok probes (10 ms each), then look
	 * at the phase of the next deadline within the 5 s interval */
	for (int i = 0; i < N; i++) {
		for (int k = 0; k < 20; k++) {
			struct health_event t = { .type = HEALTH_EV_TIMER };
			struct health_event e = { .type = HEALTH_EV_RESULT, .result = OK };
			uint64_t now = c[i].deadline_usec;
			assert_int_equal(health_checker_step(&c[i], &t, now, &rng, &out), 0);
			assert_int_equal(health_checker_step(&c[i], &e, now + MS(10), &rng, &out), 0);
		}
	}
	memset(hist, 0, sizeof(hist));
	for (int i = 0; i < N; i++)
		hist[(c[i].deadline_usec - T0) % S(5) * BINS / S(5)]++;
	for (int b = 0; b < BINS; b++)
		if (hist[b] < 400 || hist[b] > 600)
			fail_msg("after 20 rounds: bin %d has %u (expected 400..600)", b, hist[b]);
	free(c);
}

/* ---- several checkers per real server -------------------------------------------------- */

static void test_several_checkers(void **state)
{
	struct health_params p = params(S(10), 0, S(1), 1, 1);
	struct rig a, b;
	struct health_rs rs;

	rig_init(&a, &p);
	p.alpha = true;
	rig_init(&b, &p);
	const struct health_checker *cks[] = { &a.c, &b.c };
	health_rs_init(&rs, 5, cks, 2);
	assert_int_equal(rs.n_down, 1);
	assert_false(rs.up);               /* an alpha checker keeps it out */
	assert_int_equal(health_rs_weight(&rs), 5);

	probe(&b, OK, MS(1));
	assert_true(b.out.state_changed);
	assert_true(health_rs_checker_changed(&rs, b.out.new_state, b.now));
	assert_true(rs.up);
	assert_int_equal(rs.last_change_usec, b.now);

	probe(&a, REFUSED, MS(1));
	assert_true(health_rs_checker_changed(&rs, a.out.new_state, a.now));
	assert_false(rs.up);
	probe(&b, REFUSED, MS(1));
	assert_false(health_rs_checker_changed(&rs, b.out.new_state, b.now)); /* still down */
	assert_int_equal(rs.n_down, 2);
	probe(&a, OK, MS(1));
	assert_false(health_rs_checker_changed(&rs, a.out.new_state, a.now)); /* b is down */
	probe(&b, OK, MS(1));
	assert_true(health_rs_checker_changed(&rs, b.out.new_state, b.now));
	assert_true(rs.up);

	/* a stray report does not wrap the count */
	assert_false(health_rs_checker_changed(&rs, HEALTH_UP, b.now));
	assert_int_equal(rs.n_down, 0);
	/* recount agrees */
	assert_false(health_rs_recount(&rs, cks, 2, b.now));
	assert_true(rs.up);

	/* no checker at all: always up */
	health_rs_init(&rs, 1, NULL, 0);
	assert_true(rs.up);
}

/* ---- misc_dynamic ---------------------------------------------------------------------- */

static void test_misc_exit(void **state)
{
	struct health_result r;

	r = health_misc_exit(0, false);
	assert_int_equal(r.reason, HEALTH_OK);
	assert_int_equal(r.weight, HEALTH_WEIGHT_CONFIGURED);
	r = health_misc_exit(1, false);
	assert_int_equal(r.reason, HEALTH_SCRIPT_EXIT);
	assert_int_equal(r.code, 1);
	r = health_misc_exit(7, false); /* no misc_dynamic: any non-zero fails */
	assert_int_equal(r.reason, HEALTH_SCRIPT_EXIT);
	assert_int_equal(r.code, 7);

	r = health_misc_exit(0, true); /* the configured weight */
	assert_int_equal(r.reason, HEALTH_OK);
	assert_int_equal(r.weight, HEALTH_WEIGHT_CONFIGURED);
	r = health_misc_exit(1, true); /* 1 is still down */
	assert_int_equal(r.reason, HEALTH_SCRIPT_EXIT);
	r = health_misc_exit(2, true); /* up with weight 0 */
	assert_int_equal(r.reason, HEALTH_OK);
	assert_int_equal(r.weight, 0);
	r = health_misc_exit(12, true);
	assert_int_equal(r.weight, 10);
	r = health_misc_exit(255, true);
	assert_int_equal(r.reason, HEALTH_OK);
	assert_int_equal(r.weight, 253);
	r = health_misc_exit(256, true);
	assert_int_equal(r.reason, HEALTH_LOCAL_ERROR);
	r = health_misc_exit(-1, true);
	assert_int_equal(r.reason, HEALTH_LOCAL_ERROR);
}

static void test_misc_dynamic_weights(void **state)
{
	struct health_params p = params(S(10), 0, S(1), 1, 1);
	struct rig r;
	struct health_rs rs;
	const struct health_checker *cks[1];

	p.alpha = true;
	rig_init(&r, &p);
	cks[0] = &r.c;
	health_rs_init(&rs, 5, cks, 1);

	probe(&r, health_misc_exit(12, true), MS(1));
	assert_true(r.out.state_changed);
	assert_true(r.out.weight_changed);
	assert_int_equal(r.out.weight, 10);
	assert_true(health_rs_set_dynamic_weight(&rs, r.out.weight));
	assert_int_equal(health_rs_weight(&rs), 10);

	probe(&r, health_misc_exit(12, true), MS(1));
	assert_false(r.out.weight_changed); /* same exit code: nothing to do */

	probe(&r, health_misc_exit(2, true), MS(1));
	assert_true(r.out.weight_changed);
	assert_int_equal(r.out.weight, 0);
	assert_int_equal(r.c.state, HEALTH_UP); /* up, with weight 0 */
	health_rs_set_dynamic_weight(&rs, r.out.weight);
	assert_int_equal(health_rs_weight(&rs), 0);

	probe(&r, health_misc_exit(1, true), MS(1));
	assert_true(r.out.state_changed);
	assert_false(r.out.weight_changed); /* a failure leaves the weight alone */
	char buf[64];
	assert_string_equal(health_result_format(&r.c.last, buf, sizeof(buf)), "script exit code 1");
	assert_string_equal(r.out.reason, "script exit code 1");

	probe(&r, health_misc_exit(0, true), MS(1)); /* back to the configured weight */
	assert_true(r.out.weight_changed);
	assert_int_equal(r.out.weight, HEALTH_WEIGHT_CONFIGURED);
	assert_true(health_rs_set_dynamic_weight(&rs, r.out.weight));
	assert_int_equal(health_rs_weight(&rs), 5);
	assert_false(health_rs_set_dynamic_weight(&rs, HEALTH_WEIGHT_CONFIGURED));
}

/* Field by field: struct copies need not copy padding. */
static void assert_same_checker(const struct health_checker *a, const struct health_checker *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->phase, b->phase);
	assert_int_equal(a->has_run, b->has_run);
	assert_int_equal(a->retry_it, b->retry_it);
	assert_int_equal(a->rise_count, b->rise_count);
	assert_int_equal(a->fall_count, b->fall_count);
	assert_int_equal(a->deadline_usec, b->deadline_usec);
	assert_int_equal(a->probe_start_usec, b->probe_start_usec);
	assert_int_equal(a->last_change_usec, b->last_change_usec);
	assert_int_equal(a->weight, b->weight);
	assert_int_equal(a->last.reason, b->last.reason);
	assert_int_equal(a->last.code, b->last.code);
	assert_int_equal(a->n.probes, b->n.probes);
	assert_int_equal(a->n.retries, b->n.retries);
	assert_int_equal(a->n.ups, b->n.ups);
	assert_int_equal(a->n.downs, b->n.downs);
}

/* ---- events out of place, names, formatting -------------------------------------------- */

static void test_bad_events(void **state)
{
	struct health_params p = params(S(10), 0, S(1), 1, 1);
	struct health_checker c, before;
	struct health_rng rng;
	struct health_output out;
	struct health_event start = { .type = HEALTH_EV_START }, timer = { .type = HEALTH_EV_TIMER },
			    res = { .type = HEALTH_EV_RESULT, .result = OK };

	health_rng_seed(&rng, 1);
	p.rise = 0;
	assert_int_equal(health_checker_init(&c, &p), -EINVAL);
	p.rise = 1;
	p.delay_loop_usec = 0;
	assert_int_equal(health_checker_init(&c, &p), -EINVAL);
	p.delay_loop_usec = S(10);
	p.jitter_pct = 51;
	assert_int_equal(health_checker_init(&c, &p), -EINVAL);
	p.jitter_pct = 0;
	assert_int_equal(health_checker_init(&c, &p), 0);

	assert_int_equal(health_checker_step(&c, &timer, T0, &rng, &out), -ENOMSG);
	assert_int_equal(health_checker_step(&c, &res, T0, &rng, &out), -ENOMSG);
	assert_int_equal(health_checker_step(&c, &start, 0, &rng, &out), -EINVAL);
	assert_int_equal(health_checker_step(&c, &start, T0 + S(1), &rng, &out), 0);
	assert_int_equal(health_checker_step(&c, &start, T0, &rng, &out), -EALREADY);
	assert_int_equal(health_checker_step(&c, &res, T0, &rng, &out), -ENOMSG);

	/* an early timer is a no-op that gives the deadline again */
	before = c;
	assert_int_equal(health_checker_step(&c, &timer, T0, &rng, &out), 0);
	assert_false(out.start_probe);
	assert_int_equal(out.deadline_usec, T0 + S(1));
	assert_same_checker(&c, &before);

	assert_int_equal(health_checker_step(&c, &timer, T0 + S(1), &rng, &out), 0);
	assert_true(out.start_probe);
	before = c;
	assert_int_equal(health_checker_step(&c, &timer, T0 + S(2), &rng, &out), -EBUSY);
	struct health_event bad = { .type = HEALTH_EV_RESULT,
				    .result = { (enum health_reason)99, 0, HEALTH_WEIGHT_CONFIGURED } };
	assert_int_equal(health_checker_step(&c, &bad, T0 + S(2), &rng, &out), -EINVAL);
	bad.result = (struct health_result){ HEALTH_OK, 0, -5 };
	assert_int_equal(health_checker_step(&c, &bad, T0 + S(2), &rng, &out), -EINVAL);
	bad.type = (enum health_event_type)7;
	assert_int_equal(health_checker_step(&c, &bad, T0 + S(2), &rng, &out), -EINVAL);
	assert_same_checker(&c, &before);
}

/* socket()/fork() failing on our side says nothing about the server */
static void test_local_error(void **state)
{
	struct health_params p = params(S(10), 2, S(1), 1, 1);
	struct rig r;

	rig_init(&r, &p);
	uint64_t s = probe(&r, HEALTH_RESULT(HEALTH_LOCAL_ERROR, EMFILE), MS(1));
	assert_false(r.out.state_changed);
	assert_int_equal(r.c.retry_it, 0);
	assert_false(r.c.has_run);
	assert_int_equal(r.out.deadline_usec, s + S(10));
	assert_int_equal(r.c.n.not_counted, 1);
	assert_int_equal(r.c.n.failed, 0);
}

static void test_names(void **state)
{
	char buf[96];

	for (int i = 0; i < _HEALTH_REASON_MAX; i++)
		assert_non_null(health_reason_to_string((enum health_reason)i));
	assert_null(health_reason_to_string(_HEALTH_REASON_MAX));
	assert_null(health_reason_to_string(_HEALTH_REASON_INVALID));
	for (int i = 0; i < _HEALTH_STATE_MAX; i++)
		assert_non_null(health_state_to_string((enum health_state)i));
	for (int i = 0; i < _HEALTH_PHASE_MAX; i++)
		assert_non_null(health_phase_to_string((enum health_phase)i));
	for (int i = 0; i < _HEALTH_EV_MAX; i++)
		assert_non_null(health_event_to_string((enum health_event_type)i));
	assert_null(health_state_to_string(_HEALTH_STATE_MAX));

	struct health_result r = HEALTH_RESULT(HEALTH_STATUS_CODE, 503);
	assert_string_equal(health_result_format(&r, buf, sizeof(buf)), "status code 503");
	r = HEALTH_RESULT(HEALTH_DIGEST_MISMATCH, 0);
	assert_string_equal(health_result_format(&r, buf, sizeof(buf)), "digest mismatch");
	r = HEALTH_RESULT(HEALTH_SCRIPT_SIGNAL, 9);
	assert_string_equal(health_result_format(&r, buf, sizeof(buf)), "script killed by signal 9");
	r = HEALTH_RESULT(HEALTH_UNREACHABLE, EHOSTUNREACH);
	assert_string_equal(health_result_format(&r, buf, sizeof(buf)),
			    "unreachable: No route to host");
	r = health_misc_exit(12, true);
	assert_string_equal(health_result_format(&r, buf, sizeof(buf)),
			    "ok (exit code 12: weight 10)");
}

/* ---- randomized invariants ------------------------------------------------------------- */

static void check_invariants(const struct health_checker *c, uint64_t now)
{
	assert_true(c->state == HEALTH_UP || c->state == HEALTH_DOWN);
	assert_true(c->rise_count < c->p.rise);
	assert_true(c->fall_count < c->p.fall);
	assert_true(c->retry_it <= c->p.retry);
	assert_true(c->state == HEALTH_DOWN || c->rise_count == 0);
	assert_true(c->state == HEALTH_UP || c->fall_count == 0);
	if (c->phase == HEALTH_PHASE_WAITING)
		assert_true(c->deadline_usec > 0);
	else
		assert_int_equal(c->deadline_usec, 0);
	assert_true(c->phase != HEALTH_PHASE_IDLE);
	assert_true(c->n.ok + c->n.failed + c->n.not_counted == c->n.probes);
	/* ups and downs alternate, starting from the initial state */
	if (c->p.alpha)
		assert_true(c->n.ups == c->n.downs + (c->state == HEALTH_UP));
	else
		assert_true(c->n.downs == c->n.ups + (c->state == HEALTH_DOWN));
	assert_true(c->last_change_usec <= now);
}

static void test_random_invariants(void **state)
{
	enum { NC = 8, EVENTS = 100000 };
	struct health_checker c[NC];
	struct health_rs rs;
	struct health_rng rng, dice;
	struct health_output out;
	const struct health_checker *cks[NC];
	uint64_t now = T0;
	uint64_t changes = 0;

	health_rng_seed(&rng, 3);
	health_rng_seed(&dice, 4);
	for (int i = 0; i < NC; i++) {
		struct health_params p = {
			.delay_loop_usec = MS(100) + health_rng_below(&dice, S(10)),
			.delay_before_retry_usec = health_rng_below(&dice, S(3)),
			.warmup_usec = health_rng_below(&dice, S(5)),
			.retry = (uint32_t)health_rng_below(&dice, 4),
			.rise = 1 + (uint32_t)health_rng_below(&dice, 4),
			.fall = 1 + (uint32_t)health_rng_below(&dice, 4),
			.jitter_pct = (uint32_t)health_rng_below(&dice, 51),
			.alpha = health_rng_below(&dice, 2),
		};
		struct health_event ev = { .type = HEALTH_EV_START };
		assert_int_equal(health_checker_init(&c[i], &p), 0);
		assert_int_equal(health_checker_step(&c[i], &ev, now, &rng, &out), 0);
		cks[i] = &c[i];
	}
	health_rs_init(&rs, 10, cks, NC);

	for (int k = 0; k < EVENTS; k++) {
		int i = (int)health_rng_below(&dice, NC);
		struct health_event ev = { .type = (enum health_event_type)health_rng_below(&dice, 3) };
		struct health_checker before = c[i];
		uint64_t roll = health_rng_below(&dice, 100);

		now += health_rng_below(&dice, MS(500));
		/* mostly well-formed traffic, some out of place */
		if (roll < 80)
			ev.type = c[i].phase == HEALTH_PHASE_PROBING ? HEALTH_EV_RESULT : HEALTH_EV_TIMER;
		if (ev.type == HEALTH_EV_TIMER && roll < 70 && c[i].deadline_usec > now)
			now = c[i].deadline_usec;
		ev.result = HEALTH_RESULT((enum health_reason)health_rng_below(&dice, _HEALTH_REASON_MAX), 0);
		if (health_rng_below(&dice, 2))
			ev.result = health_rng_below(&dice, 3) ? OK : REFUSED;
		if (health_rng_below(&dice, 10) == 0)
			ev.result = health_misc_exit((int)health_rng_below(&dice, 256), true);

		int r = health_checker_step(&c[i], &ev, now, &rng, &out);
		if (r < 0) {
			assert_same_checker(&c[i], &before);
			assert_false(out.start_probe || out.state_changed || out.weight_changed);
		} else {
			assert_true(out.start_probe == (before.phase == HEALTH_PHASE_WAITING &&
							c[i].phase == HEALTH_PHASE_PROBING));
			assert_true(out.state_changed == (before.state != c[i].state));
			assert_true(!out.state_changed || out.reason[0]);
			if (c[i].phase == HEALTH_PHASE_WAITING)
				assert_true(out.deadline_usec >= now);
			/* a change needs a result of the matching kind */
			if (out.state_changed && c[i].state == HEALTH_UP)
				assert_int_equal(ev.result.reason, HEALTH_OK);
			if (out.state_changed && c[i].state == HEALTH_DOWN)
				assert_true(ev.result.reason != HEALTH_OK &&
					    ev.result.reason != HEALTH_LOCAL_ERROR);
		}
		assert_int_equal(out.new_state, c[i].state);
		check_invariants(&c[i], now);
		if (out.state_changed) {
			changes++;
			health_rs_checker_changed(&rs, out.new_state, now);
		}
		/* the running tally always matches a recount */
		uint32_t down = 0;
		for (int j = 0; j < NC; j++)
			down += c[j].state == HEALTH_DOWN;
		assert_int_equal(rs.n_down, down);
		assert_true(rs.up == (down == 0));
	}
	assert_true(changes > 100); /* the run did exercise transitions */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_no_retry),
		cmocka_unit_test(test_retry_timing),
		cmocka_unit_test(test_slow_probe),
		cmocka_unit_test(test_fall_sequence),
		cmocka_unit_test(test_flapping),
		cmocka_unit_test(test_fast_interval_bounds),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_alpha_start),
		cmocka_unit_test(test_omega_start),
		cmocka_unit_test(test_warmup),
		cmocka_unit_test(test_jitter_bounds),
		cmocka_unit_test(test_spread_10000),
		cmocka_unit_test(test_several_checkers),
		cmocka_unit_test(test_misc_exit),
		cmocka_unit_test(test_misc_dynamic_weights),
		cmocka_unit_test(test_bad_events),
		cmocka_unit_test(test_local_error),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_random_invariants),
	};
	return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
