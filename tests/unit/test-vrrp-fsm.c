/* vrrp_fsm against RFC 5798 section 6 as updated by RFC 9568, with a fake
 * clock: the timer values to the microsecond (v2 and v3), and every
 * transition of 6.4.1 Initialize, 6.4.2 Backup and 6.4.3 Master, with
 * keepalived's options where the RFC leaves room.  Operator and tracking
 * events are in test-vrrp-fsm-events.c, the randomized run in
 * test-vrrp-fsm-random.c. */
#include "config.h"

#include "test-vrrp-fsm-rig.h"

/* ---- names ------------------------------------------------------------------ */

static void test_strings(void **state)
{
	(void)state;
	assert_string_equal(vrrp_state_to_string(VRRP_STATE_INIT), "INIT");
	assert_string_equal(vrrp_state_to_string(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_to_string(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_to_string(VRRP_STATE_FAULT), "FAULT");
	assert_string_equal(vrrp_state_to_string(VRRP_STATE_STOP), "STOP");
	assert_null(vrrp_state_to_string(_VRRP_STATE_MAX));
	assert_null(vrrp_state_to_string((enum vrrp_state)-1));
	for (int i = 0; i < _VRRP_REASON_MAX; i++)
		assert_non_null(vrrp_reason_to_string((enum vrrp_reason)i));
	assert_string_equal(vrrp_reason_to_string(VRRP_REASON_MASTER_STOPPED), "master stopped");
	assert_null(vrrp_reason_to_string(_VRRP_REASON_MAX));
}

/* ---- timer values (RFC 5798 6.1; RFC 3768 6.1 for v2) ------------------------ */

struct timer_case {
	uint8_t version, priority;
	uint64_t int_us;
	uint32_t down_adverts;
	uint64_t skew, master_down;
};

static const struct timer_case timer_cases[] = {
	/* v3: ((256 - p) * interval) / 256, microseconds, rounded down */
	{ 3, 100, 1 * SEC, 3, 609375, 3 * SEC + 609375 },
	{ 3, 1, 10 * MSEC, 3, 9960, 30 * MSEC + 9960 },
	{ 3, 254, 10 * MSEC, 3, 78, 30 * MSEC + 78 },
	{ 3, 200, 100 * MSEC, 3, 21875, 300 * MSEC + 21875 },
	{ 3, 254, 40950 * MSEC, 3, 319921, 3 * 40950 * MSEC + 319921 },
	{ 3, 1, 40950 * MSEC, 3, 40790039, 3 * 40950 * MSEC + 40790039 },
	{ 3, 100, 1 * SEC, 5, 609375, 5 * SEC + 609375 },
	/* v2: (256 - p) / 256 seconds whatever the interval */
	{ 2, 100, 1 * SEC, 3, 609375, 3 * SEC + 609375 },
	{ 2, 50, 3 * SEC, 3, 804687, 9 * SEC + 804687 },
	{ 2, 1, 1 * SEC, 3, 996093, 3 * SEC + 996093 },
	{ 2, 254, 255 * SEC, 3, 7812, 765 * SEC + 7812 },
};

static void test_timer_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(timer_cases) / sizeof(timer_cases[0]); i++) {
		const struct timer_case *c = &timer_cases[i];
		struct vrrp_fsm_params p = params(c->version, c->priority, c->int_us);
		struct rig r;

		p.down_timer_adverts = c->down_adverts;
		backup_rig(&r, &p);
		assert_int_equal(vrrp_fsm_skew_us(&r.f), c->skew);
		assert_int_equal(vrrp_fsm_master_down_us(&r.f), c->master_down);
		assert_int_equal(until(&r), c->master_down);
		/* One microsecond early: nothing. */
		assert_string_equal(at(&r, T0 + c->master_down - 1), "");
		assert_int_equal(r.f.state, VRRP_STATE_BACKUP);
		assert_true(strstr(at(&r, T0 + c->master_down), "BACKUP->MASTER(master down)"));
		/* Then adverts every Advertisement_Interval, exactly. */
		assert_int_equal(until(&r), c->int_us);
	}
}

