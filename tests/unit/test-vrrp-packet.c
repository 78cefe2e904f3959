/* vrrp_packet: golden packets captured from Debian's keepalived 2.2.7, round
 * trips, every drop reason from a crafted bad packet, instance checks, and a
 * random-input loop that must never crash. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp/vrrp_packet.h"

#define SEC 1000000ULL
#define CSEC 10000ULL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct config_addr addr(const char *s)
{
	struct config_addr a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(config_addr_parse(s, &a), 0);
	return a;
}

/* The VRRP part of the adverts in keepalived-capture.txt (tcpdump -XX,
 * Ethernet + 20-byte IPv4 header cut off): VRID 51, VIP 10.99.0.100, sent
 * from dir1 10.99.0.11 (prio 150, 0) or dir2 10.99.0.12 (prio 100) to
 * 224.0.0.18. */
struct golden {
	const char *src;
	uint8_t priority;
	uint8_t version;
	size_t len;
	uint8_t bytes[20];
};

static const struct golden goldens[] = {
	{ "10.99.0.11", 150, 2, 20, { 0x21, 0x33, 0x96, 0x01, 0x00, 0x01, 0x3e, 0x03, 0x0a, 0x63,
				      0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "10.99.0.12", 100, 2, 20, { 0x21, 0x33, 0x64, 0x01, 0x00, 0x01, 0x70, 0x03, 0x0a, 0x63,
				      0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "10.99.0.11", 0, 2, 20, { 0x21, 0x33, 0x00, 0x01, 0x00, 0x01, 0xd4, 0x03, 0x0a, 0x63,
				    0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "10.99.0.11", 150, 3, 12, { 0x31, 0x33, 0x96, 0x01, 0x00, 0x0a, 0x42, 0xfd, 0x0a, 0x63,
				      0x00, 0x64 } },
	{ "10.99.0.12", 100, 3, 12, { 0x31, 0x33, 0x64, 0x01, 0x00, 0x0a, 0x74, 0xfc, 0x0a, 0x63,
				      0x00, 0x64 } },
	{ "10.99.0.11", 0, 3, 12, { 0x31, 0x33, 0x00, 0x01, 0x00, 0x0a, 0xd8, 0xfd, 0x0a, 0x63,
				    0x00, 0x64 } },
};

/* The full captured v2 frame of dir1 at priority 150, to check the IPv4
 * header checksum helper against keepalived's kernel-built header too. */
static const uint8_t golden_ipv4_header[20] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70,
	0xd0, 0x24, 0x0a, 0x63, 0x00, 0x0b, 0xe0, 0x00, 0x00, 0x12,
};

static void init_advert(struct vrrp_advert *a, uint8_t version, int family, size_t n)
{
	memset(a, 0, sizeof(*a));
	a->version = version;
	a->family = family;
	a->vrid = 51;
	a->priority = 100;
	a->advert_int_us = version == 2 ? 1 * SEC : 100 * CSEC;
	a->auth_type = VRRP_AUTH_NONE;
	a->n_addrs = n;
	for (size_t i = 0; i < n; i++) {
		a->addrs[i].family = family;
		if (family == AF_INET) {
			a->addrs[i].u.v4.s_addr = htonl(0x0a630000u + (uint32_t)i + 1);
		} else {
			a->addrs[i].u.v6 = addr("2001:db8::").u.v6;
			a->addrs[i].u.v6.s6_addr[14] = (uint8_t)(i >> 8);
			a->addrs[i].u.v6.s6_addr[15] = (uint8_t)(i + 1);
		}
	}
}

static void assert_adverts_equal(const struct vrrp_advert *a, const struct vrrp_advert *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->vrid, b->vrid);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->advert_int_us, b->advert_int_us);
	assert_int_equal(a->auth_type, b->auth_type);
	assert_memory_equal(a->auth_pass, b->auth_pass, VRRP_AUTH_LEN);
	assert_int_equal(a->n_addrs, b->n_addrs);
	for (size_t i = 0; i < a->n_addrs; i++)
		assert_true(config_addr_equal(&a->addrs[i], &b->addrs[i]));
}

