/* checker/servers: the slow start ramp runs on the runtime's shared timer
 * set (no sd-event source per real server), and every way out of a ramp
 * leaves nothing armed: the ramp's end, the server going down mid-ramp, a
 * reload removing it mid-ramp, and servers_free (run under ASan/valgrind to
 * see the last two: the set would hold a pointer into a freed server).
 *
 * A real sd-event loop drives real MISC_CHECK probes (/bin/test -e FLAG,
 * every 0.1 s, rise 1 fall 1), so a server goes down and up by removing
 * and creating its flag file.  Waits poll the loop with a generous bound
 * ("eventually"); nothing asserts on wall time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test-config-util.h"

#include "checker/check_notify.h"
#include "checker/servers.h"
#include "checker/servers_int.h"
#include "timer_set.h"
#include "xalloc.h"

/* A bound for "eventually": probes every 0.1 s, ramps of 1 s steps. */
#define WAIT_USEC (20 * 1000000ULL)

struct fixture {
	char dir[64];
	sd_event *e;
	struct check_notify *notify;
	struct servers *s;
	struct lbha_config *cfg, *old;
	unsigned changed;
};

static char *flag(struct fixture *f, const char *name)
{
	return xasprintf("%s/%s.flag", f->dir, name);
}

static void flag_set(struct fixture *f, const char *name, bool on)
{
	char *p = flag(f, name);

	if (on) {
		int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		close(fd);
	} else {
		assert_true(unlink(p) == 0 || errno == ENOENT);
	}
	free(p);
}

/* One real server on port `port`, checked by the flag `name`. */
static char *rs_block(struct fixture *f, unsigned port, const char *name, unsigned slow_start)
{
	char *p = flag(f, name);
	char *b = xasprintf("\treal_server 127.0.0.1 %u {\n"
			    "\t\tweight 20\n"
			    "\t\tslow_start %u\n"
			    "\t\tMISC_CHECK {\n"
			    "\t\t\tmisc_path \"/bin/test -e %s\"\n"
			    "\t\t\tmisc_timeout 2\n"
			    "\t\t}\n"
			    "\t}\n",
			    port, slow_start, p);
	free(p);
	return b;
}

/* Apply a config of these real servers (NULL-terminated blocks, freed). */
static void apply(struct fixture *f, char *blocks[])
{
	char *text = xstrdup("global_defs {\n\tscript_user root\n}\n"
			     "virtual_server 10.0.0.1 80 {\n\tdelay_loop 0.1\n\twarmup 0\n"
			     "\tlb_algo rr\n\tlb_kind NAT\n\tprotocol TCP\n");
	struct diag d;

	for (size_t i = 0; blocks[i]; i++) {
		char *t = xasprintf("%s%s", text, blocks[i]);
		free(text);
		free(blocks[i]);
		text = t;
	}
	char *t = xasprintf("%s}\n", text);
	free(text);
	/* the runtime points into the config it runs: keep the last one */
	config_free(f->old);
	f->old = f->cfg;
	f->cfg = load_ok(t, &d);
	diag_done(&d);
	free(t);
	servers_apply(f->s, f->cfg);
	servers_start(f->s);
}

static struct srv_rs *rs_at(struct fixture *f, unsigned port)
{
	config_list_foreach(const struct config_virtual_server, vs, &f->cfg->virtual_servers)
		config_list_foreach(const struct config_real_server, c, &vs->real_servers)
			if (c->port == port)
				return servers_find(f->s, c);
	return NULL;
}

static bool rs_known(const struct srv_rs *rs)
{
	for (size_t i = 0; i < rs->n_probes; i++)
		if (!rs->probes[i]->hc.has_run)
			return false;
	return true;
}

static bool rs_is(const struct srv_rs *rs, bool up)
{
	return rs_known(rs) && rs->tally.up == up;
}

/* Run the loop until `port` is up (down); fails after WAIT_USEC of loop. */
static void wait_state(struct fixture *f, unsigned port, bool up)
{
	uint64_t start, now;

	sd_event_now(f->e, CLOCK_MONOTONIC, &start);
	for (;;) {
		struct srv_rs *rs = rs_at(f, port);
		assert_non_null(rs);
		if (rs_is(rs, up))
			return;
		assert_true(sd_event_run(f->e, 100000) >= 0);
		sd_event_now(f->e, CLOCK_MONOTONIC, &now);
		if (now - start > WAIT_USEC)
			fail_msg("real server :%u never went %s", port, up ? "up" : "down");
	}
}

/* At most one timer per probe and per ramping server is armed, and every
 * armed ramp timer belongs to a ramp. */
static void check_armed(struct fixture *f)
{
	size_t ramps = 0;

	for (size_t i = 0; i < f->s->n_rs; i++) {
		const struct srv_rs *rs = f->s->rs[i];
		assert_int_equal(timer_entry_armed(&rs->ss_timer), rs->ss.active);
		if (rs->ss.active)
			assert_int_equal(rs->ss_timer.when, slow_start_deadline(&rs->ss));
		ramps += rs->ss.active;
	}
	assert_true(timer_set_count(f->s->timers) <= f->s->n_probes + ramps);
}

static void on_changed(void *userdata)
{
	((struct fixture *)userdata)->changed++;
}

