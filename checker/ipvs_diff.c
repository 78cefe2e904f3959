#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checker/ipvs_diff.h"
#include "xalloc.h"

/* The four phases of a diff; each collects its ops, then they are appended
 * in this order (see ipvs_diff() in the header for why). */
enum phase {
	PHASE_DEL_DESTS,
	PHASE_SERVICES,
	PHASE_DESTS,
	PHASE_DEL_SERVICES,
	_PHASE_MAX,
};

struct diff {
	struct ipvs_batch phases[_PHASE_MAX];
	struct ipvs_diff_result *result;
	size_t alloc_taken_over;
};

static void add_op(struct diff *d, enum phase p, enum ipvs_op_type type,
		   const struct ipvs_service *svc, const struct ipvs_dest *dest)
{
	struct ipvs_op *op = ipvs_batch_add(&d->phases[p], type);

	/* a fresh op, whatever ipvs_batch_add left in it */
	*op = (struct ipvs_op){ .type = type, .svc = *svc };
	if (dest)
		op->dest = *dest;
	d->result->ops[type]++;
	d->result->changes++;
}

static void taken_over(struct diff *d, const struct ipvs_service_key *k)
{
	struct ipvs_diff_result *r = d->result;

	if (r->n_taken_over == d->alloc_taken_over) {
		d->alloc_taken_over = d->alloc_taken_over ? d->alloc_taken_over * 2 : 8;
		r->taken_over = xreallocarray(r->taken_over, d->alloc_taken_over,
					      sizeof(*r->taken_over));
	}
	r->taken_over[r->n_taken_over++] = *k;
}

/* A service in both tables: merge its sorted dest lists. */
static void diff_dests(struct diff *d, const struct ipvs_service_entry *w,
		       const struct ipvs_service_entry *k)
{
	size_t i = 0, j = 0;

	while (i < w->n_dests || j < k->n_dests) {
		int c = i == w->n_dests ? 1 : j == k->n_dests ? -1 :
			ipvs_dest_key_cmp(&w->dests[i], &k->dests[j]);
		if (c < 0) {
			add_op(d, PHASE_DESTS, IPVS_OP_ADD_DEST, &w->svc, &w->dests[i++]);
		} else if (c > 0) {
			add_op(d, PHASE_DEL_DESTS, IPVS_OP_DEL_DEST, &w->svc, &k->dests[j++]);
		} else {
			if (!ipvs_dest_equal(&w->dests[i], &k->dests[j]))
				add_op(d, PHASE_DESTS, IPVS_OP_EDIT_DEST, &w->svc, &w->dests[i]);
			i++, j++;
		}
	}
}

static void add_service(struct diff *d, const struct ipvs_service_entry *w)
{
	add_op(d, PHASE_SERVICES, IPVS_OP_ADD_SERVICE, &w->svc, NULL);
	for (size_t i = 0; i < w->n_dests; i++)
		add_op(d, PHASE_DESTS, IPVS_OP_ADD_DEST, &w->svc, &w->dests[i]);
}

static void kernel_only(struct diff *d, const struct ipvs_service_entry *k,
			const struct ipvs_owned *owned)
{
	if (owned && ipvs_owned_contains(owned, &k->svc.key))
		add_op(d, PHASE_DEL_SERVICES, IPVS_OP_DEL_SERVICE, &k->svc, NULL);
	else
		d->result->foreign++;
}

static void in_both(struct diff *d, const struct ipvs_service_entry *w,
		    const struct ipvs_service_entry *k, const struct ipvs_owned *owned)
{
	if (!owned || !ipvs_owned_contains(owned, &w->svc.key))
		taken_over(d, &w->svc.key);
	if (!ipvs_service_equal(&w->svc, &k->svc))
		add_op(d, PHASE_SERVICES, IPVS_OP_EDIT_SERVICE, &w->svc, NULL);
	diff_dests(d, w, k);
}

void ipvs_diff(const struct ipvs_table *wanted, const struct ipvs_table *kernel,
	       const struct ipvs_owned *owned, struct ipvs_batch *batch,
	       struct ipvs_diff_result *result)
{
	struct diff d = { .result = result };
	size_t i = 0, j = 0;

	ipvs_diff_result_clear(result);
	while (i < wanted->n_services || j < kernel->n_services) {
		const struct ipvs_service_entry *w = i < wanted->n_services ? &wanted->services[i] : NULL;
		const struct ipvs_service_entry *k = j < kernel->n_services ? &kernel->services[j] : NULL;
		int c = !w ? 1 : !k ? -1 : ipvs_service_key_cmp(&w->svc.key, &k->svc.key);

		if (c < 0) {
			add_service(&d, w);
			i++;
		} else if (c > 0) {
			kernel_only(&d, k, owned);
			j++;
		} else {
			in_both(&d, w, k, owned);
			i++, j++;
		}
	}
	for (int p = 0; p < _PHASE_MAX; p++) {
		for (size_t n = 0; n < d.phases[p].n_ops; n++) {
			struct ipvs_op *op = ipvs_batch_add(batch, d.phases[p].ops[n].type);
			*op = d.phases[p].ops[n];
		}
		ipvs_batch_clear(&d.phases[p]);
	}
}

void ipvs_diff_result_clear(struct ipvs_diff_result *r)
{
	if (!r)
		return;
	free(r->taken_over);
	*r = (struct ipvs_diff_result){ 0 };
}

void ipvs_diff_owned_after(const struct ipvs_table *wanted, const struct ipvs_batch *batch,
			   struct ipvs_owned *ret)
{
	ipvs_owned_clear(ret);
	if (wanted->n_services) {
		/* wanted is sorted: the keys go in as they are */
		ret->keys = xcalloc(wanted->n_services, sizeof(*ret->keys));
		ret->alloc = wanted->n_services;
		for (size_t i = 0; i < wanted->n_services; i++)
			ret->keys[ret->n++] = wanted->services[i].svc.key;
	}
	for (size_t i = 0; i < batch->n_ops; i++) {
		const struct ipvs_op *op = &batch->ops[i];
		if (op->type == IPVS_OP_DEL_SERVICE && op->error && op->error != -ESRCH &&
		    op->error != -ENOENT)
			ipvs_owned_add(ret, &op->svc.key);
	}
}

size_t ipvs_diff_remove_owned(const struct ipvs_table *kernel, const struct ipvs_owned *owned,
			      struct ipvs_batch *batch)
{
	size_t n = 0;

	for (size_t i = 0; i < kernel->n_services; i++) {
		const struct ipvs_service_entry *k = &kernel->services[i];
		if (!ipvs_owned_contains(owned, &k->svc.key))
			continue;
		struct ipvs_op *op = ipvs_batch_add(batch, IPVS_OP_DEL_SERVICE);
		*op = (struct ipvs_op){ .type = IPVS_OP_DEL_SERVICE, .svc = k->svc };
		n++;
	}
	return n;
}
