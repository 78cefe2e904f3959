#include <config.h>

/* fuzz-vrrp: the VRRP advertisement decoder (vrrp/vrrp_packet.c).
 *
 * Input: one control byte, then the VRRP part of a received packet (what
 * follows the IP header).  Control bits:
 *   0x01  IPv6 (else IPv4): the socket family and the source/destination
 *   0x02  fix the checksum first, so the fuzzer gets past it quickly
 *   0x04  with 0x02 on v3 IPv4: the old keepalived checksum (no pseudo-header)
 *   0x08  the TTL is the next byte (else 255)
 *   0x10  the instance compares address lists (not skip_check_adv_addr)
 *   0x20  the instance wants PASS authentication "secret" (else none)
 *   0x40  the instance is VRRPv3 (else v2)
 *   0x80  the instance's interval is 1 s (else 0.1 s)
 * Properties checked beyond "no crash": an accepted advert is consistent,
 * encodes back to the same bytes (checksum, v3 reserved bits and unused v2
 * auth data aside) which decode to the same advert, and the address-list
 * comparison does not depend on order. */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "tests/fuzz/fuzz.h"
#include "vrrp/vrrp_packet.h"

static struct config_addr addr(int family, const char *text)
{
	struct config_addr a = { .family = family };

	inet_pton(family, text, &a.u);
	return a;
}

static bool adverts_equal(const struct vrrp_advert *a, const struct vrrp_advert *b)
{
	if (a->version != b->version || a->family != b->family || a->vrid != b->vrid ||
	    a->priority != b->priority || a->advert_int_us != b->advert_int_us ||
	    a->auth_type != b->auth_type || a->n_addrs != b->n_addrs ||
	    memcmp(a->auth_pass, b->auth_pass, VRRP_AUTH_LEN) != 0)
		return false;
	for (size_t i = 0; i < a->n_addrs; i++)
		if (!config_addr_equal(&a->addrs[i], &b->addrs[i]))
			return false;
	return true;
}

/* The advert encodes back to the bytes it came from. */
static void check_round_trip(const struct vrrp_advert *a, const uint8_t *pkt, size_t len,
			     bool pseudo, const struct config_addr *src,
			     const struct config_addr *dst)
{
	static uint8_t out[VRRP_PACKET_MAX];

	/* what encode refuses by design: VRID 0 (never configured, so the
	 * caller's VRID lookup drops it) and v2 auth types other than none/PASS */
	if (a->vrid == 0 || (a->version == 2 && a->auth_type != VRRP_AUTH_NONE &&
			     a->auth_type != VRRP_AUTH_PASS))
		return;
	int n = vrrp_encode(a, src, dst, pseudo, out, sizeof(out));
	FUZZ_CHECK(n > 0 && (size_t)n == len);

	uint8_t want[VRRP_PACKET_MAX];
	memcpy(want, pkt, len);
	if (a->version == 3)
		want[4] &= 0x0f;                              /* reserved bits */
	if (a->version == 2 && a->auth_type == VRRP_AUTH_NONE)
		memset(want + len - VRRP_AUTH_LEN, 0, VRRP_AUTH_LEN); /* unused auth data */
	FUZZ_CHECK(memcmp(out, want, 6) == 0);
	FUZZ_CHECK(memcmp(out + 8, want + 8, len - 8) == 0);

	static struct vrrp_advert again;
	bool pseudo_again = !pseudo;
	FUZZ_CHECK(vrrp_decode(out, len, a->family, VRRP_TTL, src, dst, &again, &pseudo_again) ==
		   VRRP_DROP_NONE);
	FUZZ_CHECK(adverts_equal(a, &again));
	/* both checksums can hold at once (a pseudo-header summing to zero);
	 * decode then reports the pseudo-header one */
	FUZZ_CHECK(pseudo_again == pseudo || pseudo_again);
}

