#include <config.h>

#include <inttypes.h>
#include <stdio.h>

#include "json_out.h"
#include "daemon/child.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_notify.h"

/* vrrp.json is rewritten at once for a transition, and at most this often
 * for counters alone, so 10 ms adverts do not become 100 file writes a
 * second. */
#define STATUS_COUNTER_INTERVAL_USEC 1000000ULL

static void json_addr(FILE *f, const struct config_addr *a)
{
	char buf[CONFIG_ADDR_STRLEN];

	if (!config_addr_is_set(a))
		fputs("null", f);
	else
		json_write_string(f, config_addr_to_string(a, buf, sizeof(buf)));
}

static const struct {
	const char *key;
	size_t offset;
} counter_fields[] = {
#define C(f) { #f, offsetof(struct vrrp_instance_stats, f) }
	C(adverts_sent), C(adverts_received), C(prio0_sent), C(prio0_received),
	C(send_errors), C(became_master), C(released_master), C(transitions),
	C(vip_errors), C(vips_restored), C(garps_sent), C(nas_sent), C(announce_errors),
#undef C
};

static void write_drops(FILE *f, const uint64_t *drops)
{
	fputs("{", f);
	for (int d = VRRP_DROP_NONE + 1; d < _VRRP_DROP_MAX; d++)
		fprintf(f, "%s\"%s\": %" PRIu64, d > 1 ? ", " : "",
			vrrp_drop_to_string((enum vrrp_drop)d), drops[d]);
	fputs("}", f);
}

static void write_instance(FILE *f, const struct vrrp_instance *in)
{
	const struct vrrp_fsm *m = &in->fsm;
	const char *fault = vrrp_instance_fault_reason(in);

	fputs("    {\"name\": ", f);
	json_write_string(f, in->name);
	fprintf(f, ", \"state\": \"%s\", \"vrid\": %u, \"version\": %u, \"interface\": ",
		vrrp_state_to_string(m->state), in->cfg->vrid, in->cfg->version);
	json_write_string(f, in->ifname);
	fprintf(f, ",\n     \"priority\": %u, \"base_priority\": %u, \"advert_priority\": %u,"
		   " \"held\": %s, \"advert_int_us\": %" PRIu64 ", \"master_adver_int_us\": %" PRIu64,
		m->priority, m->p.priority, vrrp_fsm_advert_priority(m), m->held ? "true" : "false",
		in->cfg->advert_int_us, m->master_adver_int_us);
	fputs(",\n     \"source\": ", f);
	json_addr(f, &in->src);
	fputs(", \"master\": ", f);
	if (m->state == VRRP_STATE_MASTER)
		json_addr(f, &in->src);
	else
		json_addr(f, &m->master_addr);
	fprintf(f, ", \"master_priority\": %u", m->state == VRRP_STATE_MASTER ?
		vrrp_fsm_advert_priority(m) : m->master_priority);
	fprintf(f, ",\n     \"last_transition\": %" PRIu64 ", \"last_reason\": \"%s\", \"fault\": ",
		in->last_transition_wall, vrrp_reason_to_string(m->last_reason));
	if (fault)
		json_write_string(f, fault);
	else
		fputs("null", f);
	fputs(", \"sync_group\": ", f);
	if (in->group)
		json_write_string(f, in->group->name);
	else
		fputs("null", f);
	fputs(",\n     \"counters\": {", f);
	for (size_t i = 0; i < sizeof(counter_fields) / sizeof(counter_fields[0]); i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", counter_fields[i].key,
			*(const uint64_t *)((const char *)&in->st + counter_fields[i].offset));
	fputs(", \"drops\": ", f);
	write_drops(f, in->st.drops);
	fputs("}}", f);
}

void vrrp_status_write(struct vrrp_ctx *ctx, FILE *f)
{
	fputs(",\n  \"instances\": [\n", f);
	for (size_t i = 0; i < ctx->n_instances; i++) {
		write_instance(f, ctx->instances[i]);
		fputs(i + 1 < ctx->n_instances ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"sync_groups\": [", f);
	for (size_t i = 0; i < ctx->n_groups; i++) {
		fputs(i ? ", " : "", f);
		fputs("{\"name\": ", f);
		json_write_string(f, ctx->groups[i]->name);
		fprintf(f, ", \"state\": \"%s\"}", vrrp_state_to_string(ctx->groups[i]->state));
	}
	fputs("],\n  \"unmatched_drops\": ", f);
	write_drops(f, ctx->drops);
	fprintf(f, ",\n  \"bad_headers\": %" PRIu64, ctx->rx_bad_header);
	if (ctx->notify) {
		const struct vrrp_notify_counters *n = vrrp_notify_counters(ctx->notify);
		fprintf(f, ",\n  \"notify\": {\"started\": %" PRIu64 ", \"failed\": %" PRIu64
			   ", \"timed_out\": %" PRIu64 ", \"refused\": %" PRIu64
			   ", \"dropped\": %" PRIu64 ", \"fifo_written\": %" PRIu64
			   ", \"fifo_dropped\": %" PRIu64 "}",
			n->started, n->failed, n->timed_out, n->refused, n->dropped, n->fifo_written,
			n->fifo_dropped);
	}
}

static int on_status_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct vrrp_ctx *ctx = userdata;

	if (ctx->status_dirty && ctx->frame) {
		child_publish_status(ctx->frame);
		ctx->status_dirty = false;
	}
	sd_event_source_set_time(s, usec + STATUS_COUNTER_INTERVAL_USEC);
	return sd_event_source_set_enabled(s, SD_EVENT_ON);
}

void vrrp_status_changed(struct vrrp_ctx *ctx, bool now)
{
	if (now && ctx->frame) {
		child_publish_status(ctx->frame);
		ctx->status_dirty = false;
		return;
	}
	ctx->status_dirty = true;
	if (!ctx->status_timer &&
	    sd_event_add_time_relative(ctx->event, &ctx->status_timer, CLOCK_MONOTONIC,
				       STATUS_COUNTER_INTERVAL_USEC, 100000, on_status_timer,
				       ctx) >= 0)
		sd_event_source_set_description(ctx->status_timer, "vrrp-status");
}
