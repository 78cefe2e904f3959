/* ipvs: a client for the kernel's IPVS generic-netlink family ("IPVS").
 *
 * Kernel-level types only: lib/ knows nothing of lbha.conf.  The checker
 * builds the table it wants in these types (checker/ipvs_desired.c), dumps the
 * kernel's with ipvs_dump(), diffs the two (checker/ipvs_diff.c) and sends the
 * difference as one batch (ipvs_batch_*): many netlink messages per sendmsg,
 * each acked, each error reported against the operation that caused it.
 *
 * Addresses are kept in a 16-byte union whatever the family, zero-padded, so
 * memcmp() compares them.  Every struct here is plain data: copy it freely. */
#ifndef LBHA_IPVS_H
#define LBHA_IPVS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's limits (linux/ip_vs.h: IP_VS_SCHEDNAME_MAXLEN, IP_VS_PENAME_MAXLEN). */
#define IPVS_SCHED_NAME_MAX 16
#define IPVS_PE_NAME_MAX 16

union ipvs_addr {
	struct in_addr in;
	struct in6_addr in6;
	uint8_t bytes[16];
};

/* What identifies a service in the kernel: (af, protocol, addr, port) or
 * (af, fwmark).  For a fwmark service protocol, addr and port are 0. */
struct ipvs_service_key {
	uint16_t af;             /* AF_INET or AF_INET6 */
	uint16_t protocol;       /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP; 0 for fwmark */
	union ipvs_addr addr;
	uint16_t port;           /* host order */
	uint32_t fwmark;         /* 0: not a fwmark service */
};

/* Service flags as the kernel has them (linux/ip_vs.h). */
#define IPVS_SVC_F_PERSISTENT 0x0001
#define IPVS_SVC_F_HASHED     0x0002   /* set by the kernel; masked out by ipvs_service_equal */
#define IPVS_SVC_F_ONEPACKET  0x0004
#define IPVS_SVC_F_SCHED1     0x0008   /* sh-fallback, mh-fallback */
#define IPVS_SVC_F_SCHED2     0x0010   /* sh-port, mh-port */
#define IPVS_SVC_F_SCHED3     0x0020

struct ipvs_service {
	struct ipvs_service_key key;
	char sched[IPVS_SCHED_NAME_MAX];   /* "wlc", NUL-terminated */
	char pe_name[IPVS_PE_NAME_MAX];    /* "" or "sip" */
	uint32_t flags;                    /* IPVS_SVC_F_* */
	uint32_t timeout;                  /* persistence, seconds */
	uint32_t netmask;                  /* IPv4: mask in network order (0xffffffff
	                                    * default); IPv6: prefix length (128) */
};

/* Forwarding methods (IP_VS_CONN_F_FWD_MASK values). */
enum ipvs_fwd {
	IPVS_FWD_MASQ = 0,       /* NAT */
	IPVS_FWD_LOCALNODE = 1,
	IPVS_FWD_TUNNEL = 2,
	IPVS_FWD_DROUTE = 3,
	IPVS_FWD_BYPASS = 4,
};

/* Tunnel types and flags (IP_VS_CONN_F_TUNNEL_TYPE_*, IP_VS_TUNNEL_ENCAP_FLAG_*). */
enum ipvs_tun_type {
	IPVS_TUN_IPIP = 0,
	IPVS_TUN_GUE = 1,
	IPVS_TUN_GRE = 2,
};
#define IPVS_TUN_F_NOCSUM  0x0000
#define IPVS_TUN_F_CSUM    0x0001
#define IPVS_TUN_F_REMCSUM 0x0002

struct ipvs_dest {
	uint16_t af;             /* the real server's family (may differ from the service's for TUN) */
	union ipvs_addr addr;
	uint16_t port;           /* host order */
	enum ipvs_fwd fwd;
	uint32_t weight;
	uint32_t u_threshold, l_threshold;
	enum ipvs_tun_type tun_type;
	uint16_t tun_port;       /* GUE, host order */
	uint16_t tun_flags;      /* IPVS_TUN_F_* */
	/* Read-only, filled by a dump; ignored when sending and by ipvs_dest_equal. */
	uint32_t active_conns, inact_conns, persist_conns;
};

/* One service and its destinations, as dumped or as wanted. */
struct ipvs_service_entry {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t n_dests, alloc_dests;
};

/* A whole table.  ipvs_dump() returns services sorted by ipvs_service_key_cmp
 * and each service's dests sorted by ipvs_dest_key_cmp; builders should
 * call ipvs_table_sort() before diffing. */
struct ipvs_table {
	struct ipvs_service_entry *services;
	size_t n_services, alloc_services;
};

struct ipvs_info {
	uint32_t version;        /* e.g. 0x010201 for 1.2.1 */
	uint32_t conn_tab_size;
};

/* Connection timeouts in seconds; 0 in a set request means "leave as is". */
struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;
};

/* The connection synchronisation daemon (ipvsadm --start-daemon). */
enum ipvs_daemon_state {
	IPVS_DAEMON_MASTER = 1,  /* IP_VS_STATE_MASTER */
	IPVS_DAEMON_BACKUP = 2,  /* IP_VS_STATE_BACKUP */
};
struct ipvs_daemon {
	enum ipvs_daemon_state state;
	char mcast_ifn[16];      /* IFNAMSIZ */
	uint32_t syncid;         /* 0..255 */
	uint16_t sync_maxlen;    /* 0: kernel default */
	uint16_t mcast_port;     /* 0: kernel default (8848) */
	uint8_t mcast_ttl;       /* 0: kernel default */
	uint16_t mcast_af;       /* 0 with no group */
	union ipvs_addr mcast_group;
};

