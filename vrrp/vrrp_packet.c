#include "config.h"

/* vrrp_packet: the VRRP advertisement codec (see vrrp_packet.h).
 *
 * Wire layout (both versions share the first four bytes):
 *
 *   0       version(4) | type(4)
 *   1       VRID
 *   2       priority
 *   3       count of addresses
 *   4..5    v2: auth type (8 bits), advert interval in seconds (8 bits)
 *           v3: reserved (4 bits, zero), Max Adver Int in centiseconds (12)
 *   6..7    checksum
 *   8..     addresses (4 or 16 bytes each)
 *   then    v2 only: 8 bytes of authentication data (RFC 3768 5.3.10)
 *
 * Checksums: v2 covers the VRRP message only (RFC 3768 5.3.8).  v3 adds the
 * IPv4/IPv6 pseudo-header (RFC 5798 5.2.8).  Some implementations (keepalived
 * before 1.2.x, and later with vrrp_v3_checksum_as_v2) compute the v3 IPv4
 * checksum like v2, so on receive both are accepted for IPv4 and the caller
 * is told which one matched. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vrrp_packet.h"

#define VRRP_TYPE_ADVERT 1

#define USEC_PER_SEC 1000000ULL
#define USEC_PER_CSEC 10000ULL

/* What differs between the versions: where the interval lives and in what
 * unit, and whether authentication data trails the addresses. */
struct vrrp_layout {
	size_t trailer_len;          /* bytes after the addresses */
	uint64_t interval_unit_us;   /* one wire unit of the interval */
	unsigned interval_max;       /* largest value the field holds */
	bool ipv6;                   /* IPv6 allowed */
};

static const struct vrrp_layout layouts[] = {
	[2] = { .trailer_len = VRRP_AUTH_LEN, .interval_unit_us = USEC_PER_SEC,
		.interval_max = 0xff, .ipv6 = false },
	[3] = { .trailer_len = 0, .interval_unit_us = USEC_PER_CSEC,
		.interval_max = 0xfff, .ipv6 = true },
};

static const struct vrrp_layout *layout_of(unsigned version)
{
	if (version >= sizeof(layouts) / sizeof(layouts[0]) || layouts[version].interval_unit_us == 0)
		return NULL;
	return &layouts[version];
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static const char *const drop_names[_VRRP_DROP_MAX] = {
	[VRRP_DROP_NONE] = "none",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_TOO_SHORT] = "too_short",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_ADDRESSES] = "addresses",
	[VRRP_DROP_UNICAST_SRC] = "unicast_src",
	[VRRP_DROP_FAMILY] = "family",
	[VRRP_DROP_OWN] = "own",
};

const char *vrrp_drop_to_string(enum vrrp_drop d)
{
	if ((unsigned)d >= _VRRP_DROP_MAX)
		return NULL;
	return drop_names[d];
}

size_t vrrp_packet_len(unsigned version, int family, size_t n_addrs)
{
	const struct vrrp_layout *l = layout_of(version);
	size_t alen = addr_len(family);

	if (!l || alen == 0 || (family == AF_INET6 && !l->ipv6) || n_addrs > VRRP_MAX_ADDRS)
		return 0;
	return VRRP_HEADER_LEN + n_addrs * alen + l->trailer_len;
}

/* One's complement sum of buf as 16-bit words in memory order, added to sum.
 * Summing in memory order and storing the result the same way gives the
 * network-order checksum on either endianness (RFC 1071 2(B)). */
