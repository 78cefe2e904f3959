#include <config.h>

/* status_pace: see status_pace.h. */

#include <stddef.h>

#include "checker/status_pace.h"

const char *status_pace_action_to_string(enum status_pace_action a)
{
	static const char *const names[_STATUS_PACE_ACTION_MAX] = {
		[STATUS_PACE_NOTHING] = "nothing",
		[STATUS_PACE_PUBLISH] = "publish",
		[STATUS_PACE_IF_DIRTY] = "if-dirty",
	};

	return a >= 0 && a < _STATUS_PACE_ACTION_MAX ? names[a] : NULL;
}

void status_pace_init(struct status_pace *p, uint64_t interval_usec, uint64_t now)
{
	*p = (struct status_pace){ .interval_usec = interval_usec, .tick_usec = now + interval_usec };
}

uint64_t status_pace_gap_end(const struct status_pace *p, uint64_t gap_usec)
{
	return p->last_usec ? p->last_usec + gap_usec : 0;
}

bool status_pace_change(struct status_pace *p, uint64_t now, uint64_t gap_usec)
{
	if (now >= status_pace_gap_end(p, gap_usec))
		return true;
	p->pending = true;
	return false;
}

uint64_t status_pace_due(const struct status_pace *p, uint64_t gap_usec,
				       bool *ret_change)
{
	uint64_t change = status_pace_gap_end(p, gap_usec);
	bool by_change = p->pending && change <= p->tick_usec;

	if (ret_change)
		*ret_change = by_change;
	return by_change ? change : p->tick_usec;
}

enum status_pace_action status_pace_fire(struct status_pace *p, uint64_t now,
						       uint64_t gap_usec)
{
	uint64_t gap_end = status_pace_gap_end(p, gap_usec);
	bool tick = now >= p->tick_usec;

	if (tick && now < gap_end) {
		p->tick_usec = gap_end;
		tick = false;
	} else if (tick) {
		p->tick_usec += p->interval_usec;
		if (p->tick_usec <= now)
			p->tick_usec = now + p->interval_usec;
	}
	if (p->pending && now >= gap_end)
		return STATUS_PACE_PUBLISH;
	return tick ? STATUS_PACE_IF_DIRTY : STATUS_PACE_NOTHING;
}

void status_pace_published(struct status_pace *p, uint64_t now)
{
	p->last_usec = now ? now : 1;
	p->pending = false;
}
