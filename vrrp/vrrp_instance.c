#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "vrrp/vrrp_announce.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_priority.h"
#include "vrrp/vrrp_socket.h"
#include "xalloc.h"

/* Bad-packet log lines: 5 at once, then one every 2 s, per instance. */
#define DROP_LOG_INTERVAL_USEC (10 * 1000000ULL)
#define DROP_LOG_BURST 5
/* A master re-announces for lower-priority adverts at most this often. */
#define LOWER_PRIO_REANNOUNCE_USEC 1000000ULL

static void run_actions(struct vrrp_instance *in, const struct vrrp_actions *acts);

uint64_t vrrp_now(const struct vrrp_ctx *ctx)
{
	uint64_t now = 0;

	/* The loop's cached time is the time of this wake-up: every decision
	 * taken for one event uses the same instant. */
	if (sd_event_now(ctx->event, CLOCK_MONOTONIC, &now) < 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
	}
	return now;
}

struct vrrp_instance *vrrp_find_instance(const struct vrrp_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->n_instances; i++)
		if (strcmp(ctx->instances[i]->name, name) == 0)
			return ctx->instances[i];
	return NULL;
}

/* ---- parameters from the config ---- */

static void fsm_params(const struct vrrp_instance *in, struct vrrp_fsm_params *p)
{
	const struct config_vrrp_instance *vi = in->cfg;

	*p = (struct vrrp_fsm_params){
		.version = (uint8_t)vi->version,
		.priority = (uint8_t)vi->priority,
		.advert_int_us = vi->advert_int_us,
		.preempt = !vi->nopreempt,
		.preempt_delay_us = vi->preempt_delay_us,
		.down_timer_adverts = vi->down_timer_adverts ? vi->down_timer_adverts : 3,
		.lower_prio_no_advert = vi->lower_prio_no_advert,
		.higher_prio_send_advert = vi->higher_prio_send_advert,
		.primary = in->src,
	};
}

/* The addresses adverts carry: the instance's VIPs of its own family
 * (virtual_ipaddress only; excluded ones are never advertised). */
static void collect_adv_addrs(struct vrrp_instance *in)
{
	free(in->adv_addrs);
	in->adv_addrs = xcalloc(in->cfg->vips.n ? in->cfg->vips.n : 1, sizeof(struct config_addr));
	in->n_adv_addrs = 0;
	config_list_foreach(struct config_vip, v, &in->cfg->vips)
		if (v->addr.addr.family == in->family && in->n_adv_addrs < VRRP_MAX_ADDRS)
			in->adv_addrs[in->n_adv_addrs++] = v->addr.addr;

	const struct config_vrrp_instance *vi = in->cfg;
	in->expect = (struct vrrp_expect){
		.version = (uint8_t)vi->version,
		.advert_int_us = vi->advert_int_us,
		.auth_type = vi->auth.type == CONFIG_AUTH_PASS ? VRRP_AUTH_PASS : VRRP_AUTH_NONE,
		.check_addrs = !vi->skip_check_adv_addr,
		.n_addrs = in->n_adv_addrs,
		.addrs = in->adv_addrs,
	};
	memset(in->expect.auth_pass, 0, sizeof(in->expect.auth_pass));
	if (vi->auth.type == CONFIG_AUTH_PASS && vi->auth.pass)
		memcpy(in->expect.auth_pass, vi->auth.pass,
		       strnlen(vi->auth.pass, sizeof(in->expect.auth_pass)));
}

static bool is_unicast(const struct vrrp_instance *in)
{
	return in->cfg->unicast_peers.n > 0;
}

static void resolve_group(struct vrrp_instance *in)
{
	const struct config_global *g = &in->ctx->cfg->global;

	if (is_unicast(in))
		in->mcast_group = (struct config_addr){ .family = AF_UNSPEC };
	else if (config_addr_is_set(&in->cfg->mcast_dst_ip))
		in->mcast_group = in->cfg->mcast_dst_ip;
	else
		in->mcast_group = in->family == AF_INET6 ? g->vrrp_mcast_group6 : g->vrrp_mcast_group4;
}

/* ---- lifecycle ---- */

struct vrrp_instance *vrrp_instance_new(struct vrrp_ctx *ctx, const struct config_vrrp_instance *vi)
{
	struct vrrp_instance *in = xnew(struct vrrp_instance);
	struct vrrp_fsm_params p;

