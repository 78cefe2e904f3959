/* check_notify: the checker's notify scripts (notify_up/notify_down of a real
 * server, quorum_up/quorum_down of a virtual server), run through lib/spawn.
 *
 * keepalived runs these with the arguments written in the config and no
 * more (check/ipwrapper.c do_rs_notifies, do_vs_notifies).  Each run is
 * fire-and-forget: started at once (a notify must not wait behind a hung
 * one), killed at a timeout, its end logged when it failed.  As the script's
 * `user` or the global script_user; with enable_script_security a script a
 * non-root user could change is not run as root.  Logs. */
#ifndef LBHA_CHECKER_CHECK_NOTIFY_H
#define LBHA_CHECKER_CHECK_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct check_notify;
struct config_script;

/* A run is killed after this long. */
#define CHECK_NOTIFY_TIMEOUT_USEC (60ULL * 1000000ULL)

struct check_notify_counters {
	uint64_t started, failed, refused;
};

struct check_notify *check_notify_new(sd_event *e);
/* Kills what still runs.  NULL-safe; returns NULL. */
struct check_notify *check_notify_free(struct check_notify *n);

/* global_defs: script_user/script_group (copied; NULL: as we run) and
 * enable_script_security. */
void check_notify_set_globals(struct check_notify *n, const char *script_user,
			      const char *script_group, bool security);

/* Run `s` (s may be NULL: nothing to do).  `who` and `keyword` name it in
 * log lines ("[VS 10.0.0.1:80/TCP] real server 10.0.1.2:80", "notify_down"). 
 * Returns 0 when started (or nothing to run), else a negative errno (logged). */
int check_notify_run(struct check_notify *n, const struct config_script *s, const char *who,
		     const char *keyword);

const struct check_notify_counters *check_notify_counters(const struct check_notify *n);

#endif
