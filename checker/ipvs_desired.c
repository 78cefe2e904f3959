#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checker/ipvs_desired.h"
#include "daemon/config_types.h"
#include "xalloc.h"

#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names and kernel values --------------------------------------------- */

static const char *const quorum_names[_IPVS_QUORUM_MAX] = {
	[IPVS_QUORUM_UNKNOWN] = "unknown",
	[IPVS_QUORUM_DOWN] = "down",
	[IPVS_QUORUM_UP] = "up",
};

const char *ipvs_quorum_to_string(enum ipvs_quorum q)
{
	return q >= 0 && q < _IPVS_QUORUM_MAX ? quorum_names[q] : NULL;
}

static const char *const problem_names[_IPVS_DESIRED_PROBLEM_MAX] = {
	[IPVS_DESIRED_RANGE_TRUNCATED] = "address range truncated",
	[IPVS_DESIRED_DUPLICATE_SERVICE] = "service configured twice",
	[IPVS_DESIRED_DUPLICATE_DEST] = "real server listed twice in a service",
	[IPVS_DESIRED_FAMILY_MISMATCH] = "real server of the other address family",
};

const char *ipvs_desired_problem_to_string(enum ipvs_desired_problem_type t)
{
	return t >= 0 && t < _IPVS_DESIRED_PROBLEM_MAX ? problem_names[t] : NULL;
}

static const uint16_t protocol_numbers[_CONFIG_PROTO_MAX] = {
	[CONFIG_PROTO_TCP] = IPPROTO_TCP,
	[CONFIG_PROTO_UDP] = IPPROTO_UDP,
	[CONFIG_PROTO_SCTP] = IPPROTO_SCTP,
};

static const enum ipvs_fwd fwd_methods[_CONFIG_LVS_METHOD_MAX] = {
	[CONFIG_LVS_NAT] = IPVS_FWD_MASQ,
	[CONFIG_LVS_DR] = IPVS_FWD_DROUTE,
	[CONFIG_LVS_TUN] = IPVS_FWD_TUNNEL,
};

static const enum ipvs_tun_type tun_types[_CONFIG_TUN_TYPE_MAX] = {
	[CONFIG_TUN_IPIP] = IPVS_TUN_IPIP,
	[CONFIG_TUN_GUE] = IPVS_TUN_GUE,
	[CONFIG_TUN_GRE] = IPVS_TUN_GRE,
};

/* keepalived leaves the checksum off unless asked (ipvsadm's default too). */
static const uint16_t tun_csum_flags[_CONFIG_TUN_CSUM_MAX] = {
	[CONFIG_TUN_CSUM_DEFAULT] = IPVS_TUN_F_NOCSUM,
	[CONFIG_TUN_NOCSUM] = IPVS_TUN_F_NOCSUM,
	[CONFIG_TUN_CSUM] = IPVS_TUN_F_CSUM,
	[CONFIG_TUN_REMCSUM] = IPVS_TUN_F_REMCSUM,
};

/* keepalived's sorry server weight (check_data.c alloc_ssvr). */
#define SORRY_WEIGHT 1

/* ---- quorum -------------------------------------------------------------- */

enum ipvs_quorum ipvs_quorum_next(enum ipvs_quorum prev, uint64_t live_weight, uint32_t quorum,
				  uint32_t hysteresis)
{
	uint64_t up_at = (uint64_t)quorum + hysteresis;

	if (prev != IPVS_QUORUM_UP)
		return live_weight >= up_at ? IPVS_QUORUM_UP : IPVS_QUORUM_DOWN;
	/* keepalived compares signed: quorum - hysteresis may be <= 0, and
	 * then only an empty pool loses the quorum. */
	if (live_weight == 0 ||
	    (quorum > hysteresis && live_weight < (uint64_t)(quorum - hysteresis)))
		return IPVS_QUORUM_DOWN;
	return IPVS_QUORUM_UP;
}

bool ipvs_desired_vs_same(const struct config_virtual_server *a,
			  const struct config_virtual_server *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CONFIG_VS_ADDR:
		return config_addr_equal(&a->addr, &b->addr) && a->port == b->port &&
		       a->protocol == b->protocol;
	case CONFIG_VS_FWMARK:
		return a->fwmark == b->fwmark && a->family == b->family;
	default:
		return a->group_name && b->group_name && strcmp(a->group_name, b->group_name) == 0 &&
		       a->protocol == b->protocol && a->family == b->family;
	}
}