/* Recompute the checksum of a hand-edited packet, so a test reaches the
 * check it aims at and not the checksum. */
static void fix_csum(uint8_t *buf, size_t len, int family, bool pseudo,
		     const struct config_addr *src, const struct config_addr *dst)
{
	uint8_t ph[40] = { 0 };
	size_t phlen = 0;
	uint16_t c;

	buf[6] = buf[7] = 0;
	if (pseudo && family == AF_INET) {
		memcpy(ph, &src->u.v4, 4);
		memcpy(ph + 4, &dst->u.v4, 4);
		ph[9] = VRRP_PROTO;
		ph[11] = (uint8_t)len;
		ph[10] = (uint8_t)(len >> 8);
		phlen = 12;
	} else if (pseudo) {
		memcpy(ph, &src->u.v6, 16);
		memcpy(ph + 16, &dst->u.v6, 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[39] = VRRP_PROTO;
		phlen = 40;
	}
	/* Independent of the codec's own pseudo-header code: the test sums
	 * pseudo-header and packet as one buffer. */
	uint8_t all[40 + VRRP_PACKET_MAX + 8];
	memcpy(all, ph, phlen);
	memcpy(all + phlen, buf, len);
	c = vrrp_inet_csum(all, phlen + len, 0);
	memcpy(buf + 6, &c, 2);
}

static void test_golden_encode(void **state)
{
	struct config_addr dst = addr("224.0.0.18");

	for (size_t i = 0; i < ARRAY_SIZE(goldens); i++) {
		const struct golden *g = &goldens[i];
		struct config_addr src = addr(g->src);
		struct vrrp_advert a;
		uint8_t buf[VRRP_PACKET_MAX];

		init_advert(&a, g->version, AF_INET, 1);
		a.priority = g->priority;
		a.addrs[0] = addr("10.99.0.100");
		a.advert_int_us = g->version == 2 ? 1 * SEC : 10 * CSEC;
		int n = vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf));
		assert_int_equal(n, g->len);
		assert_memory_equal(buf, g->bytes, g->len);
		assert_int_equal(vrrp_packet_len(g->version, AF_INET, 1), g->len);
	}
}

static void test_golden_decode(void **state)
{
	struct config_addr dst = addr("224.0.0.18"), vip = addr("10.99.0.100");

	for (size_t i = 0; i < ARRAY_SIZE(goldens); i++) {
		const struct golden *g = &goldens[i];
		struct config_addr src = addr(g->src);
		struct vrrp_advert a;
		bool pseudo = false;

		memset(&a, 0xaa, sizeof(a));
		assert_int_equal(vrrp_decode(g->bytes, g->len, AF_INET, 255, &src, &dst, &a, &pseudo),
				 VRRP_DROP_NONE);
		assert_int_equal(a.version, g->version);
		assert_int_equal(a.family, AF_INET);
		assert_int_equal(a.vrid, 51);
		assert_int_equal(a.priority, g->priority);
		assert_int_equal(a.advert_int_us, g->version == 2 ? 1 * SEC : 100000);
		assert_int_equal(a.auth_type, VRRP_AUTH_NONE);
		assert_int_equal(a.n_addrs, 1);
		assert_true(config_addr_equal(&a.addrs[0], &vip));
		/* v2 has no pseudo-header; keepalived's v3 IPv4 default has one */
		assert_int_equal(pseudo, g->version == 3);
	}
	/* The same checksum routine validates keepalived's IPv4 header. */
	assert_int_equal(vrrp_inet_csum(golden_ipv4_header, sizeof(golden_ipv4_header), 0), 0);
}

static void roundtrip(const struct vrrp_advert *a, const struct config_addr *src,
		      const struct config_addr *dst, bool v3_pseudo)
{
	uint8_t buf[VRRP_PACKET_MAX];
	struct vrrp_advert b;
	bool pseudo = !v3_pseudo;

	int n = vrrp_encode(a, src, dst, v3_pseudo, buf, sizeof(buf));
	assert_int_equal(n, vrrp_packet_len(a->version, a->family, a->n_addrs));
	/* A one-byte-short buffer is refused, not overrun. */
	assert_int_equal(vrrp_encode(a, src, dst, v3_pseudo, buf, (size_t)n - 1), -ENOBUFS);
	assert_int_equal(vrrp_decode(buf, (size_t)n, a->family, 255, src, dst, &b, &pseudo),
			 VRRP_DROP_NONE);
	assert_adverts_equal(a, &b);
	assert_int_equal(pseudo, a->version == 3 && (a->family == AF_INET6 || v3_pseudo));
	/* v3 reserved bits are zero on the wire */
	if (a->version == 3)
		assert_int_equal(buf[4] & 0xf0, 0);
}

