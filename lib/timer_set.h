/* timer_set: many one-shot timers behind ONE sd-event time source.
 *
 * sd-event dispatches one source per loop iteration, and every iteration
 * costs an epoll_wait (and often a timerfd_settime): 10,000 probe timers a
 * second as 10,000 sources cost 20,000 system calls a second before any
 * probe runs.  Here the timers live in a binary heap owned by the set; the
 * set's one source fires at the earliest deadline (with the set's accuracy,
 * so close deadlines fire together) and runs every timer that is due in one
 * dispatch.
 *
 * A timer is a struct timer_entry embedded in its owner; the set never
 * allocates per timer.  A callback may arm, disarm or free any timer,
 * itself included, and arm new ones: a timer armed for "now" from a
 * callback runs in the next dispatch, never in a loop within this one. */
#ifndef LBHA_TIMER_SET_H
#define LBHA_TIMER_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct timer_set;
struct timer_entry;

/* `now` is the loop's CLOCK_MONOTONIC time of this dispatch. */
typedef void (*timer_fn)(struct timer_entry *t, uint64_t now);

struct timer_entry {
	uint64_t when;   /* CLOCK_MONOTONIC usec; meaningful while armed */
	size_t idx;      /* position in the heap + 1; 0: not armed */
	timer_fn fn;
};

/* Set up an entry (not armed).  Call before the first arm. */
static inline void timer_entry_init(struct timer_entry *t, timer_fn fn)
{
	*t = (struct timer_entry){ .fn = fn };
}

static inline bool timer_entry_armed(const struct timer_entry *t)
{
	return t->idx != 0;
}

/* A set on `e`; `accuracy_usec` is how late a timer may fire so that
 * neighbours coalesce (sd-event's accuracy).  Returns 0 or a negative errno. */
int timer_set_new(sd_event *e, uint64_t accuracy_usec, const char *description,
		  struct timer_set **ret);

/* Armed entries are forgotten (never called).  NULL-safe; returns NULL. */
struct timer_set *timer_set_free(struct timer_set *ts);

/* Arm (or re-arm) `t` for CLOCK_MONOTONIC `when`.  Returns 0 or a negative
 * errno: -EINVAL (no set, or an entry never initialised), or sd-event's
 * (the entry is then armed but the source may not fire;
 * the next successful arm repairs it). */
int timer_set_arm(struct timer_set *ts, struct timer_entry *t, uint64_t when);

/* Disarm `t`; a no-op when it is not armed. */
void timer_set_disarm(struct timer_set *ts, struct timer_entry *t);

/* Timers armed. */
size_t timer_set_count(const struct timer_set *ts);

#endif
