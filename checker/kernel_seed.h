/* kernel_seed: how each real server stood in the kernel's IPVS table when
 * the checker started.
 *
 * A checker that restarts (killed, crashed) knows nothing of its servers'
 * health; starting them all up (or, with alpha, all down) would put a dead
 * server back into the table, or take healthy ones out, until each has been
 * probed again.  The kernel's table still says how things stood: a server
 * that is a destination of its service with a weight is up, one that is not
 * there (or has weight 0) is down.  Servers whose service is not in the
 * kernel at all (a first start) are not seeded: alpha decides as usual.
 *
 * Pure: the config and a table in, an array out. */
#ifndef LBHA_CHECKER_KERNEL_SEED_H
#define LBHA_CHECKER_KERNEL_SEED_H

#include <stddef.h>

#include "checker/health.h"

struct config_real_server;
struct ipvs_table;
struct lbha_config;

struct kernel_seed {
	const struct config_real_server *rs;
	enum health_state state;
};

/* Every real server of cfg that one of its services in `kernel` (sorted, as
 * ipvs_dump() gives it) tells about, sorted by rs pointer, into *ret (the
 * caller frees).  Up when it is a destination with weight > 0 of any of its
 * services, else down.  Returns the count. */
size_t kernel_seed_build(const struct lbha_config *cfg, const struct ipvs_table *kernel,
			 struct kernel_seed **ret);

/* The seed of rs in v[0..n) (from kernel_seed_build), or -1 when it has none. */
int kernel_seed_find(const struct kernel_seed *v, size_t n, const struct config_real_server *rs);

#endif
