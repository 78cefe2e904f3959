#include "config.h"

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "daemon/config_types.h"
#include "vrrp/vrrp_announce_sched.h"

#define NEVER UINT64_MAX

static uint64_t family_interval(const struct config_global *g, int family)
{
	if (!g)
		return 0;
	return family == AF_INET6 ? g->vrrp_gna_interval_us : g->vrrp_garp_interval_us;
}

void vrrp_announce_params_master(struct vrrp_announce_params *p,
				 const struct config_vrrp_instance *vi,
				 const struct config_global *g, int family)
{
	*p = (struct vrrp_announce_params) {
		.repeat = vi->garp_master_repeat,
		.delay_us = vi->garp_master_delay_us,
		.refresh_us = vi->garp_master_refresh_us,
		.refresh_repeat = vi->garp_master_refresh_repeat,
		.interval_us = family_interval(g, family),
	};
}

void vrrp_announce_params_lower_prio(struct vrrp_announce_params *p,
				     const struct config_vrrp_instance *vi,
				     const struct config_global *g, int family)
{
	vrrp_announce_params_master(p, vi, g, family);
	p->repeat = vi->garp_lower_prio_repeat;
	p->delay_us = vi->garp_lower_prio_delay_us;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > NEVER - b ? NEVER : a + b;
}

void vrrp_announce_sched_start(struct vrrp_announce_sched *s, const struct vrrp_announce_params *p,
			       uint64_t now)
{
	*s = (struct vrrp_announce_sched) {
		.p = *p,
		.pending = p->repeat,
		.round_at = now,
		/* keepalived arms the second burst at becoming master, not at the
		 * end of the first one; a delay with no rounds to send is no timer */
		.delay_armed = p->delay_us > 0 && p->repeat > 0,
		.delay_at = add_sat(now, p->delay_us),
		.refresh_armed = p->refresh_us > 0 && p->refresh_repeat > 0,
		.refresh_at = add_sat(now, p->refresh_us),
	};
}

unsigned vrrp_announce_sched_due(struct vrrp_announce_sched *s, uint64_t now)
{
	if (s->delay_armed && s->delay_at <= now) {
		s->pending += s->p.repeat;
		s->delay_armed = false;
	}
	if (s->refresh_armed && s->refresh_at <= now) {
		s->pending += s->p.refresh_repeat;
		s->refresh_at = add_sat(now, s->p.refresh_us);
	}
	if (s->pending == 0 || s->round_at > now)
		return 0;

	if (s->p.interval_us == 0) {
		unsigned n = s->pending;
		s->pending = 0;
		return n;
	}
	/* Space from `now`, not from round_at: a late caller must not get a
	 * catch-up burst, which is what the interval exists to prevent. */
	s->pending--;
	s->round_at = add_sat(now, s->p.interval_us);
	return 1;
}

uint64_t vrrp_announce_sched_next(const struct vrrp_announce_sched *s)
{
	uint64_t next = s->pending > 0 ? s->round_at : NEVER;

	if (s->delay_armed && s->delay_at < next)
		next = s->delay_at;
	if (s->refresh_armed && s->refresh_at < next)
		next = s->refresh_at;
	return next;
}

void vrrp_announce_sched_stop(struct vrrp_announce_sched *s)
{
	s->pending = 0;
	s->delay_armed = false;
	s->refresh_armed = false;
}