static uint64_t csum_add(const void *buf, size_t len, uint64_t sum)
{
	const uint8_t *p = buf;
	uint16_t w;

	for (; len >= 2; p += 2, len -= 2) {
		memcpy(&w, p, 2);
		sum += w;
	}
	if (len) {
		uint8_t last[2] = { *p, 0 };
		memcpy(&w, last, 2);
		sum += w;
	}
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t vrrp_inet_csum(const void *buf, size_t len, uint32_t sum)
{
	return csum_fold(csum_add(buf, len, sum));
}

/* The pseudo-header sum of RFC 5798 5.2.8: RFC 768 style for IPv4, RFC 8200
 * 8.1 for IPv6.  src/dst are of `family` (checked by the callers). */
static uint64_t pseudo_sum(int family, const struct config_addr *src,
			   const struct config_addr *dst, size_t len)
{
	uint8_t ph[40] = { 0 };
	size_t n;

	if (family == AF_INET) {
		memcpy(ph, &src->u.v4, 4);
		memcpy(ph + 4, &dst->u.v4, 4);
		ph[9] = VRRP_PROTO;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		n = 12;
	} else {
		memcpy(ph, &src->u.v6, 16);
		memcpy(ph + 16, &dst->u.v6, 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[39] = VRRP_PROTO;
		n = 40;
	}
	return csum_add(ph, n, 0);
}

static bool addr_of_family(const struct config_addr *a, int family)
{
	return a && a->family == family;
}

int vrrp_encode(const struct vrrp_advert *a, const struct config_addr *src,
		const struct config_addr *dst, bool v3_ipv4_pseudo, uint8_t *buf, size_t size)
{
	const struct vrrp_layout *l = layout_of(a->version);
	size_t len = vrrp_packet_len(a->version, a->family, a->n_addrs);
	size_t alen = addr_len(a->family);

	if (!l || len == 0 || a->vrid == 0)
		return -EINVAL;
	if (a->advert_int_us == 0 || a->advert_int_us % l->interval_unit_us != 0 ||
	    a->advert_int_us / l->interval_unit_us > l->interval_max)
		return -EINVAL;
	if (a->version == 2 && a->auth_type != VRRP_AUTH_NONE && a->auth_type != VRRP_AUTH_PASS)
		return -EINVAL;
	bool pseudo = a->version == 3 && (a->family == AF_INET6 || v3_ipv4_pseudo);
	if (pseudo && (!addr_of_family(src, a->family) || !addr_of_family(dst, a->family)))
		return -EINVAL;
	for (size_t i = 0; i < a->n_addrs; i++)
		if (a->addrs[i].family != a->family)
			return -EINVAL;
	if (size < len)
		return -ENOBUFS;

	unsigned interval = (unsigned)(a->advert_int_us / l->interval_unit_us);
	buf[0] = (uint8_t)(a->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = (uint8_t)a->n_addrs;
	if (a->version == 2) {
		buf[4] = (uint8_t)a->auth_type;
		buf[5] = (uint8_t)interval;
	} else {
		buf[4] = (uint8_t)(interval >> 8);  /* the 4 reserved bits stay zero */
		buf[5] = (uint8_t)interval;
	}
	buf[6] = buf[7] = 0;

	uint8_t *p = buf + VRRP_HEADER_LEN;
	for (size_t i = 0; i < a->n_addrs; i++, p += alen)
		memcpy(p, &a->addrs[i].u, alen);
	if (a->version == 2) {
		/* RFC 3768 5.3.10: zero for no authentication; the password,
		 * NUL-padded, for type 1. */
		if (a->auth_type == VRRP_AUTH_PASS)
			memcpy(p, a->auth_pass, VRRP_AUTH_LEN);
		else
			memset(p, 0, VRRP_AUTH_LEN);
	}

	vrrp_set_checksum(buf, len, a->family, pseudo, src, dst);
	return (int)len;
}

void vrrp_set_checksum(uint8_t *buf, size_t len, int family, bool pseudo,
		       const struct config_addr *src, const struct config_addr *dst)
{
	uint64_t sum;
	uint16_t csum;

	if (len < VRRP_HEADER_LEN)
		return;
	memset(buf + 6, 0, 2);
	sum = pseudo ? pseudo_sum(family, src, dst, len) : 0;
	csum = csum_fold(csum_add(buf, len, sum));
	memcpy(buf + 6, &csum, 2);
}

enum vrrp_drop vrrp_decode(const uint8_t *buf, size_t len, int family, unsigned ttl,
			   const struct config_addr *src, const struct config_addr *dst,
			   struct vrrp_advert *ret, bool *ret_pseudo)
{
	/* RFC 5798 7.1: the TTL/hop limit proves the sender is on the link. */
	if (ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	if (len < VRRP_HEADER_LEN)
		return VRRP_DROP_TOO_SHORT;

	unsigned version = buf[0] >> 4;
	const struct vrrp_layout *l = layout_of(version);
	if (!l)
		return VRRP_DROP_VERSION;
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;

	size_t n_addrs = buf[3];
	size_t want = vrrp_packet_len(version, family, n_addrs);
	if (want == 0)
		return VRRP_DROP_FAMILY;  /* v2 over IPv6, or an unknown family */
	if (len != want)
		return VRRP_DROP_LENGTH;

	bool pseudo = false;
	if (version == 2) {
		if (vrrp_inet_csum(buf, len, 0) != 0)
			return VRRP_DROP_CHECKSUM;
	} else {
		if (!addr_of_family(src, family) || !addr_of_family(dst, family))
			return VRRP_DROP_FAMILY;
		uint64_t body = csum_add(buf, len, 0);
		if (csum_fold(body + pseudo_sum(family, src, dst, len)) == 0)
			pseudo = true;
		else if (family != AF_INET || csum_fold(body) != 0)
			return VRRP_DROP_CHECKSUM;
	}

	unsigned interval = version == 2 ? buf[5] : (unsigned)((buf[4] & 0x0f) << 8 | buf[5]);
	if (interval == 0)
		return VRRP_DROP_INTERVAL;

	/* All checks passed: only now is *ret written, so a dropped packet
	 * leaves it as it was. */
	size_t alen = addr_len(family);
	ret->version = (uint8_t)version;
	ret->family = family;
	ret->vrid = buf[1];
	ret->priority = buf[2];
	ret->advert_int_us = interval * l->interval_unit_us;
	ret->auth_type = version == 2 ? (enum vrrp_auth)buf[4] : VRRP_AUTH_NONE;
	memset(ret->auth_pass, 0, sizeof(ret->auth_pass));
	ret->n_addrs = n_addrs;
	const uint8_t *p = buf + VRRP_HEADER_LEN;
	for (size_t i = 0; i < n_addrs; i++, p += alen) {
		memset(&ret->addrs[i], 0, sizeof(ret->addrs[i]));
		ret->addrs[i].family = family;
		memcpy(&ret->addrs[i].u, p, alen);
	}
	if (version == 2 && ret->auth_type == VRRP_AUTH_PASS)
		memcpy(ret->auth_pass, p, VRRP_AUTH_LEN);
	if (ret_pseudo)
		*ret_pseudo = pseudo;
	return VRRP_DROP_NONE;
}

static int addr_qsort_cmp(const void *a, const void *b)
{
	return config_addr_cmp(a, b);
}

bool vrrp_addrs_match(const struct vrrp_advert *a, const struct vrrp_expect *e)
{
	/* Sorted copies: 255 addresses each fit on the stack, and sorting
	 * keeps a full list at n log n for an advert every 10 ms. */
	struct config_addr sa[VRRP_MAX_ADDRS], sb[VRRP_MAX_ADDRS];
	size_t na = a->n_addrs, nb = e->n_addrs;

	if (na != nb || na > VRRP_MAX_ADDRS)
		return false;
	if (na == 0)
		return true;
	memcpy(sa, a->addrs, na * sizeof(sa[0]));
	memcpy(sb, e->addrs, nb * sizeof(sb[0]));
	qsort(sa, na, sizeof(*sa), addr_qsort_cmp);
	qsort(sb, nb, sizeof(*sb), addr_qsort_cmp);
	for (size_t i = 0; i < na; i++)
		if (!config_addr_equal(&sa[i], &sb[i]))
			return false;
	return true;
}

enum vrrp_drop vrrp_check_instance(const struct vrrp_advert *a, const struct vrrp_expect *e)
{
	if (a->version != e->version)
		return VRRP_DROP_VERSION;
	if (a->version == 2) {
		/* RFC 3768 7.1: v2 routers must agree on the interval; v3
		 * backups adopt the master's instead (RFC 5798 6.4.2). */
		if (a->advert_int_us != e->advert_int_us)
			return VRRP_DROP_INTERVAL;
		/* AH is recognised but never accepted: it would arrive as IP
		 * protocol 51, not as a VRRP auth type we can verify. */
		if (a->auth_type != e->auth_type || a->auth_type == VRRP_AUTH_AH)
			return VRRP_DROP_AUTH;
		if (a->auth_type == VRRP_AUTH_PASS &&
		    memcmp(a->auth_pass, e->auth_pass, VRRP_AUTH_LEN) != 0)
			return VRRP_DROP_AUTH;
	}
	/* RFC 5798 7.1: a list that fails the (optional) check drops the
	 * packet unless it comes from the address owner (priority 255);
	 * keepalived does the same unless skip_check_adv_addr. */
	if (e->check_addrs && a->priority != 255 && !vrrp_addrs_match(a, e))
		return VRRP_DROP_ADDRESSES;
	return VRRP_DROP_NONE;
}
