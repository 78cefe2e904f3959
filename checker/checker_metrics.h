/* checker_metrics: the checker child's Prometheus metrics (lbha_checker_*,
 * lbha_real_server_*, lbha_ipvs_*).
 *
 * Probe results by reason and the probe latency histogram are counted here
 * (checker_metrics_record(), one call per finished probe from servers.c);
 * everything else is read from the state checker.json shows: real server
 * health (struct servers) and the reconcile counters.  The child frame
 * sends the text with the status, so at most once a second for counters
 * alone and at once for a state change, and only while global_defs has
 * metrics_address. */
#ifndef LBHA_CHECKER_METRICS_H
#define LBHA_CHECKER_METRICS_H

#include <stdbool.h>
#include <stdio.h>

#include "checker/probe_result.h"
#include "daemon/config_types.h"
#include "daemon/metrics_text.h"

struct ipvs_counters;
struct reconcile_stats;
struct servers;

/* Fixed size, zero is empty: lives inside struct servers. */
struct checker_probe_stats {
	uint64_t results[_CONFIG_CHECK_MAX][_PROBE_REASON_MAX];
	uint64_t reused[_CONFIG_CHECK_MAX];   /* over a kept connection (keepalive_time) */
	struct metrics_histogram latency[_CONFIG_CHECK_MAX];
};

/* Count one probe result of a checker of `type`: its reason, whether it
 * went over a kept connection, and its duration in the latency histogram.  Out-of-range values are ignored. */
void checker_metrics_record(struct checker_probe_stats *st, enum config_checker_type type,
			    const struct probe_result *res);

/* Write the families: real servers of s (up, weight, checks, failures,
 * transitions), probe results, reuses and latencies (s's
 * checker_probe_stats), the connections kept between checks, and
 * the IPVS reconcile counters (rst; ipvs_open: the kernel's IPVS is open).
 * nl, the IPVS netlink counters, may be NULL: those families are then left
 * out.  Pure. */
void checker_metrics_write(const struct servers *s, const struct reconcile_stats *rst,
			   bool ipvs_open, const struct ipvs_counters *nl, FILE *f);

#endif
