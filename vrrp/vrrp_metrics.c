#include <config.h>

#include <stddef.h>

#include "daemon/metrics_text.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_metrics.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* Per-instance counters: one family each, labelled by instance. */
static const struct {
	const char *name, *help;
	size_t offset;
} counter_rows[] = {
#define C(f, n, h) { "lbha_vrrp_" n, h, offsetof(struct vrrp_instance_stats, f) }
	C(transitions, "transitions_total", "State changes of the instance."),
	C(became_master, "became_master_total", "Transitions into MASTER."),
	C(released_master, "released_master_total", "Transitions out of MASTER."),
	C(adverts_sent, "adverts_sent_total", "VRRP advertisements sent."),
	C(adverts_received, "adverts_received_total",
	  "VRRP advertisements received and accepted for the instance."),
	C(prio0_sent, "priority0_sent_total", "Priority-0 (resign) advertisements sent."),
	C(prio0_received, "priority0_received_total", "Priority-0 advertisements received."),
	C(send_errors, "send_errors_total", "Advertisements that could not be sent."),
	C(garps_sent, "garps_sent_total", "Gratuitous ARP packets sent."),
	C(nas_sent, "neighbour_adverts_sent_total", "Unsolicited neighbour advertisements sent."),
	C(announce_errors, "announce_errors_total", "GARP/NA packets that could not be sent."),
	C(vip_errors, "vip_errors_total", "Virtual address or route changes that failed."),
	C(vips_restored, "vips_restored_total",
	  "Virtual addresses put back after someone else removed them."),
#undef C
};

static void write_states(FILE *f, const struct vrrp_ctx *ctx)
{
	metrics_family(f, "lbha_vrrp_state", METRICS_GAUGE,
		       "1 for the state the instance is in, 0 for the others.");
	for (size_t i = 0; i < ctx->n_instances; i++) {
		const struct vrrp_instance *in = ctx->instances[i];
		for (int s = 0; s < _VRRP_STATE_MAX; s++) {
			struct metrics_label l[] = { { "instance", in->name },
						     { "state", vrrp_state_to_string(s) } };
			metrics_sample_u64(f, "lbha_vrrp_state", l, 2, (int)in->fsm.state == s);
		}
	}
	metrics_family(f, "lbha_vrrp_priority", METRICS_GAUGE,
		       "Effective priority (configured, with tracking applied).");
	for (size_t i = 0; i < ctx->n_instances; i++) {
		const struct vrrp_instance *in = ctx->instances[i];
		struct metrics_label l = { "instance", in->name };
		metrics_sample_u64(f, "lbha_vrrp_priority", &l, 1, in->fsm.priority);
	}
}

static void write_counters(FILE *f, const struct vrrp_ctx *ctx)
{
	for (size_t r = 0; r < N_ELEMENTS(counter_rows); r++) {
		metrics_family(f, counter_rows[r].name, METRICS_COUNTER, counter_rows[r].help);
		for (size_t i = 0; i < ctx->n_instances; i++) {
			const struct vrrp_instance *in = ctx->instances[i];
			struct metrics_label l = { "instance", in->name };
			const char *st = (const char *)&in->st;
			metrics_sample_u64(f, counter_rows[r].name, &l, 1,
					   *(const uint64_t *)(st + counter_rows[r].offset));
		}
	}
}

static void write_drops(FILE *f, const struct vrrp_ctx *ctx)
{
	static const char name[] = "lbha_vrrp_adverts_dropped_total";
	static const char unmatched[] = "lbha_vrrp_unmatched_dropped_total";

	metrics_family(f, name, METRICS_COUNTER,
		       "Advertisements for the instance dropped, by reason.");
	for (size_t i = 0; i < ctx->n_instances; i++)
		for (int d = VRRP_DROP_NONE + 1; d < _VRRP_DROP_MAX; d++) {
			struct metrics_label l[] = { { "instance", ctx->instances[i]->name },
						     { "reason", vrrp_drop_to_string(d) } };
			metrics_sample_u64(f, name, l, 2, ctx->instances[i]->st.drops[d]);
		}
	metrics_family(f, unmatched, METRICS_COUNTER,
		       "Packets dropped before an instance was known, by reason.");
	for (int d = VRRP_DROP_NONE + 1; d < _VRRP_DROP_MAX; d++) {
		struct metrics_label l = { "reason", vrrp_drop_to_string(d) };
		metrics_sample_u64(f, unmatched, &l, 1, ctx->drops[d]);
	}
	metrics_family(f, "lbha_vrrp_bad_headers_total", METRICS_COUNTER,
		       "Packets whose IP header could not be read.");
	metrics_sample_u64(f, "lbha_vrrp_bad_headers_total", NULL, 0, ctx->rx_bad_header);
}

static void write_notify(FILE *f, const struct vrrp_ctx *ctx)
{
	static const char name[] = "lbha_vrrp_notify_total";
	const struct vrrp_notify_counters *n = ctx->notify ? vrrp_notify_counters(ctx->notify) : NULL;

	metrics_family(f, name, METRICS_COUNTER,
		       "Notify scripts and FIFO lines, by what became of them.");
	if (!n)
		return;
	const struct {
		const char *result;
		uint64_t v;
	} rows[] = {
		{ "started", n->started }, { "failed", n->failed }, { "timed_out", n->timed_out },
		{ "refused", n->refused }, { "dropped", n->dropped },
		{ "fifo_written", n->fifo_written }, { "fifo_dropped", n->fifo_dropped },
	};
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct metrics_label l = { "result", rows[i].result };
		metrics_sample_u64(f, name, &l, 1, rows[i].v);
	}
}

void vrrp_metrics_write(const struct vrrp_ctx *ctx, FILE *f)
{
	write_states(f, ctx);
	write_counters(f, ctx);
	write_drops(f, ctx);
	write_notify(f, ctx);
}
