/* vrrp_packet: encode and decode VRRP advertisements.
 *
 * VRRPv2 (RFC 3768, IPv4 only, optional simple-text PASS authentication) and
 * VRRPv3 (RFC 5798/9568, IPv4 and IPv6).  Pure byte work, no sockets: the
 * buffers hold the VRRP part only (no IP header); the caller passes the IP
 * source/destination for the v3 pseudo-header checksum and the TTL/hop limit
 * it saw.
 *
 * Receive checks follow RFC 5798 section 7.1; each failure has its own reason
 * so the caller can count it and log it (rate-limited).  Nothing here
 * aborts on bad input. */
#ifndef LBHA_VRRP_PACKET_H
#define LBHA_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_addr.h"

#define VRRP_PROTO 112
#define VRRP_TTL 255
#define VRRP_HEADER_LEN 8
#define VRRP_AUTH_LEN 8           /* v2 authentication data */
#define VRRP_MAX_ADDRS 255
/* Largest advert: header + 255 IPv6 addresses (v2 IPv4 with auth is smaller). */
#define VRRP_PACKET_MAX (VRRP_HEADER_LEN + VRRP_MAX_ADDRS * 16)

enum vrrp_auth {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,           /* v2 only */
	VRRP_AUTH_AH = 2,             /* v2 only; recognised, never accepted */
};

/* One advertisement, decoded or to encode. */
struct vrrp_advert {
	uint8_t version;              /* 2 or 3 */
	int family;                   /* AF_INET or AF_INET6 (v3 only) */
	uint8_t vrid;
	uint8_t priority;
	uint64_t advert_int_us;       /* microseconds; on the wire v2: whole seconds
				       * 1..255, v3: centiseconds 1..4095 */
	enum vrrp_auth auth_type;     /* v2 (decode: the raw byte); v3: NONE */
	char auth_pass[VRRP_AUTH_LEN];/* v2 PASS, NUL-padded, not NUL-terminated */
	size_t n_addrs;
	struct config_addr addrs[VRRP_MAX_ADDRS]; /* all of `family` */
};

/* Why a received packet was dropped.  Stable names: counters and JSON keys. */
enum vrrp_drop {
	VRRP_DROP_NONE,
	VRRP_DROP_TTL,                /* TTL / hop limit is not 255 */
	VRRP_DROP_TOO_SHORT,          /* shorter than a header */
	VRRP_DROP_VERSION,            /* not 2 or 3, or not the instance's version */
	VRRP_DROP_TYPE,               /* type is not 1 (ADVERTISEMENT) */
	VRRP_DROP_LENGTH,             /* length does not match the address count (+auth) */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_VRID,               /* no instance with this VRID here */
	VRRP_DROP_INTERVAL,           /* v2: interval differs from ours; any: zero */
	VRRP_DROP_AUTH,               /* v2: auth type or password mismatch */
	VRRP_DROP_ADDRESSES,          /* address list differs (unless skip_check_adv_addr) */
	VRRP_DROP_UNICAST_SRC,        /* unicast: source is not a listed peer */
	VRRP_DROP_FAMILY,             /* v2 over IPv6, or address family mismatch */
	VRRP_DROP_OWN,                /* our own advert looped back */
	_VRRP_DROP_MAX,
};

const char *vrrp_drop_to_string(enum vrrp_drop d);  /* "ttl", "checksum", ...; NULL if out of range */

/* Length of the VRRP part of an advert with n_addrs addresses: header,
 * addresses and (v2) the 8 bytes of authentication data.  0 for an unknown
 * version or family, v2 with AF_INET6, or more than VRRP_MAX_ADDRS. */
size_t vrrp_packet_len(unsigned version, int family, size_t n_addrs);

/* The Internet checksum (RFC 1071) over buf.  `sum` is 0, or an unfolded sum
 * of 16-bit words read in memory order (e.g. of a pseudo-header) to start
 * from.  Returns the folded, complemented 16-bit result, in network order
 * when stored with memcpy; so results do not chain.  Over data that includes
 * a correct checksum field the result is 0. */
uint16_t vrrp_inet_csum(const void *buf, size_t len, uint32_t sum);

