/* servers: the checker's runtime state of every real server, and the
 * probes that keep it.  The I/O around the pure health logic (health.h):
 * one sd-event timer per probe, the probe runs (probe_run.h), log lines,
 * notify scripts and a callback when the IPVS table should follow.
 *
 * Identity.  A real server is (virtual server, address, port): the same
 * across a reload keeps its tally, slow start and counters.  A probe is
 * (type, target address and port, and every setting that changes what it
 * does or when): a real server in several virtual servers with the same
 * checker is probed once and the result goes to each (the issue's
 * "probed once and its result shared"); the same across a reload keeps its
 * state machine and timer; a changed checker is a new probe (it starts per
 * alpha), a removed one is cancelled.
 *
 * The IPVS side asks servers_up() and servers_weight() (ipvs_desired's
 * callbacks); on a change the `changed` callback runs, from the probe's
 * event, so several changes in one loop iteration should be coalesced by
 * the caller (checker_child.c uses a deferred event source). */
#ifndef LBHA_CHECKER_SERVERS_H
#define LBHA_CHECKER_SERVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-event.h>

#include "checker/ipvs_desired.h"

struct check_notify;
struct config_real_server;
struct lbha_config;
struct probe_http_options;
struct kernel_seed;
struct servers;

/* A real server's state or weight changed: the IPVS table should follow. */
typedef void (*servers_changed_fn)(void *userdata);

/* Make the runtime on `e`.  HTTP_GET runs on the checker's own client, made
 * here; SSL_GET on libcurl, made with `http` (copied; NULL: defaults) when
 * the first SSL_GET probe starts.  An engine that cannot be made is logged
 * and its checks fail as local errors.  notify_up and notify_down run through `notify` (the caller's; it
 * must outlive s).  Logs. */
struct servers *servers_new(sd_event *e, const struct probe_http_options *http,
			    struct check_notify *notify, servers_changed_fn changed, void *userdata);

/* The HTTPS engine's settings changed (the config's SSL block): a running
 * engine is remade, its runs cancelled and started again on the new one, so
 * no probe's state or timer is lost; when the new engine cannot be made, the
 * old one stays (logged).  Without a running engine they are kept for the
 * first SSL_GET probe.  Logs. */
void servers_set_http_options(struct servers *s, const struct probe_http_options *http);
/* How the real servers stood in the kernel (kernel_seed.h; taken, freed by
 * s): the next servers_apply() starts each new checker from it instead of
 * from alpha.  A checker shared by several real servers starts down when
 * the kernel had any of them down, up when it had all of them up. */
void servers_seed(struct servers *s, struct kernel_seed *seed, size_t n);

/* Real servers known (of every virtual server). */
size_t servers_count(const struct servers *s);

/* Cancels every probe, timer and notify run.  NULL-safe; returns NULL. */
struct servers *servers_free(struct servers *s);

/* Use `cfg` from now on (the previous config may be freed once this
 * returns): match real servers and probes by identity, keep what stays,
 * make what is new (not started), cancel what went.  A kept real server
 * whose set of checkers changed is recounted and may change state (logged,
 * `changed` called). */
void servers_apply(struct servers *s, const struct lbha_config *cfg);

/* Start the probes not started yet (their first probe is spread over the
 * warmup).  Call after the first reconcile of a config. */
void servers_start(struct servers *s);

/* ipvs_desired's callbacks; userdata is the struct servers.  A real server
 * the runtime does not know is up with its configured weight. */
bool servers_up(const struct config_real_server *rs, void *userdata);
uint32_t servers_weight(const struct config_real_server *rs, void *userdata);

/* True (once) when checker.json should be written again: at once for a
 * state, weight or first verdict; for counters alone, rate-limited by the
 * size of the config (every second per 200 servers, at most 10 s). */
bool servers_take_dirty(struct servers *s);

/* Write `,\n  "health": {...},\n  "virtual_servers": [...]` (members of
 * checker.json) for the config last applied; `vs` (may be NULL) holds each
 * virtual server's quorum state, n of them. */
void servers_status_write(const struct servers *s, const struct ipvs_desired_vs *vs, size_t n,
			  FILE *f);

#endif
