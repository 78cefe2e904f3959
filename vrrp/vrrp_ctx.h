/* vrrp_ctx: the VRRP child's runtime state, shared by the files of vrrp/
 * that do I/O around the pure parts (vrrp_fsm, vrrp_packet,
 * vrrp_announce_sched, vrrp_track_calc).
 *
 * Ownership: struct vrrp_ctx owns everything; instances, sockets, script
 * trackers and sync groups are arrays of heap objects in it.  Config structs
 * are borrowed from the config the child frame keeps until the next apply;
 * apply re-points them.
 *
 *   vrrp_child.c     role hooks: start, apply (match by name), shutdown, stop
 *   vrrp_instance.c  one instance: fsm glue, timers, adverts in and out
 *   vrrp_sockpool.c  shared raw sockets and the receive demultiplexer
 *   vrrp_addrs.c     VIPs, excluded VIPs and virtual routes via rtnetlink
 *   vrrp_links.c     interface facts (index, MAC, state, primary address)
 *   vrrp_track.c     track_interface / track_script / track_file -> priority
 *   vrrp_sync.c      sync groups
 *   vrrp_status.c    the members of vrrp.json
 *   vrrp_control.c   `lbha handover` / `lbha restore` */
#ifndef LBHA_VRRP_CTX_H
#define LBHA_VRRP_CTX_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-event.h>

#include "daemon/config_types.h"
#include "ratelimit.h"
#include "vrrp/vrrp_announce_sched.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_packet.h"

struct child_ctx;
struct control_server;
struct rtnl;
struct rtnl_monitor;
struct spawn;
struct vrrp_announcer;
struct vrrp_lvs_sync;
struct vrrp_notify;
struct vrrp_socket;
struct vrrp_ctx;

/* Counters of one instance (vrrp.json; metrics later). */
struct vrrp_instance_stats {
	uint64_t adverts_sent, adverts_received;
	uint64_t prio0_sent, prio0_received;
	uint64_t send_errors;
	uint64_t became_master, released_master, transitions;
	uint64_t vip_errors, vips_restored;
	uint64_t garps_sent, nas_sent, announce_errors;
	uint64_t drops[_VRRP_DROP_MAX];
};

/* One shared raw socket: (family, interface, unicast or group). */
struct vrrp_sock {
	struct vrrp_ctx *ctx;
	int family, ifindex;
	bool unicast;
	struct config_addr group;
	struct vrrp_socket *s;
	sd_event_source *src;
	unsigned refs;
	uint64_t rx_errors;
};

/* One tracked vrrp_script, run once however many instances track it. */
struct vrrp_script_tracker {
	struct vrrp_ctx *ctx;
	const struct config_vrrp_script *cfg;
	char *name;
	sd_event_source *timer;
	struct spawn *run;
	int result;          /* VRRP_TRACK_* */
	uint32_t good_in_row, bad_in_row;
	uint64_t runs, failures, timeouts;
};

/* One track_file, re-read when it changes. */
struct vrrp_file_tracker {
	struct vrrp_ctx *ctx;
	const struct config_track_file *cfg;
	char *name;
	sd_event_source *watch;
	int64_t value;
	bool readable;
};

struct vrrp_group;

struct vrrp_instance {
	struct vrrp_ctx *ctx;
	const struct config_vrrp_instance *cfg;
	char *name;
	struct vrrp_fsm fsm;
	int family;
	/* the instance's interface */
	char ifname[IFNAMSIZ];
	int ifindex;              /* 0: does not exist (FAULT) */
	uint8_t mac[6];
	bool link_up;
	struct config_addr src;   /* advert source: unicast_src_ip, mcast_src_ip or primary */
	bool src_ok;              /* src known (else FAULT: no address to send from) */
	struct config_addr mcast_group; /* multicast destination */
	struct vrrp_sock *sock;
	struct vrrp_announcer *announcer;
	struct vrrp_announce_sched sched4, sched6;
	uint64_t lower_prio_announce_usec; /* last re-announce for a lower-priority advert */
	sd_event_source *fsm_timer, *announce_timer;
	/* the VIPs adverts carry, and what a received advert is checked against */
	struct config_addr *adv_addrs;
	size_t n_adv_addrs;
	struct vrrp_expect expect;
	/* tracking */
	int32_t track_delta;      /* sum of weights now applied */
	bool track_fault;         /* a tracked thing with weight 0 is down */
	char fault_why[128];      /* what it is, for logs and status */
	bool group_fault;         /* another member of the sync group is in fault */
	bool vips_installed;
	struct vrrp_group *group;
	uint64_t last_transition_wall;  /* seconds since the epoch */
	struct vrrp_instance_stats st;
	struct ratelimit drop_log;
};

