/* slow_start: see slow_start.h. */
#include <config.h>

#include <stddef.h>

#include "checker/slow_start.h"

void slow_start_init(struct slow_start *ss, uint64_t duration_usec, uint32_t target)
{
	*ss = (struct slow_start){
		.duration_usec = duration_usec,
		.target = target,
		.weight = target,
	};
}

uint64_t slow_start_step(uint64_t duration_usec)
{
	uint64_t step = duration_usec / SLOW_START_STEPS;

	return step > SLOW_START_MIN_STEP_USEC ? step : SLOW_START_MIN_STEP_USEC;
}

/* The weight after `elapsed`, sampled at the start of the step it falls in
 * (so the weight only changes at step boundaries). */
static uint32_t ramp_weight(const struct slow_start *ss, uint64_t elapsed)
{
	uint64_t step = slow_start_step(ss->duration_usec);
	uint64_t at = elapsed / step * step;
	uint64_t w;

	if (elapsed >= ss->duration_usec)
		return ss->target;
	/* target <= 65535 and at < duration <= a day: no overflow in 64 bits */
	w = (uint64_t)ss->target * at / ss->duration_usec;
	return w >= 1 ? (uint32_t)w : ss->target ? 1 : 0;
}

uint64_t slow_start_deadline(const struct slow_start *ss)
{
	return ss->active ? ss->next_usec : 0;
}

/* Recompute weight and next step at `now`; ends the ramp at its duration. */
static void advance(struct slow_start *ss, uint64_t now)
{
	uint64_t elapsed = now > ss->start_usec ? now - ss->start_usec : 0;
	uint64_t step = slow_start_step(ss->duration_usec);
	uint64_t next = (elapsed / step + 1) * step;

	ss->weight = ramp_weight(ss, elapsed);
	if (elapsed >= ss->duration_usec) {
		ss->active = false;
		ss->next_usec = 0;
		return;
	}
	ss->next_usec = ss->start_usec + (next < ss->duration_usec ? next : ss->duration_usec);
}

uint32_t slow_start_update(struct slow_start *ss, uint64_t now, uint64_t *ret_deadline)
{
	if (ss->active)
		advance(ss, now);
	if (ret_deadline)
		*ret_deadline = slow_start_deadline(ss);
	return ss->weight;
}

uint32_t slow_start_begin(struct slow_start *ss, uint64_t now)
{
	ss->active = ss->duration_usec > 0 && ss->target > 1;
	ss->start_usec = now;
	ss->weight = ss->target;
	return slow_start_update(ss, now, NULL);
}

void slow_start_stop(struct slow_start *ss)
{
	ss->active = false;
	ss->next_usec = 0;
	ss->weight = ss->target;
}

uint32_t slow_start_set_target(struct slow_start *ss, uint32_t target, uint64_t now)
{
	ss->target = target;
	if (!ss->active) {
		ss->weight = target;
		return target;
	}
	if (target <= 1) {
		slow_start_stop(ss);
		return ss->weight;
	}
	return slow_start_update(ss, now, NULL);
}

uint32_t slow_start_set_duration(struct slow_start *ss, uint64_t duration_usec, uint64_t now)
{
	ss->duration_usec = duration_usec;
	if (!ss->active)
		return ss->weight;
	if (!duration_usec) {
		slow_start_stop(ss);
		return ss->weight;
	}
	return slow_start_update(ss, now, NULL);
}