static void check_instance(const struct vrrp_advert *a, uint8_t ctl)
{
	static struct config_addr rev[VRRP_MAX_ADDRS];
	struct vrrp_expect e = {
		.version = ctl & 0x40 ? 3 : 2,
		.advert_int_us = ctl & 0x80 ? 1000000 : 100000,
		.auth_type = ctl & 0x20 ? VRRP_AUTH_PASS : VRRP_AUTH_NONE,
		.check_addrs = ctl & 0x10,
	};
	if (e.auth_type == VRRP_AUTH_PASS)
		memcpy(e.auth_pass, "secret\0\0", VRRP_AUTH_LEN);

	/* its own addresses in reverse order always match */
	for (size_t i = 0; i < a->n_addrs; i++)
		rev[i] = a->addrs[a->n_addrs - 1 - i];
	e.n_addrs = a->n_addrs;
	e.addrs = rev;
	FUZZ_CHECK(vrrp_addrs_match(a, &e));
	enum vrrp_drop d = vrrp_check_instance(a, &e);
	FUZZ_CHECK(d != VRRP_DROP_ADDRESSES);
	FUZZ_CHECK(vrrp_drop_to_string(d) != NULL);

	/* one address less never matches */
	if (a->n_addrs > 0) {
		e.n_addrs = a->n_addrs - 1;
		FUZZ_CHECK(!vrrp_addrs_match(a, &e));
		/* the earlier checks decide as before; else the list does,
		 * unless it is not compared or comes from the address owner */
		enum vrrp_drop less = vrrp_check_instance(a, &e);
		if (d != VRRP_DROP_NONE)
			FUZZ_CHECK(less == d);
		else if (e.check_addrs && a->priority != 255)
			FUZZ_CHECK(less == VRRP_DROP_ADDRESSES);
		else
			FUZZ_CHECK(less == VRRP_DROP_NONE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_advert a, b;

	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++, size--;
	unsigned ttl = VRRP_TTL;
	if (ctl & 0x08) {
		if (size < 1)
			return 0;
		ttl = data[0];
		data++, size--;
	}
	int family = ctl & 0x01 ? AF_INET6 : AF_INET;
	struct config_addr src = family == AF_INET ? addr(AF_INET, "10.99.0.11")
						   : addr(AF_INET6, "fe80::11");
	struct config_addr dst = family == AF_INET ? addr(AF_INET, "224.0.0.18")
						   : addr(AF_INET6, "ff02::12");

	/* a buffer of exactly the packet's size: any read past it is caught */
	uint8_t *pkt = malloc(size ? size : 1);
	if (!pkt)
		abort();
	memcpy(pkt, data, size);
	if (ctl & 0x02)
		vrrp_set_checksum(pkt, size, family,
				  pkt[0] >> 4 == 3 && (family == AF_INET6 || !(ctl & 0x04)), &src, &dst);

	bool pseudo = false;
	memset(&a, 0x5a, sizeof(a));
	enum vrrp_drop d = vrrp_decode(pkt, size, family, ttl, &src, &dst, &a, &pseudo);
	FUZZ_CHECK(vrrp_drop_to_string(d) != NULL);
	/* deterministic */
	bool pseudo_b = false;
	FUZZ_CHECK(vrrp_decode(pkt, size, family, ttl, &src, &dst, &b, &pseudo_b) == d);

	if (d == VRRP_DROP_NONE) {
		FUZZ_CHECK(adverts_equal(&a, &b) && pseudo == pseudo_b);
		FUZZ_CHECK(a.version == 2 || a.version == 3);
		FUZZ_CHECK(a.family == family && a.n_addrs <= VRRP_MAX_ADDRS);
		FUZZ_CHECK(a.advert_int_us > 0);
		FUZZ_CHECK(size == vrrp_packet_len(a.version, family, a.n_addrs));
		for (size_t i = 0; i < a.n_addrs; i++)
			FUZZ_CHECK(a.addrs[i].family == family);
		check_round_trip(&a, pkt, size, pseudo, &src, &dst);
		check_instance(&a, ctl);
	}
	free(pkt);
	return 0;
}