struct vrrp_group {
	struct vrrp_ctx *ctx;
	const struct config_vrrp_sync_group *cfg;
	char *name;
	enum vrrp_state state;
	struct vrrp_instance **members;
	size_t n_members;
	bool moving;              /* members are following a transition: do not recurse */
};

struct vrrp_ctx {
	sd_event *event;
	struct child_ctx *frame;
	const struct lbha_config *cfg;
	struct rtnl *rtnl;
	struct rtnl_monitor *monitor;
	sd_event_source *monitor_src;
	struct vrrp_notify *notify;
	struct control_server *control;
	struct vrrp_lvs_sync *lvs_sync;      /* NULL until lvs_sync_daemon is configured */
	sd_event_source *status_timer;
	bool status_dirty;
	bool shutting_down;
	struct vrrp_instance **instances;
	size_t n_instances;
	struct vrrp_sock **socks;
	size_t n_socks;
	struct vrrp_script_tracker **scripts;
	size_t n_scripts;
	struct vrrp_file_tracker **files;
	size_t n_files;
	struct vrrp_group **groups;
	size_t n_groups;
	/* packets dropped before an instance was known */
	uint64_t drops[_VRRP_DROP_MAX];
	uint64_t rx_bad_header;
	struct ratelimit drop_log;
	/* scratch adverts (4 kB each with 255 IPv6 addresses: not on the stack) */
	struct vrrp_advert tx_advert, rx_advert;
};

/* Result of a tracked script. */
enum {
	VRRP_TRACK_UNKNOWN,  /* not run yet: neither weight nor fault applies */
	VRRP_TRACK_GOOD,
	VRRP_TRACK_BAD,
};

/* Reload matching: find the item called `name` in the pointer array old[0..n)
 * (each item's name is a char * at name_offset), take it out of the array
 * (its slot becomes NULL) and return it; NULL when there is none. */
void *vrrp_take_named(void *old, size_t n, size_t name_offset, const char *name);

/* Monotonic now in microseconds (the loop's cached time). */
uint64_t vrrp_now(const struct vrrp_ctx *ctx);

/* ---- vrrp_instance.c ---- */
struct vrrp_instance *vrrp_instance_new(struct vrrp_ctx *ctx, const struct config_vrrp_instance *vi);
/* Point an instance at a new config of the same identity (reload). */
void vrrp_instance_update(struct vrrp_instance *in, const struct config_vrrp_instance *vi);
void vrrp_instance_start(struct vrrp_instance *in);
/* Resign (priority-0 advert, VIPs removed) and stop. */
void vrrp_instance_shutdown(struct vrrp_instance *in);
struct vrrp_instance *vrrp_instance_free(struct vrrp_instance *in);
/* A valid-looking advert arrived on the instance's socket. */
void vrrp_instance_receive(struct vrrp_instance *in, const struct vrrp_advert *a,
			   const struct config_addr *src, int ttl);
/* Effective priority and fault changed (tracking, sync group). */
void vrrp_instance_retrack(struct vrrp_instance *in);
/* Interface facts changed (link state, address, MAC, index). */
void vrrp_instance_link_changed(struct vrrp_instance *in);
void vrrp_instance_hold(struct vrrp_instance *in, bool hold);
void vrrp_instance_follow(struct vrrp_instance *in, enum vrrp_state to);
/* What notify scripts call a state (INIT counts as BACKUP). */
enum vrrp_notify_state vrrp_notify_state_of(enum vrrp_state s);
/* A fault of the instance itself (interface, address, tracking), not the
 * sync group's. */
