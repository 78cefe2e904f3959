/* checker/checker_metrics.c: probe counting, and the checker families from a
 * hand-made struct servers and reconcile counters. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checker/checker_metrics.h"
#include "checker/reconcile.h"
#include "checker/servers_int.h"
#include "ipvs.h"

static char *render(const struct servers *s, const struct reconcile_stats *st,
		    const struct ipvs_counters *nl)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	checker_metrics_write(s, st, true, nl, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_record(void **state)
{
	struct checker_probe_stats st = { 0 };
	struct probe_result ok = { .reason = PROBE_OK, .duration_usec = 800 };
	struct probe_result slow = { .reason = PROBE_TIMEOUT, .duration_usec = 3000000 };
	struct probe_result bad = { .reason = _PROBE_REASON_MAX };

	checker_metrics_record(&st, CONFIG_CHECK_HTTP_GET, &ok);
	checker_metrics_record(&st, CONFIG_CHECK_HTTP_GET, &slow);
	checker_metrics_record(&st, CONFIG_CHECK_TCP, &ok);
	checker_metrics_record(&st, CONFIG_CHECK_TCP, &bad);          /* ignored */
	checker_metrics_record(&st, _CONFIG_CHECK_MAX, &ok);          /* ignored */
	checker_metrics_record(&st, CONFIG_CHECK_HTTP_GET,
			       &(struct probe_result){ .reason = PROBE_OK, .reused = true });
	assert_int_equal(st.reused[CONFIG_CHECK_HTTP_GET], 1);
	assert_int_equal(st.reused[CONFIG_CHECK_TCP], 0);
	assert_int_equal(st.results[CONFIG_CHECK_HTTP_GET][PROBE_OK], 2);
	assert_int_equal(st.results[CONFIG_CHECK_HTTP_GET][PROBE_TIMEOUT], 1);
	assert_int_equal(st.results[CONFIG_CHECK_TCP][PROBE_OK], 1);
	assert_int_equal(st.latency[CONFIG_CHECK_HTTP_GET].count, 3);
	assert_int_equal(st.latency[CONFIG_CHECK_HTTP_GET].sum_usec, 3000800);
	assert_int_equal(st.latency[CONFIG_CHECK_TCP].count, 1);
}

