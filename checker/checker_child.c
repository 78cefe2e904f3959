#include <config.h>

#include "checker/checker_child.h"
#include "daemon/lbha_config.h"

/* Nothing to apply yet: virtual and real servers will be matched by identity
 * and their probes started, kept or stopped here. */
static int checker_child_apply(void *state, const struct lbha_config *cfg, uint64_t generation)
{
	return 0;
}

const struct child_role checker_child_role = {
	.name = "checker",
	.title = "lbha-checker",
	.apply = checker_child_apply,
};