static void test_roundtrip(void **state)
{
	static const struct {
		uint8_t version;
		int family;
	} kinds[] = { { 2, AF_INET }, { 3, AF_INET }, { 3, AF_INET6 } };
	static const size_t counts[] = { 0, 1, 2, 255 };
	static const uint8_t prios[] = { 0, 1, 100, 254, 255 };
	struct vrrp_advert a;

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		int f = kinds[k].family;
		struct config_addr src = addr(f == AF_INET ? "192.0.2.1" : "fe80::1");
		struct config_addr dst = addr(f == AF_INET ? "224.0.0.18" : "ff02::12");

		for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
			for (size_t p = 0; p < ARRAY_SIZE(prios); p++) {
				init_advert(&a, kinds[k].version, f, counts[c]);
				a.priority = prios[p];
				a.vrid = (uint8_t)(1 + c * 50 + p);
				roundtrip(&a, &src, &dst, true);
			}
		}
		/* interval extremes of the field */
		init_advert(&a, kinds[k].version, f, 1);
		a.advert_int_us = kinds[k].version == 2 ? 255 * SEC : 4095 * CSEC;
		roundtrip(&a, &src, &dst, true);
		a.advert_int_us = kinds[k].version == 2 ? 1 * SEC : 1 * CSEC;
		a.vrid = 255;
		roundtrip(&a, &src, &dst, true);
	}
}

static void test_roundtrip_pass_auth(void **state)
{
	struct config_addr src = addr("192.0.2.1"), dst = addr("224.0.0.18");
	static const char *const passwords[] = { "", "x", "secret", "12345678" };
	uint8_t buf[VRRP_PACKET_MAX];
	struct vrrp_advert a;

	for (size_t i = 0; i < ARRAY_SIZE(passwords); i++) {
		init_advert(&a, 2, AF_INET, 2);
		a.auth_type = VRRP_AUTH_PASS;
		memcpy(a.auth_pass, passwords[i], strnlen(passwords[i], VRRP_AUTH_LEN));
		roundtrip(&a, &src, &dst, true);
		/* the password sits NUL-padded after the addresses */
		int n = vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf));
		assert_int_equal(n, 8 + 2 * 4 + 8);
		assert_int_equal(buf[4], 1);
		assert_memory_equal(buf + 16, a.auth_pass, VRRP_AUTH_LEN);
	}
	/* auth none: the 8 trailing bytes are zero whatever auth_pass holds */
	init_advert(&a, 2, AF_INET, 1);
	memcpy(a.auth_pass, "leftover", VRRP_AUTH_LEN);
	int n = vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf));
	assert_int_equal(n, 20);
	static const uint8_t zero[VRRP_AUTH_LEN];
	assert_memory_equal(buf + 12, zero, VRRP_AUTH_LEN);
}

