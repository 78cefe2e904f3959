#include <config.h>

/* The checker child: health checks of the real servers (checker/servers.h)
 * driving the IPVS reconcile (checker/reconcile.h).
 *
 *   start     load <runtime dir>/ipvs-owned, open IPVS (retried with backoff
 *             while the kernel has none: the daemon keeps running and probing)
 *   apply     the SSL block into the HTTP engine (remade when it changed),
 *             match real servers and probes to the new config, lvs_flush
 *             once per daemon start, lvs_timeouts, reconcile, then start
 *             the new probes
 *   health    a real server's change schedules one reconcile (a deferred
 *             source: all changes of one loop iteration in one run); quorum
 *             changes run quorum_up/quorum_down
 *   status    checker.json on one timer (checker/status_pace.h): a change
 *             at once, or at the end of a gap since the last one; counters
 *             every second at most (servers_take_dirty() limits more)
 *   periodic  reconcile every LBHA_RECONCILE_INTERVAL_MS (default 10 s; 0:
 *             never), so `ipvsadm -C` or a hand edit is repaired
 *   shutdown  remove our services, flush (lvs_flush_onstop) or keep them (-I)
 *
 * LBHA_RECONCILE_INTERVAL_MS is read once at start; it is meant for tests
 * and is documented in lbha(8). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "backoff.h"
#include "checker/check_notify.h"
#include "checker/checker_metrics.h"
#include "checker/checker_child.h"
#include "checker/ipvs_owned.h"
#include "checker/kernel_seed.h"
#include "checker/probe_http.h"
#include "checker/reconcile.h"
#include "checker/servers.h"
#include "checker/status_pace.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "daemon/options.h"
#include "ipvs.h"
#include "log.h"
#include "xalloc.h"

#define RECONCILE_INTERVAL_DEFAULT_MS 10000ULL
#define RECONCILE_INTERVAL_MIN_MS 50ULL
#define RECONCILE_INTERVAL_ENV "LBHA_RECONCILE_INTERVAL_MS"
/* Retrying to open IPVS: 1 s, doubling up to a minute. */
#define OPEN_RETRY_MIN_USEC 1000000ULL
#define OPEN_RETRY_MAX_USEC 60000000ULL
/* Records which daemon (parent pid) already did the start-up lvs_flush, so a
 * checker that is restarted does not flush again what it just installed. */
#define FLUSH_MARKER_FILE "ipvs-flushed"
/* checker.json follows probe results at most this often. */
#define STATUS_INTERVAL_USEC 1000000ULL
/* The status timer's slack: the tick may be late (and wake with others), a
 * change held back for the gap is not. */
#define STATUS_TICK_ACCURACY_USEC (STATUS_INTERVAL_USEC / 10)
#define STATUS_CHANGE_ACCURACY_USEC 1000ULL

struct checker_ctx {
	struct child_ctx *frame;
	sd_event *event;
	struct reconcile *rec;
	const struct lbha_config *cfg;
	sd_event_source *open_timer, *period_timer;
	sd_event_source *health_defer;  /* one reconcile for the changes of an iteration */
	sd_event_source *status_timer; /* checker.json: ticks and held-back changes */
	struct status_pace status;
	struct servers *servers;
	struct check_notify *notify;
	struct backoff open_backoff;
	uint64_t interval_ms;          /* 0: no periodic reconcile */
	char *flush_marker;
	bool start_flush_checked;
};

static uint64_t read_interval(void)
{
	const char *s = getenv(RECONCILE_INTERVAL_ENV);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return RECONCILE_INTERVAL_DEFAULT_MS;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || *s == '-') {
		log_warning("%s=%s is not a number of milliseconds, using %llu", RECONCILE_INTERVAL_ENV,
			    s, RECONCILE_INTERVAL_DEFAULT_MS);
		return RECONCILE_INTERVAL_DEFAULT_MS;
	}
	if (v && v < RECONCILE_INTERVAL_MIN_MS)
		v = RECONCILE_INTERVAL_MIN_MS;
	return v;
}

