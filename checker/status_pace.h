/* status_pace: when the checker rebuilds checker.json, as one rule for one
 * timer.
 *
 * Two things ask for a new checker.json:
 *   - a change (a state or weight, the IPVS table reopened): it goes out at
 *     once when `gap` has passed since the last one, else once at the gap's
 *     end however many changes came in between (at 10,000 real servers the
 *     file is 4.5 MB: a burst of changes must not rebuild it per change);
 *   - the periodic tick (every `interval`): counters and first verdicts,
 *     which go out when servers_take_dirty() says so (its own rate limit).
 * The timer is due at the earlier of the tick and a pending change's gap
 * end; a tick inside the gap moves to its end, so no two checker.json the
 * pace asks for are closer than the gap.  Any checker.json written
 * (status_pace_published) satisfies a pending change: it shows everything
 * up to now.
 *
 * Pure: no clock, no I/O; times are CLOCK_MONOTONIC usec from the caller. */
#ifndef LBHA_CHECKER_STATUS_PACE_H
#define LBHA_CHECKER_STATUS_PACE_H

#include <stdbool.h>
#include <stdint.h>

struct status_pace {
	uint64_t interval_usec;  /* the periodic tick */
	uint64_t tick_usec;      /* the next tick */
	uint64_t last_usec;      /* the last checker.json; 0: none yet */
	bool pending;            /* a change waits for the gap's end */
};

/* What the timer's firing asks for. */
enum status_pace_action {
	STATUS_PACE_NOTHING,   /* early (timer slack) or nothing due */
	STATUS_PACE_PUBLISH,   /* a pending change: write checker.json */
	STATUS_PACE_IF_DIRTY,  /* the tick: write it if servers_take_dirty() says so */
	_STATUS_PACE_ACTION_MAX,
};

/* "nothing", "publish", "if-dirty"; NULL when out of range. */
const char *status_pace_action_to_string(enum status_pace_action a);

/* Start at `now`: the first tick one interval later, nothing pending. */
void status_pace_init(struct status_pace *p, uint64_t interval_usec, uint64_t now);

/* The end of the gap after the last checker.json. */
uint64_t status_pace_gap_end(const struct status_pace *p, uint64_t gap_usec);

/* A change at `now`.  True: write checker.json now (the gap has passed);
 * false: it is pending, the timer is due at the gap's end. */
bool status_pace_change(struct status_pace *p, uint64_t now, uint64_t gap_usec);

/* When the timer is due: the earlier of the tick and a pending change's gap
 * end.  *ret_change (may be NULL): the change decides it (worth a tighter
 * timer accuracy than the tick's). */
uint64_t status_pace_due(const struct status_pace *p, uint64_t gap_usec,
				       bool *ret_change);

/* The timer fired at `now`.  A pending change whose gap has passed is
 * published (a tick due too is served by it).  A tick inside the gap waits
 * for the gap's end, so no two checker.json are closer than the gap; else
 * it moves on by one interval (to the next one after now: a late loop does
 * not fire a catch-up burst). */
enum status_pace_action status_pace_fire(struct status_pace *p, uint64_t now,
						       uint64_t gap_usec);

/* checker.json went out at `now` (for whatever reason): it shows every
 * change so far, and the next gap starts. */
void status_pace_published(struct status_pace *p, uint64_t now);

#endif