static void test_zero_params_get_defaults(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 0);
	struct rig r;

	(void)state;
	p.down_timer_adverts = 0;
	backup_rig(&r, &p);
	assert_int_equal(r.f.p.advert_int_us, 1 * SEC);
	assert_int_equal(until(&r), 3 * SEC + 609375);
}

/* ---- 6.4.1 Initialize ------------------------------------------------------- */

static void test_init_backup_then_master_down(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	rig_init(&r, &p);
	assert_int_equal(r.f.state, VRRP_STATE_INIT);
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), UINT64_MAX);
	/* Nothing happens in INIT. */
	assert_string_equal(recv_adv(&r, 200, HIGHER_ADDR), "");
	assert_string_equal(at(&r, T0 + 10 * SEC), "");
	r.now = T0;
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
	assert_int_equal(r.f.last_reason, VRRP_REASON_STARTUP);
	assert_int_equal(r.f.master_adver_int_us, 1 * SEC);
	assert_int_equal(r.f.adver_deadline, 0);
	assert_int_equal(until(&r), 3609375);
	/* A second start does nothing. */
	assert_string_equal(start(&r), "");
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
	assert_int_equal(r.now, T0 + 3609375);
	assert_int_equal(r.f.master_down_deadline, 0);
	assert_true(config_addr_equal(&r.f.master_addr, &p.primary));
	assert_int_equal(r.f.master_priority, 100);
	/* 6.4.3: Adver_Timer fires: send, reset to Advertisement_Interval. */
	for (int i = 0; i < 5; i++) {
		uint64_t due = r.now + 1 * SEC;

		assert_int_equal(until(&r), 1 * SEC);
		assert_string_equal(at(&r, due - 1), "");
		assert_string_equal(at(&r, due), "ADV 100");
	}
	/* A late wakeup re-arms from when it ran. */
	assert_string_equal(at(&r, r.now + 1 * SEC + 300 * MSEC), "ADV 100");
	assert_int_equal(until(&r), 1 * SEC);
}

static void test_owner_starts_master(void **state)
{
	struct vrrp_fsm_params p = params(3, 255, 100 * MSEC);
	struct rig r;

	(void)state;
	rig_init(&r, &p);
	assert_string_equal(start(&r), "ADV 255, VIPS+, ANNOUNCE, INIT->MASTER(startup)");
	assert_int_equal(until(&r), 100 * MSEC);
	assert_string_equal(fire(&r), "ADV 255");
	/* v2 as well */
	p = params(2, 255, 1 * SEC);
	rig_init(&r, &p);
	assert_string_equal(start(&r), "ADV 255, VIPS+, ANNOUNCE, INIT->MASTER(startup)");
	/* An owner whose tracking lowered it is an ordinary router. */
	p = params(3, 255, 1 * SEC);
	rig_init(&r, &p);
	assert_string_equal(set_prio(&r, 250), "");
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
	assert_int_equal(until(&r), 3 * SEC + 23437);
}

static void test_priority_255_needs_owner_base(void **state)
{
	struct vrrp_fsm_params p = params(3, 200, 1 * SEC);
	struct rig r;

	(void)state;
	rig_init(&r, &p);
	assert_string_equal(set_prio(&r, 255), "");
	assert_int_equal(r.f.priority, 254);
	assert_int_equal(vrrp_fsm_advert_priority(&r.f), 254);
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
	assert_string_equal(set_prio(&r, 0), "");
	assert_int_equal(r.f.priority, 1);
}

/* ---- 6.4.2 Backup ----------------------------------------------------------- */