/* ---- the start-up flush ---------------------------------------------------- */

/* True the first time this daemon (our parent) asks; the answer is recorded
 * in the runtime dir, which outlives a checker restart. */
static bool first_for_this_daemon(struct checker_ctx *ctx)
{
	char *text = NULL, mine[32];
	size_t len;
	bool first;

	snprintf(mine, sizeof(mine), "%ld\n", (long)getppid());
	first = atomic_file_read(ctx->flush_marker, sizeof(mine), &text, &len) < 0 ||
		strcmp(text, mine) != 0;
	free(text);
	if (first) {
		int r = atomic_file_write(ctx->flush_marker, mine, strlen(mine), 0644);
		if (r < 0)
			log_errno(LOG_WARNING, r, "cannot write %s", ctx->flush_marker);
	}
	return first;
}

static void start_flush(struct checker_ctx *ctx)
{
	if (ctx->start_flush_checked)
		return;
	ctx->start_flush_checked = true;
	if (!first_for_this_daemon(ctx)) {
		if (ctx->cfg->global.lvs_flush)
			log_info("lvs_flush: this daemon flushed at its start already; not again");
		return;
	}
	if (!ctx->cfg->global.lvs_flush)
		return;
	log_info("lvs_flush: flushing the IPVS table before the first reconcile");
	int r = reconcile_flush(ctx->rec);
	if (r < 0)
		log_errno(LOG_WARNING, r, "lvs_flush failed");
}

/* ---- opening IPVS, and reconciling ------------------------------------------ */

static void try_open(struct checker_ctx *ctx);

static int on_open_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	try_open(userdata);
	return 0;
}

static void schedule_open(struct checker_ctx *ctx)
{
	uint64_t delay = backoff_next(&ctx->open_backoff, 0);
	int r;

	if (ctx->open_timer) {
		uint64_t now;
		sd_event_now(ctx->event, CLOCK_MONOTONIC, &now);
		sd_event_source_set_time(ctx->open_timer, now + delay);
		r = sd_event_source_set_enabled(ctx->open_timer, SD_EVENT_ONESHOT);
	} else {
		r = sd_event_add_time_relative(ctx->event, &ctx->open_timer, CLOCK_MONOTONIC, delay,
					       100000, on_open_timer, ctx);
		if (r >= 0)
			sd_event_source_set_description(ctx->open_timer, "ipvs-open");
	}
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot arm the IPVS retry timer");
	else
		log_debug("retrying to open IPVS in %llu ms", (unsigned long long)(delay / 1000));
}

static uint64_t now_usec(const struct checker_ctx *ctx)
{
	uint64_t now = 0;

	sd_event_now(ctx->event, CLOCK_MONOTONIC, &now);
	return now;
}

/* The least time between two checker.json for changes: 20 us per real
 * server (10,000: 0.2 s), since at 10,000 the file is 4.5 MB and a burst of
 * changes (every server's first verdict at start) must not build it
 * hundreds of times a second. */
static uint64_t status_gap_usec(const struct checker_ctx *ctx)
{
	return 20 * (uint64_t)servers_count(ctx->servers);
}

static void publish(struct checker_ctx *ctx)
{
	uint64_t now = now_usec(ctx);

	status_pace_published(&ctx->status, now);
	/* what was dirty is in this one: the next tick need not write again */
	(void)servers_take_dirty(ctx->servers);
	child_publish_status(ctx->frame);
}

