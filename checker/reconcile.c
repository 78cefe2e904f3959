#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monotonic.h"
#include "checker/ipvs_diff.h"
#include "checker/ipvs_owned.h"
#include "checker/reconcile.h"
#include "daemon/lbha_config.h"
#include "ipvs.h"
#include "log.h"
#include "ratelimit.h"
#include "xalloc.h"

/* A change that keeps failing (a scheduler the kernel lacks, say) fails
 * again every period: say so at most this often. */
#define FAIL_LOG_INTERVAL_USEC (60 * 1000000ULL)
#define FAIL_LOG_BURST 20
/* More changes than this in one batch: a summary line instead of one each. */
#define RECONCILE_LOG_EACH_MAX 64

struct reconcile {
	char *owned_path;
	struct ipvs_owned owned;
	struct ipvs *ipvs;
	struct ipvs_counters nl_closed;   /* netlink counters of sockets closed before */
	const struct lbha_config *cfg;
	struct ipvs_desired_vs *vs_state; /* cfg->virtual_servers.n */
	size_t n_vs;
	enum ipvs_quorum *quorum_before;  /* scratch for transition logs */
	struct ipvs_desired_health health;
	reconcile_quorum_fn quorum_fn;
	void *quorum_data;
	struct config_lvs_timeouts timeouts_set;
	bool timeouts_valid;              /* timeouts_set is what this socket set */
	/* The wanted table of the last run whose every change succeeded: what
	 * the kernel holds of ours, unless someone edited it since (the
	 * periodic run repairs that).  A config run diffs against it instead
	 * of dumping the kernel, so a reload costs netlink requests only for
	 * what it changes: none when nothing did. */
	struct ipvs_table applied;
	bool applied_valid;
	bool open_failed_logged;
	struct ratelimit fail_log;
	struct reconcile_stats st;
};

static const char *const reason_names[_RECONCILE_REASON_MAX] = {
	[RECONCILE_CONFIG] = "config",
	[RECONCILE_REOPEN] = "reopen",
	[RECONCILE_PERIODIC] = "periodic",
	[RECONCILE_HEALTH] = "health",
};

static const char *const result_names[_RECONCILE_RESULT_MAX] = {
	[RECONCILE_NEVER] = "never",
	[RECONCILE_OK] = "ok",
	[RECONCILE_OPS_FAILED] = "changes failed",
	[RECONCILE_DUMP_FAILED] = "dump failed",
	[RECONCILE_SEND_FAILED] = "netlink failed",
	[RECONCILE_NO_IPVS] = "no ipvs",
};

const char *reconcile_reason_to_string(enum reconcile_reason r)
{
	return r >= 0 && r < _RECONCILE_REASON_MAX ? reason_names[r] : NULL;
}

const char *reconcile_result_to_string(enum reconcile_result r)
{
	return r >= 0 && r < _RECONCILE_RESULT_MAX ? result_names[r] : NULL;
}

struct reconcile *reconcile_new(const char *owned_path)
{
	struct reconcile *r = xnew(struct reconcile);
	size_t bad = 0;
	int err;

	r->owned_path = xstrdup(owned_path);
	r->fail_log = (struct ratelimit)RATELIMIT_INIT(FAIL_LOG_INTERVAL_USEC, FAIL_LOG_BURST);
	err = ipvs_owned_load(owned_path, &r->owned, &bad);
	if (err < 0)
		log_errno(LOG_WARNING, err,
			  "cannot read %s: services lbha created before are not known, so none "
			  "will be removed", owned_path);
	else if (bad)
		log_warning("%s: %zu damaged lines ignored", owned_path, bad);
	if (r->owned.n)
		log_info("%zu IPVS services are lbha's (from %s)", r->owned.n, owned_path);
	r->st.services_owned = r->owned.n;
	return r;
}

static void forget_applied(struct reconcile *r)
{
	ipvs_table_clear(&r->applied);
	r->applied_valid = false;
}

void reconcile_close(struct reconcile *r)
{
	if (!r->ipvs)
		return;
	const struct ipvs_counters *c = ipvs_counters(r->ipvs);
	r->nl_closed.requests += c->requests;
	r->nl_closed.messages += c->messages;
	r->nl_closed.read_requests += c->read_requests;
	r->nl_closed.errors += c->errors;
	r->ipvs = ipvs_close(r->ipvs);
	r->timeouts_valid = false;
	forget_applied(r);
}

