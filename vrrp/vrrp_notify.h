/* vrrp_notify: what happens outside lbha when an instance or sync group
 * changes state, with keepalived's meanings.
 *
 * - notify_master / notify_backup / notify_fault / notify_stop: the command
 *   for the new state runs as written (argv already split by the config).
 * - notify (generic): runs with four arguments appended: TYPE ("INSTANCE" or
 *   "GROUP"), NAME, STATE ("MASTER", "BACKUP", "FAULT", "STOP") and PRIORITY.
 *   A group has no priority: like keepalived's code (vrrp_notify.c passes 0
 *   for groups), a group's PRIORITY is "0", so a script written for
 *   keepalived that reads $4 keeps working.
 * - notify_fifo (global) and vrrp_notify_fifo: one line per transition,
 *   `INSTANCE "VI_1" MASTER 100` or `GROUP "G1" BACKUP 0` (keepalived's exact
 *   format, priority 0 for groups), written without ever blocking: no reader
 *   (ENXIO) or a full pipe (EAGAIN) counts as dropped.
 *
 * Ordering: runs are queued per owner (kind + name) and started one at a time,
 * the specific script before the generic one of the same transition, the next
 * only once the previous one has ended or been killed at its timeout; so the
 * notify_backup of a later transition can never overtake the notify_master of
 * an earlier one.  Different owners run in parallel.
 *
 * Scripts are run through lib/spawn (no shell, clean environment, own process
 * group, timeout).  One log line per run that fails, times out or is refused.
 */
#ifndef LBHA_VRRP_NOTIFY_H
#define LBHA_VRRP_NOTIFY_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct config_notify;
struct config_script;
struct vrrp_notify;

/* Time a notify run may take when the settings say 0: a notify script that
 * hangs must not hold back the queue of its instance for long, while 15 s
 * leaves room for scripts that talk to something remote. */
#define VRRP_NOTIFY_TIMEOUT_DEFAULT_USEC (15ULL * 1000000ULL)

/* Most runs waiting per owner; older waiting runs are dropped (and counted)
 * when a flapping instance queues more, the newest transitions are kept. */
#define VRRP_NOTIFY_QUEUE_MAX 64

enum vrrp_notify_kind {
	VRRP_NOTIFY_INSTANCE,
	VRRP_NOTIFY_GROUP,
	_VRRP_NOTIFY_KIND_MAX,
	_VRRP_NOTIFY_KIND_INVALID = -EINVAL,
};

enum vrrp_notify_state {
	VRRP_NOTIFY_MASTER,
	VRRP_NOTIFY_BACKUP,
	VRRP_NOTIFY_FAULT,
	VRRP_NOTIFY_STOP,
	_VRRP_NOTIFY_STATE_MAX,
	_VRRP_NOTIFY_STATE_INVALID = -EINVAL,
};

/* "INSTANCE", "GROUP"; NULL when out of range. */
const char *vrrp_notify_kind_to_string(enum vrrp_notify_kind k);
/* "MASTER", "BACKUP", "FAULT", "STOP"; NULL when out of range. */
const char *vrrp_notify_state_to_string(enum vrrp_notify_state s);
/* Inverse of the above; _VRRP_NOTIFY_STATE_INVALID for anything else. */
enum vrrp_notify_state vrrp_notify_state_from_string(const char *s);

struct vrrp_notify_settings {
	/* user for scripts without their own; NULL: as we run.  The caller
	 * applies keepalived's default (keepalived_script if that user exists,
	 * else root) before passing it here. */
	const char *script_user;
	const char *script_group;    /* NULL: the user's primary group */
	bool script_security;        /* enable_script_security: refuse unsafe scripts run as root */
	uint64_t timeout_usec;       /* per run; 0: VRRP_NOTIFY_TIMEOUT_DEFAULT_USEC */
	uint64_t kill_delay_usec;    /* SIGTERM -> SIGKILL; 0: lib/spawn's default (1 s) */
	/* fifos: struct config_script whose cmd is the path; NULL: none */
	const struct config_script *notify_fifo;       /* global_defs notify_fifo */
	const struct config_script *vrrp_notify_fifo;  /* global_defs vrrp_notify_fifo */
	/* mkfifo(0600) a missing fifo; keepalived does when it also runs the
	 * fifo's reader (notify_fifo_script) */
	bool fifo_create;
};

/* One transition.  Nothing is kept by reference: what a queued run needs is
 * copied, so the config may be replaced (reload) while runs are waiting. */
struct vrrp_notify_event {
	enum vrrp_notify_kind kind;
	const char *name;                       /* instance or sync group name */
	enum vrrp_notify_state state;
	int priority;                           /* effective priority; ignored for groups (0) */
	const struct config_notify *scripts;    /* the owner's; NULL: none */
};

struct vrrp_notify_counters {
	uint64_t started;        /* runs started */
	uint64_t failed;         /* ended non-zero or by a signal, or could not start */
	uint64_t timed_out;      /* killed at the timeout (also counted in failed) */
	uint64_t refused;        /* not run: script_security found it unsafe */
	uint64_t dropped;        /* queued runs dropped (queue full, or freed while waiting) */
	uint64_t fifo_written;   /* lines written to a fifo */
	uint64_t fifo_dropped;   /* lines not written: no reader, full, or open error */
};

/* Create the notifier on loop `e` (referenced).  The settings are copied.
 * Never fails (allocation aborts). */
struct vrrp_notify *vrrp_notify_new(sd_event *e, const struct vrrp_notify_settings *s);

/* Replace the settings (reload).  Runs already queued keep the user and
 * timeout they were queued with. */
void vrrp_notify_set_settings(struct vrrp_notify *n, const struct vrrp_notify_settings *s);

/* Record a transition: write the fifo lines now, queue the specific script
 * for ev->state and then the generic one behind whatever the owner already
 * has waiting, and start the head of the queue if nothing is running. */
void vrrp_notify_transition(struct vrrp_notify *n, const struct vrrp_notify_event *ev);

/* Runs running or waiting, over all owners (0: idle, e.g. safe to exit). */
size_t vrrp_notify_pending(const struct vrrp_notify *n);

/* Called (from the loop) each time the last pending run has ended, e.g. so a
 * stopping child can exit once notify_stop has run.  fn NULL: none. */
typedef void (*vrrp_notify_idle_fn)(struct vrrp_notify *n, void *userdata);
void vrrp_notify_set_idle_callback(struct vrrp_notify *n, vrrp_notify_idle_fn fn, void *userdata);

const struct vrrp_notify_counters *vrrp_notify_counters(const struct vrrp_notify *n);

/* Kill what is running (SIGKILL to its process group), drop what waits.
 * NULL-safe; returns NULL. */
struct vrrp_notify *vrrp_notify_free(struct vrrp_notify *n);

#endif
