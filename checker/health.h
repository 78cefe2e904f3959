/* health: the pure health logic of the checker: one state machine per
 * checker (when to probe, what a probe result means), a tally per real
 * server (up only when all its checkers are), result reasons with names.
 *
 * Pure: no I/O, no clock, no logging, no allocation.  Every entry point takes
 * `now` (monotonic microseconds, always > 0: a deadline of 0 means "not
 * armed") and a caller-owned random source, so tests drive it with a fake
 * clock and a fixed seed (tests/unit/test-health.c).  The caller (the checker
 * child) starts probes when told to, feeds their results back, arms one timer
 * per checker at the deadline it is given, and logs state changes with the
 * reason text it is given.
 *
 * keepalived 2.2.7's semantics (check/check_tcp.c tcp_epilog, check_misc.c,
 * check_api.c, ipwrapper.c update_svr_checker_state), which the defaults
 * (rise 1, fall 1) reproduce:
 *  - A check is one probe plus up to `retry` retries: a failed probe of a
 *    checker that is up (or has never given a verdict) is retried
 *    `delay_before_retry` after the failure; the check fails only when the
 *    last retry fails.  A good probe ends the check at once.  A checker that
 *    is already down is not retried (keepalived's MISC_CHECK; its TCP/HTTP
 *    checkers do retry then, which only changes the probe rate).
 *  - The first probe comes after a random delay in [0, warmup) (keepalived:
 *    [0, warmup] after a 1 s bootstrap; lbha's caller arms the timers only
 *    after its first reconcile, so no bootstrap delay is needed).
 *  - alpha: a checker starts down and its server is out until proven up;
 *    without alpha it starts up.
 *  - A real server is up when none of its checkers is down; one with no
 *    checker is always up.
 *  - MISC_CHECK with misc_dynamic: exit 0 is up with the configured weight,
 *    exit 2..255 is up with weight (exit - 2), exit 1 (and any non-zero exit
 *    without misc_dynamic) is a failure: health_misc_exit().
 *
 * lbha's additions:
 *  - `rise`/`fall`: that many consecutive passed/failed checks change the
 *    state (a failed check is one whose retries all failed).
 *  - While a state change is pending (some but not yet `fall` failed checks
 *    while up, or some but not yet `rise` passed checks while down) the next
 *    check comes after the fast interval, max(delay_loop / 4,
 *    min(delay_before_retry, delay_loop)).  delay_loop / 4 rather than
 *    delay_before_retry: the point of rise/fall is to look at the server
 *    several times spread over a while (a flapping server must not pass by
 *    luck), so the samples must not collapse into the retry burst; yet with
 *    the default 60 s loop a `fall 3` server is out after about 90 s instead
 *    of 3 minutes.  The lower bound keeps a streak from probing faster than
 *    the retry spacing the user chose.
 *  - Jitter: the first probe is spread over [0, warmup) (over the first
 *    jitter window when warmup is 0), and every delay_loop and fast interval
 *    is drawn from interval * (1 +- jitter_pct / 100), so 10,000 servers
 *    never fire together and never fall back into step (after a network
 *    outage all fail at once; the jitter pulls them apart again).  Retries
 *    are not jittered: they already follow the (spread) failures.
 *  - Regular checks are anchored at the start of the previous probe (a slow
 *    server does not stretch the cadence); a retry is anchored at the failure
 *    ("delay before retry").  A deadline already past becomes `now`.
 *  - A result whose reason is HEALTH_LOCAL_ERROR (socket() or fork() failed
 *    on our side) counts for nothing: the check is simply done again after
 *    delay_loop, as keepalived does ("Rescheduling"). */
#ifndef LBHA_CHECKER_HEALTH_H
#define LBHA_CHECKER_HEALTH_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config_checker;

/* ---- results ------------------------------------------------------------ */

enum health_reason {
	HEALTH_OK,
	HEALTH_REFUSED,          /* connection refused */
	HEALTH_TIMEOUT,          /* connect or response timeout */
	HEALTH_UNREACHABLE,      /* no route, host or network unreachable; code: errno */
	HEALTH_RESET,            /* connection reset or closed before a full answer */
	HEALTH_CONNECT_ERROR,    /* another connect() error; code: errno */
	HEALTH_TLS_ERROR,        /* handshake or certificate failure */
	HEALTH_BAD_RESPONSE,     /* not HTTP, truncated, malformed */
	HEALTH_STATUS_CODE,      /* code: the HTTP status, not in the url's list */
	HEALTH_DIGEST_MISMATCH,  /* the body's MD5 is not the url's digest */
	HEALTH_REGEX,            /* regex did not match (or matched, with regex_no_match) */
	HEALTH_SCRIPT_EXIT,      /* code: the exit status */
	HEALTH_SCRIPT_SIGNAL,    /* code: the signal that killed the script */
	HEALTH_SCRIPT_TIMEOUT,   /* the script ran past misc_timeout and was killed */
	HEALTH_LOCAL_ERROR,      /* our side failed (code: errno); not counted */
	_HEALTH_REASON_MAX,
	_HEALTH_REASON_INVALID = -EINVAL,
};