static void test_v3_ipv4_without_pseudo(void **state)
{
	struct config_addr src = addr("10.99.0.11"), dst = addr("224.0.0.18");
	uint8_t buf[VRRP_PACKET_MAX];
	struct vrrp_advert a, b;
	bool pseudo = true;

	init_advert(&a, 3, AF_INET, 1);
	roundtrip(&a, &src, &dst, false);
	/* the variant needs no addresses to encode */
	int n = vrrp_encode(&a, NULL, NULL, false, buf, sizeof(buf));
	assert_int_equal(n, 12);
	assert_int_equal(vrrp_decode(buf, (size_t)n, AF_INET, 255, &src, &dst, &b, &pseudo),
			 VRRP_DROP_NONE);
	assert_false(pseudo);
	/* ret_pseudo may be NULL */
	assert_int_equal(vrrp_decode(buf, (size_t)n, AF_INET, 255, &src, &dst, &b, NULL),
			 VRRP_DROP_NONE);

	/* IPv6 has no such variant: a v3 IPv6 packet summed without the
	 * pseudo-header is a bad checksum. */
	struct config_addr src6 = addr("fe80::1"), dst6 = addr("ff02::12");
	init_advert(&a, 3, AF_INET6, 1);
	n = vrrp_encode(&a, &src6, &dst6, false, buf, sizeof(buf));
	assert_int_equal(n, 24);
	assert_int_equal(vrrp_decode(buf, (size_t)n, AF_INET6, 255, &src6, &dst6, &b, NULL),
			 VRRP_DROP_NONE);
	fix_csum(buf, (size_t)n, AF_INET6, false, NULL, NULL);
	assert_int_equal(vrrp_decode(buf, (size_t)n, AF_INET6, 255, &src6, &dst6, &b, NULL),
			 VRRP_DROP_CHECKSUM);
	/* and a v3 IPv4 checksum over the wrong source matches neither */
	init_advert(&a, 3, AF_INET, 1);
	n = vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf));
	struct config_addr other = addr("10.99.0.12");
	assert_int_equal(vrrp_decode(buf, (size_t)n, AF_INET, 255, &other, &dst, &b, NULL),
			 VRRP_DROP_CHECKSUM);
}

