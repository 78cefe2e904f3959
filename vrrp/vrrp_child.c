#include <config.h>

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "control.h"
#include "daemon/lbha_config.h"
#include "log.h"
#include "rtnl.h"
#include "vrrp/vrrp_child.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_lvs_sync.h"
#include "vrrp/vrrp_metrics.h"
#include "vrrp/vrrp_notify.h"
#include "xalloc.h"

/* Events handled per monitor wake-up; the rest on the next one. */
#define MONITOR_BUDGET 256

/* ---- rtnetlink events ---- */

static void links_changed(struct vrrp_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_instances; i++)
		vrrp_instance_link_changed(ctx->instances[i]);
}

static void on_addr_del(struct vrrp_ctx *ctx, const struct rtnl_addr *a)
{
	struct config_addr addr;

	vrrp_addr_from_rtnl(&a->local, &addr);
	if (vrrp_addrs_deleted(ctx, a->ifindex, &addr))
		return;
	/* Maybe an instance's source address went away. */
	for (size_t i = 0; i < ctx->n_instances; i++) {
		struct vrrp_instance *in = ctx->instances[i];
		if (in->ifindex == a->ifindex && config_addr_equal(&in->src, &addr))
			vrrp_instance_link_changed(in);
	}
}

static void on_addr_new(struct vrrp_ctx *ctx, const struct rtnl_addr *a)
{
	for (size_t i = 0; i < ctx->n_instances; i++) {
		struct vrrp_instance *in = ctx->instances[i];
		if (in->ifindex == a->ifindex && !in->src_ok)
			vrrp_instance_link_changed(in);
	}
}

static int on_rtnl_event(const struct rtnl_event *ev, void *userdata)
{
	struct vrrp_ctx *ctx = userdata;

	switch (ev->type) {
	case RTNL_EVENT_LINK_NEW:
	case RTNL_EVENT_LINK_DEL:
		links_changed(ctx);
		break;
	case RTNL_EVENT_ADDR_DEL:
		on_addr_del(ctx, &ev->u.addr);
		break;
	case RTNL_EVENT_ADDR_NEW:
		on_addr_new(ctx, &ev->u.addr);
		break;
	case RTNL_EVENT_OVERRUN:
		/* Events were lost: look again at everything, and put back
		 * whatever a master should hold (adding is idempotent). */
		log_warning("rtnetlink events were lost; re-reading interfaces");
		links_changed(ctx);
		for (size_t i = 0; i < ctx->n_instances; i++)
			if (ctx->instances[i]->vips_installed)
				vrrp_addrs_install(ctx->instances[i]);
		break;
	default:
		break;
	}
	return 0;
}

static int on_monitor(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct vrrp_ctx *ctx = userdata;
	int r = rtnl_monitor_read(ctx->monitor, MONITOR_BUDGET, on_rtnl_event, ctx);

	if (r < 0 && r != -EAGAIN)
		log_errno(LOG_WARNING, r, "cannot read rtnetlink events");
	return 0;
}

/* ---- process set-up ---- */

/* keepalived's vrrp_no_swap and vrrp_rt_priority, on by default: a VRRP
 * process that is paged out or starved by a busy checker misses adverts and
 * makes the backup take over for nothing.  Best effort: without the
 * privilege it runs as a normal process, and says so. */
static void make_realtime(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	/* A bug that spins must not freeze the machine: the kernel sends
	 * SIGXCPU after this much real-time CPU without a blocking call. */
	struct rlimit rt = { .rlim_cur = 2000000, .rlim_max = 3000000 };

	/* MCL_ONFAULT: lock pages as they are used, not every mapping up
	 * front (sanitizer shadow maps are terabytes of reserve). */
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0)
		log_errno(LOG_INFO, errno, "cannot lock memory, continuing");
	if (setrlimit(RLIMIT_RTTIME, &rt) < 0 ||
	    sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0)
		log_errno(LOG_INFO, errno, "cannot use real-time scheduling, continuing");
}