/* ---- table helpers (pure) ------------------------------------------------ */

int ipvs_service_key_cmp(const struct ipvs_service_key *a, const struct ipvs_service_key *b);
/* Dests are identified within a service by (af, addr, port). */
int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);
/* Same settings (key excluded for services; the read-only counters excluded). */
bool ipvs_service_equal(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_equal(const struct ipvs_dest *a, const struct ipvs_dest *b);

struct ipvs_service_entry *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s);
struct ipvs_dest *ipvs_entry_add_dest(struct ipvs_service_entry *e, const struct ipvs_dest *d);
void ipvs_table_sort(struct ipvs_table *t);
/* Binary search in a sorted table; NULL when absent. */
struct ipvs_service_entry *ipvs_table_find(const struct ipvs_table *t,
					   const struct ipvs_service_key *key);
void ipvs_table_clear(struct ipvs_table *t);   /* frees and zeroes; the struct may be reused */

/* "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 7 IPv6"; returns buf. */
#define IPVS_SERVICE_STRLEN 80
const char *ipvs_service_to_string(const struct ipvs_service_key *k, char *buf, size_t size);
/* "10.0.0.2:80", "[2001:db8::2]:80"; returns buf. */
#define IPVS_DEST_STRLEN 64
const char *ipvs_dest_to_string(const struct ipvs_dest *d, char *buf, size_t size);

/* ---- the kernel ------------------------------------------------------------ */

struct ipvs;

/* Open a generic-netlink socket and resolve the "IPVS" family.  -ENOENT when
 * the kernel has no IPVS (nothing is logged: the caller says to load ip_vs). */
int ipvs_open(struct ipvs **ret);
struct ipvs *ipvs_close(struct ipvs *c);     /* NULL-safe, returns NULL */

int ipvs_get_info(struct ipvs *c, struct ipvs_info *ret);
int ipvs_get_timeouts(struct ipvs *c, struct ipvs_timeouts *ret);
/* Every service and its dests (one dump for services, one per service for
 * dests).  *ret is cleared first. */
int ipvs_dump(struct ipvs *c, struct ipvs_table *ret);
/* The services only, without their dests (one request). */
int ipvs_dump_services(struct ipvs *c, struct ipvs_table *ret);
/* Both daemons' settings; *n_ret is 0..2. */
int ipvs_get_daemons(struct ipvs *c, struct ipvs_daemon ret[2], size_t *n_ret);

/* Requests and netlink messages sent since ipvs_open (for the benchmark and
 * for checker.json).  A request is one sendmsg; a batch of N operations is
 * N messages in as few requests as the socket buffer allows. */
struct ipvs_counters {
	uint64_t requests, messages;
	uint64_t read_requests;   /* of the requests, gets and dumps (the rest are batches
	                           * of changes); a dump of N services is 1 + N reads */
	uint64_t errors;   /* ops and requests the kernel refused, and replies
	                    * dropped as malformed */
};
const struct ipvs_counters *ipvs_counters(const struct ipvs *c);

/* ---- batches of changes -------------------------------------------------- */

enum ipvs_op_type {
	IPVS_OP_ADD_SERVICE, IPVS_OP_EDIT_SERVICE, IPVS_OP_DEL_SERVICE,
	IPVS_OP_ADD_DEST, IPVS_OP_EDIT_DEST, IPVS_OP_DEL_DEST,
	IPVS_OP_FLUSH,
	IPVS_OP_SET_TIMEOUTS,
	IPVS_OP_START_DAEMON, IPVS_OP_STOP_DAEMON,
	_IPVS_OP_MAX,
};

struct ipvs_op {
	enum ipvs_op_type type;
	struct ipvs_service svc;       /* *_SERVICE, *_DEST (the key) */
	struct ipvs_dest dest;         /* *_DEST */
	struct ipvs_timeouts timeouts; /* SET_TIMEOUTS */
	struct ipvs_daemon daemon;     /* *_DAEMON (STOP: state and mcast_ifn matter) */
	int error;                     /* after ipvs_batch_send: 0 or the kernel's -errno */
};

struct ipvs_batch {
	struct ipvs_op *ops;
	size_t n_ops, alloc_ops;
};

struct ipvs_op *ipvs_batch_add(struct ipvs_batch *b, enum ipvs_op_type type);
void ipvs_batch_clear(struct ipvs_batch *b);

/* Send every op in order, many per sendmsg, and wait for every ack.  Each
 * op's `error` is set; a failed op does not stop the ones after it.  Returns
 * the number of failed ops (nothing is logged: the caller logs each failed op
 * with ipvs_op_to_string() and strerror(-op->error)), or a negative errno
 * when the socket itself failed (ops not acked keep error -EIO). */
int ipvs_batch_send(struct ipvs *c, struct ipvs_batch *b);

/* "add service TCP 10.0.0.1:80", "edit dest 10.0.0.2:80 in TCP 10.0.0.1:80";
 * returns buf.  For log lines and test output. */
#define IPVS_OP_STRLEN 192
const char *ipvs_op_to_string(const struct ipvs_op *op, char *buf, size_t size);

/* Build the netlink message for one op into buf (for unit tests: no kernel
 * needed); family_id is the resolved IPVS family.  Returns the message length
 * or a negative errno (-ENOBUFS when size is too small). */
int ipvs_op_build(const struct ipvs_op *op, uint16_t family_id, uint32_t seq, void *buf,
		  size_t size);

#endif
