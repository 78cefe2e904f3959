#include <config.h>

/* timer_set: see timer_set.h.  A binary min-heap of entry pointers ordered
 * by deadline; each entry knows its slot (idx), so re-arming and disarming
 * are O(log n) without a search. */

#include <errno.h>
#include <stdlib.h>

#include "timer_set.h"
#include "xalloc.h"

struct timer_set {
	sd_event *event;
	sd_event_source *source;
	struct timer_entry **heap;
	size_t n, alloc;
	bool dispatching;   /* the source is re-armed once, at the end */
	uint64_t now;       /* of the dispatch in progress */
};

static void heap_put(struct timer_set *ts, size_t i, struct timer_entry *t)
{
	ts->heap[i] = t;
	t->idx = i + 1;
}

static void sift_up(struct timer_set *ts, size_t i)
{
	struct timer_entry *t = ts->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (ts->heap[parent]->when <= t->when)
			break;
		heap_put(ts, i, ts->heap[parent]);
		i = parent;
	}
	heap_put(ts, i, t);
}

static void sift_down(struct timer_set *ts, size_t i)
{
	struct timer_entry *t = ts->heap[i];

	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= ts->n)
			break;
		if (child + 1 < ts->n && ts->heap[child + 1]->when < ts->heap[child]->when)
			child++;
		if (t->when <= ts->heap[child]->when)
			break;
		heap_put(ts, i, ts->heap[child]);
		i = child;
	}
	heap_put(ts, i, t);
}

static void heap_remove(struct timer_set *ts, struct timer_entry *t)
{
	size_t i = t->idx - 1;
	struct timer_entry *last = ts->heap[--ts->n];

	t->idx = 0;
	if (last == t)
		return;
	heap_put(ts, i, last);
	sift_down(ts, i);
	sift_up(ts, last->idx - 1);
}

/* The source follows the heap's top (or sleeps when the heap is empty). */
static int source_update(struct timer_set *ts)
{
	int r;

	if (ts->dispatching)
		return 0;
	if (ts->n == 0)
		return sd_event_source_set_enabled(ts->source, SD_EVENT_OFF);
	r = sd_event_source_set_time(ts->source, ts->heap[0]->when);
	if (r >= 0)
		r = sd_event_source_set_enabled(ts->source, SD_EVENT_ONESHOT);
	return r;
}

static int on_time(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct timer_set *ts = userdata;
	uint64_t now;

	if (sd_event_now(ts->event, CLOCK_MONOTONIC, &now) < 0)
		now = usec;
	ts->now = now;
	ts->dispatching = true;
	while (ts->n > 0 && ts->heap[0]->when <= now) {
		struct timer_entry *t = ts->heap[0];
		heap_remove(ts, t);
		t->fn(t, now);
	}
	ts->dispatching = false;
	(void)source_update(ts);
	return 0;
}

int timer_set_arm(struct timer_set *ts, struct timer_entry *t, uint64_t when)
{
	if (!ts || !t || !t->fn)
		return -EINVAL;
	/* armed for now (or earlier) by a callback: the next dispatch, so a
	 * callback re-arming itself cannot keep this one going forever */
	if (ts->dispatching && when <= ts->now)
		when = ts->now + 1;
	if (t->idx) {
		size_t i = t->idx - 1;
		t->when = when;
		sift_down(ts, i);
		sift_up(ts, t->idx - 1);
	} else {
		if (ts->n == ts->alloc) {
			ts->alloc = ts->alloc ? 2 * ts->alloc : 64;
			ts->heap = xreallocarray(ts->heap, ts->alloc, sizeof(*ts->heap));
		}
		t->when = when;
		heap_put(ts, ts->n++, t);
		sift_up(ts, ts->n - 1);
	}
	return source_update(ts);
}

void timer_set_disarm(struct timer_set *ts, struct timer_entry *t)
{
	if (!ts || !t || !t->idx)
		return;
	heap_remove(ts, t);
	(void)source_update(ts);
}

size_t timer_set_count(const struct timer_set *ts)
{
	return ts ? ts->n : 0;
}

int timer_set_new(sd_event *e, uint64_t accuracy_usec, const char *description,
		  struct timer_set **ret)
{
	struct timer_set *ts;
	int r;

	if (!e || !ret)
		return -EINVAL;
	ts = xnew(struct timer_set);
	ts->event = sd_event_ref(e);
	/* sd-event reads an accuracy of 0 as its default, 250 ms */
	r = sd_event_add_time(e, &ts->source, CLOCK_MONOTONIC, 0, accuracy_usec ? accuracy_usec : 1,
			      on_time, ts);
	if (r < 0) {
		timer_set_free(ts);
		return r;
	}
	(void)sd_event_source_set_enabled(ts->source, SD_EVENT_OFF);
	if (description)
		(void)sd_event_source_set_description(ts->source, description);
	*ret = ts;
	return 0;
}

struct timer_set *timer_set_free(struct timer_set *ts)
{
	if (!ts)
		return NULL;
	for (size_t i = 0; i < ts->n; i++)
		ts->heap[i]->idx = 0;
	free(ts->heap);
	sd_event_source_disable_unref(ts->source);
	sd_event_unref(ts->event);
	free(ts);
	return NULL;
}