static int vrrp_start(struct child_ctx *frame, sd_event *e, void **ret_state)
{
	struct vrrp_ctx *ctx = xnew(struct vrrp_ctx);
	int r;

	ctx->event = e;
	ctx->frame = frame;
	ctx->drop_log = (struct ratelimit)RATELIMIT_INIT(10 * 1000000ULL, 5);
	ctx->rtnl = rtnl_open(&r);
	if (!ctx->rtnl)
		log_errno(LOG_ERR, r, "cannot open rtnetlink: VIPs cannot be managed");
	ctx->monitor = rtnl_monitor_open(RTNL_MONITOR_LINK | RTNL_MONITOR_IPV4_ADDR |
						 RTNL_MONITOR_IPV6_ADDR,
					 0, &r);
	if (!ctx->monitor)
		log_errno(LOG_ERR, r, "cannot watch interfaces and addresses");
	else if (sd_event_add_io(e, &ctx->monitor_src, rtnl_monitor_fd(ctx->monitor), EPOLLIN,
				 on_monitor, ctx) >= 0)
		sd_event_source_set_description(ctx->monitor_src, "rtnl-monitor");
	vrrp_control_open(ctx);
	make_realtime();
	*ret_state = ctx;
	return 0;
}

/* ---- config ---- */

static void notify_settings(const struct lbha_config *cfg, struct vrrp_notify_settings *s)
{
	const struct config_global *g = &cfg->global;

	*s = (struct vrrp_notify_settings){
		.script_user = vrrp_script_user(g),
		.script_group = g->script_group,
		.script_security = g->enable_script_security,
		.notify_fifo = g->notify_fifo,
		.vrrp_notify_fifo = g->vrrp_notify_fifo,
		.fifo_create = true,
	};
}

/* Same identity: the instance keeps its state over a reload.  What defines
 * the VRRP router on the wire (VRID, interface, family, version, unicast or
 * multicast) changing makes it a new one. */
static bool same_identity(const struct vrrp_instance *in, const struct config_vrrp_instance *vi)
{
	const char *ifname = vi->interface ? vi->interface : in->ctx->cfg->global.default_interface;

	return in->cfg->vrid == vi->vrid && in->family == vi->family &&
	       in->cfg->version == vi->version && strcmp(in->ifname, ifname) == 0 &&
	       (in->cfg->unicast_peers.n > 0) == (vi->unicast_peers.n > 0) &&
	       config_addr_equal(&in->cfg->mcast_dst_ip, &vi->mcast_dst_ip);
}

void *vrrp_take_named(void *old, size_t n, size_t name_offset, const char *name)
{
	void **items = old;

	for (size_t i = 0; i < n; i++) {
		const char *item_name = items[i] ? *(char **)((char *)items[i] + name_offset) : NULL;
		if (item_name && strcmp(item_name, name) == 0) {
			void *found = items[i];
			items[i] = NULL;
			return found;
		}
	}
	return NULL;
}

static int vrrp_apply(void *state, const struct lbha_config *cfg, uint64_t generation)
{
	struct vrrp_ctx *ctx = state;
	struct vrrp_instance **old = ctx->instances;
	size_t n_old = ctx->n_instances;
	struct vrrp_notify_settings ns;

	ctx->cfg = cfg;
	notify_settings(cfg, &ns);
	if (!ctx->notify)
		ctx->notify = vrrp_notify_new(ctx->event, &ns);
	else
		vrrp_notify_set_settings(ctx->notify, &ns);

	/* Instances gone from the config resign first (priority-0 advert),
	 * each on its own: groups are relinked once the set is known. */
	vrrp_sync_detach(ctx);
	ctx->instances = xcalloc(cfg->vrrp_instances.n + 1, sizeof(*ctx->instances));
	ctx->n_instances = 0;
	struct vrrp_instance **fresh = xcalloc(cfg->vrrp_instances.n + 1, sizeof(*fresh));
	size_t n_fresh = 0;
	config_list_foreach(struct config_vrrp_instance, vi, &cfg->vrrp_instances) {
		struct vrrp_instance *in = vrrp_take_named(old, n_old, offsetof(struct vrrp_instance, name),
						      vi->name);
		if (in && !same_identity(in, vi)) {
			log_notice("%s: VRID, interface, family, version or mode changed: restarting it",
				   in->name);
			vrrp_instance_shutdown(in);
			in = vrrp_instance_free(in);
		}
		if (!in) {
			in = vrrp_instance_new(ctx, vi);
			fresh[n_fresh++] = in;
		}
		ctx->instances[ctx->n_instances++] = in;
	}
	for (size_t i = 0; i < n_old; i++)
		if (old[i]) {
			log_notice("%s: removed from the config, stopping it", old[i]->name);
			vrrp_instance_shutdown(old[i]);
			vrrp_instance_free(old[i]);
		}
	free(old);

	vrrp_track_setup(ctx);
	vrrp_sync_setup(ctx);
	for (size_t i = 0; i < ctx->n_instances; i++) {
		struct vrrp_instance *in = ctx->instances[i];
		bool is_fresh = false;
		for (size_t j = 0; j < n_fresh; j++)
			is_fresh |= fresh[j] == in;
		if (is_fresh)
			vrrp_instance_start(in);
		else
			vrrp_instance_update(in, config_find_instance(cfg, in->name));
	}
	free(fresh);
	vrrp_lvs_sync_update(ctx);
	vrrp_status_changed(ctx, true);
	return 0;
}

