/* health: see health.h for the rules and where they come from. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "checker/health.h"
#include "daemon/config_types.h"

/* ---- names ------------------------------------------------------------------------------ */

static const char *const reason_names[_HEALTH_REASON_MAX] = {
	[HEALTH_OK] = "ok",
	[HEALTH_REFUSED] = "connection refused",
	[HEALTH_TIMEOUT] = "timeout",
	[HEALTH_UNREACHABLE] = "unreachable",
	[HEALTH_RESET] = "connection reset",
	[HEALTH_CONNECT_ERROR] = "connect error",
	[HEALTH_TLS_ERROR] = "tls error",
	[HEALTH_BAD_RESPONSE] = "bad response",
	[HEALTH_STATUS_CODE] = "status code",
	[HEALTH_DIGEST_MISMATCH] = "digest mismatch",
	[HEALTH_REGEX] = "regex",
	[HEALTH_SCRIPT_EXIT] = "script exit code",
	[HEALTH_SCRIPT_SIGNAL] = "script killed by signal",
	[HEALTH_SCRIPT_TIMEOUT] = "script timeout",
	[HEALTH_LOCAL_ERROR] = "local error",
};

static const char *const state_names[_HEALTH_STATE_MAX] = {
	[HEALTH_DOWN] = "down",
	[HEALTH_UP] = "up",
};

static const char *const phase_names[_HEALTH_PHASE_MAX] = {
	[HEALTH_PHASE_IDLE] = "idle",
	[HEALTH_PHASE_WAITING] = "waiting",
	[HEALTH_PHASE_PROBING] = "probing",
};

static const char *const event_names[_HEALTH_EV_MAX] = {
	[HEALTH_EV_START] = "start",
	[HEALTH_EV_TIMER] = "timer",
	[HEALTH_EV_RESULT] = "result",
};

const char *health_reason_to_string(enum health_reason r)
{
	return r >= 0 && r < _HEALTH_REASON_MAX ? reason_names[r] : NULL;
}

const char *health_state_to_string(enum health_state s)
{
	return s >= 0 && s < _HEALTH_STATE_MAX ? state_names[s] : NULL;
}

const char *health_phase_to_string(enum health_phase p)
{
	return p >= 0 && p < _HEALTH_PHASE_MAX ? phase_names[p] : NULL;
}

const char *health_event_to_string(enum health_event_type t)
{
	return t >= 0 && t < _HEALTH_EV_MAX ? event_names[t] : NULL;
}

/* ---- results ---------------------------------------------------------------------------- */

struct health_result health_misc_exit(int exit_status, bool dynamic)
{
	struct health_result r = HEALTH_RESULT(HEALTH_OK, 0);

	if (exit_status < 0 || exit_status > 255)
		return HEALTH_RESULT(HEALTH_LOCAL_ERROR, 0);
	if (exit_status == 0)
		return r;
	/* keepalived check_misc.c: "The actual weight set when using
	 * misc_dynamic is two less than the exit status returned.  Effective
	 * range is 0..253." */
	if (dynamic && exit_status >= 2) {
		r.code = exit_status;
		r.weight = exit_status - 2;
		return r;
	}
	return HEALTH_RESULT(HEALTH_SCRIPT_EXIT, exit_status);
}

const char *health_result_format(const struct health_result *r, char *buf, size_t size)
{
	const char *name = health_reason_to_string(r->reason);

	if (!name)
		snprintf(buf, size, "reason %d", (int)r->reason);
	else if (r->reason == HEALTH_OK && r->weight != HEALTH_WEIGHT_CONFIGURED)
		snprintf(buf, size, "ok (exit code %d: weight %d)", r->code, (int)r->weight);
	else if (r->reason == HEALTH_STATUS_CODE || r->reason == HEALTH_SCRIPT_EXIT ||
		 r->reason == HEALTH_SCRIPT_SIGNAL)
		snprintf(buf, size, "%s %d", name, r->code);
	else if (r->code && (r->reason == HEALTH_UNREACHABLE || r->reason == HEALTH_CONNECT_ERROR ||
			     r->reason == HEALTH_LOCAL_ERROR))
		snprintf(buf, size, "%s: %s", name, strerror(r->code));
	else
		snprintf(buf, size, "%s", name);
	return buf;
}

/* ---- random ----------------------------------------------------------------------------- */

