/* reconcile: make the kernel's IPVS table what the config and the health of
 * the real servers want, and say what it did.
 *
 * One path for every occasion (a config load or reload, a checker or daemon
 * restart, the periodic check that repairs `ipvsadm -C` or a hand edit, and
 * later a health change): build the wanted table (ipvs_desired), dump the
 * kernel's (ipvs_dump), diff within what lbha owns (ipvs_diff), send the
 * difference as one batch, log each change at info and each failure at
 * warning, and remember what lbha owns in <runtime dir>/ipvs-owned
 * (ipvs_owned).  Equal tables cost one dump and no change.  A config run
 * (a reload) diffs against the table the last fully successful run left
 * instead of dumping the kernel: an unchanged config costs no netlink
 * request at all, a changed one only its changes; if a change then fails
 * (someone edited the kernel since), it dumps and runs again.
 *
 * This is the I/O around the pure parts: it logs, talks to the kernel and
 * writes the owned file.  Timers belong to the caller (checker_child.c). */
#ifndef LBHA_CHECKER_RECONCILE_H
#define LBHA_CHECKER_RECONCILE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "checker/ipvs_desired.h"
#include "daemon/config_types.h"

struct lbha_config;
struct reconcile;
struct ipvs_counters;
struct ipvs_table;

/* Why a reconcile runs: in logs and checker.json; a PERIODIC run that
 * changes anything is repairing what someone else changed. */
enum reconcile_reason {
	RECONCILE_CONFIG,     /* a config was applied (start, reload) */
	RECONCILE_REOPEN,     /* IPVS became available (again) */
	RECONCILE_PERIODIC,
	RECONCILE_HEALTH,     /* a real server went up or down */
	_RECONCILE_REASON_MAX,
	_RECONCILE_REASON_INVALID = -EINVAL,
};

enum reconcile_result {
	RECONCILE_NEVER,        /* no run yet */
	RECONCILE_OK,           /* the kernel is as wanted */
	RECONCILE_OPS_FAILED,   /* some changes failed (logged each) */
	RECONCILE_DUMP_FAILED,  /* the kernel's table could not be read */
	RECONCILE_SEND_FAILED,  /* the netlink socket failed */
	RECONCILE_NO_IPVS,      /* IPVS is not open */
	_RECONCILE_RESULT_MAX,
	_RECONCILE_RESULT_INVALID = -EINVAL,
};

const char *reconcile_reason_to_string(enum reconcile_reason r);
const char *reconcile_result_to_string(enum reconcile_result r);

/* Load the owned set from `owned_path` (kept; a copy is made) and start with
 * no IPVS socket and no config.  Logs a damaged or unreadable file. */
struct reconcile *reconcile_new(const char *owned_path);
struct reconcile *reconcile_free(struct reconcile *r);   /* NULL-safe; closes IPVS */

/* Where real server health and weights come from (h NULL, or its
 * callbacks NULL: every server is up with its configured weight).  *h is
 * copied. */
void reconcile_set_health(struct reconcile *r, const struct ipvs_desired_health *h);

/* Called from reconcile_run() for each virtual server whose quorum changed
 * (`from` is IPVS_QUORUM_UNKNOWN on its first run), after the wanted table
 * was built and before the kernel is touched; runs also without IPVS. */
typedef void (*reconcile_quorum_fn)(const struct config_virtual_server *vs, enum ipvs_quorum from,
				    enum ipvs_quorum to, void *userdata);
void reconcile_set_quorum_callback(struct reconcile *r, reconcile_quorum_fn fn, void *userdata);

/* Open the IPVS generic-netlink socket.  Returns 0, or a negative errno
 * (-ENOENT: the kernel has no IPVS), logged once here. */
int reconcile_open(struct reconcile *r);
/* Close it (after a socket failure); the next reconcile_open() reopens. */
void reconcile_close(struct reconcile *r);
bool reconcile_is_open(const struct reconcile *r);

/* Use `cfg` from now on; `old` (may be NULL) is the config it replaces,
 * still valid during the call: a virtual server present in both keeps its
 * quorum state.  Logs what in the config cannot become kernel state (once
 * per config, not per run).  Does not touch the kernel. */
void reconcile_set_config(struct reconcile *r, const struct lbha_config *cfg,
			  const struct lbha_config *old);

/* Reconcile now.  Returns 0 when it ran (even if some ops failed: see the
 * status), -ENOTCONN without IPVS or config (without IPVS the quorum states
 * are still brought up to date), or the negative errno of a
 * socket failure (the caller closes and reopens). */
int reconcile_run(struct reconcile *r, enum reconcile_reason why);

/* lvs_flush: empty the whole IPVS table (and the owned set). */
int reconcile_flush(struct reconcile *r);

/* lvs_timeouts: set them when configured and not yet set to these values
 * on this socket.  Returns 0 or a negative errno (logged). */
int reconcile_set_timeouts(struct reconcile *r, const struct config_lvs_timeouts *t);

/* At stop, as keepalived does: `keep` (lbha -I, --dont-release-ipvs) leaves
 * the table as it is; otherwise lvs_flush_onstop ON flushes the whole table,
 * and OFF (not configured) or VS deletes the services lbha owns.  Returns 0
 * or a negative errno (logged). */
int reconcile_stop(struct reconcile *r, enum config_lvs_flush_onstop how, bool keep);

/* The quorum state of each virtual server of the current config, in
 * cfg->virtual_servers order (*ret_n of them; may be NULL when 0). */
const struct ipvs_desired_vs *reconcile_vs_states(const struct reconcile *r, size_t *ret_n);

/* Counters and the last run, for checker.json. */
struct reconcile_stats {
	uint64_t runs, changes, repairs, errors, takeovers;
	uint64_t dump_failures, send_failures, open_failures;
	uint64_t services_wanted, dests_wanted;
	uint64_t services_installed, dests_installed;
	uint64_t services_owned, services_foreign;
	uint64_t config_problems;
	uint64_t vs_quorum_down, vs_sorry_active;
	enum reconcile_reason last_reason;
	enum reconcile_result last_result;
	uint64_t last_wall;          /* time(NULL) at the end of the last run, 0: never */
	uint64_t last_duration_us;
	uint64_t last_changes, last_errors;
};
const struct reconcile_stats *reconcile_stats(const struct reconcile *r);

/* The kernel's whole IPVS table, sorted, into *ret (cleared first).
 * -ENOTCONN when IPVS is not open, or ipvs_dump()'s error. */
int reconcile_read_kernel(struct reconcile *r, struct ipvs_table *ret);

/* Netlink requests, messages, reads and errors since reconcile_new(), over
 * every socket it opened. */
void reconcile_netlink_counters(const struct reconcile *r, struct ipvs_counters *ret);

/* Write `,\n  "ipvs": {...}` (a member of checker.json). */
void reconcile_status_write(const struct reconcile *r, FILE *f, uint64_t interval_ms);

#endif
