#include <config.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp/vrrp_lvs_sync.h"

static struct config_lvs_sync_daemon base(void)
{
	return (struct config_lvs_sync_daemon){
		.interface = (char *)"eth1",
		.instance = (char *)"VI_1",
		.syncid = CONFIG_SYNCID_VRID,
		.port = 8848,
	};
}

/* The daemon follows the state: master on MASTER, backup otherwise. */
static void state_picks_the_daemon(void **state)
{
	struct config_lvs_sync_daemon cfg = base();
	struct vrrp_lvs_sync_want w;
	static const struct {
		enum vrrp_state st;
		bool run;
		enum ipvs_daemon_state daemon;
	} rows[] = {
		{ VRRP_STATE_INIT, true, IPVS_DAEMON_BACKUP },
		{ VRRP_STATE_BACKUP, true, IPVS_DAEMON_BACKUP },
		{ VRRP_STATE_MASTER, true, IPVS_DAEMON_MASTER },
		{ VRRP_STATE_FAULT, true, IPVS_DAEMON_BACKUP },
		{ VRRP_STATE_STOP, false, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		vrrp_lvs_sync_wanted(&cfg, 51, rows[i].st, false, &w);
		assert_int_equal(w.run, rows[i].run);
		if (w.run)
			assert_int_equal(w.daemon.state, rows[i].daemon);
	}
	/* lbha stopping: none, whatever the state */
	vrrp_lvs_sync_wanted(&cfg, 51, VRRP_STATE_MASTER, true, &w);
	assert_false(w.run);
	/* not configured: none */
	cfg.interface = NULL;
	vrrp_lvs_sync_wanted(&cfg, 51, VRRP_STATE_MASTER, false, &w);
	assert_false(w.run);
}

static void settings_are_copied(void **state)
{
	struct config_lvs_sync_daemon cfg = base();
	struct vrrp_lvs_sync_want w;

	/* no id: the instance's VRID, as keepalived does */
	vrrp_lvs_sync_wanted(&cfg, 51, VRRP_STATE_MASTER, false, &w);
	assert_string_equal(w.daemon.mcast_ifn, "eth1");
	assert_int_equal(w.daemon.syncid, 51);
	assert_int_equal(w.daemon.mcast_port, 8848);
	assert_int_equal(w.daemon.mcast_af, 0);

	cfg.syncid = 7;
	cfg.maxlen = 1400;
	cfg.ttl = 3;
	cfg.group.family = AF_INET;
	inet_pton(AF_INET, "239.1.2.3", &cfg.group.u.v4);
	vrrp_lvs_sync_wanted(&cfg, 51, VRRP_STATE_BACKUP, false, &w);
	assert_int_equal(w.daemon.syncid, 7);
	assert_int_equal(w.daemon.sync_maxlen, 1400);
	assert_int_equal(w.daemon.mcast_ttl, 3);
	assert_int_equal(w.daemon.mcast_af, AF_INET);
	assert_memory_equal(&w.daemon.mcast_group.in, &cfg.group.u.v4, 4);

	cfg.group.family = AF_INET6;
	inet_pton(AF_INET6, "ff05::81", &cfg.group.u.v6);
	vrrp_lvs_sync_wanted(&cfg, 51, VRRP_STATE_BACKUP, false, &w);
	assert_int_equal(w.daemon.mcast_af, AF_INET6);
	assert_memory_equal(&w.daemon.mcast_group.in6, &cfg.group.u.v6, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_picks_the_daemon),
		cmocka_unit_test(settings_are_copied),
	};
	return cmocka_run_group_tests_name("vrrp_lvs_sync", tests, NULL, NULL);
}
