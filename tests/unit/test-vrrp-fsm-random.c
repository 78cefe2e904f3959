/* vrrp_fsm under many random events with a random clock (a deterministic
 * PRNG, so a failure replays), checking after every call: the state is
 * valid and matches the reported transitions, VIPS_ADD/VIPS_DEL alternate,
 * MASTER iff the VIPs are in, the next deadline is after now, each state
 * arms only its own timer, and nothing but a priority-0 advert is sent
 * outside MASTER. */
#include "config.h"

#include "test-vrrp-fsm-rig.h"

/* ---- randomized ------------------------------------------------------------- */

/* xorshift64*: deterministic, so a failure can be replayed from its seed. */
static uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd(uint64_t *s, uint64_t n)
{
	return n ? rnd_next(s) % n : 0;
}

struct model {
	enum vrrp_state state;
	bool vips;
	unsigned seen[_VRRP_STATE_MAX];
};

/* The invariants, after every call. */
static void check(struct rig *r, struct model *m)
{
	const struct vrrp_fsm *f = &r->f;
	uint64_t next = vrrp_fsm_next_deadline(f);

	for (size_t i = 0; i < r->out.n; i++) {
		const struct vrrp_action *a = &r->out.a[i];

		switch (a->type) {
		case VRRP_ACTION_SEND_ADVERT:
			if (a->priority != 0) {
				/* only a master, or one about to become master, advertises */
				bool becoming = r->out.a[r->out.n - 1].type == VRRP_ACTION_TRANSITION &&
						r->out.a[r->out.n - 1].to == VRRP_STATE_MASTER;
				assert_true(m->state == VRRP_STATE_MASTER || becoming);
				/* and always with the priority it has now (1 while held) */
				assert_int_equal(a->priority, vrrp_fsm_advert_priority(f));
			}
			break;
		case VRRP_ACTION_VIPS_ADD:
			assert_false(m->vips);
			m->vips = true;
			break;
		case VRRP_ACTION_VIPS_DEL:
			assert_true(m->vips);
			m->vips = false;
			break;
		case VRRP_ACTION_ANNOUNCE:
			assert_true(m->vips);
			break;
		case VRRP_ACTION_TRANSITION:
			assert_int_equal(i, r->out.n - 1);
			assert_int_equal(a->from, m->state);
			assert_int_not_equal(a->to, a->from);
			m->state = a->to;
			m->seen[a->to]++;
			break;
		}
	}
	assert_true(f->state >= 0 && f->state < _VRRP_STATE_MAX);
	assert_int_equal(f->state, m->state);
	assert_int_equal(f->state == VRRP_STATE_MASTER, m->vips);
	assert_true(next > r->now);
	assert_true((f->adver_deadline != 0) == (f->state == VRRP_STATE_MASTER));
	assert_true((f->master_down_deadline != 0) == (f->state == VRRP_STATE_BACKUP));
	if (f->held)
		assert_int_equal(vrrp_fsm_advert_priority(f), 1);
	if (f->state == VRRP_STATE_FAULT)
		assert_true(f->fault || f->sync_fault);
	r->out.n = 0;
}

static uint64_t random_interval(uint64_t *s, uint8_t version)
{
	static const uint64_t v3[] = { 10 * MSEC, 100 * MSEC, 1 * SEC, 3 * SEC, 40950 * MSEC };

	if (version == 2)
		return (1 + rnd(s, 3)) * SEC;
	return v3[rnd(s, sizeof(v3) / sizeof(v3[0]))];
}

static struct vrrp_fsm_params random_params(uint64_t *s)
{
	uint8_t version = rnd(s, 2) ? 3 : 2;
	struct vrrp_fsm_params p = params(version, (uint8_t)(1 + rnd(s, 255)), 0);

	if (rnd(s, 8) == 0)
		p.priority = 255;
	p.advert_int_us = random_interval(s, version);
	p.preempt = rnd(s, 4) != 0;
	p.preempt_delay_us = rnd(s, 3) == 0 ? (1 + rnd(s, 5)) * p.advert_int_us : 0;
	p.down_timer_adverts = (uint32_t)(rnd(s, 4) == 0 ? 1 + rnd(s, 5) : 3);
	p.lower_prio_no_advert = rnd(s, 4) == 0;
	p.higher_prio_send_advert = rnd(s, 4) == 0;
	return p;
}

