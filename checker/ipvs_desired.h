/* ipvs_desired: the IPVS table lbha wants, from the config and the health of
 * each real server.  Pure: no I/O, no logging, no clock.
 *
 * Every virtual_server becomes one kernel service, except a
 * `virtual_server group NAME`, which becomes one service per address of each
 * range or prefix in the virtual_server_group and one per fwmark entry, all
 * with the same settings and real servers.
 *
 * The destinations of a service follow keepalived (check/ipwrapper.c):
 *  - a live real server is in with its weight; a dead one is out, or in with
 *    weight 0 when it has inhibit_on_failure;
 *  - each virtual server has a quorum state (see ipvs_quorum_next()); while
 *    it is down and there is a sorry_server, the sorry server is in (weight
 *    1) and the live real servers are out (weight 0 with inhibit_on_failure);
 *  - with sorry_server_inhibit the sorry server stays in with weight 0 while
 *    the quorum is up.
 *
 * A real server port 0 means the service's port, and DR/TUN cannot change
 * the port (ipvsadm's rule), so a fwmark service's DR/TUN dests have port 0. */
#ifndef LBHA_CHECKER_IPVS_DESIRED_H
#define LBHA_CHECKER_IPVS_DESIRED_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipvs.h"

struct config_obj;
struct config_real_server;
struct config_virtual_server;
struct lbha_config;

/* One range entry of a virtual_server_group expands to at most this many
 * services (a /16); the rest is left out and reported. */
#define IPVS_DESIRED_MAX_RANGE 65536u

enum ipvs_quorum {
	IPVS_QUORUM_UNKNOWN,  /* not computed yet (start, new virtual server) */
	IPVS_QUORUM_DOWN,
	IPVS_QUORUM_UP,
	_IPVS_QUORUM_MAX,
	_IPVS_QUORUM_INVALID = -EINVAL,
};

const char *ipvs_quorum_to_string(enum ipvs_quorum q);

/* keepalived's quorum with hysteresis.  `live_weight` is the sum of the
 * weights of the live real servers.  From UNKNOWN (start): up when
 * live_weight >= quorum + hysteresis.  From DOWN: up when live_weight >=
 * quorum + hysteresis.  From UP: down when live_weight is 0 or <
 * quorum - hysteresis.  Otherwise the state stays. */
enum ipvs_quorum ipvs_quorum_next(enum ipvs_quorum prev, uint64_t live_weight, uint32_t quorum,
				  uint32_t hysteresis);

/* Is this real server up?  (The checker answers from its health checks.) */
typedef bool (*ipvs_desired_up_fn)(const struct config_real_server *rs, void *userdata);

/* The weight a live real server has now (misc_dynamic, slow start), 0..65535;
 * without this callback its configured weight.  Dead servers get 0 (or
 * none) whatever it says. */
typedef uint32_t (*ipvs_desired_weight_fn)(const struct config_real_server *rs, void *userdata);

/* Told, for each real server that becomes a destination, which service and
 * destination it became (before duplicates are dropped): how a caller maps
 * config real servers to kernel entries. */
typedef void (*ipvs_desired_dest_fn)(const struct config_real_server *rs,
				     const struct ipvs_service_key *svc,
				     const struct ipvs_dest *dest, void *userdata);

/* Where health comes from: either callback may be NULL (all up; configured
 * weights); dest may be NULL. */
struct ipvs_desired_health {
	ipvs_desired_up_fn up;
	ipvs_desired_weight_fn weight;
	ipvs_desired_dest_fn dest;
	void *userdata;
};

/* The state of one virtual server, in cfg->virtual_servers order: the caller
 * keeps it between builds (quorum has hysteresis, so it needs its past). */
struct ipvs_desired_vs {
	enum ipvs_quorum quorum;     /* in: previous (UNKNOWN at first); out: new */
	/* out only: */
	uint64_t live_weight;        /* sum of the weights of live real servers */
	size_t live, total;          /* live and configured real servers */
	bool sorry_active;           /* the sorry server is serving */
	size_t services;             /* kernel services it became */
};

enum ipvs_desired_problem_type {
	IPVS_DESIRED_RANGE_TRUNCATED,   /* a group range larger than IPVS_DESIRED_MAX_RANGE */
	IPVS_DESIRED_DUPLICATE_SERVICE, /* two virtual servers give the same kernel service */
	IPVS_DESIRED_DUPLICATE_DEST,    /* two real servers give the same dest of a service */
	IPVS_DESIRED_FAMILY_MISMATCH,   /* a non-TUN real server of the other family */
	_IPVS_DESIRED_PROBLEM_MAX,
	_IPVS_DESIRED_PROBLEM_INVALID = -EINVAL,
};

/* "range truncated", ...: for log lines. */
const char *ipvs_desired_problem_to_string(enum ipvs_desired_problem_type t);

/* Something in the config that could not become kernel state as written.
 * The validator catches most; these are left for expansion time. */
struct ipvs_desired_problem {
	enum ipvs_desired_problem_type type;
	const struct config_obj *where;   /* the config line (entry, virtual or real server) */
	struct ipvs_service_key svc;      /* the service concerned */
	struct ipvs_dest dest;            /* DUPLICATE_DEST, FAMILY_MISMATCH: the dest */
};

struct ipvs_desired_report {
	struct ipvs_desired_problem *problems;
	size_t n_problems, alloc_problems;
	size_t services, dests;          /* in the table built */
};

void ipvs_desired_report_clear(struct ipvs_desired_report *r);  /* NULL-safe */

/* Build the wanted table into *ret (cleared first), sorted (services by
 * ipvs_service_key_cmp, dests by ipvs_dest_key_cmp), with no duplicate
 * service or dest.  `vs_state` has cfg->virtual_servers.n entries (may be
 * NULL when n is 0): quorum in/out, the rest out.  `report` (may be NULL) is
 * cleared and gets the problems met.  Returns the number of problems. */
size_t ipvs_desired_build(const struct lbha_config *cfg, ipvs_desired_up_fn up, void *userdata,
			  struct ipvs_desired_vs *vs_state, struct ipvs_table *ret,
			  struct ipvs_desired_report *report);

/* The same with the weight of each live real server from h->weight: it is
 * the dest's weight and counts in the live weight of the quorum.  h may be
 * NULL (all up, configured weights). */
size_t ipvs_desired_build_health(const struct lbha_config *cfg, const struct ipvs_desired_health *h,
				 struct ipvs_desired_vs *vs_state, struct ipvs_table *ret,
				 struct ipvs_desired_report *report);

/* Same identity across a reload: the caller carries a virtual server's
 * quorum state over when this is true (address+port+protocol, fwmark and
 * family, or group name+protocol+family). */
bool ipvs_desired_vs_same(const struct config_virtual_server *a,
			  const struct config_virtual_server *b);

#endif
