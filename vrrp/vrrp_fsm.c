/* vrrp_fsm: RFC 5798 section 6 (as updated by RFC 9568) for one instance.
 *
 * set_state() is the only place the state changes.  It resigns a master
 * (priority-0 advert unless a better advert made it yield, then VIPs
 * removed), runs the entry actions of the new state from enter[], and reports
 * the TRANSITION last, so the caller's notify scripts and status see a state
 * that is already real.  Adverts and timers are dispatched by state through
 * on_advert[] and on_timer[]; states with a NULL row ignore them (INIT,
 * FAULT and STOP neither send nor listen).
 *
 * Timers (RFC 5798 6.1, 6.2; RFC 3768 for v2):
 *   Skew_Time            v3: ((256 - priority) * Master_Adver_Interval) / 256
 *                        v2: (256 - priority) / 256 s
 *   Master_Down_Interval down_timer_adverts * Master_Adver_Interval + Skew_Time
 * all in microseconds, with `priority` the one this instance advertises
 * (1 while held), so a held backup is the last to take over. */
#include <config.h>

#include <assert.h>
#include <string.h>

#include "vrrp/vrrp_fsm.h"

#define USEC_PER_SEC 1000000ULL
#define OWNER_PRIORITY 255
#define HELD_PRIORITY 1
#define DEFAULT_DOWN_TIMER_ADVERTS 3

static const char *const state_names[_VRRP_STATE_MAX] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
	[VRRP_STATE_STOP] = "STOP",
};

static const char *const reason_names[_VRRP_REASON_MAX] = {
	[VRRP_REASON_NONE] = "none",
	[VRRP_REASON_STARTUP] = "startup",
	[VRRP_REASON_MASTER_DOWN] = "master down",
	[VRRP_REASON_MASTER_STOPPED] = "master stopped",
	[VRRP_REASON_HIGHER_PRIORITY] = "higher priority",
	[VRRP_REASON_PREEMPT] = "preempt",
	[VRRP_REASON_FAULT] = "fault",
	[VRRP_REASON_FAULT_CLEARED] = "fault cleared",
	[VRRP_REASON_HANDOVER] = "handover",
	[VRRP_REASON_SYNC_GROUP] = "sync group",
	[VRRP_REASON_SHUTDOWN] = "shutdown",
};

const char *vrrp_state_to_string(enum vrrp_state s)
{
	return s >= 0 && s < _VRRP_STATE_MAX ? state_names[s] : NULL;
}

const char *vrrp_reason_to_string(enum vrrp_reason r)
{
	return r >= 0 && r < _VRRP_REASON_MAX ? reason_names[r] : NULL;
}

/* ---- actions -------------------------------------------------------------- */

static void push(struct vrrp_actions *out, struct vrrp_action a)
{
	/* VRRP_ACTIONS_MAX bounds the longest sequence one call produces (4);
	 * more would be a bug here, never something a peer can cause. */
	assert(out->n < VRRP_ACTIONS_MAX);
	if (out->n < VRRP_ACTIONS_MAX)
		out->a[out->n++] = a;
}

static void push_type(struct vrrp_actions *out, enum vrrp_action_type type)
{
	push(out, (struct vrrp_action){ .type = type });
}

static void push_advert(struct vrrp_actions *out, uint8_t priority)
{
	push(out, (struct vrrp_action){ .type = VRRP_ACTION_SEND_ADVERT, .priority = priority });
}

/* ---- priorities and timer values ------------------------------------------ */

uint8_t vrrp_fsm_advert_priority(const struct vrrp_fsm *f)
{
	return f->held ? HELD_PRIORITY : f->priority;
}

/* RFC 5798 6.4.1: only the owner of the addresses skips the election. */
static bool is_owner(const struct vrrp_fsm *f)
{
	return f->p.priority == OWNER_PRIORITY && vrrp_fsm_advert_priority(f) == OWNER_PRIORITY;
}

/* 255 is reserved for the address owner (RFC 5798 5.2.4); 0 means "resigning". */
static uint8_t clamp_priority(const struct vrrp_fsm *f, int priority)
{
	int max = f->p.priority == OWNER_PRIORITY ? OWNER_PRIORITY : OWNER_PRIORITY - 1;

	return (uint8_t)(priority < 1 ? 1 : priority > max ? max : priority);
}

uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *f)
{
	uint64_t weight = 256 - (uint64_t)vrrp_fsm_advert_priority(f);

	if (f->p.version == 2)
		return weight * USEC_PER_SEC / 256;
	return weight * f->master_adver_int_us / 256;
}

uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *f)
{
	return f->p.down_timer_adverts * f->master_adver_int_us + vrrp_fsm_skew_us(f);
}

static struct vrrp_fsm_params normalised(const struct vrrp_fsm_params *p)
{
	struct vrrp_fsm_params n = *p;

	if (n.version != 2)
		n.version = 3;
	if (n.priority == 0)
		n.priority = 1;
	if (n.advert_int_us == 0)
		n.advert_int_us = USEC_PER_SEC;
	if (n.down_timer_adverts == 0)
		n.down_timer_adverts = DEFAULT_DOWN_TIMER_ADVERTS;
	return n;
}

static void reset_master_down_timer(struct vrrp_fsm *f, uint64_t now)
{
	f->master_down_deadline = now + vrrp_fsm_master_down_us(f);
	f->down_reason = VRRP_REASON_MASTER_DOWN;
}

/* ---- state entry ---------------------------------------------------------- */

/* RFC 5798 6.4.1/6.4.2: send an advert, take the addresses, announce them,
 * start the Adver_Timer. */
static void enter_master(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	push_advert(out, vrrp_fsm_advert_priority(f));
	push_type(out, VRRP_ACTION_VIPS_ADD);
	push_type(out, VRRP_ACTION_ANNOUNCE);
	f->master_adver_int_us = f->p.advert_int_us;
	f->adver_deadline = now + f->p.advert_int_us;
	f->master_down_deadline = 0;
	f->preempt_deadline = 0;
	f->master_addr = f->p.primary;
	f->master_priority = vrrp_fsm_advert_priority(f);
}

/* Until a master is heard, assume it uses our interval (RFC 5798 6.4.1). */
static void enter_backup(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	(void)out;
	f->adver_deadline = 0;
	f->preempt_deadline = 0;
	f->master_adver_int_us = f->p.advert_int_us;
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	f->master_priority = 0;
	reset_master_down_timer(f, now);
}

/* FAULT and STOP: silent and deaf. */
static void enter_idle(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	(void)now;
	(void)out;
	f->adver_deadline = 0;
	f->master_down_deadline = 0;
	f->preempt_deadline = 0;
	f->master_adver_int_us = f->p.advert_int_us;
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	f->master_priority = 0;
}

typedef void state_enter_fn(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out);

static state_enter_fn *const enter[_VRRP_STATE_MAX] = {
	[VRRP_STATE_BACKUP] = enter_backup,
	[VRRP_STATE_MASTER] = enter_master,
	[VRRP_STATE_FAULT] = enter_idle,
	[VRRP_STATE_STOP] = enter_idle,
};

static void set_state(struct vrrp_fsm *f, enum vrrp_state to, enum vrrp_reason reason, uint64_t now,
		      struct vrrp_actions *out)
{
	enum vrrp_state from = f->state;

	if (from == to)
		return;
	if (from == VRRP_STATE_MASTER) {
		/* A priority-0 advert lets a backup take over after Skew_Time
		 * instead of Master_Down_Interval (RFC 5798 6.4.3 "Shutdown").
		 * Yielding to a better master needs none: it is already there. */
		if (reason != VRRP_REASON_HIGHER_PRIORITY)
			push_advert(out, 0);
		push_type(out, VRRP_ACTION_VIPS_DEL);
	}
	f->state = to;
	if (enter[to])
		enter[to](f, now, out);
	push(out, (struct vrrp_action){
			  .type = VRRP_ACTION_TRANSITION, .from = from, .to = to, .reason = reason });
	f->last_reason = reason;
	f->last_transition = now;
}

/* ---- adverts -------------------------------------------------------------- */

/* The sender is (or stays) our master: RFC 5798 6.4.2, adopt its interval
 * (v3 only; v2 intervals must match) and wait Master_Down_Interval again. */
static void backup_accept(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a)
{
	if (f->p.version == 3 && a->advert_int_us > 0)
		f->master_adver_int_us = a->advert_int_us;
	f->master_addr = a->src;
	f->master_priority = a->priority;
	reset_master_down_timer(f, now);
}

static void backup_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a,
			  struct vrrp_actions *out)
{
	uint8_t ours = vrrp_fsm_advert_priority(f);

