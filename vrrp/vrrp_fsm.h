/* vrrp_fsm: the VRRP state machine of one instance, RFC 5798 section 6.4 as
 * updated by RFC 9568, for VRRPv2 (RFC 3768 timing) and VRRPv3.
 *
 * Pure: no sockets, no clock, no allocation.  Every entry point takes `now`
 * (monotonic microseconds, always > 0: a deadline of 0 means "not armed") and
 * appends what the caller must do to an action list; the caller performs the
 * actions in order (send adverts, add/remove VIPs, announce, run notify
 * scripts) and arms one timer at vrrp_fsm_next_deadline().  Unit tests drive
 * it with a fake clock (tests/unit/test-vrrp-fsm.c).
 *
 * States: INIT (before start), BACKUP, MASTER, FAULT (a tracked thing is
 * down: no adverts, no VIPs, adverts ignored), STOP (after shutdown; final).
 *
 * Priorities: `base` is the configured priority; the caller passes the
 * effective one (base plus tracking weights, clamped to 1..254, or 255 for an
 * address owner) through vrrp_fsm_set_priority().  Address-owner behaviour
 * (straight to MASTER on start and when a fault clears) needs both the base
 * and the effective priority at 255.  A handover hold (vrrp_fsm_hold)
 * advertises priority 1 and never preempts until released.
 *
 * Where the RFC leaves room we follow keepalived: preempt_delay,
 * lower_prio_no_advert, higher_prio_send_advert, down_timer_adverts, and a
 * priority-0 advert whenever a master resigns for any reason other than a
 * better advert (fault, shutdown, handover, sync group). */
#ifndef LBHA_VRRP_FSM_H
#define LBHA_VRRP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_addr.h"

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_STOP,
	_VRRP_STATE_MAX,
};

/* Why a transition happened: logged, in vrrp.json, in notify_fifo. */
enum vrrp_reason {
	VRRP_REASON_NONE,
	VRRP_REASON_STARTUP,            /* INIT -> BACKUP, or -> MASTER as address owner */
	VRRP_REASON_MASTER_DOWN,        /* Master_Down_Timer expired */
	VRRP_REASON_MASTER_STOPPED,     /* priority-0 advert seen, took over after the skew */
	VRRP_REASON_HIGHER_PRIORITY,    /* master saw a better advert */
	VRRP_REASON_PREEMPT,            /* backup took over from a lower-priority master */
	VRRP_REASON_FAULT,              /* tracking reported a fault */
	VRRP_REASON_FAULT_CLEARED,      /* FAULT -> BACKUP */
	VRRP_REASON_HANDOVER,           /* operator asked the master to step down */
	VRRP_REASON_SYNC_GROUP,         /* another member of the sync group moved */
	VRRP_REASON_SHUTDOWN,           /* vrrp_fsm_shutdown() */
	_VRRP_REASON_MAX,
};

enum vrrp_action_type {
	/* Send one advertisement with `priority` (0 when resigning). */
	VRRP_ACTION_SEND_ADVERT,
	/* Install the VIPs, excluded VIPs and virtual routes. */
	VRRP_ACTION_VIPS_ADD,
	/* Remove them. */
	VRRP_ACTION_VIPS_DEL,
	/* Start the gratuitous ARP / unsolicited NA schedule (garp_master_*). */
	VRRP_ACTION_ANNOUNCE,
	/* The state changed from `from` to `to` for `reason` (log, status,
	 * notify scripts, sync group).  Always after the actions that made the
	 * change real (VIPs added before a -> MASTER transition is reported). */
	VRRP_ACTION_TRANSITION,
};

struct vrrp_action {
	enum vrrp_action_type type;
	uint8_t priority;              /* SEND_ADVERT */
	enum vrrp_state from, to;      /* TRANSITION */
	enum vrrp_reason reason;       /* TRANSITION */
};

/* Enough for the longest sequence one call can produce. */
#define VRRP_ACTIONS_MAX 8

struct vrrp_actions {
	struct vrrp_action a[VRRP_ACTIONS_MAX];
	size_t n;
};

struct vrrp_fsm_params {
	uint8_t version;               /* 2 or 3 (anything else is taken as 3) */
	uint8_t priority;              /* configured base priority, 1..255 */
	uint64_t advert_int_us;        /* configured Advertisement_Interval; 0 is taken as 1 s */
	bool preempt;                  /* false: nopreempt */
	uint64_t preempt_delay_us;     /* 0: preempt at once */
	/* Master_Down_Interval = N * Master_Adver_Interval + Skew_Time; 3 by
	 * default, 0 is taken as 3. */
	uint32_t down_timer_adverts;
	bool lower_prio_no_advert;     /* master does not answer a lower-priority advert */
	bool higher_prio_send_advert;  /* master sends one advert before yielding */
	struct config_addr primary;    /* our primary address (tie-break on equal priority) */
};

/* What the receive path learned from one valid advertisement. */
struct vrrp_advert_info {
	uint8_t priority;
	uint64_t advert_int_us;        /* v3: Max Adver Int; v2: the (checked) interval, unused */
	struct config_addr src;        /* sender's primary address (IP source) */
};