struct reconcile *reconcile_free(struct reconcile *r)
{
	if (!r)
		return NULL;
	reconcile_close(r);
	forget_applied(r);
	ipvs_owned_clear(&r->owned);
	free(r->vs_state);
	free(r->quorum_before);
	free(r->owned_path);
	free(r);
	return NULL;
}

void reconcile_set_health(struct reconcile *r, const struct ipvs_desired_health *h)
{
	r->health = h ? *h : (struct ipvs_desired_health){ 0 };
}

void reconcile_set_quorum_callback(struct reconcile *r, reconcile_quorum_fn fn, void *userdata)
{
	r->quorum_fn = fn;
	r->quorum_data = userdata;
}

const struct ipvs_desired_vs *reconcile_vs_states(const struct reconcile *r, size_t *ret_n)
{
	*ret_n = r->n_vs;
	return r->vs_state;
}

bool reconcile_is_open(const struct reconcile *r)
{
	return r->ipvs != NULL;
}

int reconcile_open(struct reconcile *r)
{
	struct ipvs_info info = { 0 };
	int err;

	if (r->ipvs)
		return 0;
	err = ipvs_open(&r->ipvs);
	if (err < 0) {
		r->ipvs = NULL;
		r->st.open_failures++;
		if (!r->open_failed_logged)
			log_errno(LOG_ERR, err,
				  "IPVS is not available%s; kernel updates are off until it is "
				  "(retrying; health checks go on)",
				  err == -ENOENT ? " (is the ip_vs module loaded? modprobe ip_vs)" : "");
		r->open_failed_logged = true;
		return err;
	}
	if (ipvs_get_info(r->ipvs, &info) == 0)
		log_info("IPVS %u.%u.%u open (connection table size %u)", info.version >> 16,
			 (info.version >> 8) & 0xff, info.version & 0xff, info.conn_tab_size);
	else
		log_info("IPVS open");
	r->open_failed_logged = false;
	return 0;
}

/* ---- config ---------------------------------------------------------------- */

static void log_problems(const struct ipvs_desired_report *rep)
{
	for (size_t i = 0; i < rep->n_problems; i++) {
		const struct ipvs_desired_problem *p = &rep->problems[i];
		char s[IPVS_SERVICE_STRLEN], d[IPVS_DEST_STRLEN];

		ipvs_service_to_string(&p->svc, s, sizeof(s));
		switch (p->type) {
		case IPVS_DESIRED_DUPLICATE_DEST:
		case IPVS_DESIRED_FAMILY_MISMATCH:
			log_warning("%s:%u: %s: %s in %s, ignoring it",
				    p->where ? p->where->file : "?", p->where ? p->where->line : 0,
				    ipvs_desired_problem_to_string(p->type),
				    ipvs_dest_to_string(&p->dest, d, sizeof(d)), s);
			break;
		case IPVS_DESIRED_RANGE_TRUNCATED:
			log_warning("%s:%u: %s: more than %u services, the rest from %s is left out",
				    p->where ? p->where->file : "?", p->where ? p->where->line : 0,
				    ipvs_desired_problem_to_string(p->type), IPVS_DESIRED_MAX_RANGE, s);
			break;
		default:
			log_warning("%s:%u: %s: %s, ignoring this one",
				    p->where ? p->where->file : "?", p->where ? p->where->line : 0,
				    ipvs_desired_problem_to_string(p->type), s);
			break;
		}
	}
}

void reconcile_set_config(struct reconcile *r, const struct lbha_config *cfg,
			  const struct lbha_config *old)
{
	size_t n = cfg->virtual_servers.n;
	struct ipvs_desired_vs *st = xcalloc(n ? n : 1, sizeof(*st));
	struct ipvs_desired_vs *scratch = xcalloc(n ? n : 1, sizeof(*scratch));
	struct ipvs_desired_report rep = { 0 };
	struct ipvs_table t = { 0 };

	/* A virtual server that stays keeps its quorum state, as keepalived
	 * copies quorum_state_up over a reload (clear_diff_services). */
	for (size_t i = 0; i < n && old && old == r->cfg; i++) {
		const struct config_virtual_server *vs = cfg->virtual_servers.items[i];
		for (size_t j = 0; j < r->n_vs; j++)
			if (ipvs_desired_vs_same(vs, old->virtual_servers.items[j])) {
				st[i].quorum = r->vs_state[j].quorum;
				break;
			}
	}
	free(r->vs_state);
	free(r->quorum_before);
	r->vs_state = st;
	r->n_vs = n;
	r->quorum_before = xcalloc(n ? n : 1, sizeof(*r->quorum_before));
	r->cfg = cfg;

	/* What the config cannot become is said once per config, from a
	 * trial build on a copy (the real runs move the quorum states). */
	memcpy(scratch, st, n * sizeof(*st));
	ipvs_desired_build_health(cfg, &r->health, scratch, &t, &rep);
	log_problems(&rep);
	r->st.config_problems = rep.n_problems;
	r->st.services_wanted = rep.services;
	r->st.dests_wanted = rep.dests;
	ipvs_desired_report_clear(&rep);
	ipvs_table_clear(&t);
	free(scratch);
}

