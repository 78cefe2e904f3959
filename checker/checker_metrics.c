#include <config.h>

#include "checker/checker_metrics.h"
#include "checker/probe_http1.h"
#include "checker/reconcile.h"
#include "checker/servers.h"
#include "checker/servers_int.h"
#include "ipvs.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

void checker_metrics_record(struct checker_probe_stats *st, enum config_checker_type type,
			    const struct probe_result *res)
{
	if ((unsigned)type >= _CONFIG_CHECK_MAX || (unsigned)res->reason >= _PROBE_REASON_MAX)
		return;
	st->results[type][res->reason]++;
	st->reused[type] += res->reused;
	metrics_histogram_observe(&st->latency[type], res->duration_usec);
}

/* ---- real servers ---- */

/* Up once every checker has given a verdict and the tally says up: an
 * unknown server is not counted as serving (checker.json says "unknown"). */
static bool rs_known(const struct srv_rs *rs)
{
	for (size_t i = 0; i < rs->n_probes; i++)
		if (!rs->probes[i]->hc.has_run)
			return false;
	return true;
}

static uint64_t rs_up(const struct srv_rs *rs)
{
	return rs_known(rs) && rs->tally.up;
}

static uint64_t rs_weight(const struct servers *s, const struct srv_rs *rs)
{
	return rs->tally.up ? servers_weight(rs->cfg, (void *)s) : 0;
}

static uint64_t rs_checks(const struct servers *s, const struct srv_rs *rs)
{
	uint64_t n = 0;

	for (size_t i = 0; i < rs->n_probes; i++)
		n += rs->probes[i]->hc.n.probes;
	return n;
}

static uint64_t rs_failures(const struct servers *s, const struct srv_rs *rs)
{
	uint64_t n = 0;

	for (size_t i = 0; i < rs->n_probes; i++)
		n += rs->probes[i]->hc.n.failed;
	return n;
}

static uint64_t rs_ups(const struct servers *s, const struct srv_rs *rs)
{
	return rs->ups;
}

static uint64_t rs_downs(const struct servers *s, const struct srv_rs *rs)
{
	return rs->downs;
}

static const struct {
	const char *name, *help;
	enum metrics_type type;
	uint64_t (*value)(const struct servers *s, const struct srv_rs *rs);
} rs_rows[] = {
	{ "lbha_real_server_up", "1 while the real server is healthy, 0 when down or not yet checked.",
	  METRICS_GAUGE, NULL },
	{ "lbha_real_server_weight", "Weight the real server has now (0 while down).",
	  METRICS_GAUGE, rs_weight },
	{ "lbha_real_server_checks_total", "Checks of the real server that finished.",
	  METRICS_COUNTER, rs_checks },
	{ "lbha_real_server_failures_total", "Checks of the real server that failed.",
	  METRICS_COUNTER, rs_failures },
	{ "lbha_real_server_ups_total", "Times the real server went up.", METRICS_COUNTER, rs_ups },
	{ "lbha_real_server_downs_total", "Times the real server went down.", METRICS_COUNTER,
	  rs_downs },
};

static void write_real_servers(FILE *f, const struct servers *s)
{
	size_t up = 0, down = 0, unknown = 0;

	for (size_t r = 0; r < N_ELEMENTS(rs_rows); r++) {
		metrics_family(f, rs_rows[r].name, rs_rows[r].type, rs_rows[r].help);
		for (size_t i = 0; s && i < s->n_rs; i++) {
			const struct srv_rs *rs = s->rs[i];
			struct metrics_label l[] = { { "virtual_server", rs->vsname },
						     { "real_server", rs->name } };
			metrics_sample_u64(f, rs_rows[r].name, l, 2,
					   rs_rows[r].value ? rs_rows[r].value(s, rs) : rs_up(rs));
		}
	}
	for (size_t i = 0; s && i < s->n_rs; i++) {
		bool known = rs_known(s->rs[i]);
		up += known && s->rs[i]->tally.up;
		down += known && !s->rs[i]->tally.up;
		unknown += !known;
	}
	metrics_family(f, "lbha_checker_real_servers", METRICS_GAUGE, "Real servers by health.");
	metrics_sample_u64(f, "lbha_checker_real_servers", &(struct metrics_label){ "state", "up" },
			   1, up);
	metrics_sample_u64(f, "lbha_checker_real_servers",
			   &(struct metrics_label){ "state", "down" }, 1, down);
	metrics_sample_u64(f, "lbha_checker_real_servers",
			   &(struct metrics_label){ "state", "unknown" }, 1, unknown);
}

/* ---- probes ---- */

