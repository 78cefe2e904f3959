/* event_signals: an sd-event loop that takes the given signals as events.
 *
 * The signals are blocked first (sd-event reads them from a signalfd, and an
 * unblocked signal would be delivered the old way instead), then each gets a
 * floating source at `priority`, owned by the loop. */
#ifndef LBHA_EVENT_SIGNALS_H
#define LBHA_EVENT_SIGNALS_H

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

/* Create a loop in *ret watching sigs[0..n-1] with handler(userdata).
 * Returns 0, or a negative errno (nothing is left allocated then). */
int event_new_with_signals(const int *sigs, size_t n, sd_event_signal_handler_t handler,
			   void *userdata, int64_t priority, sd_event **ret);

#endif