static void test_encode_rejects(void **state)
{
	struct config_addr src = addr("192.0.2.1"), dst = addr("224.0.0.18");
	struct config_addr src6 = addr("fe80::1"), dst6 = addr("ff02::12");
	uint8_t buf[VRRP_PACKET_MAX];
	struct vrrp_advert a;

	init_advert(&a, 2, AF_INET6, 1);                      /* v2 over IPv6 */
	assert_int_equal(vrrp_encode(&a, &src6, &dst6, true, buf, sizeof(buf)), -EINVAL);
	for (unsigned v = 0; v < 16; v++) {
		if (v == 2 || v == 3)
			continue;
		init_advert(&a, 3, AF_INET, 1);
		a.version = (uint8_t)v;
		assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	}
	init_advert(&a, 3, AF_UNSPEC, 0);
	assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	init_advert(&a, 3, AF_INET, 255);
	a.n_addrs = 256;
	assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	init_advert(&a, 3, AF_INET, 2);
	a.addrs[1] = src6;                                    /* mixed families */
	assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	init_advert(&a, 3, AF_INET, 1);
	a.vrid = 0;
	assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);

	static const struct {
		uint8_t version;
		uint64_t us;
	} bad_int[] = { { 2, 0 }, { 2, 1500000 }, { 2, 256 * SEC }, { 2, 100 * CSEC + 1 },
			{ 3, 0 }, { 3, 5000 }, { 3, 4096 * CSEC }, { 3, 100 * CSEC + 1 } };
	for (size_t i = 0; i < ARRAY_SIZE(bad_int); i++) {
		init_advert(&a, bad_int[i].version, AF_INET, 1);
		a.advert_int_us = bad_int[i].us;
		assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	}
	init_advert(&a, 2, AF_INET, 1);
	a.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_encode(&a, &src, &dst, true, buf, sizeof(buf)), -EINVAL);
	/* v3 with the pseudo-header needs src and dst of the family */
	init_advert(&a, 3, AF_INET, 1);
	assert_int_equal(vrrp_encode(&a, NULL, &dst, true, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(vrrp_encode(&a, &src, &dst6, true, buf, sizeof(buf)), -EINVAL);
	init_advert(&a, 3, AF_INET6, 1);
	assert_int_equal(vrrp_encode(&a, &src6, NULL, false, buf, sizeof(buf)), -EINVAL);
	/* v2 needs neither */
	init_advert(&a, 2, AF_INET, 1);
	assert_int_equal(vrrp_encode(&a, NULL, NULL, true, buf, sizeof(buf)), 20);
	/* the largest advert fits VRRP_PACKET_MAX exactly */
	init_advert(&a, 3, AF_INET6, 255);
	assert_int_equal(vrrp_encode(&a, &src6, &dst6, true, buf, sizeof(buf)), VRRP_PACKET_MAX);
}

static void test_packet_len(void **state)
{
	assert_int_equal(vrrp_packet_len(2, AF_INET, 0), 16);
	assert_int_equal(vrrp_packet_len(2, AF_INET, 255), 8 + 1020 + 8);
	assert_int_equal(vrrp_packet_len(3, AF_INET, 3), 20);
	assert_int_equal(vrrp_packet_len(3, AF_INET6, 3), 56);
	assert_int_equal(vrrp_packet_len(2, AF_INET6, 1), 0);
	assert_int_equal(vrrp_packet_len(4, AF_INET, 1), 0);
	assert_int_equal(vrrp_packet_len(3, AF_UNSPEC, 1), 0);
	assert_int_equal(vrrp_packet_len(3, AF_INET, 256), 0);
}

/* A valid packet to break: v2 or v3, IPv4 or IPv6, 3 addresses. */
struct sample {
	uint8_t buf[VRRP_PACKET_MAX];
	size_t len;
	int family;
	bool pseudo;
	struct config_addr src, dst;
};

static void make_sample(struct sample *s, uint8_t version, int family)
{
	struct vrrp_advert a;

	init_advert(&a, version, family, 3);
	s->family = family;
	s->pseudo = version == 3;
	s->src = addr(family == AF_INET ? "192.0.2.1" : "fe80::1");
	s->dst = addr(family == AF_INET ? "224.0.0.18" : "ff02::12");
	int n = vrrp_encode(&a, &s->src, &s->dst, true, s->buf, sizeof(s->buf));
	assert_true(n > 0);
	s->len = (size_t)n;
}

static enum vrrp_drop decode_sample(const struct sample *s, size_t len, unsigned ttl)
{
	struct vrrp_advert a;

	return vrrp_decode(s->buf, len, s->family, ttl, &s->src, &s->dst, &a, NULL);
}

static void refix(struct sample *s)
{
	fix_csum(s->buf, s->len, s->family, s->pseudo, &s->src, &s->dst);
}

static void test_drop_reasons(void **state)
{
	static const struct {
		uint8_t version;
		int family;
	} kinds[] = { { 2, AF_INET }, { 3, AF_INET }, { 3, AF_INET6 } };

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct sample s, t;

		make_sample(&s, kinds[k].version, kinds[k].family);
		assert_int_equal(decode_sample(&s, s.len, 255), VRRP_DROP_NONE);

		/* TTL / hop limit: only 255 proves the sender is on-link */
		static const unsigned ttls[] = { 0, 1, 64, 254, 256 };
		for (size_t i = 0; i < ARRAY_SIZE(ttls); i++)
			assert_int_equal(decode_sample(&s, s.len, ttls[i]), VRRP_DROP_TTL);

		/* truncated at every length, and one byte too long */
		for (size_t len = 0; len < s.len; len++)
			assert_int_equal(decode_sample(&s, len, 255),
					 len < VRRP_HEADER_LEN ? VRRP_DROP_TOO_SHORT : VRRP_DROP_LENGTH);
		t = s;
		t.buf[t.len] = 0;
		assert_int_equal(decode_sample(&t, t.len + 1, 255), VRRP_DROP_LENGTH);

		/* versions other than 2 and 3 */
		static const uint8_t versions[] = { 0, 1, 4, 15 };
		for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
			t = s;
			t.buf[0] = (uint8_t)(versions[i] << 4 | 1);
			refix(&t);
			assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_VERSION);
		}

		/* types other than ADVERTISEMENT */
		static const uint8_t types[] = { 0, 2, 15 };
		for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
			t = s;
			t.buf[0] = (uint8_t)(kinds[k].version << 4 | types[i]);
			refix(&t);
			assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_TYPE);
		}

		/* count says 2 or 4 addresses, the packet carries 3 */
		static const uint8_t counts[] = { 0, 2, 4, 255 };
		for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
			t = s;
			t.buf[3] = counts[i];
			refix(&t);
			assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_LENGTH);
		}

		/* every single flipped bit outside the version/type and count
		 * bytes is caught by the checksum */
		for (size_t byte = 1; byte < s.len; byte++) {
			if (byte == 3)
				continue;
			for (unsigned bit = 0; bit < 8; bit++) {
				t = s;
				t.buf[byte] ^= (uint8_t)(1u << bit);
				assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_CHECKSUM);
			}
		}

		/* zero interval, with a correct checksum */
		t = s;
		if (kinds[k].version == 2)
			t.buf[5] = 0;
		else
			t.buf[4] = t.buf[5] = 0;
		refix(&t);
		assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_INTERVAL);
		/* v3 reserved bits are ignored, not an interval */
		if (kinds[k].version == 3) {
			t.buf[4] = 0xf0;
			refix(&t);
			assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_INTERVAL);
			t.buf[5] = 10;
			refix(&t);
			assert_int_equal(decode_sample(&t, t.len, 255), VRRP_DROP_NONE);
		}
	}

	/* v2 received over IPv6: a family drop even with a consistent length */
	struct sample s;
	make_sample(&s, 2, AF_INET);
	s.family = AF_INET6;
	s.src = addr("fe80::1");
	s.dst = addr("ff02::12");
	assert_int_equal(decode_sample(&s, s.len, 255), VRRP_DROP_FAMILY);
	/* an unknown socket family */
	make_sample(&s, 3, AF_INET);
	s.family = AF_UNSPEC;
	assert_int_equal(decode_sample(&s, s.len, 255), VRRP_DROP_FAMILY);
	/* v3 without (or with mismatched) addresses for the pseudo-header */
	make_sample(&s, 3, AF_INET6);
	struct vrrp_advert a;
	assert_int_equal(vrrp_decode(s.buf, s.len, AF_INET6, 255, NULL, &s.dst, &a, NULL),
			 VRRP_DROP_FAMILY);
	struct config_addr v4 = addr("192.0.2.1");
	assert_int_equal(vrrp_decode(s.buf, s.len, AF_INET6, 255, &s.src, &v4, &a, NULL),
			 VRRP_DROP_FAMILY);
	/* v2 ignores src/dst */
	make_sample(&s, 2, AF_INET);
	assert_int_equal(vrrp_decode(s.buf, s.len, AF_INET, 255, NULL, NULL, &a, NULL),
			 VRRP_DROP_NONE);
}