struct vrrp_fsm {
	struct vrrp_fsm_params p;
	enum vrrp_state state;
	uint8_t priority;              /* effective priority (tracking applied) */
	bool held;                     /* handover hold: advertise 1, never preempt */
	bool fault;                    /* a tracked thing is down */
	uint64_t master_adver_int_us;  /* v3: learned from the master; v2: configured */
	uint64_t adver_deadline;       /* MASTER: next advert; 0: not armed */
	uint64_t master_down_deadline; /* BACKUP: Master_Down_Timer; 0: not armed */
	/* BACKUP: until then a lower-priority master is still obeyed
	 * (preempt_delay, started by its first advert); 0: none.  Not a timer:
	 * once it has passed, the lower master's adverts are discarded and the
	 * Master_Down_Timer does the preempting. */
	uint64_t preempt_deadline;
	struct config_addr master_addr;/* BACKUP: who we last heard; MASTER: ourselves */
	uint8_t master_priority;       /* priority in the last accepted advert (0: it resigned) */
	/* BACKUP: the reason reported when the Master_Down_Timer fires:
	 * MASTER_DOWN, MASTER_STOPPED (armed to Skew_Time by a priority-0
	 * advert) or PREEMPT (a lower-priority advert was discarded since the
	 * timer was last reset). */
	enum vrrp_reason down_reason;
	bool sync_fault;               /* in FAULT because the sync group is (vrrp_fsm_follow) */
	enum vrrp_reason last_reason;
	uint64_t last_transition;      /* `now` of the last transition */
};

/* Set up in INIT.  Nothing is sent until vrrp_fsm_start(). */
void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_params *p);

/* Change parameters on reload; never a transition.  A new base priority
 * shifts the effective one by the same amount (tracking weights stay
 * applied; the caller may follow with vrrp_fsm_set_priority).  A master
 * whose advertised priority or interval changed advertises at once and
 * re-arms its Adver_Timer.  A v2 backup adopts the new interval (a v3
 * backup keeps its master's); when that or the priority changes its
 * Master_Down_Interval, the Master_Down_Timer restarts from now (unless it
 * is the skew-only one after a priority-0 advert).  Turning preempt or
 * preempt_delay off drops a running preempt_deadline. */
void vrrp_fsm_update_params(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now,
			    struct vrrp_actions *out);

/* Startup event.  With fault set (vrrp_fsm_set_fault before start), goes to
 * FAULT instead. */
void vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out);

/* Shutdown event: a master sends a priority-0 advert and removes its VIPs;
 * every state (INIT too) ends in STOP, where every event is ignored. */
void vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out);

/* A valid advertisement for this instance arrived (the receive checks
 * passed).  One from our own primary address (looped back) is ignored:
 * answering it would answer ourselves forever. */
void vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a,
		     struct vrrp_actions *out);

/* Run every timer that is due at `now` (Adver_Timer in MASTER,
 * Master_Down_Timer in BACKUP).  Calling it early does nothing. */
void vrrp_fsm_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out);

/* The next time vrrp_fsm_timer() has work, or UINT64_MAX.  After any call
 * made with `now`, it is later than `now`. */
uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *f);

/* Effective priority changed (tracking weights).  A master advertises the
 * new priority at once; nothing else changes state here.  The value is
 * clamped to 1..254, or 1..255 when the base priority is 255. */
void vrrp_fsm_set_priority(struct vrrp_fsm *f, uint8_t priority, uint64_t now,
			   struct vrrp_actions *out);

/* Tracking fault on/off.  On: leave MASTER (priority-0 advert, VIPs removed)
 * or BACKUP for FAULT; in INIT, vrrp_fsm_start() will go to FAULT.  Off:
 * FAULT -> BACKUP (or MASTER as address owner), unless the sync group still
 * holds it there (sync_fault). */
void vrrp_fsm_set_fault(struct vrrp_fsm *f, bool fault, uint64_t now, struct vrrp_actions *out);

/* Operator handover.  hold=true: a master sends a priority-0 advert and goes
 * to BACKUP; in any state the instance then advertises priority 1 and does
 * not preempt (it still takes over if no master is heard).  hold=false:
 * back to the effective priority; a backup then preempts a lower master as
 * usual (after preempt_delay). */
void vrrp_fsm_hold(struct vrrp_fsm *f, bool hold, uint64_t now, struct vrrp_actions *out);

/* Sync group: another member moved to `to` (MASTER, BACKUP or FAULT), so this
 * one follows with reason SYNC_GROUP.
 *   FAULT: sets sync_fault; BACKUP and MASTER go to FAULT (a master resigns
 *     with a priority-0 advert); in INIT, vrrp_fsm_start() will go to FAULT.
 *   BACKUP or MASTER: clears sync_fault; a master steps down to BACKUP
 *     (priority-0 advert), a backup takes over as MASTER; FAULT is left for
 *     `to` only when this member's own fault is clear.
 * A no-op when already there, in INIT (except the flag) and in STOP.  The
 * sync-group code decides the group's fault from every member's `fault`. */
void vrrp_fsm_follow(struct vrrp_fsm *f, enum vrrp_state to, uint64_t now,
		     struct vrrp_actions *out);

/* The priority this instance puts in its adverts now (1 while held). */
uint8_t vrrp_fsm_advert_priority(const struct vrrp_fsm *f);

/* Skew_Time and Master_Down_Interval for the current master interval. */
uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *f);
uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *f);

/* "MASTER", ... and "master down", ...; NULL for a value out of range. */
const char *vrrp_state_to_string(enum vrrp_state s);
const char *vrrp_reason_to_string(enum vrrp_reason r);

#endif
