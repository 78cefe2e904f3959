#include <config.h>

/* kernel_seed: see kernel_seed.h.  The wanted table is built with every
 * server up; the builder says which destination each real server became,
 * and that destination is looked up in the kernel's table. */

#include <stdlib.h>

#include "checker/ipvs_desired.h"
#include "checker/kernel_seed.h"
#include "daemon/config_types.h"
#include "ipvs.h"
#include "xalloc.h"

struct collect {
	const struct ipvs_table *kernel;
	struct kernel_seed *v;
	size_t n, alloc;
};

static const struct ipvs_dest *find_dest(const struct ipvs_service_entry *e,
					 const struct ipvs_dest *d)
{
	size_t lo = 0, hi = e->n_dests;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ipvs_dest_key_cmp(&e->dests[mid], d);
		if (c == 0)
			return &e->dests[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void on_dest(const struct config_real_server *rs, const struct ipvs_service_key *svc,
		    const struct ipvs_dest *dest, void *userdata)
{
	struct collect *c = userdata;
	const struct ipvs_service_entry *e = ipvs_table_find(c->kernel, svc);
	const struct ipvs_dest *there;

	if (!e)
		return; /* the service is not there: nothing to tell */
	there = find_dest(e, dest);
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 64;
		c->v = xreallocarray(c->v, c->alloc, sizeof(*c->v));
	}
	c->v[c->n++] = (struct kernel_seed){
		.rs = rs, .state = there && there->weight > 0 ? HEALTH_UP : HEALTH_DOWN };
}

static int seed_cmp(const void *pa, const void *pb)
{
	const struct kernel_seed *a = pa, *b = pb;

	if (a->rs != b->rs)
		return (uintptr_t)a->rs < (uintptr_t)b->rs ? -1 : 1;
	/* up first: the one kept of a server seen in several services */
	return (int)b->state - (int)a->state;
}

size_t kernel_seed_build(const struct lbha_config *cfg, const struct ipvs_table *kernel,
			 struct kernel_seed **ret)
{
	struct collect c = { .kernel = kernel };
	const struct ipvs_desired_health h = { .dest = on_dest, .userdata = &c };
	struct ipvs_desired_vs *st = xcalloc(cfg->virtual_servers.n ? cfg->virtual_servers.n : 1,
					     sizeof(*st));
	struct ipvs_table all_up = { 0 };
	size_t kept = 0;

	ipvs_desired_build_health(cfg, &h, st, &all_up, NULL);
	ipvs_table_clear(&all_up);
	free(st);
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), seed_cmp);
	for (size_t i = 0; i < c.n; i++)
		if (kept == 0 || c.v[kept - 1].rs != c.v[i].rs)
			c.v[kept++] = c.v[i];
	*ret = c.v;
	return kept;
}

int kernel_seed_find(const struct kernel_seed *v, size_t n, const struct config_real_server *rs)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].rs == rs)
			return (int)v[mid].state;
		if ((uintptr_t)v[mid].rs < (uintptr_t)rs)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