/* ---- IPVS sync daemon ---- */

/* The instance lvs_sync_daemon names; with none named and a single
 * instance configured, that one (keepalived 1.x's form, no instance). */
static const struct vrrp_instance *lvs_sync_instance(const struct vrrp_ctx *ctx)
{
	const char *name = ctx->cfg->global.lvs_sync_daemon.instance;

	if (name)
		return vrrp_find_instance(ctx, name);
	return ctx->n_instances == 1 ? ctx->instances[0] : NULL;
}

void vrrp_lvs_sync_update(struct vrrp_ctx *ctx)
{
	const struct config_lvs_sync_daemon *cfg = ctx->cfg ? &ctx->cfg->global.lvs_sync_daemon : NULL;
	const struct vrrp_instance *in = cfg && cfg->interface ? lvs_sync_instance(ctx) : NULL;
	struct vrrp_lvs_sync_want want = { 0 };

	if (!ctx->lvs_sync && !in)
		return;
	if (!ctx->lvs_sync)
		ctx->lvs_sync = vrrp_lvs_sync_new();
	if (in)
		vrrp_lvs_sync_wanted(cfg, (uint8_t)in->cfg->vrid, in->fsm.state, ctx->shutting_down,
				     &want);
	vrrp_lvs_sync_follow(ctx->lvs_sync, in ? in->name : "lvs_sync_daemon", &want);
}

/* ---- stop ---- */

static void on_notify_idle(struct vrrp_notify *n, void *userdata)
{
	struct vrrp_ctx *ctx = userdata;

	if (ctx->shutting_down)
		child_shutdown_done(ctx->frame);
}

/* Every instance resigns; the loop then lives until notify_stop scripts
 * (queued by the STOP transitions) have run. */
static int vrrp_shutdown(void *state)
{
	struct vrrp_ctx *ctx = state;

	ctx->shutting_down = true;
	for (size_t i = 0; i < ctx->n_instances; i++)
		vrrp_instance_shutdown(ctx->instances[i]);
	vrrp_lvs_sync_update(ctx);
	if (!ctx->notify || !ctx->frame || vrrp_notify_pending(ctx->notify) == 0)
		return 0;
	vrrp_notify_set_idle_callback(ctx->notify, on_notify_idle, ctx);
	return 1;
}

static void vrrp_stop(void *state)
{
	struct vrrp_ctx *ctx = state;

	if (!ctx)
		return;
	if (!ctx->shutting_down)
		vrrp_shutdown(ctx);
	vrrp_sync_teardown(ctx);
	vrrp_track_teardown(ctx);
	for (size_t i = 0; i < ctx->n_instances; i++)
		vrrp_instance_free(ctx->instances[i]);
	free(ctx->instances);
	free(ctx->socks);
	vrrp_notify_free(ctx->notify);
	vrrp_lvs_sync_free(ctx->lvs_sync);
	control_server_free(ctx->control);
	sd_event_source_disable_unref(ctx->status_timer);
	sd_event_source_disable_unref(ctx->monitor_src);
	rtnl_monitor_free(ctx->monitor);
	rtnl_close(ctx->rtnl);
	free(ctx);
}

static void vrrp_status_extra(void *state, FILE *f)
{
	vrrp_status_write(state, f);
}

static void vrrp_metrics_extra(void *state, FILE *f)
{
	vrrp_metrics_write(state, f);
}

const struct child_role vrrp_child_role = {
	.name = "vrrp",
	.title = "lbha-vrrp",
	.start = vrrp_start,
	.apply = vrrp_apply,
	.shutdown = vrrp_shutdown,
	.stop = vrrp_stop,
	.status_extra = vrrp_status_extra,
	.metrics = vrrp_metrics_extra,
};
