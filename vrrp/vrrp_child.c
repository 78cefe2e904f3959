#include <config.h>

#include "daemon/lbha_config.h"
#include "vrrp/vrrp_child.h"

/* Nothing to apply yet: the config is loaded, counted and published by the
 * child frame; VRRP instances will be matched and updated here. */
static int vrrp_child_apply(void *state, const struct lbha_config *cfg, uint64_t generation)
{
	return 0;
}

const struct child_role vrrp_child_role = {
	.name = "vrrp",
	.title = "lbha-vrrp",
	.apply = vrrp_child_apply,
};
