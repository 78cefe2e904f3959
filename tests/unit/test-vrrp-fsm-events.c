/* vrrp_fsm's events from outside the protocol, with a fake clock: tracking
 * faults, shutdown, operator handover (hold/release), sync-group follow,
 * effective-priority changes and reload (update_params), from each state. */
#include "config.h"

#include "test-vrrp-fsm-rig.h"

/* ---- fault -------------------------------------------------------------------- */

static void test_fault_from_each_state(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	/* INIT: start goes to FAULT */
	rig_init(&r, &p);
	assert_string_equal(set_fault(&r, true), "");
	assert_string_equal(start(&r), "INIT->FAULT(fault)");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), UINT64_MAX);
	/* deaf and silent */
	assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "");
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_string_equal(at(&r, r.now + 100 * SEC), "");
	assert_string_equal(set_fault(&r, true), "");
	assert_string_equal(set_fault(&r, false), "FAULT->BACKUP(fault cleared)");
	assert_int_equal(until(&r), 3609375);
	assert_string_equal(set_fault(&r, false), "");
	/* BACKUP */
	assert_string_equal(set_fault(&r, true), "BACKUP->FAULT(fault)");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), UINT64_MAX);
	/* MASTER: resigns with a priority-0 advert */
	master_rig(&r, &p);
	assert_string_equal(set_fault(&r, true), "ADV 0, VIPS-, MASTER->FAULT(fault)");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), UINT64_MAX);
	/* STOP stays STOP */
	assert_string_equal(stop(&r), "FAULT->STOP(shutdown)");
	assert_string_equal(set_fault(&r, false), "");
	assert_string_equal(set_fault(&r, true), "");
	assert_int_equal(r.f.state, VRRP_STATE_STOP);
}

static void test_owner_fault_cleared_goes_master(void **state)
{
	struct vrrp_fsm_params p = params(3, 255, 1 * SEC);
	struct rig r;

	(void)state;
	rig_init(&r, &p);
	assert_string_equal(start(&r), "ADV 255, VIPS+, ANNOUNCE, INIT->MASTER(startup)");
	assert_string_equal(set_fault(&r, true), "ADV 0, VIPS-, MASTER->FAULT(fault)");
	r.now += 5 * SEC;
	assert_string_equal(set_fault(&r, false),
			    "ADV 255, VIPS+, ANNOUNCE, FAULT->MASTER(fault cleared)");
	assert_int_equal(until(&r), 1 * SEC);
}

/* ---- shutdown ----------------------------------------------------------------- */

static void test_shutdown_from_each_state(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	rig_init(&r, &p);
	assert_string_equal(stop(&r), "INIT->STOP(shutdown)");
	assert_string_equal(start(&r), "");
	backup_rig(&r, &p);
	assert_string_equal(stop(&r), "BACKUP->STOP(shutdown)");
	master_rig(&r, &p);
	assert_string_equal(stop(&r), "ADV 0, VIPS-, MASTER->STOP(shutdown)");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), UINT64_MAX);
	assert_string_equal(stop(&r), "");
	/* nothing moves a stopped instance */
	assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "");
	assert_string_equal(at(&r, r.now + 100 * SEC), "");
	assert_string_equal(follow(&r, VRRP_STATE_MASTER), "");
	assert_string_equal(follow(&r, VRRP_STATE_FAULT), "");
	assert_string_equal(hold(&r, true), "");
	assert_string_equal(hold(&r, false), "");
	assert_string_equal(set_prio(&r, 50), "");
	assert_int_equal(r.f.state, VRRP_STATE_STOP);
	rig_init(&r, &p);
	assert_string_equal(set_fault(&r, true), "");
	assert_string_equal(start(&r), "INIT->FAULT(fault)");
	assert_string_equal(stop(&r), "FAULT->STOP(shutdown)");
}

/* ---- handover --------------------------------------------------------------- */