bool vrrp_instance_own_fault(const struct vrrp_instance *in);
/* Why the instance is (or would be) in FAULT, or NULL. */
const char *vrrp_instance_fault_reason(const struct vrrp_instance *in);
struct vrrp_instance *vrrp_find_instance(const struct vrrp_ctx *ctx, const char *name);

/* ---- vrrp_sockpool.c ---- */
/* Take a reference on the socket for the instance's key (opened when new). */
int vrrp_sock_get(struct vrrp_ctx *ctx, const struct vrrp_instance *in, struct vrrp_sock **ret);
void vrrp_sock_put(struct vrrp_sock *s);

/* ---- vrrp_addrs.c ---- */
void vrrp_addrs_install(struct vrrp_instance *in);
void vrrp_addrs_remove(struct vrrp_instance *in);
/* Reload of a master holding its VIPs: in->cfg is the new config, `old`
 * the one it replaces (still valid).  Removes the VIPs and routes that left,
 * adds the new ones, leaves the others alone (no flap); returns how many VIPs
 * were added (they need announcing). */
size_t vrrp_addrs_update(struct vrrp_instance *in, const struct config_vrrp_instance *old);
/* An address disappeared from an interface: put it back if it is a VIP of a
 * master.  Returns true when it was one of ours. */
bool vrrp_addrs_deleted(struct vrrp_ctx *ctx, int ifindex, const struct config_addr *addr);

/* ---- vrrp_links.c ---- */
/* Refresh ifindex, MAC, link state and source address from the kernel. */
void vrrp_links_refresh(struct vrrp_instance *in);
/* true when the named interface exists and is up and running. */
bool vrrp_link_is_up(struct vrrp_ctx *ctx, const char *ifname);
/* Whether the interface forwards IPv6: an NA then carries the Router flag,
 * as keepalived sends it, so hosts keep using us as a router. */
bool vrrp_links_ipv6_forwarding(const char *ifname);
/* A link-local IPv6 address of the instance's interface (NA source). */
int vrrp_links_link_local(struct vrrp_instance *in, struct config_addr *ret);
/* Convert between the config's and rtnetlink's address structs. */
struct rtnl_ip;
void vrrp_addr_to_rtnl(const struct config_addr *a, struct rtnl_ip *ret);
void vrrp_addr_from_rtnl(const struct rtnl_ip *a, struct config_addr *ret);

/* ---- vrrp_track.c ---- */
/* The user scripts run as when the config names none (NULL: as we run). */
const char *vrrp_script_user(const struct config_global *g);
void vrrp_track_setup(struct vrrp_ctx *ctx);   /* trackers for the current config */
void vrrp_track_teardown(struct vrrp_ctx *ctx);
/* Recompute in->track_delta / track_fault / fault_why. */
void vrrp_track_compute(struct vrrp_instance *in);

/* ---- vrrp_sync.c ---- */
void vrrp_sync_setup(struct vrrp_ctx *ctx);
void vrrp_sync_teardown(struct vrrp_ctx *ctx);
/* Unlink every member from its group (before a reload frees or restarts
 * instances: they then move alone); vrrp_sync_setup() links them again. */
void vrrp_sync_detach(struct vrrp_ctx *ctx);
/* A member made a transition on its own: move the others. */
void vrrp_sync_member_moved(struct vrrp_instance *in, enum vrrp_state to, enum vrrp_reason why);
/* A member's own fault may have changed: recompute every member's group_fault. */
void vrrp_sync_fault_changed(struct vrrp_group *g);

/* ---- vrrp_status.c ---- */
void vrrp_status_write(struct vrrp_ctx *ctx, FILE *f);
/* Ask for vrrp.json to be rewritten soon (now for transitions). */
void vrrp_status_changed(struct vrrp_ctx *ctx, bool now);

/* ---- vrrp_child.c ---- */
/* Make the IPVS sync daemon follow the state of lvs_sync_daemon's instance
 * (called on its transitions, after a reload and at shutdown). */
void vrrp_lvs_sync_update(struct vrrp_ctx *ctx);

/* ---- vrrp_control.c ---- */
int vrrp_control_open(struct vrrp_ctx *ctx);

#endif