/* ---- the build ----------------------------------------------------------- */

/* One dest candidate of the service being built, with what decides which of
 * two equal keys wins: the lower rank (config order; an active sorry server
 * before every real server, an inactive one after). */
struct candidate {
	struct ipvs_dest dest;
	const struct config_obj *where;
	size_t rank;
	bool sorry;
};

/* Where a real server stands for this build. */
struct member {
	const struct config_real_server *rs;
	bool in;            /* has a dest at all */
	uint32_t weight;
};

struct build {
	const struct lbha_config *cfg;
	struct ipvs_desired_report *report;  /* the caller's, or a local one */
	size_t n_problems;
	size_t vs_problems;                  /* the current virtual server's first problem */
	struct ipvs_table staging;        /* config order, may hold duplicates */
	size_t *origin;                   /* staging service -> its virtual server's index */
	size_t alloc_origin;
	/* the virtual server being expanded */
	const struct config_virtual_server *vs;
	size_t vs_index;
	struct member *members;
	size_t n_members, alloc_members;
	bool sorry_in, sorry_active;
	struct candidate *cands;
	size_t alloc_cands;
	const struct ipvs_desired_health *health;
	struct ipvs_desired_vs *state;    /* the current one's */
	struct ipvs_desired_vs *states;   /* all, in cfg->virtual_servers order */
};

static void problem(struct build *b, enum ipvs_desired_problem_type type,
		    const struct config_obj *where, const struct ipvs_service_key *svc,
		    const struct ipvs_dest *dest)
{
	struct ipvs_desired_report *r = b->report;

	/* A group expands to many services with the same real servers: say
	 * what is wrong with one of them once per virtual server. */
	if (type == IPVS_DESIRED_FAMILY_MISMATCH || type == IPVS_DESIRED_DUPLICATE_DEST)
		for (size_t i = b->vs_problems; i < r->n_problems; i++)
			if (r->problems[i].type == type && r->problems[i].where == where)
				return;
	b->n_problems++;
	if (r->n_problems == r->alloc_problems) {
		r->alloc_problems = r->alloc_problems ? r->alloc_problems * 2 : 8;
		r->problems = xreallocarray(r->problems, r->alloc_problems, sizeof(*r->problems));
	}
	r->problems[r->n_problems++] = (struct ipvs_desired_problem){
		.type = type,
		.where = where,
		.svc = svc ? *svc : (struct ipvs_service_key){ 0 },
		.dest = dest ? *dest : (struct ipvs_dest){ 0 },
	};
}

static void addr_from_config(const struct config_addr *a, union ipvs_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (a->family == AF_INET)
		ret->in = a->u.v4;
	else if (a->family == AF_INET6)
		ret->in6 = a->u.v6;
}

static unsigned mask_bits(const struct config_addr *m)
{
	const uint8_t *p = m->family == AF_INET ? (const uint8_t *)&m->u.v4 : m->u.v6.s6_addr;
	size_t n = m->family == AF_INET ? 4 : 16;
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		bits += (unsigned)__builtin_popcount(p[i]);
	return bits;
}

/* persistence_granularity as the kernel wants it for a service of family af:
 * an IPv4 netmask (network order) or an IPv6 prefix length.  The config may
 * hold either form (a group or fwmark service's family is not known when
 * the keyword is parsed), so convert through the prefix length. */
static uint32_t service_netmask(const struct config_virtual_server *vs, int af)
{
	const struct config_addr *g = &vs->persistence_granularity;
	unsigned bits;

	if (af == AF_INET6)
		return config_addr_is_set(g) ? mask_bits(g) : 128;
	if (!config_addr_is_set(g))
		return 0xffffffffu;
	if (g->family == AF_INET)
		return g->u.v4.s_addr;
	bits = mask_bits(g);
	if (bits > 32)
		bits = 32;
	return bits ? htonl(~0u << (32 - bits)) : 0;
}