static int setup(void **state)
{
	struct fixture *f = xnew(struct fixture);

	snprintf(f->dir, sizeof(f->dir), "/tmp/test-servers-timers.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_true(sd_event_new(&f->e) >= 0);
	f->notify = check_notify_new(f->e);
	f->s = servers_new(f->e, NULL, f->notify, on_changed, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "a", "b", "c" };

	/* with a ramp armed: the free disarms before the set goes */
	servers_free(f->s);
	check_notify_free(f->notify);
	config_free(f->cfg);
	config_free(f->old);
	sd_event_unref(f->e);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		flag_set(f, names[i], false);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Servers a (long ramp) and b (long ramp) and c (2 s ramp) go down and come
 * back: each ramps on the shared set; c's ramp ends and disarms. */
static void start_ramps(struct fixture *f)
{
	if (geteuid() != 0) {
		/* script_user root: only root may run the scripts as root */
		fprintf(stderr, "# SKIP: not root (MISC_CHECK scripts run as root)\n");
		skip();
	}
	flag_set(f, "a", true);
	flag_set(f, "b", true);
	flag_set(f, "c", true);
	apply(f, (char *[]){ rs_block(f, 8001, "a", 600), rs_block(f, 8002, "b", 600),
			     rs_block(f, 8003, "c", 2), NULL });
	for (unsigned p = 8001; p <= 8003; p++)
		wait_state(f, p, true);
	/* found up at start: no ramp */
	for (unsigned p = 8001; p <= 8003; p++)
		assert_false(rs_at(f, p)->ss.active);
	check_armed(f);
	flag_set(f, "a", false);
	flag_set(f, "b", false);
	flag_set(f, "c", false);
	for (unsigned p = 8001; p <= 8003; p++)
		wait_state(f, p, false);
	check_armed(f);
	flag_set(f, "a", true);
	flag_set(f, "b", true);
	flag_set(f, "c", true);
	for (unsigned p = 8001; p <= 8003; p++)
		wait_state(f, p, true);
	assert_true(rs_at(f, 8001)->ss.active);
	assert_true(rs_at(f, 8002)->ss.active);
	check_armed(f);
	assert_true(servers_weight(rs_at(f, 8001)->cfg, f->s) < 20);
}

static void test_ramp_ends(void **state)
{
	struct fixture *f = *state;
	struct srv_rs *c;
	uint32_t prev = 0;
	uint64_t start, now;

	start_ramps(f);
	c = rs_at(f, 8003);
	sd_event_now(f->e, CLOCK_MONOTONIC, &start);
	while (c->ss.active) {
		uint32_t w = servers_weight(c->cfg, f->s);
		assert_true(w >= prev);   /* it only climbs */
		prev = w;
		assert_true(timer_entry_armed(&c->ss_timer));
		assert_true(sd_event_run(f->e, 100000) >= 0);
		sd_event_now(f->e, CLOCK_MONOTONIC, &now);
		if (now - start > WAIT_USEC)
			fail_msg("the 2 s ramp never ended");
	}
	assert_int_equal(servers_weight(c->cfg, f->s), 20);
	assert_false(timer_entry_armed(&c->ss_timer));
	check_armed(f);
}

static void test_down_mid_ramp(void **state)
{
	struct fixture *f = *state;

	start_ramps(f);
	flag_set(f, "a", false);
	wait_state(f, 8001, false);
	assert_false(rs_at(f, 8001)->ss.active);
	assert_false(timer_entry_armed(&rs_at(f, 8001)->ss_timer));
	assert_true(timer_entry_armed(&rs_at(f, 8002)->ss_timer));
	check_armed(f);
}

/* A reload drops b mid-ramp (its timer armed) and keeps a, with a shorter
 * slow_start: a's ramp goes on towards the new end. */
static void test_reload_removes_mid_ramp(void **state)
{
	struct fixture *f = *state;
	size_t armed_before;

	start_ramps(f);
	armed_before = timer_set_count(f->s->timers);
	assert_true(armed_before >= 2);
	apply(f, (char *[]){ rs_block(f, 8001, "a", 300), rs_block(f, 8003, "c", 2), NULL });
	assert_null(rs_at(f, 8002));
	assert_int_equal(f->s->n_rs, 2);
	assert_true(rs_at(f, 8001)->ss.active);
	check_armed(f);
	/* a reload making a's ramp pointless (slow_start 0) ends it */
	apply(f, (char *[]){ rs_block(f, 8001, "a", 0), rs_block(f, 8003, "c", 2), NULL });
	assert_false(rs_at(f, 8001)->ss.active);
	assert_false(timer_entry_armed(&rs_at(f, 8001)->ss_timer));
	assert_int_equal(servers_weight(rs_at(f, 8001)->cfg, f->s), 20);
	check_armed(f);
	/* the loop goes on with nothing dangling (ASan would say) */
	for (int i = 0; i < 5; i++)
		assert_true(sd_event_run(f->e, 100000) >= 0);
	check_armed(f);
}

/* The free with ramps armed: teardown frees right after start_ramps. */
static void test_free_mid_ramp(void **state)
{
	struct fixture *f = *state;

	start_ramps(f);
	assert_true(timer_entry_armed(&rs_at(f, 8002)->ss_timer));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ramp_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_down_mid_ramp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_removes_mid_ramp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_mid_ramp, setup, teardown),
	};

	return cmocka_run_group_tests_name("servers_timers", tests, NULL, NULL);
}
