/* vrrp/vrrp_metrics.c: the VRRP families from a hand-made vrrp_ctx. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_metrics.h"

static char *render(const struct vrrp_ctx *ctx)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	vrrp_metrics_write(ctx, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_instances(void **state)
{
	struct vrrp_instance a = { .name = "VI_1" }, b = { .name = "VI \"2\"" };
	struct vrrp_instance *list[] = { &a, &b };
	struct vrrp_ctx ctx = { .instances = list, .n_instances = 2 };

	a.fsm.state = VRRP_STATE_MASTER;
	a.fsm.priority = 150;
	a.st.adverts_sent = 1234;
	a.st.transitions = 2;
	a.st.drops[VRRP_DROP_CHECKSUM] = 7;
	b.fsm.state = VRRP_STATE_BACKUP;
	b.st.adverts_received = 99;
	ctx.drops[VRRP_DROP_VRID] = 5;
	ctx.rx_bad_header = 3;

	char *t = render(&ctx);
	assert_non_null(strstr(t, "# TYPE lbha_vrrp_state gauge\n"));
	assert_non_null(strstr(t, "lbha_vrrp_state{instance=\"VI_1\",state=\"MASTER\"} 1\n"));
	assert_non_null(strstr(t, "lbha_vrrp_state{instance=\"VI_1\",state=\"BACKUP\"} 0\n"));
	assert_non_null(strstr(t, "lbha_vrrp_state{instance=\"VI \\\"2\\\"\",state=\"BACKUP\"} 1\n"));
	/* exactly one state is 1 per instance */
	assert_int_equal(count(t, "state=\"") , 2 * _VRRP_STATE_MAX);
	assert_non_null(strstr(t, "lbha_vrrp_priority{instance=\"VI_1\"} 150\n"));
	assert_non_null(strstr(t, "# TYPE lbha_vrrp_adverts_sent_total counter\n"));
	assert_non_null(strstr(t, "lbha_vrrp_adverts_sent_total{instance=\"VI_1\"} 1234\n"));
	assert_non_null(strstr(t, "lbha_vrrp_transitions_total{instance=\"VI_1\"} 2\n"));
	assert_non_null(strstr(t, "lbha_vrrp_adverts_received_total{instance=\"VI \\\"2\\\"\"} 99\n"));
	/* every drop reason, per instance and unmatched */
	for (int d = VRRP_DROP_NONE + 1; d < _VRRP_DROP_MAX; d++) {
		char want[160];
		snprintf(want, sizeof(want),
			 "lbha_vrrp_adverts_dropped_total{instance=\"VI_1\",reason=\"%s\"} %d\n",
			 vrrp_drop_to_string(d), d == VRRP_DROP_CHECKSUM ? 7 : 0);
		assert_non_null(strstr(t, want));
		snprintf(want, sizeof(want), "lbha_vrrp_unmatched_dropped_total{reason=\"%s\"} %d\n",
			 vrrp_drop_to_string(d), d == VRRP_DROP_VRID ? 5 : 0);
		assert_non_null(strstr(t, want));
	}
	assert_non_null(strstr(t, "\nlbha_vrrp_bad_headers_total 3\n"));
	/* every family once: a HELP per TYPE */
	assert_int_equal(count(t, "# HELP "), count(t, "# TYPE "));
	free(t);
}

static void test_no_instances(void **state)
{
	struct vrrp_ctx ctx = { 0 };
	char *t = render(&ctx);

	assert_non_null(strstr(t, "# TYPE lbha_vrrp_state gauge\n"));
	assert_null(strstr(t, "lbha_vrrp_state{"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instances),
		cmocka_unit_test(test_no_instances),
	};

	return cmocka_run_group_tests_name("vrrp-metrics", tests, NULL, NULL);
}