static void test_hold_master_and_release(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	r.now += 200 * MSEC;
	assert_string_equal(hold(&r, true), "ADV 0, VIPS-, MASTER->BACKUP(handover)");
	assert_int_equal(vrrp_fsm_advert_priority(&r.f), 1);
	assert_int_equal(r.f.priority, 100);
	/* Skew_Time with priority 1: 255 * 1 s / 256 */
	assert_int_equal(vrrp_fsm_skew_us(&r.f), 996093);
	assert_int_equal(until(&r), 3 * SEC + 996093);
	assert_string_equal(hold(&r, true), "");
	/* The peer (50) took over after its skew: obeyed, never preempted. */
	for (int i = 0; i < 30; i++) {
		r.now += 1 * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
		assert_string_equal(at(&r, r.now), "");
	}
	assert_int_equal(r.f.state, VRRP_STATE_BACKUP);
	assert_int_equal(r.f.master_priority, 50);
	/* Released: preemption resumes (lower adverts discarded from now). */
	assert_string_equal(hold(&r, false), "");
	assert_int_equal(vrrp_fsm_advert_priority(&r.f), 100);
	uint64_t deadline = vrrp_fsm_next_deadline(&r.f);
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), deadline);
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(preempt)");
}

static void test_hold_with_preempt_delay(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	p.preempt_delay_us = 10 * SEC;
	backup_rig(&r, &p);
	assert_string_equal(hold(&r, true), "");
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(r.f.preempt_deadline, 0);
	assert_string_equal(hold(&r, false), "");
	uint64_t released = r.now;
	for (int i = 1; i <= 12; i++) {
		r.now = released + (uint64_t)i * SEC;
		assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	}
	assert_int_equal(r.f.preempt_deadline, released + 11 * SEC);
	assert_string_equal(fire(&r), "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(preempt)");
	assert_int_equal(r.now, released + 10 * SEC + 3609375);
}