static void service_settings(const struct config_virtual_server *vs,
			     const struct ipvs_service_key *key, struct ipvs_service *ret)
{
	*ret = (struct ipvs_service){ .key = *key };
	snprintf(ret->sched, sizeof(ret->sched), "%s", config_lvs_sched_to_string(vs->sched));
	if (vs->persistence_engine)
		snprintf(ret->pe_name, sizeof(ret->pe_name), "%s", vs->persistence_engine);
	if (vs->persistence_timeout) {
		ret->flags |= IPVS_SVC_F_PERSISTENT;
		ret->timeout = vs->persistence_timeout;
	}
	if (vs->ops)
		ret->flags |= IPVS_SVC_F_ONEPACKET;
	if (vs->sched_flag1)
		ret->flags |= IPVS_SVC_F_SCHED1;
	if (vs->sched_flag2)
		ret->flags |= IPVS_SVC_F_SCHED2;
	if (vs->sched_flag3)
		ret->flags |= IPVS_SVC_F_SCHED3;
	ret->netmask = service_netmask(vs, key->af);
}

static struct ipvs_dest make_dest(const struct config_addr *addr, uint16_t port,
				  const struct config_fwd *fwd, uint32_t weight,
				  const struct ipvs_service_key *svc)
{
	struct ipvs_dest d = {
		.af = (uint16_t)addr->family,
		.fwd = fwd_methods[fwd->method],
		.weight = weight,
	};

	addr_from_config(addr, &d.addr);
	/* ipvsadm's rule: DR and TUN cannot map the port, and NAT without a
	 * port keeps the service's (0 for a fwmark service). */
	d.port = fwd->method == CONFIG_LVS_NAT && port ? port : svc->port;
	if (fwd->method == CONFIG_LVS_TUN) {
		d.tun_type = tun_types[fwd->tun_type];
		if (fwd->tun_type == CONFIG_TUN_GUE)
			d.tun_port = fwd->tun_port;
		d.tun_flags = tun_csum_flags[fwd->tun_csum];
	}
	return d;
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	int c = ipvs_dest_key_cmp(&a->dest, &b->dest);

	if (c)
		return c;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static void add_candidate(struct build *b, size_t *n, const struct candidate *c)
{
	if (*n == b->alloc_cands) {
		b->alloc_cands = b->alloc_cands ? b->alloc_cands * 2 : 16;
		b->cands = xreallocarray(b->cands, b->alloc_cands, sizeof(*b->cands));
	}
	b->cands[(*n)++] = *c;
}

/* A family other than the service's is only possible through a tunnel. */
static bool family_fits(const struct config_fwd *fwd, const struct config_addr *a,
			const struct ipvs_service_key *key)
{
	return fwd->method == CONFIG_LVS_TUN || a->family == key->af;
}

/* One kernel service of the current virtual server, with its dests. */
static void emit_service(struct build *b, const struct ipvs_service_key *key)
{
	const struct config_virtual_server *vs = b->vs;
	struct ipvs_service svc;
	struct ipvs_service_entry *e;
	size_t n = 0;

	service_settings(vs, key, &svc);
	for (size_t i = 0; i < b->n_members; i++) {
		const struct member *m = &b->members[i];
		struct candidate c = { .where = &m->rs->obj, .rank = i + 1 };
		if (!m->in)
			continue;
		c.dest = make_dest(&m->rs->addr, m->rs->port, &m->rs->fwd, m->weight, key);
		c.dest.u_threshold = m->rs->uthreshold;
		c.dest.l_threshold = m->rs->lthreshold;
		if (!family_fits(&m->rs->fwd, &m->rs->addr, key)) {
			problem(b, IPVS_DESIRED_FAMILY_MISMATCH, c.where, key, &c.dest);
			continue;
		}
		if (b->health && b->health->dest)
			b->health->dest(m->rs, key, &c.dest, b->health->userdata);
		add_candidate(b, &n, &c);
	}
	if (b->sorry_in) {
		struct candidate c = {
			.where = &vs->obj,
			.rank = b->sorry_active ? 0 : SIZE_MAX,
			.sorry = true,
		};
		c.dest = make_dest(&vs->sorry_addr, vs->sorry_port, &vs->sorry_fwd,
				   b->sorry_active ? SORRY_WEIGHT : 0, key);
		if (family_fits(&vs->sorry_fwd, &vs->sorry_addr, key))
			add_candidate(b, &n, &c);
		else
			problem(b, IPVS_DESIRED_FAMILY_MISMATCH, c.where, key, &c.dest);
	}
	if (n > 1) /* b->cands is NULL while nothing was added: qsort's UB */
		qsort(b->cands, n, sizeof(*b->cands), cand_cmp);

	e = ipvs_table_add_service(&b->staging, &svc);
	if (b->staging.n_services > b->alloc_origin) {
		b->alloc_origin = b->staging.n_services * 2;
		b->origin = xreallocarray(b->origin, b->alloc_origin, sizeof(*b->origin));
	}
	b->origin[b->staging.n_services - 1] = b->vs_index;
	for (size_t i = 0; i < n; i++) {
		const struct candidate *c = &b->cands[i];
		if (i > 0 && ipvs_dest_key_cmp(&c->dest, &b->cands[i - 1].dest) == 0) {
			/* a sorry server that is also a real server is keepalived's
			 * s_svr_duplicates_rs: allowed, the rank decided */
			if (!c->sorry && !b->cands[i - 1].sorry)
				problem(b, IPVS_DESIRED_DUPLICATE_DEST, c->where, key, &c->dest);
			continue;
		}
		ipvs_entry_add_dest(e, &c->dest);
	}
	b->state->services++;
}

/* ---- expansion of heads and group entries ---------------------------------- */

static bool addr_equal(const union ipvs_addr *a, const union ipvs_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Big-endian increment of the address of family af. */
static void addr_next(union ipvs_addr *a, uint16_t af)
{
	for (int i = af == AF_INET ? 3 : 15; i >= 0; i--)
		if (++a->bytes[i] != 0)
			break;
}

static void expand_range(struct build *b, const struct config_vsg_entry *e)
{
	struct ipvs_service_key key = {
		.af = (uint16_t)e->start.family,
		.protocol = protocol_numbers[b->vs->protocol],
		.port = e->port,
	};
	union ipvs_addr end;

	addr_from_config(&e->start, &key.addr);
	addr_from_config(&e->end, &end);
	for (size_t n = 0;; n++) {
		if (n == IPVS_DESIRED_MAX_RANGE) {
			problem(b, IPVS_DESIRED_RANGE_TRUNCATED, &e->obj, &key, NULL);
			break;
		}
		emit_service(b, &key);
		if (addr_equal(&key.addr, &end))
			break;
		addr_next(&key.addr, key.af);
	}
}

static void expand_vs(struct build *b)
{
	const struct config_virtual_server *vs = b->vs;
	struct ipvs_service_key key = { .af = (uint16_t)vs->family };

	switch (vs->kind) {
	case CONFIG_VS_ADDR:
		key.protocol = protocol_numbers[vs->protocol];
		addr_from_config(&vs->addr, &key.addr);
		key.port = vs->port;
		emit_service(b, &key);
		break;
	case CONFIG_VS_FWMARK:
		key.fwmark = vs->fwmark;
		emit_service(b, &key);
		break;
	default:
		if (!vs->group)
			break;
		config_list_foreach(const struct config_vsg_entry, e, &vs->group->entries) {
			if (e->is_fwmark) {
				struct ipvs_service_key fk = {
					.af = (uint16_t)(e->family != AF_UNSPEC ? e->family : vs->family),
					.fwmark = e->fwmark,
				};
				emit_service(b, &fk);
			} else {
				expand_range(b, e);
			}
		}
		break;
	}
}

/* Health and quorum of the current virtual server decide which real
 * servers have a dest, with which weight, and whether the sorry server is in. */
static void weigh_members(struct build *b, const struct ipvs_desired_health *h)
{
	const struct config_virtual_server *vs = b->vs;
	struct ipvs_desired_vs *st = b->state;
	bool has_sorry = config_addr_is_set(&vs->sorry_addr);

	st->live_weight = 0;
	st->live = st->total = 0;
	st->services = 0;
	b->n_members = 0;
	if (vs->real_servers.n > b->alloc_members) {
		b->alloc_members = vs->real_servers.n;
		b->members = xreallocarray(b->members, b->alloc_members, sizeof(*b->members));
	}
	config_list_foreach(const struct config_real_server, rs, &vs->real_servers) {
		struct member *m = &b->members[b->n_members++];
		bool alive = h->up ? h->up(rs, h->userdata) : true;
		uint32_t w = h->weight ? h->weight(rs, h->userdata) : rs->weight;
		*m = (struct member){ .rs = rs, .in = alive, .weight = alive ? w : 0 };
		st->total++;
		if (alive) {
			st->live++;
			st->live_weight += w;
		}
	}
	st->quorum = ipvs_quorum_next(st->quorum, st->live_weight, vs->quorum, vs->hysteresis);
	st->sorry_active = has_sorry && st->quorum == IPVS_QUORUM_DOWN;
	b->sorry_active = st->sorry_active;
	b->sorry_in = st->sorry_active || (has_sorry && vs->sorry_server_inhibit);
	for (size_t i = 0; i < b->n_members; i++) {
		struct member *m = &b->members[i];
		/* The sorry server serves alone (perform_quorum_state): live
		 * servers leave the pool as if they had failed. */
		if (st->sorry_active) {
			m->in = false;
			m->weight = 0;
		}
		if (!m->in && m->rs->inhibit_on_failure) {
			m->in = true;
			m->weight = 0;
		}
	}
}

/* ---- sort and deduplicate -------------------------------------------------- */

struct slot {
	struct ipvs_service_entry *e;
	size_t pos;
};

static int slot_cmp(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	int c = ipvs_service_key_cmp(&a->e->svc.key, &b->e->svc.key);

	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Move the staging services into *ret in key order; of two with the same
 * key, the one configured first stays. */
static void finish(struct build *b, struct ipvs_table *ret)
{
	size_t n = b->staging.n_services, kept = 0;
	struct slot *slots = xcalloc(n ? n : 1, sizeof(*slots));

	for (size_t i = 0; i < n; i++)
		slots[i] = (struct slot){ .e = &b->staging.services[i], .pos = i };
	qsort(slots, n, sizeof(*slots), slot_cmp);

	ret->services = xcalloc(n ? n : 1, sizeof(*ret->services));
	ret->alloc_services = n ? n : 1;
	for (size_t i = 0; i < n; i++) {
		struct ipvs_service_entry *e = slots[i].e;
		if (kept && ipvs_service_key_cmp(&e->svc.key, &ret->services[kept - 1].svc.key) == 0) {
			size_t vi = b->origin[slots[i].pos];
			const struct config_virtual_server *vs = b->cfg->virtual_servers.items[vi];
			b->states[vi].services--;
			problem(b, IPVS_DESIRED_DUPLICATE_SERVICE, &vs->obj, &e->svc.key, NULL);
			free(e->dests);
			continue;
		}
		ret->services[kept++] = *e;
	}
	ret->n_services = kept;
	free(slots);
	/* the entries moved to ret; only the array itself is left */
	free(b->staging.services);
	b->staging = (struct ipvs_table){ 0 };
}

void ipvs_desired_report_clear(struct ipvs_desired_report *r)
{
	if (!r)
		return;
	free(r->problems);
	*r = (struct ipvs_desired_report){ 0 };
}

size_t ipvs_desired_build(const struct lbha_config *cfg, ipvs_desired_up_fn up, void *userdata,
			  struct ipvs_desired_vs *vs_state, struct ipvs_table *ret,
			  struct ipvs_desired_report *report)
{
	const struct ipvs_desired_health h = { .up = up, .userdata = userdata };

	return ipvs_desired_build_health(cfg, &h, vs_state, ret, report);
}

size_t ipvs_desired_build_health(const struct lbha_config *cfg, const struct ipvs_desired_health *h,
				 struct ipvs_desired_vs *vs_state, struct ipvs_table *ret,
				 struct ipvs_desired_report *report)
{
	static const struct ipvs_desired_health all_up = { 0 };
	struct ipvs_desired_report local = { 0 };
	struct build b = { .cfg = cfg, .report = report ? report : &local, .states = vs_state,
			   .health = h };

	ipvs_table_clear(ret);
	ipvs_desired_report_clear(report);
	for (size_t i = 0; i < cfg->virtual_servers.n; i++) {
		b.vs = cfg->virtual_servers.items[i];
		b.vs_index = i;
		b.state = &vs_state[i];
		b.vs_problems = b.report->n_problems;
		weigh_members(&b, h ? h : &all_up);
		expand_vs(&b);
	}
	finish(&b, ret);
	if (report) {
		report->services = ret->n_services;
		report->dests = 0;
		for (size_t i = 0; i < ret->n_services; i++)
			report->dests += ret->services[i].n_dests;
	}
	ipvs_desired_report_clear(&local);
	free(b.origin);
	free(b.members);
	free(b.cands);
	return b.n_problems;
}