/* The status timer follows the pace: the tick, or a pending change's gap. */
static void status_arm(struct checker_ctx *ctx)
{
	bool change;
	uint64_t due = status_pace_due(&ctx->status, status_gap_usec(ctx), &change);
	int r;

	if (!ctx->status_timer)
		return;
	r = sd_event_source_set_time(ctx->status_timer, due);
	if (r >= 0)
		r = sd_event_source_set_time_accuracy(ctx->status_timer,
						      change ? STATUS_CHANGE_ACCURACY_USEC
							     : STATUS_TICK_ACCURACY_USEC);
	if (r >= 0)
		r = sd_event_source_set_enabled(ctx->status_timer, SD_EVENT_ONESHOT);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot arm the status timer");
}

/* checker.json after a change: at once, or when the gap since the last one
 * has passed (once, however many changes came in between). */
static void publish_soon(struct checker_ctx *ctx)
{
	/* no timer: nothing would write it later */
	if (!ctx->status_timer || status_pace_change(&ctx->status, now_usec(ctx),
						     status_gap_usec(ctx)))
		publish(ctx);
	status_arm(ctx);
}

static int on_status_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct checker_ctx *ctx = userdata;

	enum status_pace_action a = status_pace_fire(&ctx->status, now_usec(ctx),
						    status_gap_usec(ctx));

	if (a == STATUS_PACE_PUBLISH ||
	    (a == STATUS_PACE_IF_DIRTY && servers_take_dirty(ctx->servers)))
		publish(ctx);
	status_arm(ctx);
	return 0;
}

static void sync_ipvs(struct checker_ctx *ctx, enum reconcile_reason why)
{
	int r;

	if (!ctx->cfg)
		return;
	if (!reconcile_is_open(ctx->rec)) {
		/* no kernel updates, but quorum (and its scripts) follow health */
		reconcile_run(ctx->rec, why);
		if (why != RECONCILE_CONFIG)
			publish_soon(ctx);
		return;
	}
	start_flush(ctx);
	reconcile_set_timeouts(ctx->rec, &ctx->cfg->global.lvs_timeouts);
	r = reconcile_run(ctx->rec, why);
	if (r < 0 && r != -ENOTCONN) {
		/* the socket is unusable (ip_vs unloaded?): start over */
		reconcile_close(ctx->rec);
		schedule_open(ctx);
	}
	/* after a config, the frame publishes the status with the new
	 * generation (child.c): one status text per reload, not two */
	if (why != RECONCILE_CONFIG)
		publish_soon(ctx);
}

static void try_open(struct checker_ctx *ctx)
{
	if (reconcile_open(ctx->rec) < 0) {
		schedule_open(ctx);
		publish_soon(ctx);
		return;
	}
	ctx->open_backoff.next_usec = 0;
	sync_ipvs(ctx, RECONCILE_REOPEN);
}

static int on_period(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct checker_ctx *ctx = userdata;

	if (reconcile_is_open(ctx->rec))
		sync_ipvs(ctx, RECONCILE_PERIODIC);
	sd_event_source_set_time(s, usec + ctx->interval_ms * 1000);
	return sd_event_source_set_enabled(s, SD_EVENT_ON);
}

/* ---- health ---------------------------------------------------------------- */

static int on_health_defer(sd_event_source *s, void *userdata)
{
	sync_ipvs(userdata, RECONCILE_HEALTH);
	return 0;
}

static void on_servers_changed(void *userdata)
{
	struct checker_ctx *ctx = userdata;

	if (ctx->health_defer)
		sd_event_source_set_enabled(ctx->health_defer, SD_EVENT_ONESHOT);
	else
		sync_ipvs(ctx, RECONCILE_HEALTH);
}

static void on_quorum(const struct config_virtual_server *vs, enum ipvs_quorum from,
		      enum ipvs_quorum to, void *userdata)
{
	struct checker_ctx *ctx = userdata;
	char name[CONFIG_SERVICE_STRLEN], *who;

