#include "config.h"

/* The pure half of lib/ipvs: ordering, equality, the growable table and the
 * batch container, and the text forms used in log lines.  Nothing here
 * touches a socket, so the checker's diff and the unit tests use it as is. */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs.h"
#include "xalloc.h"

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

int ipvs_service_key_cmp(const struct ipvs_service_key *a, const struct ipvs_service_key *b)
{
	int r;

	if ((r = CMP(a->af, b->af)))
		return r;
	if ((r = CMP(a->fwmark, b->fwmark)))
		return r;
	if ((r = CMP(a->protocol, b->protocol)))
		return r;
	if ((r = memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes))))
		return r;
	return CMP(a->port, b->port);
}

int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int r;

	if ((r = CMP(a->af, b->af)))
		return r;
	if ((r = memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes))))
		return r;
	return CMP(a->port, b->port);
}

bool ipvs_service_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	/* HASHED is the kernel's bookkeeping: a dump always has it, a wanted
	 * service never needs it. */
	return strncmp(a->sched, b->sched, sizeof(a->sched)) == 0 &&
	       strncmp(a->pe_name, b->pe_name, sizeof(a->pe_name)) == 0 &&
	       (a->flags & ~IPVS_SVC_F_HASHED) == (b->flags & ~IPVS_SVC_F_HASHED) &&
	       a->timeout == b->timeout && a->netmask == b->netmask;
}

bool ipvs_dest_equal(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (ipvs_dest_key_cmp(a, b) != 0 || a->fwd != b->fwd || a->weight != b->weight ||
	    a->u_threshold != b->u_threshold || a->l_threshold != b->l_threshold)
		return false;
	if (a->fwd != IPVS_FWD_TUNNEL)
		return true;
	/* Only the tunnel settings ipvs_op_build() sends take part, so a
	 * stray tun_port on an ipip dest cannot make a diff that never
	 * converges. */
	if (a->tun_type != b->tun_type)
		return false;
	if (a->tun_type == IPVS_TUN_GUE && a->tun_port != b->tun_port)
		return false;
	if ((a->tun_type == IPVS_TUN_GUE || a->tun_type == IPVS_TUN_GRE) &&
	    a->tun_flags != b->tun_flags)
		return false;
	return true;
}

/* Grow an array to hold one more element; doubling keeps appends amortised O(1). */
static void *grow(void *p, size_t n, size_t *alloc, size_t elem)
{
	if (n < *alloc)
		return p;
	*alloc = *alloc ? *alloc * 2 : 8;
	return xreallocarray(p, *alloc, elem);
}

struct ipvs_service_entry *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s)
{
	t->services = grow(t->services, t->n_services, &t->alloc_services, sizeof(*t->services));
	struct ipvs_service_entry *e = &t->services[t->n_services++];
	*e = (struct ipvs_service_entry){ .svc = *s };
	return e;
}

struct ipvs_dest *ipvs_entry_add_dest(struct ipvs_service_entry *e, const struct ipvs_dest *d)
{
	e->dests = grow(e->dests, e->n_dests, &e->alloc_dests, sizeof(*e->dests));
	e->dests[e->n_dests] = *d;
	return &e->dests[e->n_dests++];
}

static int entry_cmp(const void *a, const void *b)
{
	const struct ipvs_service_entry *x = a, *y = b;
	return ipvs_service_key_cmp(&x->svc.key, &y->svc.key);
}

static int dest_cmp(const void *a, const void *b)
{
	return ipvs_dest_key_cmp(a, b);
}

void ipvs_table_sort(struct ipvs_table *t)
{
	if (t->n_services > 1)
		qsort(t->services, t->n_services, sizeof(*t->services), entry_cmp);
	for (size_t i = 0; i < t->n_services; i++)
		if (t->services[i].n_dests > 1)
			qsort(t->services[i].dests, t->services[i].n_dests,
			      sizeof(*t->services[i].dests), dest_cmp);
}

struct ipvs_service_entry *ipvs_table_find(const struct ipvs_table *t,
					   const struct ipvs_service_key *key)
{
	size_t lo = 0, hi = t->n_services;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = ipvs_service_key_cmp(key, &t->services[mid].svc.key);
		if (r == 0)
			return &t->services[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void ipvs_table_clear(struct ipvs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_services; i++)
		free(t->services[i].dests);
	free(t->services);
	*t = (struct ipvs_table){ 0 };
}

struct ipvs_op *ipvs_batch_add(struct ipvs_batch *b, enum ipvs_op_type type)
{
	b->ops = grow(b->ops, b->n_ops, &b->alloc_ops, sizeof(*b->ops));
	struct ipvs_op *op = &b->ops[b->n_ops++];
	*op = (struct ipvs_op){ .type = type };
	return op;
}

void ipvs_batch_clear(struct ipvs_batch *b)
{
	if (!b)
		return;
	free(b->ops);
	*b = (struct ipvs_batch){ 0 };
}

static const char *const protocol_names[] = {
	[IPPROTO_TCP] = "TCP",
	[IPPROTO_UDP] = "UDP",
	[IPPROTO_SCTP] = "SCTP",
};

/* "10.0.0.1:80" or "[2001:db8::1]:80"; an unknown family says so. */
static void format_addr_port(uint16_t af, const union ipvs_addr *addr, uint16_t port, char *buf,
			     size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (af == AF_INET && inet_ntop(AF_INET, &addr->in, a, sizeof(a)))
		snprintf(buf, size, "%s:%u", a, port);
	else if (af == AF_INET6 && inet_ntop(AF_INET6, &addr->in6, a, sizeof(a)))
		snprintf(buf, size, "[%s]:%u", a, port);
	else
		snprintf(buf, size, "af%u:%u", af, port);
}

const char *ipvs_service_to_string(const struct ipvs_service_key *k, char *buf, size_t size)
{
	if (!buf || size == 0)
		return buf;
	if (k->fwmark) {
		snprintf(buf, size, "FWM %u%s", k->fwmark,
			 k->af == AF_INET6 ? " IPv6" : k->af == AF_INET ? "" : " af?");
		return buf;
	}

	char proto[16], ap[IPVS_DEST_STRLEN];
	if (k->protocol < sizeof(protocol_names) / sizeof(protocol_names[0]) &&
	    protocol_names[k->protocol])
		snprintf(proto, sizeof(proto), "%s", protocol_names[k->protocol]);
	else
		snprintf(proto, sizeof(proto), "proto%u", k->protocol);
	format_addr_port(k->af, &k->addr, k->port, ap, sizeof(ap));
	snprintf(buf, size, "%s %s", proto, ap);
	return buf;
}

const char *ipvs_dest_to_string(const struct ipvs_dest *d, char *buf, size_t size)
{
	if (buf && size > 0)
		format_addr_port(d->af, &d->addr, d->port, buf, size);
	return buf;
}