void health_rng_seed(struct health_rng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t health_rng_next(struct health_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

uint64_t health_rng_below(struct health_rng *rng, uint64_t n)
{
	/* modulo bias is below n / 2^64: nothing at microsecond scale */
	return n ? health_rng_next(rng) % n : 0;
}

/* ---- intervals -------------------------------------------------------------------------- */

uint64_t health_fast_interval(const struct health_params *p)
{
	uint64_t floor_us = p->delay_before_retry_usec < p->delay_loop_usec ?
				    p->delay_before_retry_usec : p->delay_loop_usec;
	uint64_t quarter = p->delay_loop_usec / 4;

	return quarter > floor_us ? quarter : floor_us;
}

uint64_t health_jittered(uint64_t interval_usec, uint32_t jitter_pct, struct health_rng *rng)
{
	uint64_t j = interval_usec / 100 * jitter_pct + interval_usec % 100 * jitter_pct / 100;

	if (j == 0)
		return interval_usec;
	return interval_usec - j + health_rng_below(rng, 2 * j + 1);
}

/* The first probe: spread over warmup, or over the first jitter window of
 * delay_loop when warmup is 0, so even then a restart does not fire every
 * probe in the same millisecond. */
static uint64_t first_delay(const struct health_params *p, struct health_rng *rng)
{
	uint64_t window = p->warmup_usec;

	if (!window)
		window = p->delay_loop_usec / 100 * p->jitter_pct;
	return health_rng_below(rng, window);
}

/* ---- the state machine ----------------------------------------------------------------- */

int health_checker_init(struct health_checker *c, const struct health_params *p)
{
	if (!p->delay_loop_usec || !p->rise || !p->fall || p->jitter_pct > 50)
		return -EINVAL;
	*c = (struct health_checker){
		.p = *p,
		.state = p->alpha ? HEALTH_DOWN : HEALTH_UP,
		.phase = HEALTH_PHASE_IDLE,
		.weight = HEALTH_WEIGHT_CONFIGURED,
		.last = HEALTH_RESULT(HEALTH_OK, 0),
	};
	return 0;
}

int health_checker_seed(struct health_checker *c, enum health_state state)
{
	if (state != HEALTH_DOWN && state != HEALTH_UP)
		return -EINVAL;
	if (c->phase != HEALTH_PHASE_IDLE || c->n.probes)
		return -EBUSY;
	c->state = state;
	return 0;
}

void health_params_from_config(struct health_params *p, const struct config_checker *ck)
{
	*p = (struct health_params){
		.delay_loop_usec = ck->delay_loop_us,
		.delay_before_retry_usec = ck->delay_before_retry_us,
		.warmup_usec = ck->warmup_us,
		.retry = ck->retry,
		.rise = ck->rise ? ck->rise : 1,
		.fall = ck->fall ? ck->fall : 1,
		.jitter_pct = HEALTH_JITTER_PCT,
		.alpha = ck->alpha,
	};
}

/* The next regular check, anchored at the start of the last probe. */
static uint64_t next_check(const struct health_checker *c, uint64_t interval, uint64_t now,
			   struct health_rng *rng)
{
	uint64_t at = c->probe_start_usec + health_jittered(interval, c->p.jitter_pct, rng);

	return at > now ? at : now;
}

static void change_state(struct health_checker *c, enum health_state to, uint64_t now,
			 struct health_output *out)
{
	char res[96];
	uint32_t streak = to == HEALTH_UP ? c->p.rise : c->p.fall;

	c->state = to;
	c->last_change_usec = now;
	c->rise_count = c->fall_count = 0;
	if (to == HEALTH_UP)
		c->n.ups++;
	else
		c->n.downs++;
	out->state_changed = true;
	health_result_format(&c->last, res, sizeof(res));
	if (streak > 1 && to == HEALTH_DOWN && c->p.retry)
		snprintf(out->reason, sizeof(out->reason),
			 "%s; %u failed checks in a row, each after %u retries", res, streak,
			 c->p.retry);
	else if (streak > 1)
		snprintf(out->reason, sizeof(out->reason), "%s; %u %s checks in a row", res, streak,
			 to == HEALTH_UP ? "passed" : "failed");
	else if (to == HEALTH_DOWN && c->p.retry)
		snprintf(out->reason, sizeof(out->reason), "%s after %u retries", res, c->p.retry);
	else
		snprintf(out->reason, sizeof(out->reason), "%s", res);
}

/* A check completed (retries included) and passed or failed. */
static uint64_t check_done(struct health_checker *c, bool passed, uint64_t now,
			   struct health_rng *rng, struct health_output *out)
{
	bool pending;

	out->first_verdict = !c->has_run;
	c->has_run = true;
	c->retry_it = 0;
	if (passed) {
		c->fall_count = 0;
		if (c->state == HEALTH_DOWN && ++c->rise_count >= c->p.rise)
			change_state(c, HEALTH_UP, now, out);
	} else {
		c->rise_count = 0;
		if (c->state == HEALTH_UP && ++c->fall_count >= c->p.fall)
			change_state(c, HEALTH_DOWN, now, out);
	}
	pending = c->rise_count > 0 || c->fall_count > 0;
	return next_check(c, pending ? health_fast_interval(&c->p) : c->p.delay_loop_usec, now,
			  rng);
}

static uint64_t on_result(struct health_checker *c, const struct health_result *r, uint64_t now,
			  struct health_rng *rng, struct health_output *out)
{
	c->last = *r;
	c->n.probes++;
	if (r->reason == HEALTH_LOCAL_ERROR) {
		c->n.not_counted++;
		return next_check(c, c->p.delay_loop_usec, now, rng);
	}
	if (r->reason == HEALTH_OK) {
		c->n.ok++;
		if (r->weight != c->weight) {
			c->weight = r->weight;
			out->weight_changed = true;
		}
		return check_done(c, true, now, rng, out);
	}
	c->n.failed++;
	if ((c->state == HEALTH_UP || !c->has_run) && c->retry_it < c->p.retry) {
		c->retry_it++;
		c->rise_count = 0;
		return now + c->p.delay_before_retry_usec;
	}
	return check_done(c, false, now, rng, out);
}

static int check_event(const struct health_checker *c, const struct health_event *ev,
		       uint64_t now)
{
	if (!now || ev->type < 0 || ev->type >= _HEALTH_EV_MAX)
		return -EINVAL;
	if (ev->type == HEALTH_EV_START)
		return c->phase == HEALTH_PHASE_IDLE ? 0 : -EALREADY;
	if (c->phase == HEALTH_PHASE_IDLE)
		return -ENOMSG;
	if (ev->type == HEALTH_EV_TIMER)
		return c->phase == HEALTH_PHASE_PROBING ? -EBUSY : 0;
	if (ev->result.reason < 0 || ev->result.reason >= _HEALTH_REASON_MAX ||
	    ev->result.weight < HEALTH_WEIGHT_CONFIGURED)
		return -EINVAL;
	return c->phase == HEALTH_PHASE_PROBING ? 0 : -ENOMSG;
}

int health_checker_step(struct health_checker *c, const struct health_event *ev, uint64_t now,
			struct health_rng *rng, struct health_output *out)
{
	int r = check_event(c, ev, now);

	*out = (struct health_output){ .deadline_usec = c->deadline_usec };
	if (r < 0)
		goto done;
	switch (ev->type) {
	case HEALTH_EV_START:
		c->phase = HEALTH_PHASE_WAITING;
		c->deadline_usec = now + first_delay(&c->p, rng);
		break;
	case HEALTH_EV_TIMER:
		if (now < c->deadline_usec)
			break; /* early: keep waiting */
		c->phase = HEALTH_PHASE_PROBING;
		c->probe_start_usec = now;
		c->deadline_usec = 0;
		if (c->retry_it)
			c->n.retries++;
		out->start_probe = true;
		break;
	case HEALTH_EV_RESULT:
		c->deadline_usec = on_result(c, &ev->result, now, rng, out);
		c->phase = HEALTH_PHASE_WAITING;
		break;
	default:
		break;
	}
	out->deadline_usec = c->deadline_usec;
done:
	out->new_state = c->state;
	out->weight = c->weight;
	return r;
}

/* ---- real servers ----------------------------------------------------------------------- */

static uint32_t count_down(const struct health_checker *const *checkers, size_t n)
{
	uint32_t down = 0;

	for (size_t i = 0; i < n; i++)
		down += checkers[i]->state == HEALTH_DOWN;
	return down;
}

void health_rs_init(struct health_rs *rs, uint32_t config_weight,
		    const struct health_checker *const *checkers, size_t n)
{
	*rs = (struct health_rs){
		.n_checkers = (uint32_t)n,
		.n_down = count_down(checkers, n),
		.dynamic_weight = HEALTH_WEIGHT_CONFIGURED,
		.config_weight = config_weight,
	};
	rs->up = rs->n_down == 0;
}

static bool rs_settle(struct health_rs *rs, uint64_t now)
{
	bool up = rs->n_down == 0;

	if (up == rs->up)
		return false;
	rs->up = up;
	rs->last_change_usec = now;
	return true;
}

bool health_rs_recount(struct health_rs *rs, const struct health_checker *const *checkers,
		       size_t n, uint64_t now)
{
	rs->n_checkers = (uint32_t)n;
	rs->n_down = count_down(checkers, n);
	return rs_settle(rs, now);
}

bool health_rs_checker_changed(struct health_rs *rs, enum health_state new_state, uint64_t now)
{
	/* clamped both ways, like keepalived's set_checker_state(): a stray
	 * report must not wrap the count */
	if (new_state == HEALTH_DOWN && rs->n_down < rs->n_checkers)
		rs->n_down++;
	else if (new_state == HEALTH_UP && rs->n_down > 0)
		rs->n_down--;
	return rs_settle(rs, now);
}

bool health_rs_set_dynamic_weight(struct health_rs *rs, int32_t weight)
{
	uint32_t before = health_rs_weight(rs);

	rs->dynamic_weight = weight < 0 ? HEALTH_WEIGHT_CONFIGURED : weight;
	return health_rs_weight(rs) != before;
}

uint32_t health_rs_weight(const struct health_rs *rs)
{
	return rs->dynamic_weight >= 0 ? (uint32_t)rs->dynamic_weight : rs->config_weight;
}