static void test_hold_takeover_without_master(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	assert_string_equal(hold(&r, true), "ADV 0, VIPS-, MASTER->BACKUP(handover)");
	/* nobody answers: take over anyway, advertising 1 */
	assert_string_equal(fire(&r), "ADV 1, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
	assert_int_equal(r.f.master_priority, 1);
	assert_string_equal(fire(&r), "ADV 1");
	/* any real router is better */
	assert_string_equal(recv_adv(&r, 2, LOWER_ADDR), "VIPS-, MASTER->BACKUP(higher priority)");
	assert_string_equal(fire(&r), "ADV 1, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
	/* released while master: the real priority at once */
	assert_string_equal(hold(&r, false), "ADV 100");
	assert_int_equal(r.f.master_priority, 100);
	assert_string_equal(fire(&r), "ADV 100");
	/* hold in INIT and FAULT: flag only; start then advertises 1 */
	rig_init(&r, &p);
	assert_string_equal(hold(&r, true), "");
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
	assert_int_equal(until(&r), 3 * SEC + 996093);
	/* a held owner does not start as master */
	p = params(3, 255, 1 * SEC);
	rig_init(&r, &p);
	assert_string_equal(hold(&r, true), "");
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
}

/* ---- sync groups ------------------------------------------------------------ */

static void test_follow(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	backup_rig(&r, &p);
	assert_string_equal(follow(&r, VRRP_STATE_BACKUP), "");
	assert_string_equal(follow(&r, VRRP_STATE_INIT), "");
	assert_string_equal(follow(&r, VRRP_STATE_STOP), "");
	assert_string_equal(follow(&r, VRRP_STATE_MASTER),
			    "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(sync group)");
	assert_int_equal(until(&r), 1 * SEC);
	assert_string_equal(follow(&r, VRRP_STATE_MASTER), "");
	assert_string_equal(follow(&r, VRRP_STATE_BACKUP), "ADV 0, VIPS-, MASTER->BACKUP(sync group)");
	assert_int_equal(until(&r), 3609375);
	assert_string_equal(follow(&r, VRRP_STATE_MASTER),
			    "ADV 100, VIPS+, ANNOUNCE, BACKUP->MASTER(sync group)");
	assert_string_equal(follow(&r, VRRP_STATE_FAULT), "ADV 0, VIPS-, MASTER->FAULT(sync group)");
	assert_true(r.f.sync_fault);
	assert_string_equal(follow(&r, VRRP_STATE_FAULT), "");
	/* own fault set and cleared while the group holds it in FAULT */
	assert_string_equal(set_fault(&r, true), "");
	assert_string_equal(set_fault(&r, false), "");
	assert_int_equal(r.f.state, VRRP_STATE_FAULT);
	assert_string_equal(follow(&r, VRRP_STATE_BACKUP), "FAULT->BACKUP(sync group)");
	assert_false(r.f.sync_fault);
	assert_string_equal(follow(&r, VRRP_STATE_FAULT), "BACKUP->FAULT(sync group)");
	assert_string_equal(follow(&r, VRRP_STATE_MASTER),
			    "ADV 100, VIPS+, ANNOUNCE, FAULT->MASTER(sync group)");
	/* its own fault keeps it in FAULT whatever the group does */
	assert_string_equal(set_fault(&r, true), "ADV 0, VIPS-, MASTER->FAULT(fault)");
	assert_string_equal(follow(&r, VRRP_STATE_BACKUP), "");
	assert_string_equal(follow(&r, VRRP_STATE_MASTER), "");
	assert_string_equal(set_fault(&r, false), "FAULT->BACKUP(fault cleared)");
	/* INIT: a group fault makes start go to FAULT */
	rig_init(&r, &p);
	assert_string_equal(follow(&r, VRRP_STATE_MASTER), "");
	assert_string_equal(follow(&r, VRRP_STATE_FAULT), "");
	assert_int_equal(r.f.state, VRRP_STATE_INIT);
	assert_string_equal(start(&r), "INIT->FAULT(sync group)");
	assert_string_equal(follow(&r, VRRP_STATE_BACKUP), "FAULT->BACKUP(sync group)");
}

/* ---- priority changes and reload ---------------------------------------------- */

static void test_set_priority(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	uint64_t next = vrrp_fsm_next_deadline(&r.f);
	assert_string_equal(set_prio(&r, 120), "ADV 120");
	assert_int_equal(r.f.master_priority, 120);
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), next);
	assert_string_equal(set_prio(&r, 120), "");
	assert_string_equal(fire(&r), "ADV 120");
	/* lowered below a backup's 110: it will preempt us, we yield */
	assert_string_equal(set_prio(&r, 90), "ADV 90");
	assert_string_equal(recv_adv(&r, 110, LOWER_ADDR), "VIPS-, MASTER->BACKUP(higher priority)");
	/* backup: silent, but the comparison changes */
	assert_string_equal(set_prio(&r, 120), "");
	uint64_t deadline = vrrp_fsm_next_deadline(&r.f);
	r.now += 1 * SEC;
	assert_string_equal(recv_adv(&r, 110, LOWER_ADDR), "");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), deadline);
	assert_string_equal(fire(&r), "ADV 120, VIPS+, ANNOUNCE, BACKUP->MASTER(preempt)");
	/* held master: advertised priority stays 1 */
	assert_string_equal(hold(&r, true), "ADV 0, VIPS-, MASTER->BACKUP(handover)");
	assert_string_equal(fire(&r), "ADV 1, VIPS+, ANNOUNCE, BACKUP->MASTER(master down)");
	assert_string_equal(set_prio(&r, 130), "");
	assert_string_equal(hold(&r, false), "ADV 130");
}

