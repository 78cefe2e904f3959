/* probe_run: one check of one checker, whatever its type, and what its
 * result means to the health logic.
 *
 * The checker child does not care whether a checker is HTTP_GET, SSL_GET,
 * TCP_CHECK or MISC_CHECK: it starts a run and gets one struct probe_result
 * back.  An HTTP checker with several url blocks fetches them one after the
 * other, as keepalived does, and the first url that fails is the result
 * (all pass: the last url's result).
 *
 * probe_run_health() maps a raw probe result to the health logic's result
 * with a table (reason, and which field is the code); MISC_CHECK exits go
 * through health_misc_exit() for misc_dynamic.
 *
 * Library code: never logs. */
#ifndef LBHA_CHECKER_PROBE_RUN_H
#define LBHA_CHECKER_PROBE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#include "checker/health.h"
#include "checker/probe_misc.h"
#include "checker/probe_result.h"

struct config_checker;
struct http_url_check;
struct probe_http;
struct probe_http1;
struct probe_http1_conn;
struct probe_run;

/* What the runs share: the loop, the HTTP engines (NULL when they could not
 * be made: such checks then fail as local errors) and the script settings
 * of global_defs.  HTTP_GET runs on the checker's own client (http1) when
 * there is one, SSL_GET on libcurl (http). */
struct probe_run_env {
	sd_event *event;
	struct probe_http *http;
	struct probe_http1 *http1;
	struct probe_misc_options misc;
};

/* Called once per run from the loop, never from inside probe_run_start();
 * the run is freed when it returns: forget the handle. */
typedef void (*probe_run_done_fn)(const struct probe_result *res, void *userdata);

/* Start one check of `ck`.  For HTTP_GET/SSL_GET, `urls` are its compiled
 * url blocks (n_urls >= 1; they and ck must outlive the run); `keep` is
 * HTTP_GET's slot for a kept connection (probe_http1_start), may be NULL.  Returns 0 and
 * the run in *ret, or a negative errno (-EINVAL: nothing to probe with, e.g.
 * an HTTP checker without urls or an engine). */
int probe_run_start(const struct probe_run_env *env, const struct config_checker *ck,
		    struct http_url_check *const *urls, size_t n_urls,
		    struct probe_http1_conn **keep, probe_run_done_fn cb, void *userdata,
		    struct probe_run **ret);

/* Stop a run without calling its callback.  NULL-safe; returns NULL. */
struct probe_run *probe_run_cancel(struct probe_run *r);

/* The health logic's view of a probe result.  `misc_dynamic`: the checker
 * is a MISC_CHECK with misc_dynamic (exit codes 2..255 are weights).  A
 * script that could not be started counts as a failed check (exit code 127,
 * what a forked shell would give), not as our error: a missing or refused
 * script must take the server out, as in keepalived. */
struct health_result probe_run_health(const struct probe_result *r, bool misc_dynamic);

#endif