	in->ctx = ctx;
	in->cfg = vi;
	in->name = xstrdup(vi->name);
	in->family = vi->family;
	snprintf(in->ifname, sizeof(in->ifname), "%s",
		 vi->interface ? vi->interface : ctx->cfg->global.default_interface);
	in->sched4 = (struct vrrp_announce_sched)VRRP_ANNOUNCE_SCHED_INIT;
	in->sched6 = (struct vrrp_announce_sched)VRRP_ANNOUNCE_SCHED_INIT;
	in->drop_log = (struct ratelimit)RATELIMIT_INIT(DROP_LOG_INTERVAL_USEC, DROP_LOG_BURST);
	resolve_group(in);
	collect_adv_addrs(in);
	fsm_params(in, &p);
	vrrp_fsm_init(&in->fsm, &p);
	return in;
}

static void announce_start(struct vrrp_instance *in, bool lower_prio);

/* State, timers, socket and counters stay; only what the new config changes
 * is done: VIPs one by one (a master's), a new priority advertised at once
 * by a master (the FSM), a backup's preemption decided by the next advert. */
void vrrp_instance_update(struct vrrp_instance *in, const struct config_vrrp_instance *vi)
{
	const struct config_vrrp_instance *old = in->cfg;
	struct vrrp_fsm_params p;
	struct vrrp_actions acts = { .n = 0 };

	in->cfg = vi;
	if (vrrp_addrs_update(in, old) > 0 && in->fsm.state == VRRP_STATE_MASTER)
		announce_start(in, false);
	resolve_group(in);
	collect_adv_addrs(in);
	fsm_params(in, &p);
	vrrp_fsm_update_params(&in->fsm, &p, vrrp_now(in->ctx), &acts);
	run_actions(in, &acts);
	vrrp_instance_retrack(in);
}

/* Why the instance cannot run now, or NULL. */
static const char *own_fault(const struct vrrp_instance *in)
{
	if (in->ifindex <= 0)
		return "interface does not exist";
	if (!in->link_up && !in->cfg->dont_track_primary)
		return "interface is down";
	if (!in->src_ok)
		return "no address to send adverts from";
	if (!in->sock)
		return "no VRRP socket";
	if (in->track_fault)
		return in->fault_why;
	return NULL;
}

bool vrrp_instance_own_fault(const struct vrrp_instance *in)
{
	return own_fault(in) != NULL;
}

const char *vrrp_instance_fault_reason(const struct vrrp_instance *in)
{
	const char *why = own_fault(in);

	if (!why && in->group_fault)
		return "another member of the sync group is in fault";
	return why;
}

static void acquire_io(struct vrrp_instance *in)
{
	int r;

	if (in->ifindex <= 0)
		return;
	if (!in->sock) {
		r = vrrp_sock_get(in->ctx, in, &in->sock);
		if (r < 0)
			log_errno(LOG_ERR, r, "%s: cannot open a VRRP socket on %s", in->name, in->ifname);
	}
	if (!in->announcer) {
		in->announcer = vrrp_announcer_open(in->ifindex, &r);
		if (!in->announcer)
			log_errno(LOG_WARNING, r, "%s: cannot open a socket for gratuitous ARP on %s",
				  in->name, in->ifname);
	}
}

static void release_io(struct vrrp_instance *in)
{
	vrrp_sock_put(in->sock);
	in->sock = NULL;
	in->announcer = vrrp_announcer_free(in->announcer);
}

void vrrp_instance_link_changed(struct vrrp_instance *in)
{
	int old_ifindex = in->ifindex;
	struct config_addr old_src = in->src;

	vrrp_links_refresh(in);
	if (in->ifindex != old_ifindex)
		release_io(in);
	acquire_io(in);
	if (!config_addr_equal(&old_src, &in->src)) {
		struct vrrp_fsm_params p;
		struct vrrp_actions acts = { .n = 0 };
		fsm_params(in, &p);
		vrrp_fsm_update_params(&in->fsm, &p, vrrp_now(in->ctx), &acts);
		run_actions(in, &acts);
	}
	vrrp_instance_retrack(in);
}

