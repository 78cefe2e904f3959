/* vrrp_announce_sched: when a master sends gratuitous ARPs / unsolicited NAs,
 * with keepalived's garp_* meanings.
 *
 * Pure: no clock, no sockets.  A "round" is one GARP (or NA) for every VIP of
 * the instance; the schedule only counts rounds, the caller sends them.
 *
 *   start(now)          `repeat` rounds at once;
 *   now + delay         `repeat` more rounds (garp_master_delay, if > 0);
 *   every `refresh`     `refresh_repeat` rounds while master (if > 0).
 *
 * With `interval` > 0 (vrrp_garp_interval / vrrp_gna_interval) the rounds are
 * spaced by that interval instead of going out back to back.  keepalived
 * spaces every single frame on the interface instead; with one VIP per
 * instance the two are the same.  The interval differs per family, so an
 * instance with both IPv4 and IPv6 VIPs (virtual_ipaddress_excluded can mix
 * them) keeps one schedule per family.
 *
 * Use: on VRRP_ACTION_ANNOUNCE call vrrp_announce_sched_start() (also when a
 * master re-announces after a dual-master episode, with the lower-priority
 * parameters); arm a timer at vrrp_announce_sched_next(); when it fires send
 * vrrp_announce_sched_due() rounds and re-arm; on leaving MASTER call
 * vrrp_announce_sched_stop().  All times are monotonic microseconds. */
#ifndef LBHA_VRRP_ANNOUNCE_SCHED_H
#define LBHA_VRRP_ANNOUNCE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct config_global;
struct config_vrrp_instance;

struct vrrp_announce_params {
	uint32_t repeat;          /* garp_master_repeat: rounds per burst; 0: no bursts */
	uint64_t delay_us;        /* garp_master_delay: second burst after start; 0: none */
	uint64_t refresh_us;      /* garp_master_refresh: 0: no refresh */
	uint32_t refresh_repeat;  /* garp_master_refresh_repeat: rounds per refresh */
	uint64_t interval_us;     /* vrrp_garp_interval / vrrp_gna_interval; 0: back to back */
};

/* Zero-initialised (or VRRP_ANNOUNCE_SCHED_INIT) it is idle: nothing due,
 * vrrp_announce_sched_next() says UINT64_MAX. */
struct vrrp_announce_sched {
	struct vrrp_announce_params p;
	uint32_t pending;         /* rounds owed, sent from round_at on (spaced by interval) */
	uint64_t round_at;        /* earliest time of the next round */
	bool delay_armed;         /* the second burst is still to come, at delay_at */
	uint64_t delay_at;
	bool refresh_armed;       /* refreshing, the next one at refresh_at */
	uint64_t refresh_at;
};

#define VRRP_ANNOUNCE_SCHED_INIT { .pending = 0 }

/* Parameters for becoming master: the instance's garp_master_* values and the
 * global interval of `family` (AF_INET: vrrp_garp_interval, AF_INET6:
 * vrrp_gna_interval).  `g` may be NULL (interval 0). */
void vrrp_announce_params_master(struct vrrp_announce_params *p,
				 const struct config_vrrp_instance *vi,
				 const struct config_global *g, int family);

/* Parameters for a master that saw a lower-priority advert (the other side
 * believed it was master): garp_lower_prio_repeat / _delay, and the same
 * refresh and interval as vrrp_announce_params_master(). */
void vrrp_announce_params_lower_prio(struct vrrp_announce_params *p,
				     const struct config_vrrp_instance *vi,
				     const struct config_global *g, int family);

/* (Re)start the schedule at `now`, forgetting anything pending: the first
 * burst is due at `now`. */
void vrrp_announce_sched_start(struct vrrp_announce_sched *s, const struct vrrp_announce_params *p,
			       uint64_t now);

/* How many rounds to send at `now` (0 if none is due), and advance.  With
 * interval 0 all owed rounds come at once; otherwise at most one per call,
 * the next one interval later.  Refreshes missed by a late caller are not
 * made up (one refresh, then the next a full period after `now`). */
unsigned vrrp_announce_sched_due(struct vrrp_announce_sched *s, uint64_t now);

/* When vrrp_announce_sched_due() next has something (may be <= now: call it
 * at once), or UINT64_MAX when nothing is pending. */
uint64_t vrrp_announce_sched_next(const struct vrrp_announce_sched *s);

/* Drop everything pending (leaving MASTER). */
void vrrp_announce_sched_stop(struct vrrp_announce_sched *s);

#endif