static void test_drop_leaves_ret_alone(void **state)
{
	struct sample s;
	struct vrrp_advert a, before;
	bool pseudo = true;

	make_sample(&s, 3, AF_INET);
	s.buf[7] ^= 1;
	memset(&a, 0x5a, sizeof(a));
	before = a;
	assert_int_equal(vrrp_decode(s.buf, s.len, AF_INET, 255, &s.src, &s.dst, &a, &pseudo),
			 VRRP_DROP_CHECKSUM);
	assert_memory_equal(&a, &before, sizeof(a));
	assert_true(pseudo);
}

static void test_drop_names(void **state)
{
	for (int d = 0; d < _VRRP_DROP_MAX; d++) {
		const char *n = vrrp_drop_to_string((enum vrrp_drop)d);
		assert_non_null(n);
		assert_true(n[0] != '\0');
		for (int e = 0; e < d; e++)
			assert_string_not_equal(n, vrrp_drop_to_string((enum vrrp_drop)e));
	}
	assert_string_equal(vrrp_drop_to_string(VRRP_DROP_TTL), "ttl");
	assert_string_equal(vrrp_drop_to_string(VRRP_DROP_CHECKSUM), "checksum");
	assert_string_equal(vrrp_drop_to_string(VRRP_DROP_UNICAST_SRC), "unicast_src");
	assert_null(vrrp_drop_to_string(_VRRP_DROP_MAX));
	assert_null(vrrp_drop_to_string((enum vrrp_drop)-1));
}

/* An instance that expects what init_advert(version, family, 3) sends. */
static void init_expect(struct vrrp_expect *e, const struct vrrp_advert *a)
{
	memset(e, 0, sizeof(*e));
	e->version = a->version;
	e->advert_int_us = a->advert_int_us;
	e->auth_type = a->auth_type;
	memcpy(e->auth_pass, a->auth_pass, VRRP_AUTH_LEN);
	e->check_addrs = true;
	e->n_addrs = a->n_addrs;
	e->addrs = a->addrs;
}