static void test_write(void **state)
{
	struct config_real_server c1 = { .weight = 3 }, c2 = { .weight = 5 };
	struct srv_probe p1 = { 0 }, p2 = { 0 };
	struct srv_probe *probes1[] = { &p1 }, *probes2[] = { &p2 };
	struct srv_rs r1 = { .vsname = "10.0.0.1:80/TCP", .name = "10.0.1.2:80", .cfg = &c1,
			     .probes = probes1, .n_probes = 1, .ups = 1 };
	struct srv_rs r2 = { .vsname = "10.0.0.1:80/TCP", .name = "10.0.1.3:80", .cfg = &c2,
			     .probes = probes2, .n_probes = 1, .downs = 2 };
	struct srv_rs *rs[] = { &r1, &r2 };
	struct srv_rs *by_cfg[] = { &c1 < &c2 ? &r1 : &r2, &c1 < &c2 ? &r2 : &r1 };
	struct servers s = { .rs = rs, .by_cfg = by_cfg, .n_rs = 2 };
	struct reconcile_stats st = { .runs = 4, .changes = 6, .errors = 1, .dump_failures = 1,
				      .services_wanted = 1, .dests_wanted = 2,
				      .last_duration_us = 2500 };
	struct ipvs_counters nl = { .requests = 10, .read_requests = 7, .errors = 1 };

	p1.hc.has_run = true;
	p1.hc.n.probes = 10;
	p1.hc.n.failed = 1;
	r1.tally = (struct health_rs){ .up = true, .config_weight = 3,
				       .dynamic_weight = HEALTH_WEIGHT_CONFIGURED };
	p2.hc.has_run = true;
	p2.hc.n.probes = 4;
	p2.hc.n.failed = 4;
	r2.tally = (struct health_rs){ .up = false, .config_weight = 5,
				       .dynamic_weight = HEALTH_WEIGHT_CONFIGURED };
	checker_metrics_record(&s.probe_stats, CONFIG_CHECK_HTTP_GET,
			       &(struct probe_result){ .reason = PROBE_REFUSED, .duration_usec = 200 });
	checker_metrics_record(&s.probe_stats, CONFIG_CHECK_SSL_GET,
			       &(struct probe_result){ .reason = PROBE_OK, .reused = true });

	char *t = render(&s, &st, &nl);
#define L "{virtual_server=\"10.0.0.1:80/TCP\",real_server=\"10.0.1.2:80\"}"
#define L2 "{virtual_server=\"10.0.0.1:80/TCP\",real_server=\"10.0.1.3:80\"}"
	assert_non_null(strstr(t, "# TYPE lbha_real_server_up gauge\n"));
	assert_non_null(strstr(t, "lbha_real_server_up" L " 1\n"));
	assert_non_null(strstr(t, "lbha_real_server_up" L2 " 0\n"));
	assert_non_null(strstr(t, "lbha_real_server_weight" L " 3\n"));
	assert_non_null(strstr(t, "lbha_real_server_weight" L2 " 0\n"));
	assert_non_null(strstr(t, "lbha_real_server_checks_total" L " 10\n"));
	assert_non_null(strstr(t, "lbha_real_server_failures_total" L2 " 4\n"));
	assert_non_null(strstr(t, "lbha_real_server_ups_total" L " 1\n"));
	assert_non_null(strstr(t, "lbha_real_server_downs_total" L2 " 2\n"));
	assert_non_null(strstr(t, "lbha_checker_real_servers{state=\"up\"} 1\n"
				  "lbha_checker_real_servers{state=\"down\"} 1\n"
				  "lbha_checker_real_servers{state=\"unknown\"} 0\n"));
	assert_non_null(strstr(t, "lbha_checker_probe_results_total{type=\"HTTP_GET\",reason=\"refused\"} 1\n"));
	assert_non_null(strstr(t, "lbha_checker_probe_results_total{type=\"MISC_CHECK\",reason=\"ok\"} 0\n"));
	assert_non_null(strstr(t, "lbha_checker_probes_reused_total{type=\"SSL_GET\"} 1\n"));
	assert_non_null(strstr(t, "lbha_checker_probes_reused_total{type=\"HTTP_GET\"} 0\n"));
	assert_non_null(strstr(t, "\nlbha_checker_kept_connections 0\n"));
	assert_non_null(strstr(t, "# TYPE lbha_checker_probe_duration_seconds histogram\n"));
	assert_non_null(strstr(t, "lbha_checker_probe_duration_seconds_bucket{type=\"HTTP_GET\",le=\"0.001\"} 1\n"));
	assert_non_null(strstr(t, "lbha_checker_probe_duration_seconds_count{type=\"TCP_CHECK\"} 0\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_available 1\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_reconciles_total 4\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_changes_total 6\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_errors_total 1\n"));
	assert_non_null(strstr(t, "lbha_ipvs_failures_total{kind=\"dump\"} 1\n"));
	assert_non_null(strstr(t, "lbha_ipvs_destinations{kind=\"wanted\"} 2\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_last_reconcile_duration_seconds 0.002500\n"));
	assert_non_null(strstr(t, "lbha_ipvs_netlink_requests_total{kind=\"read\"} 7\n"
				  "lbha_ipvs_netlink_requests_total{kind=\"change\"} 3\n"));
	assert_non_null(strstr(t, "\nlbha_ipvs_netlink_errors_total 1\n"));
	free(t);

	/* a checker with no verdict yet: unknown, not up */
	p1.hc.has_run = false;
	t = render(&s, &st, NULL);
	assert_non_null(strstr(t, "lbha_real_server_up" L " 0\n"));
	assert_non_null(strstr(t, "lbha_checker_real_servers{state=\"unknown\"} 1\n"));
	assert_null(strstr(t, "lbha_ipvs_netlink"));
	free(t);
#undef L
#undef L2
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests_name("checker-metrics", tests, NULL, NULL);
}
