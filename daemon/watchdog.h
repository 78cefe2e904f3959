/* watchdog: when the parent may tell systemd WATCHDOG=1.
 *
 * Each child pings the parent (MSG_WATCHDOG) every MSG_PING_INTERVAL_USEC
 * from its own event loop, so a ping proves that loop turns.  The parent
 * pets systemd's watchdog only while every child runs, has said READY and
 * pinged within the stale limit: a stuck child (a spinning loop, a
 * SIGSTOP, a hung netlink call) stops the petting, and systemd restarts
 * the service after WatchdogSec.  Pure. */
#ifndef LBHA_WATCHDOG_H
#define LBHA_WATCHDOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct watchdog_child {
	bool running;              /* has a process */
	bool ready;                /* said READY since it started */
	uint64_t last_ping_usec;   /* monotonic; its start counts as a ping */
};

/* True when child c counts as alive at now_usec: running, ready, and its
 * last ping less than stale_usec ago (a ping stamped after now, which the
 * loop's cached time can do, is fresh). */
bool watchdog_child_alive(const struct watchdog_child *c, uint64_t now_usec, uint64_t stale_usec);

/* True when every child of c[0..n) is alive: pet the watchdog.  When
 * false and ret_culprit is not NULL, it is the index of the first child
 * that is not. */
bool watchdog_should_pet(const struct watchdog_child *c, size_t n, uint64_t now_usec,
			 uint64_t stale_usec, size_t *ret_culprit);

#endif