static void test_check_instance(void **state)
{
	struct vrrp_advert a, mine;
	struct vrrp_expect e;

	/* v2: equal interval, auth and addresses pass */
	init_advert(&mine, 2, AF_INET, 3);
	init_expect(&e, &mine);
	init_advert(&a, 2, AF_INET, 3);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);

	/* version mismatch */
	a.version = 3;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_VERSION);
	a.version = 2;

	/* v2 interval mismatch */
	a.advert_int_us = 2 * SEC;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_INTERVAL);
	a.advert_int_us = 1 * SEC;

	/* auth type mismatch, both ways */
	a.auth_type = VRRP_AUTH_PASS;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	e.auth_type = VRRP_AUTH_PASS;
	a.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	/* password: equal passes; any differing byte (even the last) fails */
	a.auth_type = VRRP_AUTH_PASS;
	memcpy(e.auth_pass, "pw12345\0", VRRP_AUTH_LEN);
	memcpy(a.auth_pass, "pw12345\0", VRRP_AUTH_LEN);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
	a.auth_pass[7] = 'x';
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	memcpy(a.auth_pass, "PW12345\0", VRRP_AUTH_LEN);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	/* AH is never accepted, even by an instance configured for it */
	a.auth_type = e.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	/* an unknown auth type byte from the wire */
	a.auth_type = (enum vrrp_auth)7;
	e.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_AUTH);
	a.auth_type = VRRP_AUTH_NONE;
	/* with auth none the data bytes are not compared */
	memcpy(a.auth_pass, "junkjunk", VRRP_AUTH_LEN);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);

	/* address list in another order: fine */
	struct config_addr tmp = a.addrs[0];
	a.addrs[0] = a.addrs[2];
	a.addrs[2] = tmp;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
	assert_true(vrrp_addrs_match(&a, &e));
	/* a different member: dropped below 255, accepted from the owner */
	a.addrs[1] = addr("198.51.100.7");
	for (unsigned p = 0; p < 255; p += 50) {
		a.priority = (uint8_t)p;
		assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_ADDRESSES);
	}
	a.priority = 254;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_ADDRESSES);
	a.priority = 255;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
	assert_false(vrrp_addrs_match(&a, &e));
	/* skip_check_adv_addr */
	a.priority = 100;
	e.check_addrs = false;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
	e.check_addrs = true;
	/* a different count: one missing, one duplicated */
	init_advert(&a, 2, AF_INET, 2);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_ADDRESSES);
	init_advert(&a, 2, AF_INET, 3);
	a.addrs[2] = a.addrs[1];
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_ADDRESSES);
	/* the same bytes in another family are other addresses */
	init_advert(&mine, 3, AF_INET6, 1);
	init_advert(&a, 3, AF_INET, 1);
	init_expect(&e, &mine);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_ADDRESSES);
	/* no addresses on either side */
	init_advert(&mine, 3, AF_INET, 0);
	init_advert(&a, 3, AF_INET, 0);
	init_expect(&e, &mine);
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);

	/* v3: the interval and auth fields are not compared (a backup adopts
	 * the master's interval, RFC 5798 6.4.2) */
	init_advert(&mine, 3, AF_INET6, 3);
	init_expect(&e, &mine);
	init_advert(&a, 3, AF_INET6, 3);
	a.advert_int_us = 4095 * CSEC;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
	a.version = 2;
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_VERSION);

	/* 255 addresses in reverse order still match */
	init_advert(&mine, 3, AF_INET, 255);
	init_expect(&e, &mine);
	init_advert(&a, 3, AF_INET, 255);
	for (size_t i = 0; i < 255; i++)
		a.addrs[i] = mine.addrs[254 - i];
	assert_int_equal(vrrp_check_instance(&a, &e), VRRP_DROP_NONE);
}