void vrrp_instance_start(struct vrrp_instance *in)
{
	struct vrrp_actions acts = { .n = 0 };
	uint64_t now = vrrp_now(in->ctx);

	vrrp_links_refresh(in);
	acquire_io(in);
	{
		struct vrrp_fsm_params p;
		fsm_params(in, &p);
		vrrp_fsm_update_params(&in->fsm, &p, now, &acts);
	}
	vrrp_track_compute(in);
	vrrp_fsm_set_priority(&in->fsm, vrrp_priority_effective(in->fsm.p.priority, in->track_delta),
			      now, &acts);
	const char *why = vrrp_instance_fault_reason(in);
	if (why) {
		log_warning("%s: starting in FAULT: %s", in->name, why);
		vrrp_fsm_set_fault(&in->fsm, true, now, &acts);
	}
	vrrp_fsm_start(&in->fsm, now, &acts);
	run_actions(in, &acts);
}

void vrrp_instance_shutdown(struct vrrp_instance *in)
{
	struct vrrp_actions acts = { .n = 0 };

	vrrp_fsm_shutdown(&in->fsm, vrrp_now(in->ctx), &acts);
	run_actions(in, &acts);
	/* Whatever the state, nothing of ours stays on the interfaces. */
	if (in->vips_installed)
		vrrp_addrs_remove(in);
}

struct vrrp_instance *vrrp_instance_free(struct vrrp_instance *in)
{
	if (!in)
		return NULL;
	sd_event_source_disable_unref(in->fsm_timer);
	sd_event_source_disable_unref(in->announce_timer);
	release_io(in);
	free(in->adv_addrs);
	free(in->name);
	free(in);
	return NULL;
}

/* ---- timers ---- */

static int on_fsm_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct vrrp_instance *in = userdata;
	struct vrrp_actions acts = { .n = 0 };

	vrrp_fsm_timer(&in->fsm, vrrp_now(in->ctx), &acts);
	run_actions(in, &acts);
	return 0;
}

/* Arm one timer at a monotonic deadline, or disable it (UINT64_MAX).
 * Accuracy 1 us: sd-event's default would let a timer slip by 250 ms. */
static void arm_timer(struct vrrp_instance *in, sd_event_source **src, uint64_t at,
		      sd_event_time_handler_t fn, const char *what)
{
	int r;

	if (at == UINT64_MAX) {
		if (*src)
			sd_event_source_set_enabled(*src, SD_EVENT_OFF);
		return;
	}
	if (!*src) {
		r = sd_event_add_time(in->ctx->event, src, CLOCK_MONOTONIC, at, 1, fn, in);
		if (r < 0) {
			log_errno(LOG_ERR, r, "%s: cannot add the %s timer", in->name, what);
			return;
		}
		sd_event_source_set_description(*src, what);
		/* Adverts and takeovers before anything else the loop has to do. */
		sd_event_source_set_priority(*src, SD_EVENT_PRIORITY_IMPORTANT);
	} else {
		sd_event_source_set_time(*src, at);
	}
	sd_event_source_set_enabled(*src, SD_EVENT_ONESHOT);
}

static void arm_fsm_timer(struct vrrp_instance *in)
{
	arm_timer(in, &in->fsm_timer, vrrp_fsm_next_deadline(&in->fsm), on_fsm_timer, "vrrp-fsm");
}

/* ---- announcements ---- */

static void send_round(struct vrrp_instance *in, int family)
{
	const struct config_list *lists[] = { &in->cfg->vips, &in->cfg->evips };
	bool router = family == AF_INET6 && vrrp_links_ipv6_forwarding(in->ifname);

	if (!in->announcer)
		return;
	for (size_t l = 0; l < 2; l++)
		config_list_foreach(struct config_vip, v, lists[l]) {
			if (v->addr.addr.family != family)
				continue;
			int r;
			if (family == AF_INET) {
				r = vrrp_announcer_send_garp(in->announcer, in->mac, v->addr.addr.u.v4);
				in->st.garps_sent += r == 0;
			} else {
				struct config_addr ll;
				if (vrrp_links_link_local(in, &ll) < 0)
					continue;
				r = vrrp_announcer_send_na(in->announcer, in->mac, &ll.u.v6,
							   &v->addr.addr.u.v6, router);
				in->st.nas_sent += r == 0;
			}
			in->st.announce_errors += r < 0;
		}
}

static uint64_t announce_next(const struct vrrp_instance *in)
{
	uint64_t a = vrrp_announce_sched_next(&in->sched4), b = vrrp_announce_sched_next(&in->sched6);

	return a < b ? a : b;
}

