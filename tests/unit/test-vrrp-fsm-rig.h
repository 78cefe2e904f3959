/* test-vrrp-fsm-rig.h: the fake-clock rig shared by the vrrp_fsm tests.
 *
 * A rig is one instance, its clock and the actions of the last call.  Each
 * helper makes one call at rig->now, checks what every call must satisfy
 * (next deadline after now, the TRANSITION last and matching the state) and
 * returns the actions as text, e.g. "ADV 100, VIPS+, ANNOUNCE,
 * BACKUP->MASTER(master down)", so a test reads like the RFC's steps. */
#ifndef LBHA_TEST_VRRP_FSM_RIG_H
#define LBHA_TEST_VRRP_FSM_RIG_H

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp/vrrp_fsm.h"

#define MSEC 1000ULL
#define SEC 1000000ULL
/* The fake clock starts well above 0: a deadline of 0 means "not armed". */
#define T0 (1000 * SEC)

#define OURS "10.0.0.2"
#define LOWER_ADDR "10.0.0.1"
#define HIGHER_ADDR "10.0.0.3"

struct rig {
	struct vrrp_fsm f;
	uint64_t now;
	struct vrrp_actions out;
	char buf[512];
};

static inline struct config_addr addr(const char *s)
{
	struct config_addr a;

	assert_int_equal(config_addr_parse(s, &a), 0);
	return a;
}

static inline struct vrrp_fsm_params params(uint8_t version, uint8_t priority, uint64_t int_us)
{
	return (struct vrrp_fsm_params){
		.version = version,
		.priority = priority,
		.advert_int_us = int_us,
		.preempt = true,
		.down_timer_adverts = 3,
		.primary = addr(OURS),
	};
}

static inline void rig_init(struct rig *r, const struct vrrp_fsm_params *p)
{
	memset(r, 0, sizeof(*r));
	vrrp_fsm_init(&r->f, p);
	r->now = T0;
}

static const char *const action_names[] = {
	[VRRP_ACTION_SEND_ADVERT] = "ADV",
	[VRRP_ACTION_VIPS_ADD] = "VIPS+",
	[VRRP_ACTION_VIPS_DEL] = "VIPS-",
	[VRRP_ACTION_ANNOUNCE] = "ANNOUNCE",
	[VRRP_ACTION_TRANSITION] = "T",
};

static inline const char *format_actions(const struct vrrp_actions *o, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < o->n; i++) {
		const struct vrrp_action *a = &o->a[i];
		const char *sep = i ? ", " : "";

		if (a->type == VRRP_ACTION_SEND_ADVERT)
			len += (size_t)snprintf(buf + len, size - len, "%sADV %u", sep, a->priority);
		else if (a->type == VRRP_ACTION_TRANSITION)
			len += (size_t)snprintf(buf + len, size - len, "%s%s->%s(%s)", sep,
						vrrp_state_to_string(a->from),
						vrrp_state_to_string(a->to),
						vrrp_reason_to_string(a->reason));
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s", sep, action_names[a->type]);
		assert_true(len < size);
	}
	return buf;
}

/* Checks every call must satisfy, then the actions as text. */
static inline const char *done(struct rig *r)
{
	uint64_t next = vrrp_fsm_next_deadline(&r->f);

	assert_true(next > r->now);
	for (size_t i = 0; i < r->out.n; i++)
		if (r->out.a[i].type == VRRP_ACTION_TRANSITION) {
			assert_int_equal(i, r->out.n - 1);
			assert_int_equal(r->out.a[i].to, r->f.state);
			assert_int_equal(r->f.last_transition, r->now);
			assert_int_equal(r->f.last_reason, r->out.a[i].reason);
		}
	return format_actions(&r->out, r->buf, sizeof(r->buf));
}

static inline const char *start(struct rig *r)
{
	r->out.n = 0;
	vrrp_fsm_start(&r->f, r->now, &r->out);
	return done(r);
}

static inline const char *recv_from(struct rig *r, uint8_t priority, uint64_t int_us,
				    const char *src)
{
	struct vrrp_advert_info a = { .priority = priority, .advert_int_us = int_us, .src = addr(src) };

	r->out.n = 0;
	vrrp_fsm_advert(&r->f, r->now, &a, &r->out);
	return done(r);
}

/* An advert with our own interval from the usual peer on the given side. */
static inline const char *recv_adv(struct rig *r, uint8_t priority, const char *src)
{
	return recv_from(r, priority, r->f.p.advert_int_us, src);
}

static inline const char *at(struct rig *r, uint64_t t)
{
	assert_true(t >= r->now);
	r->now = t;
	r->out.n = 0;
	vrrp_fsm_timer(&r->f, r->now, &r->out);
	return done(r);
}

/* Jump the clock to the next deadline and run it. */
static inline const char *fire(struct rig *r)
{
	uint64_t next = vrrp_fsm_next_deadline(&r->f);

	assert_true(next != UINT64_MAX);
	return at(r, next);
}

static inline uint64_t until(const struct rig *r)
{
	return vrrp_fsm_next_deadline(&r->f) - r->now;
}

static inline const char *set_fault(struct rig *r, bool on)
{
	r->out.n = 0;
	vrrp_fsm_set_fault(&r->f, on, r->now, &r->out);
	return done(r);
}

static inline const char *stop(struct rig *r)
{
	r->out.n = 0;
	vrrp_fsm_shutdown(&r->f, r->now, &r->out);
	return done(r);
}

static inline const char *hold(struct rig *r, bool on)
{
	r->out.n = 0;
	vrrp_fsm_hold(&r->f, on, r->now, &r->out);
	return done(r);
}

static inline const char *follow(struct rig *r, enum vrrp_state to)
{
	r->out.n = 0;
	vrrp_fsm_follow(&r->f, to, r->now, &r->out);
	return done(r);
}

static inline const char *set_prio(struct rig *r, uint8_t priority)
{
	r->out.n = 0;
	vrrp_fsm_set_priority(&r->f, priority, r->now, &r->out);
	return done(r);
}

static inline const char *update(struct rig *r, const struct vrrp_fsm_params *p)
{
	r->out.n = 0;
	vrrp_fsm_update_params(&r->f, p, r->now, &r->out);
	return done(r);
}

/* A started backup at priority 100, 1 s, v3, unless told otherwise. */
static inline void backup_rig(struct rig *r, const struct vrrp_fsm_params *p)
{
	rig_init(r, p);
	assert_string_equal(start(r), "INIT->BACKUP(startup)");
}

static inline void master_rig(struct rig *r, const struct vrrp_fsm_params *p)
{
	char want[64];

	backup_rig(r, p);
	snprintf(want, sizeof(want), "ADV %u, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)",
		 r->f.priority);
	assert_string_equal(fire(r), want);
}

#endif
