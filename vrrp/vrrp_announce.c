#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xalloc.h"
#include "vrrp/vrrp_announce.h"

#define ETH_HLEN_ 14
#define IP6_HLEN 40
#define NA_HLEN 24          /* type, code, checksum, flags + reserved, target */
#define NA_OPT_LEN 8        /* Target Link-Layer Address: type 2, length 1 (x8), MAC */
#define ICMP6_NA_TYPE 136
#define ICMP6_NA_ROUTER 0x80
#define ICMP6_NA_OVERRIDE 0x20
#define ND_OPT_TLLA 2
#define IPPROTO_ICMPV6_ 58
#define NDISC_HOPLIMIT 255  /* RFC 4861 7.1.2: receivers drop NAs with any other */

static const uint8_t mac_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* RFC 2464 section 7: 33:33 + the low 32 bits of ff02::1 */
static const uint8_t mac_all_nodes[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const struct in6_addr ip6_all_nodes = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
						   0, 0, 0, 0, 0, 0, 0, 0x01 } } };

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	p = put(p, dst, 6);
	p = put(p, src, 6);
	return put16(p, type);
}

int vrrp_garp_build(uint8_t *buf, size_t size, const uint8_t mac[6], struct in_addr vip)
{
	if (!buf || !mac || vip.s_addr == htonl(INADDR_ANY))
		return -EINVAL;
	if (size < VRRP_GARP_LEN)
		return -ENOSPC;

	uint8_t *p = put_eth(buf, mac_broadcast, mac, ETHERTYPE_ARP);
	p = put16(p, 1);             /* hardware: Ethernet */
	p = put16(p, ETHERTYPE_IP);  /* protocol: IPv4 */
	*p++ = 6;
	*p++ = 4;
	p = put16(p, 1);             /* request, see the header */
	p = put(p, mac, 6);
	p = put(p, &vip, 4);
	/* keepalived's target MAC; RFC 5227 would say zero, and Linux accepts
	 * either as long as sender IP = target IP */
	p = put(p, mac_broadcast, 6);
	p = put(p, &vip, 4);
	return (int)(p - buf);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* RFC 4443 section 2.3: the ICMPv6 checksum covers the RFC 8200 8.1 pseudo-header. */
static uint16_t icmp6_checksum(const struct in6_addr *src, const struct in6_addr *dst,
			       const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	sum = sum16(sum, src->s6_addr, 16);
	sum = sum16(sum, dst->s6_addr, 16);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += IPPROTO_ICMPV6_;
	sum = sum16(sum, msg, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool is_link_local(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

int vrrp_na_build(uint8_t *buf, size_t size, const uint8_t mac[6], const struct in6_addr *src_ll,
		  const struct in6_addr *vip, bool router)
{
	if (!buf || !mac || !src_ll || !vip || !is_link_local(src_ll) ||
	    IN6_IS_ADDR_MULTICAST(vip) || IN6_IS_ADDR_UNSPECIFIED(vip))
		return -EINVAL;
	if (size < VRRP_NA_LEN)
		return -ENOSPC;

	const size_t icmp_len = NA_HLEN + NA_OPT_LEN;
	uint8_t *p = put_eth(buf, mac_all_nodes, mac, ETHERTYPE_IPV6);

	*p++ = 0x60;                 /* version 6, traffic class 0, flow label 0 */
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put16(p, icmp_len);
	*p++ = IPPROTO_ICMPV6_;
	*p++ = NDISC_HOPLIMIT;
	p = put(p, src_ll, 16);
	p = put(p, &ip6_all_nodes, 16);

	uint8_t *icmp = p;
	*p++ = ICMP6_NA_TYPE;
	*p++ = 0;                    /* code */
	p = put16(p, 0);             /* checksum, below */
	/* Override: replace whatever link-layer address neighbours have for the
	 * VIP; Solicited clear, or RFC 4861 7.2.5 leaves entries alone. */
	*p++ = ICMP6_NA_OVERRIDE | (router ? ICMP6_NA_ROUTER : 0);
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put(p, vip, 16);
	*p++ = ND_OPT_TLLA;
	*p++ = 1;
	p = put(p, mac, 6);
	put16(icmp + 2, icmp6_checksum(src_ll, &ip6_all_nodes, icmp, icmp_len));
	return (int)(p - buf);
}

struct vrrp_announcer {
	int fd;
	int ifindex;
};

struct vrrp_announcer *vrrp_announcer_open(int ifindex, int *ret_err)
{
	int err;

	if (ifindex <= 0) {
		err = -EINVAL;
		goto fail;
	}
	/* Non-blocking: the VRRP loop must never wait on a full socket buffer;
	 * a lost GARP is repeated by the schedule anyway. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	/* Protocol 0: bound to the interface for sending, but no receive hook,
	 * so nothing ever piles up in the receive queue. */
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = 0,
		.sll_ifindex = ifindex,
	};
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		close(fd);
		goto fail;
	}
	struct vrrp_announcer *a = xnew(struct vrrp_announcer);
	a->fd = fd;
	a->ifindex = ifindex;
	return a;
fail:
	if (ret_err)
		*ret_err = err;
	return NULL;
}

static int send_frame(struct vrrp_announcer *a, const uint8_t *frame, size_t len,
		      uint16_t ethertype, const uint8_t dst[6])
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ethertype),
		.sll_ifindex = a->ifindex,
		.sll_halen = 6,
	};
	memcpy(sll.sll_addr, dst, 6);

	ssize_t n = sendto(a->fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vrrp_announcer_send_garp(struct vrrp_announcer *a, const uint8_t mac[6], struct in_addr vip)
{
	uint8_t frame[VRRP_GARP_LEN];

	if (!a)
		return -EINVAL;
	int r = vrrp_garp_build(frame, sizeof(frame), mac, vip);
	if (r < 0)
		return r;
	return send_frame(a, frame, (size_t)r, ETHERTYPE_ARP, mac_broadcast);
}

int vrrp_announcer_send_na(struct vrrp_announcer *a, const uint8_t mac[6],
			   const struct in6_addr *src_ll, const struct in6_addr *vip, bool router)
{
	uint8_t frame[VRRP_NA_LEN];

	if (!a)
		return -EINVAL;
	int r = vrrp_na_build(frame, sizeof(frame), mac, src_ll, vip, router);
	if (r < 0)
		return r;
	return send_frame(a, frame, (size_t)r, ETHERTYPE_IPV6, mac_all_nodes);
}

int vrrp_announcer_ifindex(const struct vrrp_announcer *a)
{
	return a->ifindex;
}

struct vrrp_announcer *vrrp_announcer_free(struct vrrp_announcer *a)
{
	if (!a)
		return NULL;
	close(a->fd);
	free(a);
	return NULL;
}
