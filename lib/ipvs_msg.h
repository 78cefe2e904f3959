/* ipvs_msg: the IPVS generic-netlink codec, private to lib/ipvs*.c and its tests.
 *
 * Pure: builds requests into caller buffers and turns reply messages into
 * the structs of ipvs.h, with every attribute checked against a libnl policy
 * (length and NUL termination) before it is read.  No socket, no logging. */
#ifndef LBHA_IPVS_MSG_H
#define LBHA_IPVS_MSG_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "ipvs.h"

/* Room for the largest request ipvs_op_build() makes (a full service plus a
 * full dest is about 300 bytes). */
#define IPVS_MSG_MAX 512

/* A request that is not an op: GET_INFO, GET_CONFIG (flags
 * NLM_F_REQUEST|NLM_F_ACK), or a dump of services, daemons, or (with `key`)
 * one service's dests (NLM_F_REQUEST|NLM_F_DUMP).  `key` may be NULL.
 * Returns the length or -ENOBUFS. */
int ipvs_msg_build_request(uint8_t cmd, uint16_t flags, const struct ipvs_service_key *key,
			   uint16_t family_id, uint32_t seq, void *buf, size_t size);

/* Reply parsers: 0, or -EBADMSG when the message is not the expected reply
 * or an attribute is missing or malformed (*ret is then unspecified).  The
 * caller has checked nlmsg_len against what it received. */
int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *ret);
/* `svc_af` is used when the kernel predates IPVS_DEST_ATTR_ADDR_FAMILY (3.18). */
int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af, struct ipvs_dest *ret);
int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *ret);
int ipvs_msg_parse_info(const struct nlmsghdr *nlh, struct ipvs_info *ret);
int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *ret);

#endif