/* "ok", "connection refused", "timeout", "status code", ...; NULL out of range. */
const char *health_reason_to_string(enum health_reason r);

/* A result carries no dynamic weight. */
#define HEALTH_WEIGHT_CONFIGURED (-1)

/* What one probe found. */
struct health_result {
	enum health_reason reason;
	int code;          /* status code, exit status, signal or errno; 0: none */
	int32_t weight;    /* misc_dynamic: 0..253; else HEALTH_WEIGHT_CONFIGURED */
};

#define HEALTH_RESULT(reason_, code_) \
	((struct health_result){ .reason = (reason_), .code = (code_), \
				 .weight = HEALTH_WEIGHT_CONFIGURED })

/* The result of a MISC_CHECK script that exited with `exit_status` (0..255),
 * keepalived's rule: 0 is OK with the configured weight; with `dynamic`,
 * 2..255 is OK with weight exit_status - 2; anything else is
 * HEALTH_SCRIPT_EXIT with the status as code.  Out of range: LOCAL_ERROR. */
struct health_result health_misc_exit(int exit_status, bool dynamic);

/* Log text of a result: "ok", "status code 503", "script exit code 1",
 * "killed by signal 9", "no route to host (errno 113)"...  Returns buf. */
const char *health_result_format(const struct health_result *r, char *buf, size_t size);

/* ---- random source ------------------------------------------------------ */

/* splitmix64: small, fast, and exact from a seed, which is all jitter needs.
 * The caller seeds it once (e.g. from getrandom()); tests use a constant. */
struct health_rng {
	uint64_t state;
};

void health_rng_seed(struct health_rng *rng, uint64_t seed);
uint64_t health_rng_next(struct health_rng *rng);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t health_rng_below(struct health_rng *rng, uint64_t n);

/* ---- one checker -------------------------------------------------------- */

#define HEALTH_JITTER_PCT 10  /* default jitter: +-10% of each interval */

struct health_params {
	uint64_t delay_loop_usec;          /* > 0 */
	uint64_t delay_before_retry_usec;
	uint64_t warmup_usec;              /* first probe within [0, warmup) */
	uint32_t retry;                    /* retries per check */
	uint32_t rise, fall;               /* >= 1 */
	uint32_t jitter_pct;               /* 0..50; 0 makes every interval exact */
	bool alpha;                        /* start down */
};

/* The parameters of a resolved config checker (inheritance already done by
 * the config loader), with the default jitter. */
void health_params_from_config(struct health_params *p, const struct config_checker *ck);

enum health_state {
	HEALTH_DOWN,
	HEALTH_UP,
	_HEALTH_STATE_MAX,
	_HEALTH_STATE_INVALID = -EINVAL,
};

const char *health_state_to_string(enum health_state s); /* "down", "up" */

enum health_phase {
	HEALTH_PHASE_IDLE,     /* initialised, not started */
	HEALTH_PHASE_WAITING,  /* timer armed at `deadline_usec` */
	HEALTH_PHASE_PROBING,  /* a probe is out; waiting for its result */
	_HEALTH_PHASE_MAX,
	_HEALTH_PHASE_INVALID = -EINVAL,
};

const char *health_phase_to_string(enum health_phase p);

struct health_counters {
	uint64_t probes;        /* results received */
	uint64_t ok, failed;    /* good and bad probes (LOCAL_ERROR is neither) */
	uint64_t retries;       /* probes that were retries */
	uint64_t not_counted;   /* LOCAL_ERROR results */
	uint64_t ups, downs;    /* state changes */
};

struct health_checker {
	struct health_params p;
	enum health_state state;
	enum health_phase phase;
	bool has_run;              /* a check has completed (keepalived's has_run) */
	uint32_t retry_it;         /* retries done in the current check */
	uint32_t rise_count;       /* passed checks in a row while down (< rise) */
	uint32_t fall_count;       /* failed checks in a row while up (< fall) */
	uint64_t deadline_usec;    /* WAITING: when to probe; else 0 */
	uint64_t probe_start_usec; /* start of the last probe (0: none yet) */
	uint64_t last_change_usec; /* last state change (0: never) */
	int32_t weight;            /* misc_dynamic weight in force, or HEALTH_WEIGHT_CONFIGURED */
	struct health_result last; /* the last probe's result */
	struct health_counters n;
};