static int on_announce_timer(sd_event_source *s, uint64_t usec, void *userdata);

static void announce_run(struct vrrp_instance *in)
{
	uint64_t now = vrrp_now(in->ctx);

	for (unsigned n = vrrp_announce_sched_due(&in->sched4, now); n > 0; n--)
		send_round(in, AF_INET);
	for (unsigned n = vrrp_announce_sched_due(&in->sched6, now); n > 0; n--)
		send_round(in, AF_INET6);
	arm_timer(in, &in->announce_timer, announce_next(in), on_announce_timer, "vrrp-garp");
}

static int on_announce_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	announce_run(userdata);
	return 0;
}

static void announce_start(struct vrrp_instance *in, bool lower_prio)
{
	struct vrrp_announce_params p4, p6;
	const struct config_global *g = &in->ctx->cfg->global;
	uint64_t now = vrrp_now(in->ctx);

	if (lower_prio) {
		vrrp_announce_params_lower_prio(&p4, in->cfg, g, AF_INET);
		vrrp_announce_params_lower_prio(&p6, in->cfg, g, AF_INET6);
	} else {
		vrrp_announce_params_master(&p4, in->cfg, g, AF_INET);
		vrrp_announce_params_master(&p6, in->cfg, g, AF_INET6);
	}
	vrrp_announce_sched_start(&in->sched4, &p4, now);
	vrrp_announce_sched_start(&in->sched6, &p6, now);
	announce_run(in);
}

static void announce_stop(struct vrrp_instance *in)
{
	vrrp_announce_sched_stop(&in->sched4);
	vrrp_announce_sched_stop(&in->sched6);
	arm_timer(in, &in->announce_timer, UINT64_MAX, on_announce_timer, "vrrp-garp");
}

/* ---- adverts out ---- */

static void send_to(struct vrrp_instance *in, struct vrrp_advert *a, const struct config_addr *dst)
{
	uint8_t buf[VRRP_PACKET_MAX];
	int len = vrrp_encode(a, &in->src, dst, true, buf, sizeof(buf));

	if (len < 0) {
		in->st.send_errors++;
		return;
	}
	int r = vrrp_socket_send(in->sock->s, buf, (size_t)len, &in->src, dst);
	if (r < 0) {
		in->st.send_errors++;
		log_ratelimited(&in->drop_log, vrrp_now(in->ctx), LOG_WARNING,
				"%s: cannot send an advert on %s: %s", in->name, in->ifname,
				strerror(-r));
		return;
	}
	in->st.adverts_sent++;
	in->st.prio0_sent += a->priority == 0;
	/* Counters reach vrrp.json at most once a second (the status timer). */
	vrrp_status_changed(in->ctx, false);
}

static void send_advert(struct vrrp_instance *in, uint8_t priority)
{
	struct vrrp_advert *a = &in->ctx->tx_advert;

	if (!in->sock || !in->src_ok)
		return;
	memset(a, 0, sizeof(*a));
	a->version = (uint8_t)in->cfg->version;
	a->family = in->family;
	a->vrid = (uint8_t)in->cfg->vrid;
	a->priority = priority;
	a->advert_int_us = in->cfg->advert_int_us;
	a->auth_type = in->expect.auth_type;
	memcpy(a->auth_pass, in->expect.auth_pass, sizeof(a->auth_pass));
	a->n_addrs = in->n_adv_addrs;
	memcpy(a->addrs, in->adv_addrs, in->n_adv_addrs * sizeof(a->addrs[0]));

	if (!is_unicast(in)) {
		send_to(in, a, &in->mcast_group);
		return;
	}
	config_list_foreach(struct config_unicast_peer, p, &in->cfg->unicast_peers)
		send_to(in, a, &p->addr);
}

/* ---- transitions ---- */

enum vrrp_notify_state vrrp_notify_state_of(enum vrrp_state s)
{
	static const enum vrrp_notify_state map[_VRRP_STATE_MAX] = {
		[VRRP_STATE_INIT] = VRRP_NOTIFY_BACKUP,
		[VRRP_STATE_BACKUP] = VRRP_NOTIFY_BACKUP,
		[VRRP_STATE_MASTER] = VRRP_NOTIFY_MASTER,
		[VRRP_STATE_FAULT] = VRRP_NOTIFY_FAULT,
		[VRRP_STATE_STOP] = VRRP_NOTIFY_STOP,
	};
	return map[s];
}