/* ---- runs ---------------------------------------------------------------- */

static void log_quorum_changes(struct reconcile *r)
{
	char name[CONFIG_SERVICE_STRLEN];

	r->st.vs_quorum_down = r->st.vs_sorry_active = 0;
	for (size_t i = 0; i < r->n_vs; i++) {
		const struct config_virtual_server *vs = r->cfg->virtual_servers.items[i];
		const struct ipvs_desired_vs *s = &r->vs_state[i];

		r->st.vs_quorum_down += s->quorum == IPVS_QUORUM_DOWN;
		r->st.vs_sorry_active += s->sorry_active;
		if (s->quorum == r->quorum_before[i])
			continue;
		if (r->quorum_fn)
			r->quorum_fn(vs, r->quorum_before[i], s->quorum, r->quorum_data);
		config_vs_to_string(vs, name, sizeof(name));
		bool start = r->quorum_before[i] == IPVS_QUORUM_UNKNOWN;
		/* Starting with quorum is the normal case: not worth a line per
		 * virtual server at info. */
		if (s->quorum == IPVS_QUORUM_UP)
			log_msg(start ? LOG_DEBUG : LOG_INFO, "[VS %s] %s quorum: live weight %" PRIu64 " >= %" PRIu32 "+%" PRIu32,
				 name, start ? "starting with" : "gained", s->live_weight, vs->quorum,
				 vs->hysteresis);
		else
			log_info("[VS %s] %s quorum: live weight %" PRIu64 " < %" PRIu32 "%c%" PRIu32 "%s",
				 name, start ? "starting without" : "lost", s->live_weight, vs->quorum,
				 start ? '+' : '-', vs->hysteresis,
				 s->sorry_active ? "; the sorry server takes over" : "");
	}
}

static const char *op_text(const struct ipvs_op *op, char *buf, size_t size)
{
	return ipvs_op_to_string(op, buf, size);
}

/* Send a batch and log each op; `repair` marks changes that undo someone
 * else's.  Returns the number of failed ops, or a negative errno when the
 * socket failed. */
static int send_logged(struct reconcile *r, struct ipvs_batch *b, bool repair,
		       size_t *ret_failed)
{
	char text[IPVS_OP_STRLEN];
	size_t failed = 0;
	int n;

	if (!b->n_ops) {
		*ret_failed = 0;
		return 0;
	}
	n = ipvs_batch_send(r->ipvs, b);
	/* Each change has its line, unless there are so many (a start with
	 * thousands of services) that the lines would cost more than the
	 * changes: then one summary line, and each change at debug. */
	int each = b->n_ops <= RECONCILE_LOG_EACH_MAX ? LOG_INFO : LOG_DEBUG;
	size_t by_type[_IPVS_OP_MAX] = { 0 };
	for (size_t i = 0; i < b->n_ops; i++) {
		const struct ipvs_op *op = &b->ops[i];
		if (!op->error) {
			by_type[op->type]++;
			if (each == LOG_INFO || log_debug_enabled())
				log_msg(each, "%s%s", repair ? "repaired: " : "",
					 op_text(op, text, sizeof(text)));
			continue;
		}
		failed++;
		log_ratelimited(&r->fail_log, monotonic_usec(), LOG_WARNING, "%s failed: %s",
				op_text(op, text, sizeof(text)), strerror(-op->error));
	}
	*ret_failed = failed;
	if (each == LOG_DEBUG)
		log_info("%s%zu IPVS changes: services %zu added, %zu edited, %zu deleted; "
			 "destinations %zu added, %zu edited, %zu deleted; %zu failed",
			 repair ? "repaired: " : "", b->n_ops - failed,
			 by_type[IPVS_OP_ADD_SERVICE], by_type[IPVS_OP_EDIT_SERVICE],
			 by_type[IPVS_OP_DEL_SERVICE], by_type[IPVS_OP_ADD_DEST],
			 by_type[IPVS_OP_EDIT_DEST], by_type[IPVS_OP_DEL_DEST], failed);
	if (n < 0)
		log_errno(LOG_WARNING, n, "IPVS netlink socket failed");
	return n < 0 ? n : (int)failed;
}