static void test_backup_accepts_higher_and_equal(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	backup_rig(&r, &p);
	r.now += 2 * SEC;
	assert_string_equal(recv_adv(&r, 200, HIGHER_ADDR), "");
	assert_int_equal(until(&r), 3609375);
	assert_int_equal(r.f.master_priority, 200);
	char buf[CONFIG_ADDR_STRLEN];
	assert_string_equal(config_addr_to_string(&r.f.master_addr, buf, sizeof(buf)), HIGHER_ADDR);
	/* Equal priority from a lower address: still our master (6.4.2 ">="). */
	r.now += 3 * SEC;
	assert_string_equal(recv_adv(&r, 100, LOWER_ADDR), "");
	assert_int_equal(until(&r), 3609375);
	assert_int_equal(r.f.master_priority, 100);
	/* A master heard every second keeps us backup for good. */
	for (int i = 0; i < 20; i++) {
		assert_string_equal(at(&r, r.now + 1 * SEC), "");
		assert_string_equal(recv_adv(&r, 100, LOWER_ADDR), "");
	}
	assert_int_equal(r.f.state, VRRP_STATE_BACKUP);
	assert_string_equal(at(&r, r.now + 3609375 - 1), "");
	assert_string_equal(at(&r, r.now + 1),
			    "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
}

static void test_v3_backup_adopts_master_interval(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	backup_rig(&r, &p);
	assert_string_equal(recv_from(&r, 200, 2 * SEC, HIGHER_ADDR), "");
	assert_int_equal(r.f.master_adver_int_us, 2 * SEC);
	/* 3 * 2 s + 156 * 2 s / 256 */
	assert_int_equal(until(&r), 6 * SEC + 1218750);
	assert_string_equal(recv_from(&r, 200, 10 * MSEC, HIGHER_ADDR), "");
	assert_int_equal(until(&r), 30 * MSEC + 6093);
	assert_string_equal(recv_from(&r, 200, 40950 * MSEC, HIGHER_ADDR), "");
	assert_int_equal(until(&r), 3 * 40950 * MSEC + 24953906);
	/* Taking over, we advertise our own interval again. */
	assert_true(strstr(fire(&r), "BACKUP->MASTER(master down)"));
	assert_int_equal(r.f.master_adver_int_us, 1 * SEC);
	assert_int_equal(until(&r), 1 * SEC);
}

static void test_v2_backup_keeps_own_interval(void **state)
{
	struct vrrp_fsm_params p = params(2, 100, 1 * SEC);
	struct rig r;

	(void)state;
	backup_rig(&r, &p);
	assert_string_equal(recv_from(&r, 200, 2 * SEC, HIGHER_ADDR), "");
	assert_int_equal(r.f.master_adver_int_us, 1 * SEC);
	assert_int_equal(until(&r), 3609375);
}

/* 6.4.2: priority 0 -> Master_Down_Timer = Skew_Time; takeover exactly then. */
static void test_priority_zero_takeover_after_skew(void **state)
{
	static const struct {
		uint8_t version, priority;
		uint64_t int_us, skew;
	} cases[] = {
		{ 3, 100, 1 * SEC, 609375 },
		{ 3, 254, 10 * MSEC, 78 },
		{ 3, 1, 40950 * MSEC, 40790039 },
		{ 2, 100, 1 * SEC, 609375 },
		{ 2, 200, 1 * SEC, 218750 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_fsm_params p = params(cases[i].version, cases[i].priority, cases[i].int_us);
		struct rig r;
		char want[80];

		backup_rig(&r, &p);
		r.now += cases[i].int_us;
		assert_string_equal(recv_adv(&r, 255, HIGHER_ADDR), "");
		r.now += cases[i].int_us / 2;
		assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "");
		assert_int_equal(until(&r), cases[i].skew);
		assert_int_equal(r.f.master_priority, 0);
		assert_string_equal(at(&r, r.now + cases[i].skew - 1), "");
		snprintf(want, sizeof(want),
			 "ADV %u, VIPS+, ANNOUNCE, BACKUP->MASTER(master stopped)", cases[i].priority);
		assert_string_equal(at(&r, r.now + 1), want);
	}
}

/* A backup that hears from a new master after a priority-0 advert waits
 * for the new one again. */
static void test_priority_zero_then_new_master(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	backup_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "");
	r.now += 100 * MSEC;
	assert_string_equal(recv_adv(&r, 150, "10.0.0.4"), "");
	assert_int_equal(until(&r), 3609375);
	assert_true(strstr(fire(&r), "(master down)"));
}

