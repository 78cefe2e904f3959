/* daemon/metrics_text.c and daemon/metrics_parent.c: the exposition format
 * written byte for byte. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/metrics_parent.h"
#include "daemon/metrics_text.h"

struct buf {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *buf_open(struct buf *b)
{
	*b = (struct buf){ 0 };
	b->f = open_memstream(&b->text, &b->len);
	assert_non_null(b->f);
	return b->f;
}

static const char *buf_done(struct buf *b)
{
	assert_int_equal(fclose(b->f), 0);
	return b->text;
}

static void test_family_and_samples(void **state)
{
	struct buf b;
	FILE *f = buf_open(&b);
	struct metrics_label l[] = { { "instance", "VI_1" }, { "state", "MASTER" } };

	metrics_family(f, "lbha_x_total", METRICS_COUNTER, "Things.");
	metrics_sample_u64(f, "lbha_x_total", NULL, 0, 42);
	metrics_sample_u64(f, "lbha_x_total", l, 2, UINT64_MAX);
	metrics_sample_double(f, "lbha_y_seconds", l, 1, 0.25);
	assert_string_equal(buf_done(&b),
			    "# HELP lbha_x_total Things.\n"
			    "# TYPE lbha_x_total counter\n"
			    "lbha_x_total 42\n"
			    "lbha_x_total{instance=\"VI_1\",state=\"MASTER\"} 18446744073709551615\n"
			    "lbha_y_seconds{instance=\"VI_1\"} 0.250000\n");
	free(b.text);
}

static void test_label_escaping(void **state)
{
	struct buf b;
	FILE *f = buf_open(&b);
	struct metrics_label l = { "instance", "a\\b\"c\nd" };

	metrics_sample_u64(f, "m", &l, 1, 1);
	metrics_write_label_value(f, NULL);
	metrics_write_label_value(f, "");
	metrics_write_label_value(f, "plain");
	assert_string_equal(buf_done(&b), "m{instance=\"a\\\\b\\\"c\\nd\"} 1\nplain");
	free(b.text);
}

static void test_types(void **state)
{
	assert_string_equal(metrics_type_to_string(METRICS_GAUGE), "gauge");
	assert_string_equal(metrics_type_to_string(METRICS_HISTOGRAM), "histogram");
	assert_null(metrics_type_to_string(_METRICS_TYPE_MAX));
}

static void test_histogram(void **state)
{
	struct metrics_histogram h = { 0 };
	struct metrics_label l = { "type", "HTTP_GET" };
	struct buf b;
	FILE *f = buf_open(&b);

	assert_int_equal(metrics_bucket_usec(0), 1000);
	assert_int_equal(metrics_bucket_usec(METRICS_N_BUCKETS - 1), 10000000);
	metrics_histogram_observe(&h, 500);       /* <= 1 ms */
	metrics_histogram_observe(&h, 1000);      /* le is inclusive */
	metrics_histogram_observe(&h, 1001);      /* <= 2.5 ms */
	metrics_histogram_observe(&h, 20000000);  /* above 10 s: +Inf only */
	assert_int_equal(h.count, 4);
	metrics_histogram_write(f, "lbha_p_seconds", &l, 1, &h);
	const char *t = buf_done(&b);
	assert_non_null(strstr(t, "lbha_p_seconds_bucket{type=\"HTTP_GET\",le=\"0.001\"} 2\n"
				  "lbha_p_seconds_bucket{type=\"HTTP_GET\",le=\"0.0025\"} 3\n"));
	assert_non_null(strstr(t, "lbha_p_seconds_bucket{type=\"HTTP_GET\",le=\"10\"} 3\n"
				  "lbha_p_seconds_bucket{type=\"HTTP_GET\",le=\"+Inf\"} 4\n"
				  "lbha_p_seconds_sum{type=\"HTTP_GET\"} 20.002501\n"
				  "lbha_p_seconds_count{type=\"HTTP_GET\"} 4\n"));
	/* one line per bucket, +Inf, sum and count */
	size_t lines = 0;
	for (const char *p = t; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, METRICS_N_BUCKETS + 3);
	free(b.text);
}

static void test_parent_page(void **state)
{
	struct metrics_parent_stats st = { .reloads_ok = 3, .reloads_failed = 1, .generation = 4,
					   .loaded_wall_usec = 1700000000500000ULL,
					   .load_usec = 1500 };
	static const char vrrp_text[] = "# HELP lbha_vrrp_a A.\n# TYPE lbha_vrrp_a gauge\nlbha_vrrp_a 1\n";
	struct metrics_child c[] = {
		{ .name = "vrrp", .up = true, .restarts = 0, .text = vrrp_text,
		  .text_len = sizeof(vrrp_text) - 1 },
		{ .name = "checker", .up = false, .restarts = 2 },
	};
	struct buf b;
	FILE *f = buf_open(&b);

	metrics_parent_write(&st, c, 2, f);
	const char *t = buf_done(&b);
	assert_non_null(strstr(t, "# TYPE lbha_reloads_total counter\n"
				  "lbha_reloads_total{result=\"success\"} 3\n"
				  "lbha_reloads_total{result=\"failure\"} 1\n"));
	assert_non_null(strstr(t, "\nlbha_config_generation 4\n"));
	assert_non_null(strstr(t, "\nlbha_config_load_timestamp_seconds 1700000000.500000\n"));
	assert_non_null(strstr(t, "\nlbha_config_load_duration_seconds 0.001500\n"));
	assert_non_null(strstr(t, "lbha_child_up{child=\"vrrp\"} 1\nlbha_child_up{child=\"checker\"} 0\n"));
	assert_non_null(strstr(t, "lbha_child_restarts_total{child=\"checker\"} 2\n"));
	/* the child's text last, as it came */
	size_t tl = strlen(t), vl = sizeof(vrrp_text) - 1;
	assert_true(tl > vl);
	assert_string_equal(t + tl - vl, vrrp_text);
	free(b.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_parent_page),
	};

	return cmocka_run_group_tests_name("metrics-text", tests, NULL, NULL);
}