	(void)out;
	if (a->priority == 0) {
		f->master_down_deadline = now + vrrp_fsm_skew_us(f);
		f->down_reason = VRRP_REASON_MASTER_STOPPED;
		f->master_priority = 0;
		return;
	}
	if (a->priority >= ours) {
		/* A later lower master starts its own preempt_delay. */
		f->preempt_deadline = 0;
		backup_accept(f, now, a);
		return;
	}
	if (!f->p.preempt || f->held) {
		backup_accept(f, now, a);
		return;
	}
	/* A lower-priority master we may preempt.  keepalived's preempt_delay:
	 * obey it for preempt_delay after its first advert, then discard. */
	if (f->p.preempt_delay_us > 0) {
		if (f->preempt_deadline == 0)
			f->preempt_deadline = now + f->p.preempt_delay_us;
		if (now < f->preempt_deadline) {
			backup_accept(f, now, a);
			return;
		}
	}
	/* Discard it (RFC 5798 6.4.2): the Master_Down_Timer, no longer
	 * reset, makes us master; say why when it fires. */
	if (f->down_reason == VRRP_REASON_MASTER_DOWN)
		f->down_reason = VRRP_REASON_PREEMPT;
}

static void master_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a,
			  struct vrrp_actions *out)
{
	uint8_t ours = vrrp_fsm_advert_priority(f);

	if (a->priority == 0) {
		/* Another master resigned: tell its backups at once who is master. */
		push_advert(out, ours);
		f->adver_deadline = now + f->p.advert_int_us;
		return;
	}
	if (a->priority > ours ||
	    (a->priority == ours && config_addr_cmp(&a->src, &f->p.primary) > 0)) {
		if (f->p.higher_prio_send_advert)
			push_advert(out, ours);
		set_state(f, VRRP_STATE_BACKUP, VRRP_REASON_HIGHER_PRIORITY, now, out);
		backup_accept(f, now, a);
		return;
	}
	/* RFC 9568 6.4.3: assert ourselves to the sender and to learning bridges. */
	if (!f->p.lower_prio_no_advert)
		push_advert(out, ours);
}

typedef void state_advert_fn(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a,
			     struct vrrp_actions *out);

static state_advert_fn *const on_advert[_VRRP_STATE_MAX] = {
	[VRRP_STATE_BACKUP] = backup_advert,
	[VRRP_STATE_MASTER] = master_advert,
};

void vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_advert_info *a,
		     struct vrrp_actions *out)
{
	/* Our own advert looped back: answering it would answer ourselves forever. */
	if (config_addr_is_set(&f->p.primary) && config_addr_equal(&a->src, &f->p.primary))
		return;
	if (on_advert[f->state])
		on_advert[f->state](f, now, a, out);
}

/* ---- timers --------------------------------------------------------------- */

static void master_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	if (f->adver_deadline == 0 || now < f->adver_deadline)
		return;
	push_advert(out, vrrp_fsm_advert_priority(f));
	f->adver_deadline = now + f->p.advert_int_us;
}

static void backup_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	if (f->master_down_deadline == 0 || now < f->master_down_deadline)
		return;
	set_state(f, VRRP_STATE_MASTER, f->down_reason, now, out);
}

typedef void state_timer_fn(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out);

static state_timer_fn *const on_timer[_VRRP_STATE_MAX] = {
	[VRRP_STATE_BACKUP] = backup_timer,
	[VRRP_STATE_MASTER] = master_timer,
};

void vrrp_fsm_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	if (on_timer[f->state])
		on_timer[f->state](f, now, out);
}

uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *f)
{
	uint64_t next = UINT64_MAX;

	if (f->adver_deadline != 0 && f->adver_deadline < next)
		next = f->adver_deadline;
	if (f->master_down_deadline != 0 && f->master_down_deadline < next)
		next = f->master_down_deadline;
	return next;
}

/* ---- lifecycle and operator/tracking events ------------------------------- */

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_params *p)
{
	memset(f, 0, sizeof(*f));
	f->p = normalised(p);
	f->state = VRRP_STATE_INIT;
	f->priority = clamp_priority(f, f->p.priority);
	f->master_adver_int_us = f->p.advert_int_us;
	f->down_reason = VRRP_REASON_MASTER_DOWN;
	f->last_reason = VRRP_REASON_NONE;
}

void vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	if (f->state != VRRP_STATE_INIT)
		return;
	if (f->fault || f->sync_fault)
		set_state(f, VRRP_STATE_FAULT, f->fault ? VRRP_REASON_FAULT : VRRP_REASON_SYNC_GROUP,
			  now, out);
	else
		set_state(f, is_owner(f) ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP,
			  VRRP_REASON_STARTUP, now, out);
}

void vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now, struct vrrp_actions *out)
{
	set_state(f, VRRP_STATE_STOP, VRRP_REASON_SHUTDOWN, now, out);
}

