/* vrrp_socket: raw IP protocol 112 sockets that carry VRRP adverts.
 *
 * One socket per (family, interface, multicast or unicast); several VRRP
 * instances share it, the caller demultiplexes by VRID.  The socket only
 * moves bytes: the VRRP part of each datagram goes out as given (the codec
 * fills in the checksum, so IPV6_CHECKSUM is never set) and comes in with the
 * IP facts the receive checks need (TTL/hop limit, source, destination,
 * interface).  The kernel builds the IP header: TTL/hop limit 255, DSCP CS6
 * (tos 0xc0) and no DF bit, like keepalived.
 *
 * Every socket is bound to its interface (SO_BINDTOIFINDEX, or
 * SO_BINDTODEVICE), non-blocking and close-on-exec, with multicast loopback
 * off and IP_MULTICAST_ALL off, so it sees only proto-112 datagrams that
 * arrive on its interface and, for multicast, only its own group:
 *   - a multicast socket joins the group and is bound to it, so unicast
 *     adverts to the host's addresses do not reach it;
 *   - a unicast socket sees every proto-112 datagram addressed to any of the
 *     host's addresses on that interface; the caller checks rx.dst and the
 *     source against its unicast_src_ip / unicast_peer lists.
 * Sockets need CAP_NET_RAW. */
#ifndef LBHA_VRRP_SOCKET_H
#define LBHA_VRRP_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_addr.h"

/* 224.0.0.18 and ff02::12 (RFC 5798 section 5.1.1.2 / 5.1.2.2). */
#define VRRP_SOCKET_GROUP4 "224.0.0.18"
#define VRRP_SOCKET_GROUP6 "ff02::12"
/* Receive buffer asked for when params.rcvbuf is 0. */
#define VRRP_SOCKET_RCVBUF_DEFAULT (2 * 1024 * 1024)

struct vrrp_socket_params {
	int family;               /* AF_INET or AF_INET6 */
	int ifindex;              /* the interface, > 0 */
	const char *ifname;       /* its name, used only on kernels without
	                           * SO_BINDTOIFINDEX; NULL: looked up from ifindex */
	bool unicast;             /* true: no group joined (unicast_peer mode) */
	struct config_addr group; /* multicast only; unset: the RFC group of the family */
	int rcvbuf;               /* SO_RCVBUF(FORCE) bytes; 0: VRRP_SOCKET_RCVBUF_DEFAULT */
};

/* One received datagram.  payload points into the socket's own buffer and is
 * valid until the next vrrp_socket_recv() or vrrp_socket_free() on it. */
struct vrrp_rx {
	const uint8_t *payload;   /* the VRRP part: after the IPv4 header / IPv6 header chain */
	size_t len;
	int ttl;                  /* IPv4 TTL or IPv6 hop limit as received */
	struct config_addr src;   /* the IP source */
	struct config_addr dst;   /* the IP destination (group or one of our addresses) */
	int ifindex;              /* the interface it arrived on */
};

struct vrrp_socket;

/* Open and configure a socket.  Returns NULL with *ret_err (may be NULL) set
 * to a negative errno: -EINVAL for bad params (family, ifindex <= 0, a group
 * of the wrong family or not multicast), -EPERM without CAP_NET_RAW, -ENODEV
 * for a missing interface, or whatever a setsockopt failed with.  A failed
 * group join (e.g. interface without multicast) fails the open. */
struct vrrp_socket *vrrp_socket_open(const struct vrrp_socket_params *p, int *ret_err);

/* Close the socket (leaving the group) and free it.  NULL-safe; returns NULL. */
struct vrrp_socket *vrrp_socket_free(struct vrrp_socket *s);

/* The file descriptor, for the event loop (EPOLLIN). */
int vrrp_socket_fd(const struct vrrp_socket *s);

/* What the socket was opened with (the group filled in with the default when
 * the params left it unset; unset in unicast mode). */
int vrrp_socket_family(const struct vrrp_socket *s);
int vrrp_socket_ifindex(const struct vrrp_socket *s);
bool vrrp_socket_is_unicast(const struct vrrp_socket *s);
const struct config_addr *vrrp_socket_group(const struct vrrp_socket *s);

/* Receive one datagram into *rx.  Returns 0; -EAGAIN when nothing is queued
 * (call it until then on EPOLLIN); -EBADMSG for a datagram that cannot be
 * trusted (IPv4 header with a bad version/IHL/total length, a truncated
 * read, missing ancillary data): it is consumed, *rx is undefined, the
 * caller counts it and reads on.  Another negative errno is a socket error
 * (e.g. -ENETDOWN), not fatal either.  A short or junk VRRP part is returned
 * as is: judging it is the codec's job.  EINTR is retried here. */
int vrrp_socket_recv(struct vrrp_socket *s, struct vrrp_rx *rx);

/* The IPv4 part of vrrp_socket_recv(), pure: parse the IP header a raw IPv4
 * socket delivers (network byte order, as on the wire) at buf[0..len) and
 * fill rx's payload (after the header and its options, up to the header's
 * total length), ttl, src and dst; rx->ifindex is left alone.  Returns 0, or
 * -EBADMSG for a short buffer, version not 4, IHL below 5 or past the end, or
 * a total length below the header or past the end. */
int vrrp_socket_parse_ipv4(const uint8_t *buf, size_t len, struct vrrp_rx *rx);

/* Send `len` bytes of VRRP (header onwards) to dst, or to the socket's group
 * when dst is NULL or unset, from src (the instance's primary address or
 * unicast_src_ip; NULL or unset lets the kernel choose).  The outgoing
 * interface is always the socket's.  src and dst must be of the socket's
 * family (-EAFNOSUPPORT otherwise).  Returns 0, -EAGAIN when the send buffer
 * is full (drop the advert: the next one follows), -EMSGSIZE for a short
 * write, -EDESTADDRREQ on a unicast socket with no dst, or another
 * negative errno (e.g. -EINVAL or -ENETUNREACH when src is not one of our
 * addresses, -ENETDOWN). */
int vrrp_socket_send(struct vrrp_socket *s, const uint8_t *vrrp, size_t len,
                     const struct config_addr *src, const struct config_addr *dst);

#endif