/* xorshift64*: deterministic, so a failure replays. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void test_random_input(void **state)
{
	static const int families[] = { AF_INET, AF_INET6, AF_UNSPEC };
	const char *env = getenv("VRRP_FUZZ_ITERATIONS");
	unsigned long iterations = env ? strtoul(env, NULL, 10) : 300000;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct config_addr src4 = addr("192.0.2.1"), dst4 = addr("224.0.0.18");
	struct config_addr src6 = addr("fe80::1"), dst6 = addr("ff02::12");
	/* Heap, exactly `len` bytes: ASan and valgrind see any over-read. */
	uint8_t *pool = malloc(VRRP_PACKET_MAX + 64);
	struct vrrp_advert a;
	unsigned long accepted = 0;

	assert_non_null(pool);
	for (unsigned long it = 0; it < iterations; it++) {
		uint64_t r = rnd(&seed);
		int family = families[r % 8 < 4 ? 0 : r % 8 < 7 ? 1 : 2];
		bool v4 = family != AF_INET6;
		size_t len;

		/* Mostly short packets with a plausible header, so the checks
		 * past the first ones run; sometimes anything up to the max. */
		if ((r >> 8) % 4 == 0)
			len = (size_t)((r >> 16) % (VRRP_PACKET_MAX + 64));
		else
			len = (size_t)((r >> 16) % 72);
		for (size_t i = 0; i < len; i += 8) {
			uint64_t w = rnd(&seed);
			memcpy(pool + i, &w, len - i < 8 ? len - i : 8);
		}
		if (len >= VRRP_HEADER_LEN && (r >> 40) % 2) {
			unsigned version = 2 + (unsigned)((r >> 41) % 2);
			pool[0] = (uint8_t)(version << 4 | 1);
			size_t n = vrrp_packet_len(version, family, 0) ? (len - VRRP_HEADER_LEN -
				   (version == 2 ? VRRP_AUTH_LEN : 0)) / (v4 ? 4 : 16) : 0;
			if ((r >> 42) % 2 && n <= VRRP_MAX_ADDRS && len >= vrrp_packet_len(version, family, n))
				pool[3] = (uint8_t)n;
			if ((r >> 43) % 2 && len == vrrp_packet_len(version, family, pool[3]))
				fix_csum(pool, len, v4 ? AF_INET : AF_INET6, version == 3,
					 v4 ? &src4 : &src6, v4 ? &dst4 : &dst6);
		}
		uint8_t *p = malloc(len ? len : 1);
		assert_non_null(p);
		memcpy(p, pool, len);
		bool pseudo;
		enum vrrp_drop d = vrrp_decode(p, len, family, (r >> 50) % 8 ? 255 : (unsigned)(r >> 56),
					       v4 ? &src4 : &src6, v4 ? &dst4 : &dst6, &a, &pseudo);
		assert_true((unsigned)d < _VRRP_DROP_MAX);
		if (d == VRRP_DROP_NONE) {
			accepted++;
			assert_int_equal(len, vrrp_packet_len(a.version, a.family, a.n_addrs));
			/* what we accept we can send again, and it decodes to
			 * the same advert */
			uint8_t out[VRRP_PACKET_MAX];
			if (a.vrid != 0 && a.auth_type <= VRRP_AUTH_PASS) {
				struct vrrp_advert b;
				int n = vrrp_encode(&a, v4 ? &src4 : &src6, v4 ? &dst4 : &dst6,
						    pseudo, out, sizeof(out));
				assert_int_equal(n, len);
				assert_int_equal(vrrp_decode(out, len, family, 255, v4 ? &src4 : &src6,
							     v4 ? &dst4 : &dst6, &b, NULL),
						 VRRP_DROP_NONE);
				assert_adverts_equal(&a, &b);
			}
		}
		free(p);
	}
	free(pool);
	/* the loop must reach the accepting path, or it tests little */
	if (iterations >= 10000)
		assert_true(accepted > iterations / 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_encode),
		cmocka_unit_test(test_golden_decode),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_roundtrip_pass_auth),
		cmocka_unit_test(test_v3_ipv4_without_pseudo),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_packet_len),
		cmocka_unit_test(test_drop_reasons),
		cmocka_unit_test(test_drop_leaves_ret_alone),
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_check_instance),
		cmocka_unit_test(test_random_input),
	};
	return cmocka_run_group_tests_name("vrrp_packet", tests, NULL, NULL);
}
