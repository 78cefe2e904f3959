/* monotonic: CLOCK_MONOTONIC in microseconds, for code that has no sd-event
 * loop time at hand (a probe's duration, a child's run time).  State machines
 * take `now` as an argument instead. */
#ifndef LBHA_MONOTONIC_H
#define LBHA_MONOTONIC_H

#include <stdint.h>
#include <time.h>

static inline uint64_t monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

#endif