static void save_owned(struct reconcile *r, struct ipvs_owned *next)
{
	int err;

	if (!ipvs_owned_equal(&r->owned, next)) {
		err = ipvs_owned_save(r->owned_path, next);
		if (err < 0)
			log_errno(LOG_WARNING, err,
				  "cannot write %s: a restart may not remove services lbha created",
				  r->owned_path);
	}
	ipvs_owned_clear(&r->owned);
	r->owned = *next;
	*next = (struct ipvs_owned){ 0 };
	r->st.services_owned = r->owned.n;
}

static void count_installed(struct reconcile *r, const struct ipvs_table *wanted,
			    const struct ipvs_batch *b)
{
	uint64_t dests = 0, svc_failed = 0, dest_failed = 0;

	for (size_t i = 0; i < wanted->n_services; i++)
		dests += wanted->services[i].n_dests;
	for (size_t i = 0; i < b->n_ops; i++) {
		svc_failed += b->ops[i].error && b->ops[i].type == IPVS_OP_ADD_SERVICE;
		dest_failed += b->ops[i].error && b->ops[i].type == IPVS_OP_ADD_DEST;
	}
	r->st.services_wanted = wanted->n_services;
	r->st.dests_wanted = dests;
	r->st.services_installed = wanted->n_services - svc_failed;
	r->st.dests_installed = dests - dest_failed;
}

static void finish_run(struct reconcile *r, enum reconcile_result result, uint64_t t0)
{
	r->st.last_result = result;
	r->st.last_duration_us = monotonic_usec() - t0;
	r->st.last_wall = (uint64_t)time(NULL);
}

/* Keep `wanted` (taken, *wanted emptied) as what the kernel holds of ours
 * when every change of the run succeeded; otherwise the next config run
 * dumps the kernel again. */
static void remember_applied(struct reconcile *r, struct ipvs_table *wanted, bool ok)
{
	forget_applied(r);
	if (!ok)
		return;
	r->applied = *wanted;
	*wanted = (struct ipvs_table){ 0 };
	r->applied_valid = true;
}