/* Preempt (default), no delay: lower adverts are discarded, so the
 * Master_Down_Timer last reset by a real master fires; reason "preempt". */
static void test_preempt_lower_master(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;
	uint64_t deadline;

	(void)state;
	backup_rig(&r, &p);
	deadline = vrrp_fsm_next_deadline(&r.f);
	for (int i = 0; i < 3; i++) {
		r.now += 1 * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
		assert_int_equal(vrrp_fsm_next_deadline(&r.f), deadline);
		/* the discarded master is not recorded */
		assert_int_equal(r.f.master_priority, 0);
	}
	assert_string_equal(at(&r, deadline), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(preempt)");
	/* Then it answers the lower master at once (RFC 9568). */
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "ADV 100");
	/* A discarded advert followed by a real master: back to "master down". */
	backup_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_string_equal(recv_adv(&r, 150, HIGHER_ADDR), "");
	assert_true(strstr(fire(&r), "(master down)"));
}

static void test_nopreempt(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	p.preempt = false;
	backup_rig(&r, &p);
	for (int i = 0; i < 30; i++) {
		r.now += 1 * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
		assert_string_equal(at(&r, r.now), "");
		assert_int_equal(until(&r), 3609375);
	}
	assert_int_equal(r.f.state, VRRP_STATE_BACKUP);
	assert_int_equal(r.f.master_priority, 50);
	/* The lower master dies: we take over as usual. */
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
}

/* preempt_delay: obey a lower master for preempt_delay after its first
 * advert, then stop resetting the Master_Down_Timer. */
static void test_preempt_delay(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	p.preempt_delay_us = 5 * SEC;
	backup_rig(&r, &p);
	for (int i = 1; i <= 5; i++) {
		r.now = T0 + (uint64_t)i * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
		assert_int_equal(r.f.preempt_deadline, T0 + 6 * SEC);
		assert_int_equal(until(&r), 3609375);
	}
	/* From T0 + 6 s (the deadline itself) its adverts are discarded. */
	for (int i = 6; i <= 8; i++) {
		r.now = T0 + (uint64_t)i * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
		assert_int_equal(vrrp_fsm_next_deadline(&r.f), T0 + 5 * SEC + 3609375);
	}
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(preempt)");
	assert_int_equal(r.now, T0 + 5 * SEC + 3609375);
	assert_int_equal(r.f.preempt_deadline, 0);
}

static void test_preempt_delay_restarts(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	p.preempt_delay_us = 5 * SEC;
	backup_rig(&r, &p);
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(r.f.preempt_deadline, T0 + 6 * SEC);
	/* A better master replaces it: the next lower one starts afresh. */
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 150, HIGHER_ADDR), "");
	assert_int_equal(r.f.preempt_deadline, 0);
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(r.f.preempt_deadline, T0 + 8 * SEC);
	/* The lower master dies within the delay: plain master down. */
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
	assert_int_equal(r.now, T0 + 3 * SEC + 3609375);
}

/* ---- 6.4.3 Master ----------------------------------------------------------- */

static void test_master_answers_priority_zero(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	r.now += 400 * MSEC;
	assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "ADV 100");
	assert_int_equal(until(&r), 1 * SEC);
	assert_int_equal(r.f.state, VRRP_STATE_MASTER);
}

