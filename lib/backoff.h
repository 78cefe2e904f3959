/* backoff: restart delays that double while something keeps failing.
 *
 * Pure: the caller says how long the thing ran before it failed; a run of at
 * least `reset_after_usec` counts as healthy and starts again from the
 * minimum.  Used by the parent to restart a child that died. */
#ifndef LBHA_BACKOFF_H
#define LBHA_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint64_t min_usec, max_usec, reset_after_usec;
	uint64_t next_usec;  /* state: the next delay; 0 before the first failure */
};

#define BACKOFF_INIT(min, max, reset) { .min_usec = (min), .max_usec = (max), .reset_after_usec = (reset) }

/* The delay to wait before restarting something that ran `ran_usec` and failed. */
uint64_t backoff_next(struct backoff *b, uint64_t ran_usec);

#endif
