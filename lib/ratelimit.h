/* ratelimit: a token bucket, for log lines a remote peer can trigger.
 *
 * Pure: the caller passes the current monotonic time, so tests drive it with a
 * fake clock.  `burst` events may pass at once; the bucket then refills at
 * `burst` tokens per `interval_usec`. */
#ifndef LBHA_RATELIMIT_H
#define LBHA_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint64_t interval_usec;  /* time to refill a full bucket */
	unsigned burst;          /* bucket size */
	/* state, zero-initialised: */
	unsigned tokens;
	uint64_t last_usec;      /* time the bucket was last refilled */
	bool started;
	unsigned suppressed;     /* events refused since the last ratelimit_take_suppressed() */
};

/* Initialiser: RATELIMIT_INIT(10 * USEC_PER_SEC, 5) lets 5 through, then one per 2 s. */
#define RATELIMIT_INIT(interval, burst_) { .interval_usec = (interval), .burst = (burst_) }

/* True when an event at `now_usec` may pass (and takes a token); false counts it
 * as suppressed.  A bucket with interval or burst 0 lets everything through. */
bool ratelimit_allow(struct ratelimit *rl, uint64_t now_usec);

/* Number of events refused since the last call; resets the count. */
unsigned ratelimit_take_suppressed(struct ratelimit *rl);

#endif