	/* keepalived starts with quorum: losing it at start is a loss, and
	 * the first state being "up" is no news */
	if (!(to == IPVS_QUORUM_UP && from == IPVS_QUORUM_DOWN) &&
	    !(to == IPVS_QUORUM_DOWN && from != IPVS_QUORUM_DOWN))
		return;
	who = xasprintf("[VS %s]", config_vs_to_string(vs, name, sizeof(name)));
	check_notify_run(ctx->notify, to == IPVS_QUORUM_UP ? vs->quorum_up : vs->quorum_down, who,
			 to == IPVS_QUORUM_UP ? "quorum_up" : "quorum_down");
	free(who);
}

static void health_setup(struct checker_ctx *ctx)
{
	int r;

	ctx->notify = check_notify_new(ctx->event);
	/* the SSL block is not known yet: the first apply sets it */
	ctx->servers = servers_new(ctx->event, NULL, ctx->notify, on_servers_changed, ctx);
	reconcile_set_health(ctx->rec, &(struct ipvs_desired_health){
		.up = servers_up, .weight = servers_weight, .userdata = ctx->servers });
	reconcile_set_quorum_callback(ctx->rec, on_quorum, ctx);
	r = sd_event_add_defer(ctx->event, &ctx->health_defer, on_health_defer, ctx);
	if (r >= 0) {
		sd_event_source_set_enabled(ctx->health_defer, SD_EVENT_OFF);
		sd_event_source_set_description(ctx->health_defer, "health-reconcile");
	} else {
		log_errno(LOG_ERR, r, "cannot make the health reconcile source: one reconcile per change");
		ctx->health_defer = NULL;
	}
	status_pace_init(&ctx->status, STATUS_INTERVAL_USEC, now_usec(ctx));
	r = sd_event_add_time(ctx->event, &ctx->status_timer, CLOCK_MONOTONIC, 0,
			      STATUS_TICK_ACCURACY_USEC, on_status_timer, ctx);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot make the status timer: checker.json follows changes only");
		ctx->status_timer = NULL;
		return;
	}
	sd_event_source_set_description(ctx->status_timer, "status");
	status_arm(ctx);
}

/* ---- the SSL block ----------------------------------------------------------- */

static bool str_same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static bool ssl_same(const struct config_ssl *a, const struct config_ssl *b)
{
	return str_same(a->password, b->password) && str_same(a->ca, b->ca) &&
	       str_same(a->certificate, b->certificate) && str_same(a->key, b->key);
}

/* keepalived's SSL context for SSL_GET: its client certificate, key and
 * password, and its CA file, which (as in keepalived) verifies nothing: the
 * server's certificate is not checked. */
static void apply_ssl(struct checker_ctx *ctx, const struct lbha_config *cfg)
{
	static const struct config_ssl none = { 0 };
	const struct config_ssl *was = ctx->cfg ? &ctx->cfg->ssl : &none;
	const struct config_ssl *ssl = &cfg->ssl;

	if (ssl_same(was, ssl))
		return;
	if (ctx->cfg)
		log_info("the SSL block changed: SSL_GET probes use it from now on");
	servers_set_http_options(ctx->servers, &(struct probe_http_options){
		.ca_file = ssl->ca, .cert_file = ssl->certificate, .key_file = ssl->key,
		.key_password = ssl->password, .verify = false });
}

/* ---- role hooks ------------------------------------------------------------ */

static int checker_start(struct child_ctx *frame, sd_event *e, void **ret_state)
{
	struct checker_ctx *ctx = xnew(struct checker_ctx);
	const char *dir = child_options(frame)->runtime_dir;
	char *owned = xasprintf("%s/%s", dir, IPVS_OWNED_FILE);
	int r;

	ctx->frame = frame;
	ctx->event = e;
	ctx->open_backoff = (struct backoff)BACKOFF_INIT(OPEN_RETRY_MIN_USEC, OPEN_RETRY_MAX_USEC,
							 UINT64_MAX);
	ctx->flush_marker = xasprintf("%s/%s", dir, FLUSH_MARKER_FILE);
	ctx->interval_ms = read_interval();
	ctx->rec = reconcile_new(owned);
	free(owned);
	if (ctx->interval_ms) {
		r = sd_event_add_time_relative(e, &ctx->period_timer, CLOCK_MONOTONIC,
					       ctx->interval_ms * 1000, ctx->interval_ms * 50,
					       on_period, ctx);
		if (r < 0)
			log_errno(LOG_ERR, r, "cannot arm the reconcile timer: no periodic repair");
		else
			sd_event_source_set_description(ctx->period_timer, "ipvs-reconcile");
	}
	health_setup(ctx);
	try_open(ctx);
	*ret_state = ctx;
	return 0;
}

