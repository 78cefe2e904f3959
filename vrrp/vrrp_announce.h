/* vrrp_announce: gratuitous ARP (IPv4 VIPs) and unsolicited neighbour
 * advertisements (IPv6 VIPs) sent by a new master, so that hosts on the link
 * move their neighbour entry for a VIP to our MAC at once instead of waiting
 * for it to go stale.
 *
 * Two halves: pure frame builders (whole Ethernet frames, byte for byte what
 * keepalived 2.2.7 sends, tested against captured frames) and a sender that
 * writes those frames to one interface through an AF_PACKET socket.  When to
 * send is vrrp_announce_sched.h's business.
 *
 * The sender takes the MAC and, for NA, a link-local source address from the
 * caller on every call, so a MAC or address change on the interface needs no
 * reopen; the caller knows them from rtnetlink anyway. */
#ifndef LBHA_VRRP_ANNOUNCE_H
#define LBHA_VRRP_ANNOUNCE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethernet 14 + ARP 28; no padding (the NIC pads to 60 on the wire). */
#define VRRP_GARP_LEN 42
/* Ethernet 14 + IPv6 40 + NA 24 + Target Link-Layer Address option 8. */
#define VRRP_NA_LEN 86

/* Build a gratuitous ARP as keepalived does: Ethernet broadcast from `mac`,
 * an ARP *request* (op 1) with sender MAC `mac`, sender IP = target IP =
 * `vip`, target MAC ff:ff:ff:ff:ff:ff.  A request rather than a reply
 * because every Linux neighbour table honours it (RFC 5227 section 3).
 * Returns VRRP_GARP_LEN, -EINVAL (NULL buf/mac, vip 0.0.0.0) or -ENOSPC
 * (size < VRRP_GARP_LEN). */
int vrrp_garp_build(uint8_t *buf, size_t size, const uint8_t mac[6], struct in_addr vip);

/* Build an unsolicited Neighbor Advertisement (RFC 4861 section 4.4, 7.2.6):
 * Ethernet 33:33:00:00:00:01 from `mac`; IPv6 from `src_ll` to ff02::1, hop
 * limit 255, next header 58; ICMPv6 type 136 code 0 with Override set,
 * Solicited clear and Router set iff `router` (keepalived sets it when the
 * interface forwards IPv6); target `vip`; one Target Link-Layer Address
 * option carrying `mac`; checksum over the RFC 4443 pseudo-header.
 * Returns VRRP_NA_LEN, -EINVAL (NULL pointer, `src_ll` not link-local
 * fe80::/10, `vip` multicast or unspecified) or -ENOSPC. */
int vrrp_na_build(uint8_t *buf, size_t size, const uint8_t mac[6], const struct in6_addr *src_ll,
		  const struct in6_addr *vip, bool router);

/* The sender: one non-blocking AF_PACKET SOCK_RAW socket bound to one
 * interface, sending both frame kinds.  It is bound with protocol 0 so the
 * kernel never queues received frames on it. */
struct vrrp_announcer;

/* Open a sender for interface `ifindex` (> 0).  Returns NULL with
 * *ret_err = negative errno (-EPERM without CAP_NET_RAW, -ENODEV for an
 * unknown index, -EINVAL for ifindex <= 0). */
struct vrrp_announcer *vrrp_announcer_open(int ifindex, int *ret_err);

/* Send one gratuitous ARP for `vip` from `mac`.  Returns 0 or a negative
 * errno (-EAGAIN when the socket buffer is full, -ENETDOWN, ...).  Not
 * checked: IFF_NOARP; keepalived sends no GARP on such an interface, so the
 * caller should not either. */
int vrrp_announcer_send_garp(struct vrrp_announcer *a, const uint8_t mac[6], struct in_addr vip);

/* Send one unsolicited NA for `vip` from `mac` / `src_ll` (a link-local
 * address of the interface; see vrrp_na_build).  Returns 0 or a negative
 * errno. */
int vrrp_announcer_send_na(struct vrrp_announcer *a, const uint8_t mac[6],
			   const struct in6_addr *src_ll, const struct in6_addr *vip, bool router);

/* The interface the sender was opened on. */
int vrrp_announcer_ifindex(const struct vrrp_announcer *a);

/* Close the socket and free.  NULL-safe; returns NULL. */
struct vrrp_announcer *vrrp_announcer_free(struct vrrp_announcer *a);

#endif
