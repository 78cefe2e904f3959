#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_notify.h"
#include "xalloc.h"

/* A sync group moves its members together (keepalived's vrrp_sync_group):
 * one member becoming MASTER or BACKUP on its own pulls the others along,
 * and a member's own FAULT puts the whole group in FAULT until it clears.
 * The group's state is the state of the member that moved last on its own;
 * the group's notify scripts run when that changes. */

/* Members are borrowed: vrrp_sync_detach() unlinks them before instances
 * can go away, so freeing a group never touches one. */
static struct vrrp_group *group_free(struct vrrp_group *g)
{
	if (!g)
		return NULL;
	free(g->members);
	free(g->name);
	free(g);
	return NULL;
}

void vrrp_sync_detach(struct vrrp_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_groups; i++) {
		struct vrrp_group *g = ctx->groups[i];
		for (size_t j = 0; j < g->n_members; j++)
			g->members[j]->group = NULL;
		g->n_members = 0;
	}
}

void vrrp_sync_teardown(struct vrrp_ctx *ctx)
{
	vrrp_sync_detach(ctx);
	for (size_t i = 0; i < ctx->n_groups; i++)
		group_free(ctx->groups[i]);
	free(ctx->groups);
	ctx->groups = NULL;
	ctx->n_groups = 0;
}

void vrrp_sync_setup(struct vrrp_ctx *ctx)
{
	/* A group keeps its last state over a reload (so its notify scripts do
	 * not run again); its members are looked up anew. */
	struct vrrp_group **old = ctx->groups;
	size_t n_old = ctx->n_groups;

	vrrp_sync_detach(ctx);
	ctx->groups = xcalloc(ctx->cfg->sync_groups.n + 1, sizeof(*ctx->groups));
	ctx->n_groups = 0;
	config_list_foreach(struct config_vrrp_sync_group, sg, &ctx->cfg->sync_groups) {
		struct vrrp_group *g =
			vrrp_take_named(old, n_old, offsetof(struct vrrp_group, name), sg->name);
		if (!g) {
			g = xnew(struct vrrp_group);
			g->ctx = ctx;
			g->name = xstrdup(sg->name);
			g->state = VRRP_STATE_INIT;
		}
		g->cfg = sg;
		free(g->members);
		g->members = xcalloc(sg->members.n + 1, sizeof(*g->members));
		g->n_members = 0;
		config_list_foreach(struct config_track, m, &sg->members) {
			struct vrrp_instance *in = vrrp_find_instance(ctx, m->name);
			if (!in)
				continue;
			in->group = g;
			g->members[g->n_members++] = in;
		}
		ctx->groups[ctx->n_groups++] = g;
	}
	for (size_t i = 0; i < n_old; i++)
		group_free(old[i]);
	free(old);
}

static void group_set_state(struct vrrp_group *g, enum vrrp_state to)
{
	if (g->state == to)
		return;
	log_notice("sync group %s: %s -> %s", g->name, vrrp_state_to_string(g->state),
		   vrrp_state_to_string(to));
	g->state = to;
	const struct config_vrrp_sync_group *sg = g->cfg;
	struct vrrp_notify_event ev = {
		.kind = VRRP_NOTIFY_GROUP,
		.name = g->name,
		.state = vrrp_notify_state_of(to),
		.scripts = &sg->notify,
	};
	if (g->ctx->notify)
		vrrp_notify_transition(g->ctx->notify, &ev);
}

void vrrp_sync_member_moved(struct vrrp_instance *in, enum vrrp_state to, enum vrrp_reason why)
{
	struct vrrp_group *g = in->group;

	if (!g || g->moving)
		return;
	g->moving = true;
	if (to == VRRP_STATE_MASTER || to == VRRP_STATE_BACKUP)
		for (size_t i = 0; i < g->n_members; i++)
			if (g->members[i] != in)
				vrrp_instance_follow(g->members[i], to);
	g->moving = false;
	group_set_state(g, to);
}

void vrrp_sync_fault_changed(struct vrrp_group *g)
{
	if (g->moving)
		return;
	g->moving = true;
	for (size_t i = 0; i < g->n_members; i++) {
		struct vrrp_instance *in = g->members[i];
		bool others = false;
		for (size_t j = 0; j < g->n_members; j++)
			if (j != i && vrrp_instance_own_fault(g->members[j]))
				others = true;
		if (others != in->group_fault) {
			in->group_fault = others;
			vrrp_instance_retrack(in);
		}
	}
	g->moving = false;
}