static bool is_running(const struct vrrp_fsm *f)
{
	return f->state == VRRP_STATE_BACKUP || f->state == VRRP_STATE_MASTER;
}

/* A master tells its backups about a new advertised priority at once. */
static void advertise_if_changed(struct vrrp_fsm *f, uint8_t before, struct vrrp_actions *out)
{
	uint8_t now_prio = vrrp_fsm_advert_priority(f);

	if (f->state != VRRP_STATE_MASTER || now_prio == before)
		return;
	push_advert(out, now_prio);
	f->master_priority = now_prio;
}

void vrrp_fsm_set_priority(struct vrrp_fsm *f, uint8_t priority, uint64_t now,
			   struct vrrp_actions *out)
{
	uint8_t before = vrrp_fsm_advert_priority(f);

	(void)now;
	f->priority = clamp_priority(f, priority);
	advertise_if_changed(f, before, out);
}

void vrrp_fsm_set_fault(struct vrrp_fsm *f, bool fault, uint64_t now, struct vrrp_actions *out)
{
	f->fault = fault;
	if (fault) {
		if (is_running(f))
			set_state(f, VRRP_STATE_FAULT, VRRP_REASON_FAULT, now, out);
	} else if (f->state == VRRP_STATE_FAULT && !f->sync_fault) {
		set_state(f, is_owner(f) ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP,
			  VRRP_REASON_FAULT_CLEARED, now, out);
	}
}

void vrrp_fsm_hold(struct vrrp_fsm *f, bool hold, uint64_t now, struct vrrp_actions *out)
{
	uint8_t before = vrrp_fsm_advert_priority(f);

	if (f->held == hold)
		return;
	f->held = hold;
	/* Preemption restarts from scratch either way. */
	f->preempt_deadline = 0;
	if (hold && f->state == VRRP_STATE_MASTER)
		set_state(f, VRRP_STATE_BACKUP, VRRP_REASON_HANDOVER, now, out);
	else
		advertise_if_changed(f, before, out);
}

void vrrp_fsm_follow(struct vrrp_fsm *f, enum vrrp_state to, uint64_t now,
		     struct vrrp_actions *out)
{
	if (f->state == VRRP_STATE_STOP)
		return;
	if (to == VRRP_STATE_FAULT) {
		f->sync_fault = true;
		if (is_running(f))
			set_state(f, VRRP_STATE_FAULT, VRRP_REASON_SYNC_GROUP, now, out);
		return;
	}
	if (to != VRRP_STATE_MASTER && to != VRRP_STATE_BACKUP)
		return;
	f->sync_fault = false;
	if (f->state == VRRP_STATE_INIT || (f->state == VRRP_STATE_FAULT && f->fault))
		return;
	set_state(f, to, VRRP_REASON_SYNC_GROUP, now, out);
}

void vrrp_fsm_update_params(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now,
			    struct vrrp_actions *out)
{
	struct vrrp_fsm_params n = normalised(p);
	uint8_t before = vrrp_fsm_advert_priority(f);
	uint64_t old_int = f->p.advert_int_us, old_down = vrrp_fsm_master_down_us(f);
	int effective = (int)f->priority + (int)n.priority - (int)f->p.priority;

	f->p = n;
	f->priority = clamp_priority(f, effective);
	if (!n.preempt || n.preempt_delay_us == 0)
		f->preempt_deadline = 0;

	if (f->state == VRRP_STATE_MASTER) {
		f->master_adver_int_us = n.advert_int_us;
		if (vrrp_fsm_advert_priority(f) != before || n.advert_int_us != old_int) {
			push_advert(out, vrrp_fsm_advert_priority(f));
			f->master_priority = vrrp_fsm_advert_priority(f);
			f->adver_deadline = now + n.advert_int_us;
		}
		return;
	}
	/* A v3 backup keeps the interval its master advertises. */
	if (f->state != VRRP_STATE_BACKUP || n.version == 2)
		f->master_adver_int_us = n.advert_int_us;
	/* A longer Master_Down_Interval must not fire before the master's next
	 * advert; a skew-only timer (priority 0 seen) stays as it is. */
	if (f->state == VRRP_STATE_BACKUP && f->down_reason != VRRP_REASON_MASTER_STOPPED &&
	    vrrp_fsm_master_down_us(f) != old_down) {
		enum vrrp_reason why = f->down_reason;

		reset_master_down_timer(f, now);
		f->down_reason = why;
	}
}