enum health_event_type {
	HEALTH_EV_START,   /* begin: arms the first probe */
	HEALTH_EV_TIMER,   /* the deadline came */
	HEALTH_EV_RESULT,  /* the probe started by the last TIMER finished */
	_HEALTH_EV_MAX,
	_HEALTH_EV_INVALID = -EINVAL,
};

const char *health_event_to_string(enum health_event_type t);

struct health_event {
	enum health_event_type type;
	struct health_result result;  /* RESULT */
};

#define HEALTH_REASON_TEXT_MAX 192

/* What the caller must do after one step. */
struct health_output {
	bool start_probe;       /* start one probe now and feed back its RESULT */
	bool state_changed;     /* the checker went from !new_state to new_state */
	enum health_state new_state;  /* the state after the step */
	bool first_verdict;     /* this step completed the checker's first check
				 * (changed or not): e.g. not a recovery for slow start */
	bool weight_changed;    /* the misc_dynamic weight changed: `weight` */
	int32_t weight;         /* weight in force (HEALTH_WEIGHT_CONFIGURED: the config's) */
	uint64_t deadline_usec; /* arm the timer here; 0: none (a probe is out) */
	/* state changes: "connection refused; 3 failed checks in a row, each
	 * after 1 retry", "ok; 2 passed checks in a row" */
	char reason[HEALTH_REASON_TEXT_MAX];
};

/* Initialise c (phase IDLE) with a copy of p: state down with alpha, up
 * without.  -EINVAL (c untouched) when delay_loop is 0, rise or fall is 0 or
 * jitter_pct > 50. */
int health_checker_init(struct health_checker *c, const struct health_params *p);

/* Start from `state` instead of what alpha says (the checker restarted and
 * the kernel's table tells how each server stood).  Only before START:
 * -EBUSY afterwards, -EINVAL for a bad state. */
int health_checker_seed(struct health_checker *c, enum health_state state);

/* Feed one event at `now` (> 0).  Fills *out (always, also on error: nothing
 * to do, the current deadline).  Returns 0, or without changing c:
 *   -EINVAL  bad event type, now 0, or a RESULT with a bad reason;
 *   -EALREADY START when already started;
 *   -EBUSY   TIMER while a probe is out;
 *   -ENOMSG  RESULT with no probe out, or TIMER/RESULT before START.
 * A TIMER earlier than the deadline is not an error: nothing happens and the
 * deadline is given again (a timer may fire early after a clock adjustment). */
int health_checker_step(struct health_checker *c, const struct health_event *ev, uint64_t now,
			struct health_rng *rng, struct health_output *out);

/* Interval helpers, exposed for tests and status output. */
uint64_t health_fast_interval(const struct health_params *p);
/* interval * (1 +- jitter_pct/100), uniform; exactly interval when jitter is 0. */
uint64_t health_jittered(uint64_t interval_usec, uint32_t jitter_pct, struct health_rng *rng);

/* ---- one real server ---------------------------------------------------- */

/* The tally of one real server's checkers, keepalived's num_failed_checkers.
 * A checker may be shared by several real servers (same address, port and
 * probe): each keeps its own tally and is told of the checker's changes. */
struct health_rs {
	uint32_t n_checkers;
	uint32_t n_down;
	bool up;
	uint64_t last_change_usec;
	int32_t dynamic_weight;  /* last misc_dynamic weight, or HEALTH_WEIGHT_CONFIGURED */
	uint32_t config_weight;
};

/* Count the initial states of the real server's checkers (any may be NULL
 * only when n is 0).  Up when none is down. */
void health_rs_init(struct health_rs *rs, uint32_t config_weight,
		    const struct health_checker *const *checkers, size_t n);

/* Recount from the checkers (after a reload added or removed some); returns
 * true when the real server's state changed. */
bool health_rs_recount(struct health_rs *rs, const struct health_checker *const *checkers,
		       size_t n, uint64_t now);

/* One of the real server's checkers changed to `new_state` (its output had
 * state_changed).  Returns true when the real server's own state changed. */
bool health_rs_checker_changed(struct health_rs *rs, enum health_state new_state, uint64_t now);

/* A checker reported a misc_dynamic weight (its output had weight_changed).
 * Last writer wins, as keepalived's update_svr_wgt.  Returns true when the
 * effective weight changed. */
bool health_rs_set_dynamic_weight(struct health_rs *rs, int32_t weight);

/* The weight a live real server should have (before slow start). */
uint32_t health_rs_weight(const struct health_rs *rs);

#endif
