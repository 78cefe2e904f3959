#include <config.h>

#include "daemon/watchdog.h"

bool watchdog_child_alive(const struct watchdog_child *c, uint64_t now_usec, uint64_t stale_usec)
{
	bool fresh = c->last_ping_usec >= now_usec || now_usec - c->last_ping_usec < stale_usec;

	return c->running && c->ready && fresh;
}

bool watchdog_should_pet(const struct watchdog_child *c, size_t n, uint64_t now_usec,
			 uint64_t stale_usec, size_t *ret_culprit)
{
	for (size_t i = 0; i < n; i++) {
		if (watchdog_child_alive(&c[i], now_usec, stale_usec))
			continue;
		if (ret_culprit)
			*ret_culprit = i;
		return false;
	}
	return true;
}
