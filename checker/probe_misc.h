/* probe_misc: MISC_CHECK, a program run through lib/spawn.
 *
 * misc_path is execve'd (no shell) with its arguments, in its own process
 * group, with a clean environment, as the checker's `user` or else the
 * global script_user/script_group, and killed (SIGTERM, then SIGKILL) when
 * misc_timeout passes.  With enable_script_security a program a non-root
 * user could change is not run as root (spawn_check_security()).
 *
 * The result is raw: ok (exit 0), script-exit with the code in .code,
 * script-signal with the signal in .code, script-timeout, or script-error
 * (not run; why in .detail).  What an exit code means is the health logic's
 * business (keepalived: 0 up, 1 down; with misc_dynamic 2..255 are up with
 * weight code - 2, and without it any non-zero is down).
 *
 * Library code: never logs. */
#ifndef LBHA_PROBE_MISC_H
#define LBHA_PROBE_MISC_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "checker/probe_result.h"

struct config_checker;
struct probe_misc;

/* The global_defs the checker's own block may not set. */
struct probe_misc_options {
	const char *script_user;    /* global script_user; NULL: as we run */
	const char *script_group;   /* global script_group; NULL: the user's */
	bool script_security;       /* global enable_script_security */
};

/* Called once per run from the loop (never from inside probe_misc_start());
 * the run is freed when it returns: forget the handle. */
typedef void (*probe_misc_done_fn)(const struct probe_result *res, void *userdata);

/* Run the MISC_CHECK `ck` (ck need not outlive the call; o may be NULL).
 * Every outcome, a program that cannot be started included, arrives through
 * cb(userdata).  Returns 0 and the run in *ret (ret may be NULL), or -EINVAL
 * (not a MISC_CHECK, no misc_path), or an sd-event error. */
int probe_misc_start(sd_event *e, const struct config_checker *ck,
		     const struct probe_misc_options *o, probe_misc_done_fn cb, void *userdata,
		     struct probe_misc **ret);

/* Stop a run (its process group gets SIGKILL) without calling the callback.
 * NULL-safe; returns NULL. */
struct probe_misc *probe_misc_cancel(struct probe_misc *m);

#endif
