/* vrrp-pcap: write a pcap file of Ethernet + IPv4/IPv6 + VRRP frames built
 * with vrrp_encode(), so test-vrrp-tshark.sh can ask Debian's tshark whether
 * our adverts decode cleanly.
 *
 *   vrrp-pcap FILE                  the sample adverts
 *   vrrp-pcap --bad-checksum FILE   the same with one checksum bit flipped
 *                                   in each, to prove tshark's check can fail
 *   vrrp-pcap --bad-count FILE      the same with the address count one too
 *                                   high, so tshark runs past the end
 *
 * On stdout, one line per frame with what tshark should report:
 *   "version vrid priority count" (tab-separated, tshark -T fields style). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vrrp_packet.h"

#define ETH_HLEN 14
#define IP4_HLEN 20
#define IP6_HLEN 40
#define FRAME_MAX (ETH_HLEN + IP6_HLEN + VRRP_PACKET_MAX)

struct sample {
	uint8_t version;
	int family;
	uint8_t vrid;
	uint8_t priority;
	uint64_t advert_int_us;
	const char *pass;       /* v2 PASS auth, or NULL */
	bool v3_pseudo;
	size_t n_addrs;
};

static const struct sample samples[] = {
	{ 2, AF_INET, 51, 150, 1000000, NULL, true, 1 },
	{ 2, AF_INET, 52, 100, 3000000, "secret", true, 2 },
	{ 3, AF_INET, 53, 200, 100000, NULL, true, 1 },
	{ 3, AF_INET6, 54, 100, 1000000, NULL, true, 3 },
	{ 2, AF_INET, 51, 0, 1000000, NULL, true, 1 },
	{ 3, AF_INET, 55, 0, 10000, NULL, true, 2 },
	{ 3, AF_INET, 56, 255, 40950000, NULL, true, 255 },
	{ 3, AF_INET6, 57, 1, 10000, NULL, true, 254 },
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

enum breakage { BREAK_NONE, BREAK_CHECKSUM, BREAK_COUNT };

/* Builds one frame into buf; returns its length or a negative errno. */
static int build_frame(const struct sample *s, enum breakage brk, uint8_t *buf)
{
	static const uint8_t mac_src[6] = { 0x02, 0x00, 0x5e, 0x00, 0x01, 0x01 };
	static const uint8_t mac4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	static const uint8_t mac6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x12 };
	struct vrrp_advert a;
	struct config_addr src, dst;
	bool v4 = s->family == AF_INET;
	size_t hlen = v4 ? IP4_HLEN : IP6_HLEN;

	memset(&a, 0, sizeof(a));
	a.version = s->version;
	a.family = s->family;
	a.vrid = s->vrid;
	a.priority = s->priority;
	a.advert_int_us = s->advert_int_us;
	if (s->pass) {
		a.auth_type = VRRP_AUTH_PASS;
		memcpy(a.auth_pass, s->pass, strnlen(s->pass, VRRP_AUTH_LEN));
	}
	a.n_addrs = s->n_addrs;
	for (size_t i = 0; i < s->n_addrs; i++) {
		char text[64];

		if (v4)
			snprintf(text, sizeof(text), "10.99.%zu.%zu", i / 200, i % 200 + 1);
		else
			snprintf(text, sizeof(text), "2001:db8::%zx", i + 1);
		if (config_addr_parse(text, &a.addrs[i]) < 0)
			return -EINVAL;
	}
	if (config_addr_parse(v4 ? "10.99.0.11" : "fe80::11", &src) < 0 ||
	    config_addr_parse(v4 ? "224.0.0.18" : "ff02::12", &dst) < 0)
		return -EINVAL;

	uint8_t *vrrp = buf + ETH_HLEN + hlen;
	int n = vrrp_encode(&a, &src, &dst, s->v3_pseudo, vrrp, VRRP_PACKET_MAX);
	if (n < 0)
		return n;
	if (brk == BREAK_CHECKSUM)
		vrrp[7] ^= 0x01;
	else if (brk == BREAK_COUNT)
		vrrp[3]++;

	memcpy(buf, v4 ? mac4 : mac6, 6);
	memcpy(buf + 6, mac_src, 6);
	put16(buf + 12, v4 ? 0x0800 : 0x86dd);
	uint8_t *ip = buf + ETH_HLEN;
	memset(ip, 0, hlen);
	if (v4) {
		/* as keepalived sends it: tos CS6, no DF, TTL 255 */
		ip[0] = 0x45;
		ip[1] = 0xc0;
		put16(ip + 2, IP4_HLEN + (unsigned)n);
		put16(ip + 4, 1);
		ip[8] = VRRP_TTL;
		ip[9] = VRRP_PROTO;
		memcpy(ip + 12, &src.u.v4, 4);
		memcpy(ip + 16, &dst.u.v4, 4);
		uint16_t c = vrrp_inet_csum(ip, IP4_HLEN, 0);
		memcpy(ip + 10, &c, 2);
	} else {
		ip[0] = 0x6c;   /* version 6, traffic class 0xc0 */
		put16(ip + 4, (unsigned)n);
		ip[6] = VRRP_PROTO;
		ip[7] = VRRP_TTL;
		memcpy(ip + 8, &src.u.v6, 16);
		memcpy(ip + 24, &dst.u.v6, 16);
	}
	return (int)(ETH_HLEN + hlen + (size_t)n);
}

static int write_u32(FILE *f, uint32_t v)
{
	return fwrite(&v, sizeof(v), 1, f) == 1 ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	enum breakage brk = BREAK_NONE;
	const char *path;
	uint8_t frame[FRAME_MAX];

	if (argc == 3 && strcmp(argv[1], "--bad-checksum") == 0) {
		brk = BREAK_CHECKSUM;
		path = argv[2];
	} else if (argc == 3 && strcmp(argv[1], "--bad-count") == 0) {
		brk = BREAK_COUNT;
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: %s [--bad-checksum | --bad-count] FILE\n", argv[0]);
		return 2;
	}

	FILE *f = fopen(path, "wbe");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	/* pcap global header, native byte order (the magic tells readers) */
	const uint16_t ver[2] = { 2, 4 };
	int r = write_u32(f, 0xa1b2c3d4);
	if (r == 0 && fwrite(ver, sizeof(ver), 1, f) != 1)
		r = -EIO;
	for (int i = 0; r == 0 && i < 2; i++)
		r = write_u32(f, 0);           /* thiszone, sigfigs */
	if (r == 0)
		r = write_u32(f, 65535);        /* snaplen */
	if (r == 0)
		r = write_u32(f, 1);            /* LINKTYPE_ETHERNET */

	for (size_t i = 0; r == 0 && i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		int n = build_frame(s, brk, frame);
		if (n < 0) {
			fprintf(stderr, "sample %zu: %s\n", i, strerror(-n));
			r = n;
			break;
		}
		r = write_u32(f, 1700000000u + (uint32_t)i);
		if (r == 0)
			r = write_u32(f, 0);
		if (r == 0)
			r = write_u32(f, (uint32_t)n);
		if (r == 0)
			r = write_u32(f, (uint32_t)n);
		if (r == 0 && fwrite(frame, (size_t)n, 1, f) != 1)
			r = -EIO;
		printf("%u\t%u\t%u\t%zu\n", s->version, s->vrid, s->priority, s->n_addrs);
	}
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(-r));
		return 1;
	}
	return 0;
}