static void notify_transition(struct vrrp_instance *in, enum vrrp_state to)
{
	const struct config_vrrp_instance *vi = in->cfg;
	struct vrrp_notify_event ev = {
		.kind = VRRP_NOTIFY_INSTANCE,
		.name = in->name,
		.state = vrrp_notify_state_of(to),
		.priority = vrrp_fsm_advert_priority(&in->fsm),
		.scripts = &vi->notify,
	};
	if (in->ctx->notify)
		vrrp_notify_transition(in->ctx->notify, &ev);
}

static void describe_reason(const struct vrrp_instance *in, enum vrrp_reason why, char *buf,
			    size_t size)
{
	char addr[CONFIG_ADDR_STRLEN];
	const char *fault = vrrp_instance_fault_reason(in);

	switch (why) {
	case VRRP_REASON_MASTER_DOWN:
		snprintf(buf, size, "no advert from a master for %.3f s",
			 (double)vrrp_fsm_master_down_us(&in->fsm) / 1e6);
		break;
	case VRRP_REASON_HIGHER_PRIORITY:
		snprintf(buf, size, "advert from %s with priority %u",
			 config_addr_to_string(&in->fsm.master_addr, addr, sizeof(addr)),
			 in->fsm.master_priority);
		break;
	case VRRP_REASON_FAULT:
		snprintf(buf, size, "%s", fault ? fault : "tracking");
		break;
	default:
		buf[0] = '\0';
	}
}

static void on_transition(struct vrrp_instance *in, const struct vrrp_action *a)
{
	char detail[160];

	describe_reason(in, a->reason, detail, sizeof(detail));
	log_notice("%s: %s -> %s (%s%s%s), priority %u", in->name, vrrp_state_to_string(a->from),
		   vrrp_state_to_string(a->to), vrrp_reason_to_string(a->reason),
		   detail[0] ? ": " : "", detail, vrrp_fsm_advert_priority(&in->fsm));
	in->st.transitions++;
	in->st.became_master += a->to == VRRP_STATE_MASTER;
	in->st.released_master += a->from == VRRP_STATE_MASTER;
	in->last_transition_wall = (uint64_t)time(NULL);
	if (a->from == VRRP_STATE_MASTER)
		announce_stop(in);
	if (a->to != VRRP_STATE_INIT)
		notify_transition(in, a->to);
	vrrp_status_changed(in->ctx, true);
	vrrp_lvs_sync_update(in->ctx);
	if (a->reason != VRRP_REASON_SYNC_GROUP && in->group)
		vrrp_sync_member_moved(in, a->to, a->reason);
}

static void act_send_advert(struct vrrp_instance *in, const struct vrrp_action *a)
{
	send_advert(in, a->priority);
}

static void act_vips_add(struct vrrp_instance *in, const struct vrrp_action *a)
{
	vrrp_addrs_install(in);
}

static void act_vips_del(struct vrrp_instance *in, const struct vrrp_action *a)
{
	vrrp_addrs_remove(in);
}

static void act_announce(struct vrrp_instance *in, const struct vrrp_action *a)
{
	announce_start(in, false);
}

static void (*const action_fns[])(struct vrrp_instance *, const struct vrrp_action *) = {
	[VRRP_ACTION_SEND_ADVERT] = act_send_advert,
	[VRRP_ACTION_VIPS_ADD] = act_vips_add,
	[VRRP_ACTION_VIPS_DEL] = act_vips_del,
	[VRRP_ACTION_ANNOUNCE] = act_announce,
	[VRRP_ACTION_TRANSITION] = on_transition,
};

static void run_actions(struct vrrp_instance *in, const struct vrrp_actions *acts)
{
	for (size_t i = 0; i < acts->n; i++)
		action_fns[acts->a[i].type](in, &acts->a[i]);
	arm_fsm_timer(in);
}

/* ---- adverts in ---- */

static enum vrrp_drop check_unicast_source(const struct vrrp_instance *in,
					   const struct config_addr *src, int ttl)
{
	config_list_foreach(struct config_unicast_peer, p, &in->cfg->unicast_peers) {
		if (!config_addr_equal(&p->addr, src))
			continue;
		if ((p->min_ttl >= 0 && ttl < p->min_ttl) || (p->max_ttl >= 0 && ttl > p->max_ttl))
			return VRRP_DROP_TTL;
		return VRRP_DROP_NONE;
	}
	return VRRP_DROP_UNICAST_SRC;
}