/* This process's first config: a checker restarted after a crash starts
 * its servers as the kernel's table has them (kernel_seed.h). */
static void seed_from_kernel(struct checker_ctx *ctx, const struct lbha_config *cfg)
{
	struct ipvs_table kernel = { 0 };
	struct kernel_seed *seed = NULL;
	size_t n;

	if (reconcile_read_kernel(ctx->rec, &kernel) < 0)
		return;
	n = kernel_seed_build(cfg, &kernel, &seed);
	ipvs_table_clear(&kernel);
	servers_seed(ctx->servers, seed, n);
}

static int checker_apply(void *state, const struct lbha_config *cfg, uint64_t generation)
{
	struct checker_ctx *ctx = state;

	if (!ctx->cfg)
		seed_from_kernel(ctx, cfg);
	/* servers first: the reconcile asks it about the new config's servers */
	servers_apply(ctx->servers, cfg);
	apply_ssl(ctx, cfg);
	reconcile_set_config(ctx->rec, cfg, ctx->cfg);
	ctx->cfg = cfg;
	sync_ipvs(ctx, RECONCILE_CONFIG);
	servers_start(ctx->servers);
	return 0;
}

static int checker_shutdown(void *state)
{
	struct checker_ctx *ctx = state;

	if (ctx->cfg && reconcile_is_open(ctx->rec))
		reconcile_stop(ctx->rec, ctx->cfg->global.lvs_flush_onstop,
			       child_options(ctx->frame)->dont_release_ipvs);
	return 0;
}

static void checker_stop(void *state)
{
	struct checker_ctx *ctx = state;

	if (!ctx)
		return;
	sd_event_source_disable_unref(ctx->open_timer);
	sd_event_source_disable_unref(ctx->period_timer);
	sd_event_source_disable_unref(ctx->health_defer);
	sd_event_source_disable_unref(ctx->status_timer);
	servers_free(ctx->servers);
	check_notify_free(ctx->notify);
	reconcile_free(ctx->rec);
	free(ctx->flush_marker);
	free(ctx);
}

static void checker_status_extra(void *state, FILE *f)
{
	struct checker_ctx *ctx = state;

	const struct ipvs_desired_vs *vs;
	size_t n;

	reconcile_status_write(ctx->rec, f, ctx->interval_ms);
	vs = reconcile_vs_states(ctx->rec, &n);
	servers_status_write(ctx->servers, vs, n, f);
}

static void checker_metrics(void *state, FILE *f)
{
	struct checker_ctx *ctx = state;
	struct ipvs_counters nl;

	reconcile_netlink_counters(ctx->rec, &nl);
	checker_metrics_write(ctx->servers, reconcile_stats(ctx->rec), reconcile_is_open(ctx->rec),
			      &nl, f);
}

const struct child_role checker_child_role = {
	.name = "checker",
	.title = "lbha-checker",
	.start = checker_start,
	.apply = checker_apply,
	.shutdown = checker_shutdown,
	.stop = checker_stop,
	.status_extra = checker_status_extra,
	.metrics = checker_metrics,
	/* Removing our services at stop: 1,000 take about a second in an
	 * emulated VM; systemd's TimeoutStopSec (30 s) is the outer bound. */
	.stop_timeout_usec = 20000000ULL,
};
