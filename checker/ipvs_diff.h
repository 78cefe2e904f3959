/* ipvs_diff: the smallest batch of IPVS operations that turns the kernel's
 * table into the wanted one, touching only what lbha owns.  Pure.
 *
 * Rules, per kernel service key:
 *   wanted, not in the kernel        -> add it and all its dests
 *   wanted, in the kernel            -> edit it if its settings differ; add,
 *                                       edit, delete dests to match; if lbha
 *                                       did not own it, it is taken over
 *   not wanted, in the kernel, owned -> delete it (its dests go with it)
 *   not wanted, not owned            -> left alone (someone else's)
 * A dest is identified by (af, addr, port), so a dest whose family or port
 * changes is a delete and an add; everything else about a dest (weight,
 * thresholds, forwarding method, tunnel) is an edit.  Equal tables give no
 * operation at all. */
#ifndef LBHA_CHECKER_IPVS_DIFF_H
#define LBHA_CHECKER_IPVS_DIFF_H

#include <stddef.h>

#include "checker/ipvs_owned.h"
#include "ipvs.h"

struct ipvs_diff_result {
	size_t changes;                 /* ops appended to the batch */
	size_t ops[_IPVS_OP_MAX];       /* of each type */
	/* Wanted services that were already in the kernel but not lbha's: from
	 * now on lbha owns them (the caller logs each). */
	struct ipvs_service_key *taken_over;
	size_t n_taken_over;
	size_t foreign;                 /* kernel services left alone */
};

void ipvs_diff_result_clear(struct ipvs_diff_result *r);   /* NULL-safe; frees taken_over */

/* Append to `batch` the operations that make `kernel` equal to `wanted`
 * within what `owned` allows, in this order:
 *   1. dest deletes      (in services that stay)
 *   2. service adds and edits
 *   3. dest adds and edits
 *   4. service deletes
 * A dest needs its service, so 2 comes before 3.  Deleting dests first and
 * services last means a service never holds more dests, and the table never
 * holds more services, than the old or the new config wanted at once, and a
 * renumbered service starts serving before the old one goes.  A deleted
 * service takes its dests with it, so it gets no dest deletes.
 * Both tables must be sorted (ipvs_table_sort; ipvs_dump's are) with no
 * duplicates (ipvs_desired_build's have none).  `result` is cleared first. */
void ipvs_diff(const struct ipvs_table *wanted, const struct ipvs_table *kernel,
	       const struct ipvs_owned *owned, struct ipvs_batch *batch,
	       struct ipvs_diff_result *result);

/* What lbha owns once `batch` (from ipvs_diff, after ipvs_batch_send) is
 * done: every wanted service, and each service whose delete failed for a
 * reason other than "not there" (it is still ours to delete next time).
 * *ret is replaced. */
void ipvs_diff_owned_after(const struct ipvs_table *wanted, const struct ipvs_batch *batch,
			   struct ipvs_owned *ret);

/* lvs_flush_onstop VS: append a delete of every owned service present in
 * `kernel` (sorted).  Returns the number of ops appended. */
size_t ipvs_diff_remove_owned(const struct ipvs_table *kernel, const struct ipvs_owned *owned,
			      struct ipvs_batch *batch);

#endif