int reconcile_run(struct reconcile *r, enum reconcile_reason why)
{
	struct ipvs_table wanted = { 0 }, kernel = { 0 };
	struct ipvs_batch batch = { 0 };
	struct ipvs_diff_result res = { 0 };
	struct ipvs_owned next = { 0 };
	char s[IPVS_SERVICE_STRLEN];
	uint64_t t0 = monotonic_usec();
	size_t failed = 0, n_services;
	bool trusted, retry = false;
	int err;

	r->st.last_reason = why;
	if (!r->cfg) {
		finish_run(r, RECONCILE_NO_IPVS, t0);
		return -ENOTCONN;
	}
	/* Quorum follows health with or without IPVS: its scripts and
	 * checker.json must not wait for the kernel. */
	for (size_t i = 0; i < r->n_vs; i++)
		r->quorum_before[i] = r->vs_state[i].quorum;
	ipvs_desired_build_health(r->cfg, &r->health, r->vs_state, &wanted, NULL);
	log_quorum_changes(r);
	if (!r->ipvs) {
		ipvs_table_clear(&wanted);
		finish_run(r, RECONCILE_NO_IPVS, t0);
		return -ENOTCONN;
	}
	r->st.runs++;

	/* A reload trusts the last table it applied: an unchanged config
	 * costs no request at all, a changed one only its changes.  Every
	 * other run reads the kernel (repairs, reopen, health). */
	trusted = why == RECONCILE_CONFIG && r->applied_valid;
	if (!trusted) {
		err = ipvs_dump(r->ipvs, &kernel);
		if (err < 0) {
			r->st.dump_failures++;
			r->st.errors++;
			log_errno(LOG_WARNING, err, "cannot read the kernel's IPVS table, not reconciling");
			forget_applied(r);
			finish_run(r, RECONCILE_DUMP_FAILED, t0);
			goto out;
		}
	}
	ipvs_diff(&wanted, trusted ? &r->applied : &kernel, &r->owned, &batch, &res);
	for (size_t i = 0; i < res.n_taken_over; i++)
		log_notice("taking over service %s: it was in the kernel already, not made by lbha",
			   ipvs_service_to_string(&res.taken_over[i], s, sizeof(s)));
	r->st.takeovers += res.n_taken_over;
	if (!trusted)
		r->st.services_foreign = res.foreign;

	err = send_logged(r, &batch, why == RECONCILE_PERIODIC, &failed);
	r->st.last_changes = batch.n_ops - failed;
	r->st.last_errors = failed;
	r->st.changes += batch.n_ops - failed;
	if (why == RECONCILE_PERIODIC)
		r->st.repairs += batch.n_ops - failed;
	r->st.errors += failed;
	count_installed(r, &wanted, &batch);
	ipvs_diff_owned_after(&wanted, &batch, &next);
	save_owned(r, &next);
	n_services = wanted.n_services;
	remember_applied(r, &wanted, err >= 0 && failed == 0);
	if (err < 0) {
		r->st.send_failures++;
		finish_run(r, RECONCILE_SEND_FAILED, t0);
		goto out;
	}
	/* The kernel was not what this daemon left (an edit since the last
	 * run): read it and do it again. */
	retry = trusted && failed > 0;
	finish_run(r, failed ? RECONCILE_OPS_FAILED : RECONCILE_OK, t0);
	if (batch.n_ops || log_debug_enabled())
		log_msg(batch.n_ops ? LOG_INFO : LOG_DEBUG,
			"reconciled (%s%s): %zu services, %" PRIu64 " dests wanted; %zu changes, "
			"%zu failed, in %" PRIu64 " ms",
			reconcile_reason_to_string(why), trusted ? ", from the last applied table" : "",
			n_services, r->st.dests_wanted, batch.n_ops, failed,
			r->st.last_duration_us / 1000);
	err = 0;
out:
	ipvs_diff_result_clear(&res);
	ipvs_batch_clear(&batch);
	ipvs_table_clear(&kernel);
	ipvs_table_clear(&wanted);
	if (retry) {
		log_info("the kernel's IPVS table was changed by someone else: reading it and "
			 "reconciling again");
		return reconcile_run(r, why);
	}
	return err;
}

/* ---- global operations ----------------------------------------------------- */

int reconcile_flush(struct reconcile *r)
{
	struct ipvs_batch b = { 0 };
	struct ipvs_owned none = { 0 };
	size_t failed;
	int err;

	if (!r->ipvs)
		return -ENOTCONN;
	ipvs_batch_add(&b, IPVS_OP_FLUSH);
	forget_applied(r);
	err = send_logged(r, &b, false, &failed);
	if (err == 0)
		save_owned(r, &none);
	else if (err > 0)
		err = b.ops[0].error;
	ipvs_batch_clear(&b);
	return err;
}

int reconcile_set_timeouts(struct reconcile *r, const struct config_lvs_timeouts *t)
{
	struct ipvs_batch b = { 0 };
	size_t failed;
	int err;

	if (!r->ipvs)
		return -ENOTCONN;
	if (!t->tcp && !t->tcpfin && !t->udp)
		return 0;
	if (r->timeouts_valid && memcmp(&r->timeouts_set, t, sizeof(*t)) == 0)
		return 0;
	struct ipvs_op *op = ipvs_batch_add(&b, IPVS_OP_SET_TIMEOUTS);
	op->timeouts = (struct ipvs_timeouts){ .tcp = t->tcp, .tcp_fin = t->tcpfin, .udp = t->udp };
	err = send_logged(r, &b, false, &failed);
	if (err == 0) {
		r->timeouts_set = *t;
		r->timeouts_valid = true;
	} else if (err > 0) {
		err = b.ops[0].error;
	}
	ipvs_batch_clear(&b);
	return err;
}

