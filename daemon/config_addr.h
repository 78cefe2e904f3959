/* config_addr: IPv4/IPv6 addresses and prefixes as the config writes them.
 *
 * Pure string <-> value conversion, no I/O.  Used by the schema for every
 * address-valued keyword and by the VRRP/IPVS code that consumes the structs. */
#ifndef LBHA_CONFIG_ADDR_H
#define LBHA_CONFIG_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* An address of either family; family AF_UNSPEC means "not set". */
struct config_addr {
	int family; /* AF_UNSPEC, AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

struct config_prefix {
	struct config_addr addr;
	unsigned len; /* 0..32 or 0..128 */
};

/* Long enough for any address text, with a /prefix or a [bracket] pair. */
#define CONFIG_ADDR_STRLEN (INET6_ADDRSTRLEN + 8)

/* Parse "192.0.2.1", "2001:db8::1" or "[2001:db8::1]" (brackets allowed only
 * for IPv6).  Returns 0, or -EINVAL (*ret untouched). */
int config_addr_parse(const char *s, struct config_addr *ret);

/* Parse "addr" or "addr/len".  Without /len the length is the full host
 * length (32 or 128).  *ret_had_len (may be NULL) tells whether /len was
 * written.  Returns 0, -EINVAL for a bad address, -ERANGE for a bad length. */
int config_prefix_parse(const char *s, struct config_prefix *ret, bool *ret_had_len);

/* Format into buf (CONFIG_ADDR_STRLEN bytes is always enough); returns buf.
 * An unset address formats as "(none)". */
const char *config_addr_to_string(const struct config_addr *a, char *buf, size_t size);
const char *config_prefix_to_string(const struct config_prefix *p, char *buf, size_t size);

static inline bool config_addr_is_set(const struct config_addr *a)
{
	return a->family != AF_UNSPEC;
}

/* Same family and same bytes (two unset addresses are equal). */
bool config_addr_equal(const struct config_addr *a, const struct config_addr *b);
/* Total order: family first, then bytes (network order). */
int config_addr_cmp(const struct config_addr *a, const struct config_addr *b);

/* Host length of the family: 32, 128, or 0 for unset. */
unsigned config_addr_max_prefix(int family);

/* The address with its host bits cleared (set_host_bits false) or set (true),
 * for `brd -` / `brd +` and prefix ranges. */
struct config_addr config_addr_mask(const struct config_addr *a, unsigned len, bool set_host_bits);

/* True for IPv4 224/4 and IPv6 ff00::/8. */
bool config_addr_is_multicast(const struct config_addr *a);

/* "inet", "inet6" or "unspec". */
const char *config_family_to_string(int family);

#endif
