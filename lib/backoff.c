#include "config.h"

#include "backoff.h"

uint64_t backoff_next(struct backoff *b, uint64_t ran_usec)
{
	if (b->next_usec == 0 || ran_usec >= b->reset_after_usec)
		b->next_usec = b->min_usec;

	uint64_t delay = b->next_usec;
	b->next_usec = delay > b->max_usec / 2 ? b->max_usec : delay * 2;
	if (delay > b->max_usec)
		delay = b->max_usec;
	return delay;
}
