/* parent: the lbha daemon's main process.
 *
 * Loads and validates the config, takes the runtime-dir lock and the pid
 * file, detaches (unless -n), then runs an sd-event loop that supervises the
 * children (supervisor.c), reloads on SIGHUP, stops on SIGTERM/SIGINT, and
 * speaks sd_notify: READY=1 once every child is ready, RELOADING=1/READY=1
 * around a reload, STOPPING=1, STATUS=..., and WATCHDOG=1 only while every
 * child is alive and pinging. */
#ifndef LBHA_PARENT_H
#define LBHA_PARENT_H

#include <stddef.h>

struct child_role;
struct lbha_options;

/* Run the daemon with the children roles[0..n).  Returns the process exit
 * code (enum lbha_exit): 0 after a clean stop, 1 when the config is invalid
 * or lbha cannot start, 2 when the config file cannot be read. */
int parent_main(const struct lbha_options *o, const struct child_role *const *roles, size_t n);

#endif