static void test_master_yields_to_higher(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	r.now += 300 * MSEC;
	assert_string_equal(recv_from(&r, 101, 2 * SEC, HIGHER_ADDR),
			    "VIPS-, MASTER->BACKUP(higher priority)");
	assert_int_equal(r.f.adver_deadline, 0);
	assert_int_equal(r.f.master_adver_int_us, 2 * SEC);
	assert_int_equal(until(&r), 6 * SEC + 1218750);
	assert_int_equal(r.f.master_priority, 101);
	/* v2 keeps its interval */
	p = params(2, 100, 1 * SEC);
	master_rig(&r, &p);
	assert_string_equal(recv_from(&r, 200, 2 * SEC, LOWER_ADDR),
			    "VIPS-, MASTER->BACKUP(higher priority)");
	assert_int_equal(until(&r), 3609375);
	/* higher_prio_send_advert: one advert of ours first */
	p = params(3, 100, 1 * SEC);
	p.higher_prio_send_advert = true;
	master_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 200, HIGHER_ADDR),
			    "ADV 100, VIPS-, MASTER->BACKUP(higher priority)");
}

static void test_master_answers_lower(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;
	uint64_t next;

	(void)state;
	master_rig(&r, &p);
	r.now += 250 * MSEC;
	next = vrrp_fsm_next_deadline(&r.f);
	assert_string_equal(recv_adv(&r, 99, HIGHER_ADDR), "ADV 100");
	/* the periodic schedule is unchanged */
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), next);
	assert_string_equal(recv_adv(&r, 1, HIGHER_ADDR), "ADV 100");
	p.lower_prio_no_advert = true;
	master_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 99, HIGHER_ADDR), "");
	assert_int_equal(r.f.state, VRRP_STATE_MASTER);
}

static void tie_case(const char *ours, const char *theirs, bool yields)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	p.primary = addr(ours);
	/* backup side: equal priority is always accepted */
	backup_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 100, theirs), "");
	assert_int_equal(until(&r), 3609375);
	/* master side: the greater address (unsigned, network order) wins */
	master_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 100, theirs),
			    yields ? "VIPS-, MASTER->BACKUP(higher priority)" : "ADV 100");
}

static void test_equal_priority_tie(void **state)
{
	(void)state;
	tie_case("10.0.0.2", "10.0.0.3", true);
	tie_case("10.0.0.2", "10.0.0.1", false);
	tie_case("10.0.0.9", "10.0.0.10", true);    /* numeric, not text */
	tie_case("10.0.0.10", "10.0.0.9", false);
	tie_case("10.0.0.1", "200.0.0.1", true);    /* unsigned bytes */
	tie_case("200.0.0.1", "10.0.0.1", false);
	tie_case("2001:db8::2", "2001:db8::10", true);
	tie_case("2001:db8::10", "2001:db8::2", false);
	tie_case("fe80::1", "2001:db8::1", false);
}

static void test_own_advert_ignored(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 100, OURS), "");
	backup_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 0, OURS), "");
	assert_int_equal(until(&r), 3609375);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_timer_values),
		cmocka_unit_test(test_zero_params_get_defaults),
		cmocka_unit_test(test_init_backup_then_master_down),
		cmocka_unit_test(test_owner_starts_master),
		cmocka_unit_test(test_priority_255_needs_owner_base),
		cmocka_unit_test(test_backup_accepts_higher_and_equal),
		cmocka_unit_test(test_v3_backup_adopts_master_interval),
		cmocka_unit_test(test_v2_backup_keeps_own_interval),
		cmocka_unit_test(test_priority_zero_takeover_after_skew),
		cmocka_unit_test(test_priority_zero_then_new_master),
		cmocka_unit_test(test_preempt_lower_master),
		cmocka_unit_test(test_nopreempt),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_preempt_delay_restarts),
		cmocka_unit_test(test_master_answers_priority_zero),
		cmocka_unit_test(test_master_yields_to_higher),
		cmocka_unit_test(test_master_answers_lower),
		cmocka_unit_test(test_equal_priority_tie),
		cmocka_unit_test(test_own_advert_ignored),
	};
	return cmocka_run_group_tests_name("vrrp_fsm", tests, NULL, NULL);
}