static void write_probes(FILE *f, const struct checker_probe_stats *st)
{
	static const char results[] = "lbha_checker_probe_results_total";
	static const char latency[] = "lbha_checker_probe_duration_seconds";
	static const char reused[] = "lbha_checker_probes_reused_total";

	metrics_family(f, results, METRICS_COUNTER,
		       "Probe results by checker type and reason (ok is a pass).");
	for (int t = 0; t < _CONFIG_CHECK_MAX; t++)
		for (int r = 0; r < _PROBE_REASON_MAX; r++) {
			struct metrics_label l[] = { { "type", config_checker_type_to_string(t) },
						     { "reason", probe_reason_to_string(r) } };
			metrics_sample_u64(f, results, l, 2, st->results[t][r]);
		}
	metrics_family(f, reused, METRICS_COUNTER,
		       "Probes sent over a connection kept from an earlier check (keepalive_time).");
	for (int t = 0; t < _CONFIG_CHECK_MAX; t++) {
		struct metrics_label l = { "type", config_checker_type_to_string(t) };
		metrics_sample_u64(f, reused, &l, 1, st->reused[t]);
	}
	metrics_family(f, latency, METRICS_HISTOGRAM,
		       "Time from a probe's start to its result, by checker type.");
	for (int t = 0; t < _CONFIG_CHECK_MAX; t++) {
		struct metrics_label l = { "type", config_checker_type_to_string(t) };
		metrics_histogram_write(f, latency, &l, 1, &st->latency[t]);
	}
}

/* ---- IPVS ---- */

static void one(FILE *f, const char *name, enum metrics_type type, const char *help, uint64_t v)
{
	metrics_family(f, name, type, help);
	metrics_sample_u64(f, name, NULL, 0, v);
}

static void by_kind(FILE *f, const char *name, enum metrics_type type, const char *help,
		    const char *const kinds[], const uint64_t v[], size_t n)
{
	metrics_family(f, name, type, help);
	for (size_t i = 0; i < n; i++)
		metrics_sample_u64(f, name, &(struct metrics_label){ "kind", kinds[i] }, 1, v[i]);
}

static void write_ipvs(FILE *f, const struct reconcile_stats *st, bool open,
		       const struct ipvs_counters *nl)
{
	static const char *const fail_kinds[] = { "dump", "send", "open" };
	static const char *const table_kinds[] = { "wanted", "installed" };
	static const char *const nl_kinds[] = { "read", "change" };

	one(f, "lbha_ipvs_available", METRICS_GAUGE, "1 while the kernel's IPVS is open.", open);
	one(f, "lbha_ipvs_reconciles_total", METRICS_COUNTER,
	    "Reconciles of the kernel's IPVS table with the wanted one.", st->runs);
	one(f, "lbha_ipvs_changes_total", METRICS_COUNTER,
	    "IPVS changes (service or real server add, edit, delete) applied.", st->changes);
	one(f, "lbha_ipvs_repairs_total", METRICS_COUNTER,
	    "Changes made by a periodic reconcile: undoing someone else's edit.", st->repairs);
	one(f, "lbha_ipvs_errors_total", METRICS_COUNTER,
	    "IPVS changes the kernel refused, and table reads that failed.", st->errors);
	by_kind(f, "lbha_ipvs_failures_total", METRICS_COUNTER,
		"Reconciles that could not read the table (dump), send (send), or open IPVS (open).",
		fail_kinds, (const uint64_t[]){ st->dump_failures, st->send_failures,
						 st->open_failures }, 3);
	by_kind(f, "lbha_ipvs_services", METRICS_GAUGE, "Virtual services wanted and installed.",
		table_kinds, (const uint64_t[]){ st->services_wanted, st->services_installed }, 2);
	by_kind(f, "lbha_ipvs_destinations", METRICS_GAUGE, "Real servers wanted and installed.",
		table_kinds, (const uint64_t[]){ st->dests_wanted, st->dests_installed }, 2);
	metrics_family(f, "lbha_ipvs_last_reconcile_duration_seconds", METRICS_GAUGE,
		       "How long the last reconcile took.");
	metrics_sample_double(f, "lbha_ipvs_last_reconcile_duration_seconds", NULL, 0,
			      (double)st->last_duration_us / 1e6);
	if (!nl)
		return;
	by_kind(f, "lbha_ipvs_netlink_requests_total", METRICS_COUNTER,
		"Generic netlink requests to IPVS: reads (gets, dumps) and batches of changes.",
		nl_kinds, (const uint64_t[]){ nl->read_requests, nl->requests - nl->read_requests },
		2);
	one(f, "lbha_ipvs_netlink_errors_total", METRICS_COUNTER,
	    "IPVS netlink operations refused and replies dropped as malformed.", nl->errors);
}

void checker_metrics_write(const struct servers *s, const struct reconcile_stats *rst,
			   bool ipvs_open, const struct ipvs_counters *nl, FILE *f)
{
	static const struct checker_probe_stats none;

	write_real_servers(f, s);
	write_probes(f, s ? &s->probe_stats : &none);
	one(f, "lbha_checker_kept_connections", METRICS_GAUGE,
	    "HTTP_GET connections kept open between checks (keepalive_time).",
	    probe_http1_kept(s ? s->env.http1 : NULL));
	write_ipvs(f, rst, ipvs_open, nl);
}
