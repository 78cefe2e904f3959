/* supervisor: the parent's children — start, watch, restart, stop.
 *
 * One slot per role.  A child is started as `/proc/self/exe --child=NAME`
 * with one end of a socketpair as fd 3.  Exec instead of a bare fork gives the
 * child a clean process: no copy of the parent's event loop (whose epoll and
 * signalfd descriptors a forked child would share), no inherited descriptors,
 * and a fresh argv, so `ps` shows "lbha-vrrp".
 *
 * Child exits are sd-event child sources, so nothing waits: a child that dies
 * is logged with its exit status or signal and restarted after a backoff
 * (0.1 s doubling to 30 s, reset once a child ran 60 s).  Every started child
 * gets the current config; a new config goes to every running child. */
#ifndef LBHA_SUPERVISOR_H
#define LBHA_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct child_role;
struct lbha_options;
struct metrics_child;
struct supervisor;

struct supervisor_ops {
	/* Every child has said READY and answered the current config
	 * generation (MSG_APPLIED).  Called again after a restart and after
	 * each new config once every child answered it. */
	void (*on_all_ready)(void *userdata);
	/* After supervisor_stop(): the last child is gone. */
	void (*on_stopped)(void *userdata);
};

/* A supervisor for roles[0..n) on loop e.  SIGCHLD must be blocked (sd-event
 * child sources need it).  o (runtime dir, log flags) and roles must outlive
 * it.  Starts nothing yet. */
struct supervisor *supervisor_new(sd_event *e, const struct lbha_options *o,
				  const struct child_role *const *roles, size_t n,
				  const struct supervisor_ops *ops, void *userdata);

/* Keep a copy of the config text as generation `gen` and send it to every
 * running child (later starts get it too). */
void supervisor_set_config(struct supervisor *s, uint64_t gen, const char *text, size_t len);

/* Start every child.  Returns 0 or a negative errno (logged). */
int supervisor_start(struct supervisor *s);

/* True while every child runs, said READY and pinged within
 * MSG_PING_STALE_USEC of now_usec (monotonic): the condition for WATCHDOG=1.
 * When false and ret_why is not NULL, names the first child at fault. */
bool supervisor_healthy(const struct supervisor *s, uint64_t now_usec, const char **ret_why);

/* Fill ret[0..max) with what the metrics page shows of each child (its
 * name, up, restarts, and its latest metrics text, valid until the next
 * message from it or its exit).  Returns how many were filled. */
size_t supervisor_metrics_children(const struct supervisor *s, struct metrics_child *ret,
				   size_t max);

/* Stop: SIGTERM to every child, SIGKILL to those left after a timeout, no
 * more restarts; on_stopped is called once none is left (maybe right away). */
void supervisor_stop(struct supervisor *s);

/* SIGKILL any child still running (error paths), free everything.
 * NULL-safe; returns NULL. */
struct supervisor *supervisor_free(struct supervisor *s);

#endif