static void test_update_params(void **state)
{
	struct vrrp_fsm_params p = params(3, 100, 1 * SEC);
	struct rig r;

	(void)state;
	master_rig(&r, &p);
	assert_string_equal(set_prio(&r, 110), "ADV 110");  /* tracking +10 */
	/* unchanged: nothing */
	assert_string_equal(update(&r, &p), "");
	/* new base 150: effective 160, advertised at once */
	p.priority = 150;
	assert_string_equal(update(&r, &p), "ADV 160");
	assert_int_equal(r.f.priority, 160);
	/* new interval: advertised at once, timer re-armed */
	r.now += 300 * MSEC;
	p.advert_int_us = 100 * MSEC;
	assert_string_equal(update(&r, &p), "ADV 160");
	assert_int_equal(until(&r), 100 * MSEC);
	assert_int_equal(r.f.master_adver_int_us, 100 * MSEC);
	/* flags: no transition, no advert */
	p.higher_prio_send_advert = true;
	p.lower_prio_no_advert = true;
	assert_string_equal(update(&r, &p), "");
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(r.f.state, VRRP_STATE_MASTER);

	/* v2 backup: a longer interval re-arms the Master_Down_Timer from now */
	p = params(2, 100, 1 * SEC);
	backup_rig(&r, &p);
	r.now += 2 * SEC;
	p.advert_int_us = 3 * SEC;
	assert_string_equal(update(&r, &p), "");
	assert_int_equal(r.f.master_adver_int_us, 3 * SEC);
	assert_int_equal(until(&r), 9 * SEC + 609375);
	/* v3 backup keeps its master's interval; a new priority moves the skew */
	p = params(3, 100, 1 * SEC);
	backup_rig(&r, &p);
	assert_string_equal(recv_from(&r, 200, 2 * SEC, HIGHER_ADDR), "");
	r.now += 1 * SEC;
	p.priority = 200;
	p.advert_int_us = 500 * MSEC;
	assert_string_equal(update(&r, &p), "");
	assert_int_equal(r.f.master_adver_int_us, 2 * SEC);
	assert_int_equal(until(&r), 6 * SEC + 437500);
	/* a skew-only timer (priority 0 seen) is left alone */
	assert_string_equal(recv_adv(&r, 0, HIGHER_ADDR), "");
	uint64_t deadline = vrrp_fsm_next_deadline(&r.f);
	p.priority = 150;
	assert_string_equal(update(&r, &p), "");
	assert_int_equal(vrrp_fsm_next_deadline(&r.f), deadline);
	assert_string_equal(fire(&r), "ADV 150, VIPS+, ANNOUNCE, BACKUP->MASTER(master stopped)");
	/* turning preempt_delay off drops a running one */
	p = params(3, 100, 1 * SEC);
	p.preempt_delay_us = 5 * SEC;
	backup_rig(&r, &p);
	assert_string_equal(recv_adv(&r, 50, LOWER_ADDR), "");
	assert_int_equal(r.f.preempt_deadline, T0 + 5 * SEC);
	p.preempt_delay_us = 0;
	assert_string_equal(update(&r, &p), "");
	assert_int_equal(r.f.preempt_deadline, 0);
	/* owner base lowered: 255 no longer allowed */
	p = params(3, 255, 1 * SEC);
	rig_init(&r, &p);
	p.priority = 200;
	assert_string_equal(update(&r, &p), "");
	assert_int_equal(r.f.priority, 200);
	assert_string_equal(start(&r), "INIT->BACKUP(startup)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_from_each_state),
		cmocka_unit_test(test_owner_fault_cleared_goes_master),
		cmocka_unit_test(test_shutdown_from_each_state),
		cmocka_unit_test(test_hold_master_and_release),
		cmocka_unit_test(test_hold_with_preempt_delay),
		cmocka_unit_test(test_hold_takeover_without_master),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_set_priority),
		cmocka_unit_test(test_update_params),
	};
	return cmocka_run_group_tests_name("vrrp_fsm_events", tests, NULL, NULL);
}
