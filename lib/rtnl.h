/* rtnl: rtnetlink helpers over libmnl: addresses, routes, links, and a
 * monitor of link/address/route events.
 *
 * lib/ knows nothing of VRRP or the config: an address is a family plus raw
 * bytes (struct rtnl_ip, laid out like daemon/config_addr.h's struct
 * config_addr, so callers convert field by field), and every number (scope,
 * flags, table, protocol, type, operstate) is the kernel's own rtnetlink value
 * from <linux/rtnetlink.h>, <linux/if_addr.h>, <linux/if.h>.
 *
 * Everything returns 0 or a negative errno, never logs, and keeps no globals.
 * A request (add/del/get) sends one message on the handle's socket and blocks
 * until the kernel's ACK, returning the kernel's own error: the handle must
 * therefore not be shared between threads.  Files: rtnl.c (handle, request
 * and dump plumbing, struct rtnl_ip), rtnl_addr.c, rtnl_route.c, rtnl_link.c,
 * rtnl_monitor.c; rtnl_msg.h is their private glue. */
#ifndef LBHA_RTNL_H
#define LBHA_RTNL_H

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- addresses as plain values ---------------------------------------- */

/* An address of either family; family AF_UNSPEC means "not set". */
struct rtnl_ip {
	int family; /* AF_UNSPEC, AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Bytes of the address (4, 16, or 0 for AF_UNSPEC/unknown families). */
size_t rtnl_ip_len(int family);
/* Same family and same bytes (two unset addresses are equal). */
bool rtnl_ip_equal(const struct rtnl_ip *a, const struct rtnl_ip *b);
static inline bool rtnl_ip_is_set(const struct rtnl_ip *a)
{
	return a->family != AF_UNSPEC;
}

/* ---- the request handle --------------------------------------------- */

struct rtnl;

/* Open one NETLINK_ROUTE socket for requests and dumps (blocking, CLOEXEC).
 * Returns the handle, or NULL with *ret_err set to a negative errno. */
struct rtnl *rtnl_open(int *ret_err);
/* Close the socket and free the handle.  NULL-safe; returns NULL. */
struct rtnl *rtnl_close(struct rtnl *r);
/* The socket, for callers that want to poll it; requests stay blocking. */
int rtnl_fd(const struct rtnl *r);

/* ---- addresses ---------------------------------------------------------- */

/* An interface address, as added/deleted and as delivered by dumps and the
 * monitor.  Start from rtnl_addr_init() (it sets preferred_lft to -1). */
struct rtnl_addr {
	int ifindex;
	struct rtnl_ip local;     /* the address itself (IFA_LOCAL / IFA_ADDRESS) */
	unsigned prefixlen;       /* 0..32 or 0..128 */
	struct rtnl_ip broadcast; /* IPv4 only; AF_UNSPEC = none (IFA_BROADCAST) */
	struct rtnl_ip peer;      /* point-to-point peer; AF_UNSPEC = none */
	unsigned char scope;      /* RT_SCOPE_UNIVERSE (0, global), _SITE, _LINK, _HOST */
	/* IPv4 only, "" = none.  It must start with the interface's name
	 * ("eth0" or "eth0:vip"), as the kernel reports it with that name
	 * (e.g. `ip addr` and ifconfig aliases); rtnl_addr_add() returns -EINVAL
	 * otherwise, and for a label on an IPv6 address (IPv6 has no labels). */
	char label[IFNAMSIZ];
	/* IFA_F_* (NODAD, NOPREFIXROUTE, HOMEADDRESS, MANAGETEMPADDR on add;
	 * dumps also report SECONDARY, PERMANENT, TENTATIVE, DEPRECATED, ...). */
	uint32_t flags;
	/* Preferred lifetime in seconds, -1 = not set (forever).  With it the
	 * valid lifetime is forever; 0 makes an IPv6 address deprecated so it is
	 * never chosen as a source.  Dumps report it, or -1 when forever. */
	int64_t preferred_lft;
};

void rtnl_addr_init(struct rtnl_addr *a);

/* Add an address with NLM_F_CREATE|NLM_F_REPLACE: adding one that is already
 * there (same address and prefix length) returns 0 and refreshes it.
 * Returns -EINVAL for a bad family/prefixlen/label, else the kernel's answer
 * (-ENODEV for a missing interface, ...). */
int rtnl_addr_add(struct rtnl *r, const struct rtnl_addr *a);

/* Delete an address, matched by ifindex, address, prefixlen (and label/peer
 * when given).  Returns -EADDRNOTAVAIL when it is not there, so callers that
 * only want it gone can ignore that. */
int rtnl_addr_del(struct rtnl *r, const struct rtnl_addr *a);

/* Dump callback: return 0 to go on, > 0 to stop early (the dump returns that
 * value), < 0 to stop with that error.  `a` is valid during the call only. */
typedef int (*rtnl_addr_cb)(const struct rtnl_addr *a, void *userdata);

/* Call cb for every address of `family` (AF_UNSPEC: both) on `ifindex`
 * (0: every interface), in the kernel's order (an interface's primary IPv4
 * address comes before its secondaries).  Returns 0, the callback's stop
 * value, -EINTR when the kernel flagged the dump inconsistent (addresses
 * changed meanwhile: results may be incomplete, dump again), or a negative
 * errno. */
int rtnl_addr_dump(struct rtnl *r, int family, int ifindex, rtnl_addr_cb cb, void *userdata);

/* The address VRRP uses as an interface's own: for AF_INET the first
 * non-secondary address of global scope, for AF_INET6 the first link-local
 * (fe80::/10) one that is not tentative.  Returns 0, -EADDRNOTAVAIL when
 * there is none, or a dump error. */
int rtnl_addr_primary(struct rtnl *r, int family, int ifindex, struct rtnl_ip *ret);

/* 1 when `ifindex` carries `ip` (any prefix length), 0 when not, or a
 * negative errno. */
int rtnl_addr_present(struct rtnl *r, int ifindex, const struct rtnl_ip *ip);

/* ---- routes ------------------------------------------------------------ */

#define RTNL_ROUTE_MAX_NEXTHOPS 16
/* rtnl_route.scope value: RT_SCOPE_LINK for a unicast route with no gateway,
 * RT_SCOPE_HOST for a local one, RT_SCOPE_UNIVERSE otherwise (as `ip route`). */
#define RTNL_SCOPE_AUTO (-1)

/* One path of a multipath route (RTA_MULTIPATH). */
struct rtnl_nexthop {
	struct rtnl_ip gateway; /* AF_UNSPEC = none (device route) */
	int ifindex;            /* 0 = let the kernel find it from the gateway */
	unsigned weight;        /* 1..256; 0 counts as 1 */
	bool onlink;            /* RTNH_F_ONLINK */
};

/* A route.  Start from rtnl_route_init() (scope RTNL_SCOPE_AUTO). */
struct rtnl_route {
	int family;             /* AF_INET or AF_INET6 */
	struct rtnl_ip dst;     /* AF_UNSPEC = default (dst_len must be 0) */
	unsigned dst_len;
	struct rtnl_ip gateway; /* AF_UNSPEC = none; ignored when n_nexthops > 0 */
	int oif;                /* 0 = none; ignored when n_nexthops > 0 */
	bool onlink;            /* RTNH_F_ONLINK on the single path */
	/* Multipath: when n_nexthops > 0 the route's paths are nexthops[]
	 * (RTA_MULTIPATH) instead of gateway/oif/onlink. */
	struct rtnl_nexthop nexthops[RTNL_ROUTE_MAX_NEXTHOPS];
	unsigned n_nexthops;
	struct rtnl_ip prefsrc;  /* RTA_PREFSRC; AF_UNSPEC = none */
	uint32_t table;          /* 0 = RT_TABLE_MAIN; > 255 goes in RTA_TABLE */
	uint32_t metric;         /* RTA_PRIORITY; 0 = not set */
	int scope;               /* RT_SCOPE_* or RTNL_SCOPE_AUTO */
	unsigned char protocol;  /* RTPROT_*; 0 = RTPROT_BOOT on add, "any" on del */
	unsigned char type;      /* RTN_UNICAST (0 counts as it), _BLACKHOLE, _UNREACHABLE,
	                          * _PROHIBIT, _THROW, _LOCAL, ...; 0 = "any" on del */
	unsigned flags;          /* dumps/monitor only: rtm_flags (RTM_F_CLONED, ...) */
};

void rtnl_route_init(struct rtnl_route *rt);

/* Add with NLM_F_CREATE|NLM_F_EXCL: -EEXIST when the same route is there. */
int rtnl_route_add(struct rtnl *r, const struct rtnl_route *rt);
/* Add with NLM_F_CREATE|NLM_F_REPLACE (`ip route replace`): 0 when it was
 * there already; note it replaces a route with the same dst/table/metric even
 * if its gateway differs. */
int rtnl_route_replace(struct rtnl *r, const struct rtnl_route *rt);
/* Delete the route matching the given fields (unset ones match anything).
 * -ESRCH when there is none. */
int rtnl_route_del(struct rtnl *r, const struct rtnl_route *rt);

typedef int (*rtnl_route_cb)(const struct rtnl_route *rt, void *userdata);
/* Call cb for every route of `family` (AF_UNSPEC: both) in `table`
 * (0: every table); callback and returns as rtnl_addr_dump(). */
int rtnl_route_dump(struct rtnl *r, int family, uint32_t table, rtnl_route_cb cb, void *userdata);

/* ---- links ------------------------------------------------------------- */

#define RTNL_HWADDR_MAX 32

struct rtnl_link {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned flags;           /* IFF_UP, IFF_RUNNING, IFF_LOWER_UP, ... (ifi_flags) */
	unsigned char operstate;  /* IF_OPER_UNKNOWN, _DOWN, _UP, ... (IFLA_OPERSTATE) */
	unsigned short type;      /* ARPHRD_ETHER, ARPHRD_LOOPBACK, ... */
	unsigned char hwaddr[RTNL_HWADDR_MAX];
	size_t hwaddr_len;        /* 6 for Ethernet, 0 when the link has none */
	unsigned mtu;
	int master;               /* IFLA_MASTER (bridge/bond/vrf), 0 = none */
};

/* Look a link up by name or index.  Returns 0 and fills *ret, -ENODEV when
 * there is no such link, -EINVAL for an empty/too long name, or a negative
 * errno; *ret is untouched on failure. */
int rtnl_link_get_by_name(struct rtnl *r, const char *ifname, struct rtnl_link *ret);
int rtnl_link_get_by_index(struct rtnl *r, int ifindex, struct rtnl_link *ret);

typedef int (*rtnl_link_cb)(const struct rtnl_link *l, void *userdata);
/* Call cb for every link; callback and returns as rtnl_addr_dump(). */
int rtnl_link_dump(struct rtnl *r, rtnl_link_cb cb, void *userdata);

/* ---- monitor ----------------------------------------------------------- */

/* Groups for rtnl_monitor_open(), OR-ed together. */
enum {
	RTNL_MONITOR_LINK = 1u << 0,       /* RTNLGRP_LINK */
	RTNL_MONITOR_IPV4_ADDR = 1u << 1,  /* RTNLGRP_IPV4_IFADDR */
	RTNL_MONITOR_IPV6_ADDR = 1u << 2,  /* RTNLGRP_IPV6_IFADDR */
	RTNL_MONITOR_IPV4_ROUTE = 1u << 3, /* RTNLGRP_IPV4_ROUTE */
	RTNL_MONITOR_IPV6_ROUTE = 1u << 4, /* RTNLGRP_IPV6_ROUTE */
	RTNL_MONITOR_ALL = (1u << 5) - 1,
};

enum rtnl_event_type {
	RTNL_EVENT_LINK_NEW,   /* a link appeared or changed (flags, operstate, name) */
	RTNL_EVENT_LINK_DEL,
	RTNL_EVENT_ADDR_NEW,
	RTNL_EVENT_ADDR_DEL,
	RTNL_EVENT_ROUTE_NEW,
	RTNL_EVENT_ROUTE_DEL,
	/* The kernel dropped events (ENOBUFS): the caller's view is stale and it
	 * must dump again what it cares about. */
	RTNL_EVENT_OVERRUN,
	_RTNL_EVENT_MAX,
	_RTNL_EVENT_INVALID = -EINVAL,
};

/* "link-new", "link-del", "addr-new", ...; NULL when out of range. */
const char *rtnl_event_type_to_string(enum rtnl_event_type t);

struct rtnl_event {
	enum rtnl_event_type type;
	union {
		struct rtnl_link link;   /* LINK_NEW/DEL */
		struct rtnl_addr addr;   /* ADDR_NEW/DEL, as rtnl_addr_dump() gives */
		struct rtnl_route route; /* ROUTE_NEW/DEL, as rtnl_route_dump() gives */
	} u;                             /* nothing for OVERRUN */
};

/* Return 0 to go on, < 0 to stop rtnl_monitor_read() with that error (the
 * events not yet read stay queued on the socket).  `ev` is valid during the
 * call only. */
typedef int (*rtnl_event_cb)(const struct rtnl_event *ev, void *userdata);

struct rtnl_monitor_stats {
	uint64_t events;    /* delivered to callbacks, overruns included */
	uint64_t overruns;  /* ENOBUFS reported by the kernel */
	uint64_t malformed; /* messages skipped as truncated or unparsable */
};

struct rtnl_monitor;

/* Open a non-blocking socket subscribed to `groups` (RTNL_MONITOR_*), with a
 * receive buffer of `rcvbuf` bytes (0: 4 MiB; forced past rmem_max when
 * privileged).  Overruns are reported, not hidden (NETLINK_NO_ENOBUFS off).
 * Returns NULL with *ret_err = -EINVAL for an empty or unknown mask. */
struct rtnl_monitor *rtnl_monitor_open(unsigned groups, size_t rcvbuf, int *ret_err);
/* NULL-safe; returns NULL. */
struct rtnl_monitor *rtnl_monitor_free(struct rtnl_monitor *m);
/* The socket, to watch for EPOLLIN (e.g. sd_event_add_io). */
int rtnl_monitor_fd(const struct rtnl_monitor *m);

/* Read what is queued, without blocking, and call cb for each event (an
 * OVERRUN event for each ENOBUFS).  Malformed messages are skipped and
 * counted.  Once `max_events` events were delivered (0: no limit) no further
 * datagram is read, so a flood cannot starve the caller's loop (a datagram
 * already read is finished; level-triggered polling brings the caller back).
 * Returns the number of events delivered, or the callback's error, or a
 * negative errno from the socket. */
int rtnl_monitor_read(struct rtnl_monitor *m, unsigned max_events, rtnl_event_cb cb, void *userdata);

const struct rtnl_monitor_stats *rtnl_monitor_stats(const struct rtnl_monitor *m);

#endif
