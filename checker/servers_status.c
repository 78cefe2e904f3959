#include <config.h>

/* servers_status: the health part of checker.json (see servers.h). */

#include <inttypes.h>
#include <stdio.h>

#include "json_out.h"
#include "checker/servers.h"
#include "checker/servers_int.h"
#include "daemon/config_addr.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"

/* Counters alone (every probe bumps one) refresh checker.json at most
 * this often per this many real servers.  Formatting a real server's entry
 * costs about what probing it does (measured: a refresh every second at
 * 1,000 servers checked every second was 11% of the checker's CPU), and at
 * 10,000 the file is ~4.5 MB.  State changes still go out at once. */
#define COUNTERS_USEC_PER_STEP 1000000ULL
#define COUNTERS_STEP_SERVERS 200
#define COUNTERS_MAX_USEC 10000000ULL

static uint64_t counters_interval(size_t n_rs)
{
	uint64_t steps = n_rs / COUNTERS_STEP_SERVERS;
	uint64_t usec = (steps ? steps : 1) * COUNTERS_USEC_PER_STEP;

	return usec < COUNTERS_MAX_USEC ? usec : COUNTERS_MAX_USEC;
}

bool servers_take_dirty(struct servers *s)
{
	uint64_t now = 0;

	sd_event_now(s->event, CLOCK_MONOTONIC, &now);
	if (!s->dirty_state &&
	    (!s->dirty || now - s->published_usec < counters_interval(s->n_rs)))
		return false;
	s->dirty = s->dirty_state = false;
	s->published_usec = now;
	return true;
}

/* unknown until every checker has given its first verdict */
static const char *rs_state(const struct srv_rs *rs)
{
	for (size_t i = 0; i < rs->n_probes; i++)
		if (!rs->probes[i]->hc.has_run)
			return "unknown";
	return rs->tally.up ? "up" : "down";
}

/* The result that explains the state: the first failing checker's, else
 * the first checker's. */
static const struct srv_probe *rs_explaining(const struct srv_rs *rs)
{
	for (size_t i = 0; i < rs->n_probes; i++)
		if (rs->probes[i]->hc.n.probes && rs->probes[i]->hc.last.reason != HEALTH_OK)
			return rs->probes[i];
	return rs->n_probes ? rs->probes[0] : NULL;
}

static void write_result(FILE *f, const struct srv_probe *p)
{
	char buf[256];

	if (!p || !p->hc.n.probes) {
		fputs("\"last_result\": null, \"reason\": null", f);
		return;
	}
	fputs("\"last_result\": ", f);
	json_write_string(f, probe_reason_to_string(p->last.reason));
	fputs(", \"reason\": ", f);
	json_write_string(f, probe_result_format(&p->last, buf, sizeof(buf)));
}

static void write_probe(FILE *f, const struct srv_probe *p)
{
	fputs("{\"type\": ", f);
	json_write_string(f, config_checker_type_to_string(p->ck->type));
	fprintf(f, ", \"port\": %u, \"state\": \"%s\", \"phase\": \"%s\", ", p->ck->connect_port,
		p->hc.has_run ? health_state_to_string(p->hc.state) : "unknown",
		health_phase_to_string(p->hc.phase));
	write_result(f, p);
	fprintf(f, ", \"checks\": %" PRIu64 ", \"failures\": %" PRIu64 ", \"retries\": %" PRIu64
		   ", \"shared_by\": %zu",
		p->hc.n.probes, p->hc.n.failed, p->hc.n.retries, p->n_users);
	/* keepalive_time: how many checks went over a kept connection, and
	 * whether the last one did */
	if (p->ck->keepalive_time_us)
		fprintf(f, ", \"reused\": %" PRIu64 ", \"last_reused\": %s", p->reused,
			p->last.reused ? "true" : "false");
	fputc('}', f);
}

static void write_rs(FILE *f, const struct servers *s, const struct srv_rs *rs)
{
	char a[CONFIG_ADDR_STRLEN];
	uint64_t checks = 0, failures = 0;

	for (size_t i = 0; i < rs->n_probes; i++) {
		checks += rs->probes[i]->hc.n.probes;
		failures += rs->probes[i]->hc.n.failed;
	}
	fputs("\n      {\"address\": ", f);
	json_write_string(f, config_addr_to_string(&rs->cfg->addr, a, sizeof(a)));
	fprintf(f, ", \"port\": %u, \"state\": \"%s\", \"weight\": %" PRIu32
		   ", \"configured_weight\": %" PRIu32 ", \"slow_start\": %s, ",
		rs->cfg->port, rs_state(rs), rs->tally.up ? servers_weight(rs->cfg, (void *)s) : 0,
		rs->cfg->weight, rs->ss.active ? "true" : "false");
	write_result(f, rs_explaining(rs));
	fprintf(f, ", \"last_change\": %" PRIu64 ", \"ups\": %" PRIu64 ", \"downs\": %" PRIu64
		   ", \"checks\": %" PRIu64 ", \"failures\": %" PRIu64 ", \"checkers\": [",
		rs->last_change_wall, rs->ups, rs->downs, checks, failures);
	for (size_t i = 0; i < rs->n_probes; i++) {
		fputs(i ? ", " : "", f);
		write_probe(f, rs->probes[i]);
	}
	fputs("]}", f);
}

void servers_status_write(const struct servers *s, const struct ipvs_desired_vs *vs_st, size_t n,
			  FILE *f)
{
	size_t up = 0, down = 0, unknown = 0, vi = 0;
	char name[CONFIG_SERVICE_STRLEN];

	for (size_t i = 0; i < s->n_rs; i++) {
		const char *st = rs_state(s->rs[i]);
		up += st[0] == 'u' && st[1] == 'p';
		down += st[0] == 'd';
		unknown += st[0] == 'u' && st[1] == 'n';
	}
	fprintf(f, ",\n  \"health\": {\"real_servers\": %zu, \"up\": %zu, \"down\": %zu"
		   ", \"unknown\": %zu, \"probes\": %zu, \"checks\": %" PRIu64
		   ", \"failures\": %" PRIu64 "}",
		s->n_rs, up, down, unknown, s->n_probes, s->checks, s->failures);
	fputs(",\n  \"virtual_servers\": [", f);
	if (!s->cfg) {
		fputs("]", f);
		return;
	}
	config_list_foreach(const struct config_virtual_server, vs, &s->cfg->virtual_servers) {
		const char *q = vi < n && vs_st ? ipvs_quorum_to_string(vs_st[vi].quorum) : NULL;
		bool first = true;

		fputs(vi ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		json_write_string(f, config_vs_to_string(vs, name, sizeof(name)));
		fputs(", \"quorum\": ", f);
		if (q)
			json_write_string(f, q);
		else
			fputs("null", f);
		fprintf(f, ", \"sorry_active\": %s, \"real_servers\": [",
			vi < n && vs_st && vs_st[vi].sorry_active ? "true" : "false");
		config_list_foreach(const struct config_real_server, c, &vs->real_servers) {
			const struct srv_rs *rs = servers_find(s, c);
			if (!rs)
				continue;
			fputs(first ? "" : ",", f);
			first = false;
			write_rs(f, s, rs);
		}
		fputs("]}", f);
		vi++;
	}
	fputs("]", f);
}
