#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "daemon/child.h"
#include "daemon/options.h"
#include "log.h"
#include "vrrp/vrrp_ctx.h"
#include "xalloc.h"

/* The instance a command names, or NULL with the reply saying so. */
static struct vrrp_instance *named_instance(struct vrrp_ctx *ctx, const char *name, char *reply,
					    size_t size)
{
	struct vrrp_instance *in = vrrp_find_instance(ctx, name);

	if (!in)
		snprintf(reply, size, "no vrrp_instance %s", name);
	return in;
}

/* `lbha handover NAME`: a master resigns (priority-0 advert, so the backup
 * takes over after its skew time, not after Master_Down_Interval) and stays
 * a backup advertising priority 1 until `lbha restore NAME`.  On a backup it
 * only sets the hold, so a drill can pin the roles before it starts. */
static int verb_handover(void *userdata, size_t argc, char **argv, char *reply, size_t size)
{
	struct vrrp_instance *in = named_instance(userdata, argv[1], reply, size);

	if (!in)
		return -ENOENT;
	enum vrrp_state before = in->fsm.state;
	log_notice("%s: handover requested by the operator (state %s)", in->name,
		   vrrp_state_to_string(before));
	vrrp_instance_hold(in, true);
	snprintf(reply, size, "%s: %s -> %s, held at priority %u until `lbha restore %s`",
		 in->name, vrrp_state_to_string(before), vrrp_state_to_string(in->fsm.state),
		 vrrp_fsm_advert_priority(&in->fsm), in->name);
	return 0;
}

static int verb_restore(void *userdata, size_t argc, char **argv, char *reply, size_t size)
{
	struct vrrp_instance *in = named_instance(userdata, argv[1], reply, size);

	if (!in)
		return -ENOENT;
	bool was = in->fsm.held;
	log_notice("%s: restore requested by the operator", in->name);
	vrrp_instance_hold(in, false);
	snprintf(reply, size, "%s: %s, priority %u, state %s", in->name,
		 was ? "hold released" : "was not held", vrrp_fsm_advert_priority(&in->fsm),
		 vrrp_state_to_string(in->fsm.state));
	return 0;
}

static const struct control_verb vrrp_verbs[] = {
	{ "handover", 1, 1, verb_handover },
	{ "restore", 1, 1, verb_restore },
};

int vrrp_control_open(struct vrrp_ctx *ctx)
{
	const struct lbha_options *o = child_options(ctx->frame);
	char *path = xasprintf("%s/vrrp.sock", o->runtime_dir);
	int r = control_server_new(ctx->event, path, vrrp_verbs,
				   sizeof(vrrp_verbs) / sizeof(vrrp_verbs[0]), ctx, &ctx->control);

	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot listen on %s: `lbha handover` will not work",
			  path);
	free(path);
	return r;
}
