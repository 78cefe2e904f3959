/* slow_start: a recovered real server's weight ramps from (almost) 0 to its
 * target weight over `slow_start` seconds, so a server that just came back
 * (cold caches, JIT warming up) is not handed a full share of new
 * connections at once; wlc/lc would otherwise send it nearly all of them,
 * since it has none.
 *
 * Pure: no clock, no I/O.  The weight after `elapsed` of a ramp of
 * `duration` towards `target` is target * elapsed / duration, at least 1
 * (weight 0 would stop new connections, which is not the point), and the
 * target from `duration` on.  It changes in steps of max(1 s, duration / 10)
 * (the kernel is told at most 10 times per ramp, at most once a second), the
 * last step landing exactly at `duration`.
 *
 * Start a ramp on a down -> up change of a real server that was actually
 * down; not for a server found up at start or after a checker restart (the
 * kernel already gives it its full weight, and ramping would cut capacity on
 * every restart).  A server that fails during the ramp drops out
 * (slow_start_stop); when it comes back the ramp starts over.  A target
 * change during the ramp (reload, misc_dynamic) keeps the ramp's progress and
 * scales to the new target. */
#ifndef LBHA_CHECKER_SLOW_START_H
#define LBHA_CHECKER_SLOW_START_H

#include <stdbool.h>
#include <stdint.h>

#define SLOW_START_MIN_STEP_USEC 1000000u  /* 1 s */
#define SLOW_START_STEPS 10u

struct slow_start {
	uint64_t duration_usec;  /* 0: no slow start */
	uint32_t target;         /* the weight to reach */
	bool active;             /* a ramp is running */
	uint64_t start_usec;     /* ramp start */
	uint32_t weight;         /* the weight now (target when not ramping) */
	uint64_t next_usec;      /* the next step, 0 when not ramping */
};

/* Set up with the configured duration (0: off) and target weight; not ramping. */
void slow_start_init(struct slow_start *ss, uint64_t duration_usec, uint32_t target);

/* The step length of a ramp of this duration: max(1 s, duration / 10). */
uint64_t slow_start_step(uint64_t duration_usec);

/* The real server recovered at `now` (> 0): start the ramp.  Returns the
 * weight to give it now (the target when slow start is off or the target is
 * 0 or 1: nothing to ramp). */
uint32_t slow_start_begin(struct slow_start *ss, uint64_t now);

/* The weight at `now`; ends the ramp once `now` reaches start + duration.
 * *ret_deadline (may be NULL) gets the next step's time, or 0 when no ramp
 * is running. */
uint32_t slow_start_update(struct slow_start *ss, uint64_t now, uint64_t *ret_deadline);

/* The next step's time, or 0 when no ramp is running. */
uint64_t slow_start_deadline(const struct slow_start *ss);

/* The server failed: the ramp (if any) ends; weight goes back to the target
 * so a later inhibit/re-add without slow start is not left at a step value. */
void slow_start_stop(struct slow_start *ss);

/* New target weight (reload, misc_dynamic) at `now`.  During a ramp the
 * progress is kept and the weight rescaled; otherwise the weight is the new
 * target.  Returns the weight now. */
uint32_t slow_start_set_target(struct slow_start *ss, uint32_t target, uint64_t now);

/* New duration (reload) at `now`: a running ramp keeps its start; if it is
 * already past the new duration, it ends.  Returns the weight now. */
uint32_t slow_start_set_duration(struct slow_start *ss, uint64_t duration_usec, uint64_t now);

#endif