static void random_event(struct rig *r, uint64_t *s, struct vrrp_fsm_params *p)
{
	static const char *const srcs[] = { LOWER_ADDR, HIGHER_ADDR, OURS };
	uint8_t ours = r->f.priority;
	const uint8_t prios[] = { 0, 1, (uint8_t)(ours > 1 ? ours - 1 : 1), ours,
				  (uint8_t)(ours < 255 ? ours + 1 : 255), 255,
				  (uint8_t)rnd(s, 256) };
	uint64_t e = rnd(s, 100);  /* shutdown: 1 in 400 */

	if (e < 50) {
		struct vrrp_advert_info a = {
			.priority = prios[rnd(s, sizeof(prios))],
			.advert_int_us = random_interval(s, r->f.p.version),
			.src = addr(srcs[rnd(s, 3)]),
		};
		vrrp_fsm_advert(&r->f, r->now, &a, &r->out);
	} else if (e < 60) {
		vrrp_fsm_timer(&r->f, r->now, &r->out);
	} else if (e < 68) {
		vrrp_fsm_set_fault(&r->f, rnd(s, 2), r->now, &r->out);
	} else if (e < 76) {
		vrrp_fsm_hold(&r->f, rnd(s, 2), r->now, &r->out);
	} else if (e < 84) {
		vrrp_fsm_set_priority(&r->f, (uint8_t)rnd(s, 256), r->now, &r->out);
	} else if (e < 92) {
		vrrp_fsm_follow(&r->f, (enum vrrp_state)rnd(s, _VRRP_STATE_MAX), r->now, &r->out);
	} else if (e < 99) {
		struct vrrp_fsm_params n = random_params(s);

		n.version = p->version;  /* a version change is a new instance */
		*p = n;
		vrrp_fsm_update_params(&r->f, p, r->now, &r->out);
	} else if (rnd(s, 4) == 0) {
		vrrp_fsm_shutdown(&r->f, r->now, &r->out);
	}
}

/* A fresh instance with random parameters, started at a random time. */
static void random_start(struct rig *r, uint64_t *s, struct vrrp_fsm_params *p, struct model *m)
{
	uint64_t now = r->now;

	*p = random_params(s);
	rig_init(r, p);
	r->now = now + rnd(s, 1000 * SEC);
	m->state = VRRP_STATE_INIT;
	if (rnd(s, 5) == 0)
		vrrp_fsm_set_fault(&r->f, true, r->now, &r->out);
	if (rnd(s, 5) == 0)
		vrrp_fsm_hold(&r->f, true, r->now, &r->out);
	check(r, m);
	vrrp_fsm_start(&r->f, r->now, &r->out);
	check(r, m);
}

static void test_random_sequences(void **state)
{
	struct model m = { .state = VRRP_STATE_INIT };
	unsigned starts = 0;

	(void)state;
	for (uint64_t run = 0; run < 20; run++) {
		uint64_t s = 0x9E3779B97F4A7C15ULL * (run + 1);
		struct vrrp_fsm_params p;
		struct rig r;

		r.now = T0;
		random_start(&r, &s, &p, &m);
		starts++;
		for (int i = 0; i < 5000; i++) {
			uint64_t span = 2 * vrrp_fsm_master_down_us(&r.f);
			uint64_t target = r.now + rnd(&s, span + 1);

			/* the event loop: due timers first, sometimes late */
			while (vrrp_fsm_next_deadline(&r.f) <= target) {
				uint64_t due = vrrp_fsm_next_deadline(&r.f);

				r.now = due + rnd(&s, target - due + 1) / 4;
				vrrp_fsm_timer(&r.f, r.now, &r.out);
				check(&r, &m);
			}
			r.now = target;
			random_event(&r, &s, &p);
			check(&r, &m);
			if (r.f.state == VRRP_STATE_STOP) {
				assert_false(m.vips);
				random_start(&r, &s, &p, &m);
				starts++;
			}
		}
		vrrp_fsm_shutdown(&r.f, r.now, &r.out);
		check(&r, &m);
		assert_false(m.vips);
	}
	/* the runs went everywhere, and every run ended stopped */
	assert_true(m.seen[VRRP_STATE_BACKUP] > 1000);
	assert_true(m.seen[VRRP_STATE_MASTER] > 1000);
	assert_true(m.seen[VRRP_STATE_FAULT] > 1000);
	assert_int_equal(m.seen[VRRP_STATE_STOP], starts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequences),
	};
	return cmocka_run_group_tests_name("vrrp_fsm_random", tests, NULL, NULL);
}
