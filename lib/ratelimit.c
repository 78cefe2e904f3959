#include "config.h"

#include "ratelimit.h"

bool ratelimit_allow(struct ratelimit *rl, uint64_t now_usec)
{
	if (rl->interval_usec == 0 || rl->burst == 0)
		return true;

	if (!rl->started) {
		rl->started = true;
		rl->tokens = rl->burst;
		rl->last_usec = now_usec;
	} else if (now_usec > rl->last_usec) {
		/* Whole tokens earned since the last refill; the remainder of the
		 * time is kept by advancing last_usec only by what was paid for,
		 * so a steady trickle of events still earns tokens. */
		uint64_t per_token = rl->interval_usec / rl->burst;
		if (per_token == 0)
			per_token = 1;
		uint64_t earned = (now_usec - rl->last_usec) / per_token;
		if (earned >= rl->burst - rl->tokens) {
			rl->tokens = rl->burst;
			rl->last_usec = now_usec;
		} else {
			rl->tokens += (unsigned)earned;
			rl->last_usec += earned * per_token;
		}
	}

	if (rl->tokens == 0) {
		rl->suppressed++;
		return false;
	}
	rl->tokens--;
	return true;
}

unsigned ratelimit_take_suppressed(struct ratelimit *rl)
{
	unsigned n = rl->suppressed;

	rl->suppressed = 0;
	return n;
}
