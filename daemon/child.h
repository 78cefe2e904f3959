/* child: the frame every child process runs in (vrrp, checker).
 *
 * The parent starts a child as `/proc/self/exe --child=NAME --ipc-fd=3 ...`
 * (see supervisor.c for why exec), and main() calls child_main() with the
 * matching role.  child_main() sets the process name, dies with the parent,
 * runs an sd-event loop, talks to the parent over the ipc socket (READY,
 * WATCHDOG pings; CONFIG loads and hands the config to the role), and
 * publishes <runtime dir>/<name>.json for `lbha status`.
 *
 * A role is a table of hooks, so vrrp/ and checker/ only write what is theirs. */
#ifndef LBHA_CHILD_H
#define LBHA_CHILD_H

#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-event.h>

struct child_ctx;
struct lbha_config;
struct lbha_options;

struct child_role {
	const char *name;   /* "vrrp": --child=vrrp, status file vrrp.json, "vrrp child" in logs */
	const char *title;  /* "lbha-vrrp": process name (ps, pgrep) and log ident */
	/* Set up the role's state on the loop, before any config.  `frame` is
	 * the child frame, for child_publish_status() and child_options().
	 * May be NULL. */
	int (*start)(struct child_ctx *frame, sd_event *e, void **ret_state);
	/* Apply a validated config.  The config stays valid until the next apply
	 * returns 0 or stop() is called.  Negative errno: keep the old one. */
	int (*apply)(void *state, const struct lbha_config *cfg, uint64_t generation);
	/* Called once when the loop is asked to end (SIGTERM, parent gone),
	 * before it ends: the role may still send packets and change the
	 * system (a VRRP master resigns here).  Returns 0 when done, or > 0
	 * when work it started must finish first (notify_stop scripts): the
	 * loop then runs until child_shutdown_done(), for at most
	 * CHILD_SHUTDOWN_MAX_USEC (the parent's SIGKILL comes at stop_timeout_usec).
	 * May be NULL. */
	int (*shutdown)(void *state);
	/* Undo start(); called once when the loop has ended.  May be NULL. */
	void (*stop)(void *state);
	/* Write the role's own members into its status file: text that goes
	 * after the frame's members, each starting with ",\n  \"key\": ".
	 * May be NULL. */
	void (*status_extra)(void *state, FILE *f);
	/* Write the role's Prometheus metric families (daemon/metrics_text.h),
	 * sent to the parent with each status while metrics are on.  May be
	 * NULL. */
	void (*metrics)(void *state, FILE *f);
	/* How long the parent waits after SIGTERM before SIGKILL; 0: the
	 * default (CHILD_STOP_TIMEOUT_USEC).  A checker removing thousands of
	 * IPVS services needs longer than a VRRP child resigning. */
	uint64_t stop_timeout_usec;
};

#define CHILD_STOP_TIMEOUT_USEC 800000ULL

#define CHILD_SHUTDOWN_MAX_USEC 500000ULL

/* The work a shutdown hook waited for has ended: end the loop now. */
void child_shutdown_done(struct child_ctx *frame);

/* Rewrite <runtime dir>/<role>.json now (the role's state changed). */
void child_publish_status(struct child_ctx *frame);

/* The options the child was started with (runtime_dir, log flags). */
const struct lbha_options *child_options(const struct child_ctx *frame);

/* Run the child `role` with the options it was started with (ipc_fd,
 * runtime_dir, log flags).  Returns the process exit code. */
int child_main(const struct child_role *role, const struct lbha_options *o);

#endif