/* Encode `a` into buf (size at least VRRP_PACKET_MAX).  src/dst are the IP
 * source and destination, needed by the v3 checksum (pseudo-header).  For v3
 * IPv4, `v3_ipv4_pseudo` false gives the old keepalived variant without the
 * pseudo-header; keepalived's default (and ours) is with it.
 * Returns the length written, -EINVAL (bad version/family/address count,
 * an address of another family, VRID 0, an interval that is zero, not a whole
 * number of wire units or too large, v2 auth other than NONE/PASS, or v3
 * with the pseudo-header and src/dst NULL or of another family), or -ENOBUFS
 * when size is below vrrp_packet_len().  The priority is not checked: 0 is
 * the shutdown advert. */
int vrrp_encode(const struct vrrp_advert *a, const struct config_addr *src,
		const struct config_addr *dst, bool v3_ipv4_pseudo, uint8_t *buf, size_t size);

/* Write the checksum of the advert in buf[0..len) (the field zeroed first),
 * with the v3 pseudo-header of src/dst (of `family`) when `pseudo`: what
 * vrrp_encode() does last, for tools that build or alter adverts.  Nothing
 * happens below VRRP_HEADER_LEN bytes. */
void vrrp_set_checksum(uint8_t *buf, size_t len, int family, bool pseudo,
		       const struct config_addr *src, const struct config_addr *dst);

/* Decode and check the VRRP part of a received packet.  `family` is the
 * socket's (AF_INET or AF_INET6); `ttl` is the TTL or hop limit it arrived
 * with; src/dst its IP addresses (needed for v3, of `family`, else the
 * packet is dropped as FAMILY; ignored for v2, may be NULL).  For v3 IPv4 the
 * checksum is accepted with or without the pseudo-header (*ret_pseudo says
 * which, may be NULL); v3 IPv6 always needs it.  Checks done here, in this
 * order: ttl, too short, version, type, family (v2 over IPv6), length vs
 * count (plus the 8 auth bytes for v2; must be exact), checksum, zero
 * interval.  The v3 reserved bits are ignored (RFC 5798 5.2.5).  Instance-level
 * checks (v2 interval equal, auth, address list) are vrrp_check_instance();
 * VRID lookup, unicast source and own-advert detection are the caller's (the
 * enum has reasons for them).  Returns VRRP_DROP_NONE and fills *ret, or the
 * reason (then *ret and *ret_pseudo are untouched). */
enum vrrp_drop vrrp_decode(const uint8_t *buf, size_t len, int family, unsigned ttl,
			   const struct config_addr *src, const struct config_addr *dst,
			   struct vrrp_advert *ret, bool *ret_pseudo);

/* What an instance expects of adverts it accepts. */
struct vrrp_expect {
	uint8_t version;
	uint64_t advert_int_us;       /* v2: must match */
	enum vrrp_auth auth_type;     /* v2 */
	char auth_pass[VRRP_AUTH_LEN];
	bool check_addrs;             /* compare the address list (not skip_check_adv_addr) */
	size_t n_addrs;
	const struct config_addr *addrs; /* the instance's VIPs, any order */
};

/* Instance-level checks of a decoded advert (RFC 5798 7.1 and RFC 3768 7.1),
 * in this order: version (VERSION), v2 interval (INTERVAL), v2 auth type and
 * PASS password, all 8 bytes (AUTH; an AH advert is always AUTH).  Returns
 * VRRP_DROP_NONE or the reason.  A mismatching address list (count or
 * members, any order) is only a reason (ADDRESSES) when check_addrs is set
 * and the advert's priority is not 255 (RFC 5798 7.1 and keepalived: an
 * address owner's advert is processed anyway; the caller may still log it,
 * see vrrp_addrs_match()). */
enum vrrp_drop vrrp_check_instance(const struct vrrp_advert *a, const struct vrrp_expect *e);

/* True when the advert carries exactly the expected addresses, in any order
 * (as multisets), whatever e->check_addrs says. */
bool vrrp_addrs_match(const struct vrrp_advert *a, const struct vrrp_expect *e);

#endif