int reconcile_stop(struct reconcile *r, enum config_lvs_flush_onstop how, bool keep)
{
	struct ipvs_table kernel = { 0 };
	struct ipvs_batch b = { 0 };
	struct ipvs_owned left = { 0 };
	size_t failed;
	int err;

	if (keep) {
		if (r->owned.n)
			log_info("leaving %zu IPVS services in place (--dont-release-ipvs)", r->owned.n);
		return 0;
	}
	if (!r->ipvs)
		return -ENOTCONN;
	if (how == CONFIG_LVS_FLUSH_ONSTOP_ON) {
		log_info("flushing the IPVS table (lvs_flush_onstop)");
		return reconcile_flush(r);
	}
	/* Deleting a service deletes its dests: the service list is enough. */
	err = ipvs_dump_services(r->ipvs, &kernel);
	if (err < 0) {
		ipvs_table_clear(&kernel);
		return log_errno(LOG_WARNING, err, "cannot read the IPVS table to remove lbha's services");
	}
	forget_applied(r);
	log_info("removing lbha's %zu IPVS services", r->owned.n);
	ipvs_diff_remove_owned(&kernel, &r->owned, &b);
	err = send_logged(r, &b, false, &failed);
	ipvs_diff_owned_after(&(struct ipvs_table){ 0 }, &b, &left);
	save_owned(r, &left);
	ipvs_batch_clear(&b);
	ipvs_table_clear(&kernel);
	return err < 0 ? err : 0;
}

/* ---- status ------------------------------------------------------------------ */

const struct reconcile_stats *reconcile_stats(const struct reconcile *r)
{
	return &r->st;
}

int reconcile_read_kernel(struct reconcile *r, struct ipvs_table *ret)
{
	ipvs_table_clear(ret);
	if (!r->ipvs)
		return -ENOTCONN;
	return ipvs_dump(r->ipvs, ret);
}

void reconcile_netlink_counters(const struct reconcile *r, struct ipvs_counters *ret)
{
	*ret = r->nl_closed;
	if (r->ipvs) {
		const struct ipvs_counters *c = ipvs_counters(r->ipvs);
		ret->requests += c->requests;
		ret->messages += c->messages;
		ret->read_requests += c->read_requests;
		ret->errors += c->errors;
	}
}

void reconcile_status_write(const struct reconcile *r, FILE *f, uint64_t interval_ms)
{
	const struct reconcile_stats *s = &r->st;
	struct ipvs_counters nl;

	reconcile_netlink_counters(r, &nl);
	fprintf(f, ",\n  \"ipvs\": {\"available\": %s, \"interval_ms\": %" PRIu64
		   ", \"open_failures\": %" PRIu64,
		r->ipvs ? "true" : "false", interval_ms, s->open_failures);
	fprintf(f, ",\n    \"services_wanted\": %" PRIu64 ", \"dests_wanted\": %" PRIu64
		   ", \"services_installed\": %" PRIu64 ", \"dests_installed\": %" PRIu64
		   ", \"services_owned\": %" PRIu64 ", \"services_foreign\": %" PRIu64,
		s->services_wanted, s->dests_wanted, s->services_installed, s->dests_installed,
		s->services_owned, s->services_foreign);
	fprintf(f, ",\n    \"virtual_servers_quorum_down\": %" PRIu64
		   ", \"virtual_servers_sorry_active\": %" PRIu64 ", \"config_problems\": %" PRIu64,
		s->vs_quorum_down, s->vs_sorry_active, s->config_problems);
	fprintf(f, ",\n    \"last_reconcile\": %" PRIu64 ", \"last_reason\": ", s->last_wall);
	if (s->last_result == RECONCILE_NEVER)
		fputs("null", f);
	else
		fprintf(f, "\"%s\"", reconcile_reason_to_string(s->last_reason));
	fprintf(f, ", \"last_result\": \"%s\", \"last_duration_us\": %" PRIu64
		   ", \"last_changes\": %" PRIu64 ", \"last_errors\": %" PRIu64,
		reconcile_result_to_string(s->last_result), s->last_duration_us, s->last_changes,
		s->last_errors);
	fprintf(f, ",\n    \"reconciles\": %" PRIu64 ", \"changes_applied\": %" PRIu64
		   ", \"repairs\": %" PRIu64 ", \"errors\": %" PRIu64 ", \"takeovers\": %" PRIu64
		   ", \"dump_failures\": %" PRIu64 ", \"send_failures\": %" PRIu64,
		s->runs, s->changes, s->repairs, s->errors, s->takeovers, s->dump_failures,
		s->send_failures);
	fprintf(f, ",\n    \"netlink\": {\"requests\": %" PRIu64 ", \"messages\": %" PRIu64
		   ", \"read_requests\": %" PRIu64 ", \"change_requests\": %" PRIu64
		   ", \"errors\": %" PRIu64 "}}",
		nl.requests, nl.messages, nl.read_requests, nl.requests - nl.read_requests, nl.errors);
}
