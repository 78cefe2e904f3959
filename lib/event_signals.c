#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>

#include "event_signals.h"

int event_new_with_signals(const int *sigs, size_t n, sd_event_signal_handler_t handler,
			   void *userdata, int64_t priority, sd_event **ret)
{
	sd_event *e = NULL;
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	for (size_t i = 0; i < n; i++)
		sigaddset(&mask, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;

	r = sd_event_new(&e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		sd_event_source *src;
		r = sd_event_add_signal(e, &src, sigs[i], handler, userdata);
		if (r < 0) {
			sd_event_unref(e);
			return r;
		}
		sd_event_source_set_priority(src, priority);
		sd_event_source_set_floating(src, true);
		sd_event_source_unref(src);
	}
	*ret = e;
	return 0;
}
