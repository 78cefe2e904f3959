/* servers_int: the structures behind struct servers, shared by servers.c
 * (the runtime) and servers_status.c (checker.json).  Not for other users. */
#ifndef LBHA_CHECKER_SERVERS_INT_H
#define LBHA_CHECKER_SERVERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "checker/checker_metrics.h"
#include "checker/health.h"
#include "checker/kernel_seed.h"
#include "checker/probe_result.h"
#include "checker/probe_http.h"
#include "checker/probe_run.h"
#include "checker/servers.h"
#include "checker/slow_start.h"
#include "timer_set.h"

struct config_checker;
struct config_real_server;
struct config_virtual_server;
struct srv_rs;

/* One probe: a checker, shared by every real server with the same one. */
struct srv_probe {
	struct timer_entry timer;          /* first: on_probe_timer() casts back */
	struct servers *s;
	char *key;                         /* identity (servers.c probe_key) */
	const struct config_checker *ck;   /* the first user's, in the current config */
	struct http_url_check **urls;      /* HTTP: compiled url blocks */
	size_t n_urls;
	struct health_checker hc;
	struct probe_run *run;             /* in flight, or NULL */
	struct probe_http1_conn *kept;     /* HTTP_GET keepalive_time: the connection */
	struct probe_result last;          /* the last raw result */
	uint64_t reused;                   /* results over a kept connection */
	struct srv_rs **users;
	size_t n_users, alloc_users;
	bool taken;                        /* apply: matched already */
};

/* One real server of one virtual server. */
struct srv_rs {
	struct servers *s;
	char *key;                         /* identity (virtual server, address, port) */
	char *vsname, *name;               /* "10.0.0.1:80/TCP", "10.0.1.2:80" */
	char *who;                         /* "[VS 10.0.0.1:80/TCP] real server 10.0.1.2:80" */
	const struct config_real_server *cfg;
	const struct config_virtual_server *vs;
	struct srv_probe **probes;         /* its checkers */
	size_t n_probes;
	struct health_rs tally;
	struct slow_start ss;
	struct timer_entry ss_timer;       /* the ramp's next step, on s->timers */
	uint64_t last_change_wall;         /* time(NULL) of the last change, 0: none */
	uint64_t ups, downs;
	bool fresh;                        /* apply: made for this config */
	bool taken;                        /* apply: matched already */
};

struct servers {
	sd_event *event;
	const struct lbha_config *cfg;     /* the config last applied */
	struct probe_run_env env;
	/* every probe's next check and every ramp's next step: one sd-event
	 * source however many servers recover at once */
	struct timer_set *timers;
	/* the HTTPS engine's settings, owned: env.http is made from them on
	 * the first SSL_GET probe (libcurl and OpenSSL cost memory and start
	 * time a config without SSL_GET need not pay) */
	struct probe_http_options http_opts;
	bool http_failed;                  /* making env.http failed: said once */
	struct kernel_seed *seed;          /* for the next apply's new probes (servers_seed) */
	size_t n_seed;
	struct check_notify *notify;
	struct health_rng rng;
	servers_changed_fn changed;
	void *userdata;
	struct srv_rs **rs;                /* sorted by key */
	struct srv_rs **by_cfg;            /* the same, sorted by cfg pointer */
	size_t n_rs;
	struct srv_probe **probes;         /* sorted by key */
	size_t n_probes;
	uint64_t checks, failures;         /* probe results, failed ones */
	bool dirty;                        /* counters or results checker.json shows changed */
	bool dirty_state;                  /* a state, weight or first verdict changed */
	uint64_t published_usec;           /* when servers_take_dirty() last said yes */
	struct checker_probe_stats probe_stats;  /* results by reason, latencies (metrics) */
};

/* The runtime entry of a config real server, or NULL. */
struct srv_rs *servers_find(const struct servers *s, const struct config_real_server *cfg);

#endif