static void count_drop(struct vrrp_instance *in, enum vrrp_drop d, const struct config_addr *src)
{
	char addr[CONFIG_ADDR_STRLEN];

	in->st.drops[d]++;
	vrrp_status_changed(in->ctx, false);
	log_ratelimited(&in->drop_log, vrrp_now(in->ctx), LOG_WARNING,
			"%s: advert from %s dropped: %s", in->name,
			config_addr_to_string(src, addr, sizeof(addr)), vrrp_drop_to_string(d));
}

void vrrp_instance_receive(struct vrrp_instance *in, const struct vrrp_advert *a,
			   const struct config_addr *src, int ttl)
{
	enum vrrp_drop d = VRRP_DROP_NONE;

	if (config_addr_equal(src, &in->src))
		d = VRRP_DROP_OWN;
	else if (is_unicast(in))
		d = check_unicast_source(in, src, ttl);
	if (d == VRRP_DROP_NONE)
		d = vrrp_check_instance(a, &in->expect);
	if (d != VRRP_DROP_NONE) {
		count_drop(in, d, src);
		return;
	}
	in->st.adverts_received++;
	in->st.prio0_received += a->priority == 0;
	/* Also publishes the master's address a backup learns from it. */
	vrrp_status_changed(in->ctx, false);

	struct vrrp_advert_info info = { .priority = a->priority, .advert_int_us = a->advert_int_us,
					 .src = *src };
	struct vrrp_actions acts = { .n = 0 };
	bool was_master = in->fsm.state == VRRP_STATE_MASTER;
	vrrp_fsm_advert(&in->fsm, vrrp_now(in->ctx), &info, &acts);
	run_actions(in, &acts);
	/* A master hearing a lower priority: the other side thought it was
	 * master (a healed partition, a resumed hang).  Re-announce so the
	 * neighbours that followed it come back, whatever is scheduled (the
	 * second burst of becoming master, refreshes); at most once per
	 * LOWER_PRIO_REANNOUNCE_USEC, so a flood of such adverts cannot become
	 * a flood of ARPs. */
	uint64_t now = vrrp_now(in->ctx);
	if (was_master && in->fsm.state == VRRP_STATE_MASTER && a->priority != 0 &&
	    (in->lower_prio_announce_usec == 0 ||
	     now - in->lower_prio_announce_usec >= LOWER_PRIO_REANNOUNCE_USEC)) {
		in->lower_prio_announce_usec = now;
		announce_start(in, true);
	}
}

/* ---- tracking, handover, sync ---- */

void vrrp_instance_retrack(struct vrrp_instance *in)
{
	struct vrrp_actions acts = { .n = 0 };
	uint64_t now = vrrp_now(in->ctx);
	bool had_fault = in->fsm.fault;

	vrrp_track_compute(in);
	uint8_t prio = vrrp_priority_effective(in->fsm.p.priority, in->track_delta);
	bool prio_changed = prio != in->fsm.priority;
	if (prio_changed) {
		log_info("%s: effective priority %u -> %u", in->name, in->fsm.priority, prio);
		vrrp_fsm_set_priority(&in->fsm, prio, now, &acts);
	}
	const char *why = vrrp_instance_fault_reason(in);
	if ((why != NULL) != had_fault) {
		if (why)
			log_warning("%s: fault: %s", in->name, why);
		else
			log_notice("%s: fault cleared", in->name);
		vrrp_fsm_set_fault(&in->fsm, why != NULL, now, &acts);
	}
	run_actions(in, &acts);
	if (in->group)
		vrrp_sync_fault_changed(in->group);
	/* A new effective priority is state, not a counter: publish it now. */
	vrrp_status_changed(in->ctx, prio_changed);
}

void vrrp_instance_hold(struct vrrp_instance *in, bool hold)
{
	struct vrrp_actions acts = { .n = 0 };

	vrrp_fsm_hold(&in->fsm, hold, vrrp_now(in->ctx), &acts);
	run_actions(in, &acts);
	vrrp_status_changed(in->ctx, true);
}

void vrrp_instance_follow(struct vrrp_instance *in, enum vrrp_state to)
{
	struct vrrp_actions acts = { .n = 0 };

	vrrp_fsm_follow(&in->fsm, to, vrrp_now(in->ctx), &acts);
	run_actions(in, &acts);
}
