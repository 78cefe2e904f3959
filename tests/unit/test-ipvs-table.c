#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ipvs.h"

static struct ipvs_service_key key4(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service_key k = { .af = AF_INET, .protocol = proto, .port = port };
	assert_int_equal(inet_pton(AF_INET, addr, &k.addr.in), 1);
	return k;
}

static struct ipvs_service_key key6(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service_key k = { .af = AF_INET6, .protocol = proto, .port = port };
	assert_int_equal(inet_pton(AF_INET6, addr, &k.addr.in6), 1);
	return k;
}

static struct ipvs_dest dest(uint16_t af, const char *addr, uint16_t port)
{
	struct ipvs_dest d = { .af = af, .port = port, .fwd = IPVS_FWD_DROUTE, .weight = 1 };
	assert_int_equal(inet_pton(af, addr, &d.addr), 1);
	return d;
}

static void test_sort_and_find(void **state)
{
	struct ipvs_table t = { 0 };
	struct ipvs_service_key keys[] = {
		key6(IPPROTO_UDP, "2001:db8::1", 53), key4(IPPROTO_TCP, "10.0.0.2", 80),
		{ .af = AF_INET6, .fwmark = 7 },      key4(IPPROTO_TCP, "10.0.0.1", 443),
		key4(IPPROTO_TCP, "10.0.0.1", 80),    { .af = AF_INET, .fwmark = 7 },
		key4(IPPROTO_SCTP, "10.0.0.1", 80),   key4(IPPROTO_UDP, "10.0.0.1", 80),
	};
	size_t n = sizeof(keys) / sizeof(keys[0]);

	/* Services and dests added out of order, so the sort has work to do. */
	for (size_t i = 0; i < n; i++) {
		struct ipvs_service s = { .key = keys[i] };
		struct ipvs_service_entry *e = ipvs_table_add_service(&t, &s);
		for (int j = 20; j > 0; j--) {
			char a[32];
			snprintf(a, sizeof(a), "10.1.0.%d", j);
			struct ipvs_dest d = dest(AF_INET, a, 80);
			ipvs_entry_add_dest(e, &d);
		}
		struct ipvs_dest d6 = dest(AF_INET6, "2001:db8::5", 80);
		ipvs_entry_add_dest(e, &d6);
	}
	ipvs_table_sort(&t);
	assert_int_equal(t.n_services, n);
	for (size_t i = 1; i < t.n_services; i++)
		assert_true(ipvs_service_key_cmp(&t.services[i - 1].svc.key, &t.services[i].svc.key) < 0);
	for (size_t i = 0; i < t.n_services; i++) {
		const struct ipvs_service_entry *e = &t.services[i];
		assert_int_equal(e->n_dests, 21);
		for (size_t j = 1; j < e->n_dests; j++)
			assert_true(ipvs_dest_key_cmp(&e->dests[j - 1], &e->dests[j]) < 0);
		assert_int_equal(e->dests[20].af, AF_INET6);
	}
	for (size_t i = 0; i < n; i++) {
		struct ipvs_service_entry *e = ipvs_table_find(&t, &keys[i]);
		assert_non_null(e);
		assert_int_equal(ipvs_service_key_cmp(&e->svc.key, &keys[i]), 0);
	}
	struct ipvs_service_key missing = key4(IPPROTO_TCP, "10.0.0.1", 81);
	assert_null(ipvs_table_find(&t, &missing));
	missing = (struct ipvs_service_key){ .af = AF_INET, .fwmark = 8 };
	assert_null(ipvs_table_find(&t, &missing));

	ipvs_table_clear(&t);
	assert_int_equal(t.n_services, 0);
	assert_null(t.services);
	assert_null(ipvs_table_find(&t, &keys[0]));
	/* reusable after clear */
	struct ipvs_service s = { .key = keys[0] };
	ipvs_table_add_service(&t, &s);
	assert_int_equal(t.n_services, 1);
	ipvs_table_clear(&t);
	ipvs_table_clear(NULL);
}

static void test_key_cmp_every_field(void **state)
{
	struct ipvs_service_key a = key4(IPPROTO_TCP, "10.0.0.1", 80), b = a;
	assert_int_equal(ipvs_service_key_cmp(&a, &b), 0);
	b.port = 81;
	assert_true(ipvs_service_key_cmp(&a, &b) < 0);
	assert_true(ipvs_service_key_cmp(&b, &a) > 0);
	b = a;
	b.protocol = IPPROTO_UDP;
	assert_true(ipvs_service_key_cmp(&a, &b) != 0);
	b = a;
	b.addr.bytes[3] = 2;
	assert_true(ipvs_service_key_cmp(&a, &b) < 0);
	b = a;
	b.af = AF_INET6;
	assert_true(ipvs_service_key_cmp(&a, &b) != 0);
	b = a;
	b.fwmark = 1;
	assert_true(ipvs_service_key_cmp(&a, &b) != 0);

	struct ipvs_dest x = dest(AF_INET, "10.0.0.2", 80), y = x;
	assert_int_equal(ipvs_dest_key_cmp(&x, &y), 0);
	y.weight = 5;   /* not part of the key */
	assert_int_equal(ipvs_dest_key_cmp(&x, &y), 0);
	y.port = 81;
	assert_true(ipvs_dest_key_cmp(&x, &y) < 0);
	y = x;
	y.af = AF_INET6;
	assert_true(ipvs_dest_key_cmp(&x, &y) != 0);
}

static void test_service_equal(void **state)
{
	struct ipvs_service a = { .key = key4(IPPROTO_TCP, "10.0.0.1", 80), .sched = "wlc",
				  .flags = IPVS_SVC_F_PERSISTENT, .timeout = 300, .netmask = 0xffffffff };
	struct ipvs_service b = a;

	assert_true(ipvs_service_equal(&a, &b));
	b.flags |= IPVS_SVC_F_HASHED;   /* as a dump has it */
	assert_true(ipvs_service_equal(&a, &b));
	b.key.port = 99;                /* the key is not a setting */
	assert_true(ipvs_service_equal(&a, &b));

	b = a;
	strcpy(b.sched, "rr");
	assert_false(ipvs_service_equal(&a, &b));
	b = a;
	strcpy(b.pe_name, "sip");
	assert_false(ipvs_service_equal(&a, &b));
	b = a;
	b.flags |= IPVS_SVC_F_ONEPACKET;
	assert_false(ipvs_service_equal(&a, &b));
	b = a;
	b.flags = 0;
	assert_false(ipvs_service_equal(&a, &b));
	b = a;
	b.timeout = 301;
	assert_false(ipvs_service_equal(&a, &b));
	b = a;
	b.netmask = htonl(0xffffff00);
	assert_false(ipvs_service_equal(&a, &b));
}

static void test_dest_equal(void **state)
{
	struct ipvs_dest a = dest(AF_INET, "10.0.0.2", 80), b;

	a.u_threshold = 10;
	a.l_threshold = 5;
	b = a;
	assert_true(ipvs_dest_equal(&a, &b));
	b.active_conns = 7;
	b.inact_conns = 8;
	b.persist_conns = 9;
	assert_true(ipvs_dest_equal(&a, &b));
	/* tunnel settings mean nothing outside a tunnel */
	b.tun_type = IPVS_TUN_GUE;
	b.tun_port = 6080;
	b.tun_flags = IPVS_TUN_F_CSUM;
	assert_true(ipvs_dest_equal(&a, &b));

	b = a;
	b.weight = 2;
	assert_false(ipvs_dest_equal(&a, &b));
	b = a;
	b.fwd = IPVS_FWD_MASQ;
	assert_false(ipvs_dest_equal(&a, &b));
	b = a;
	b.u_threshold = 11;
	assert_false(ipvs_dest_equal(&a, &b));
	b = a;
	b.l_threshold = 4;
	assert_false(ipvs_dest_equal(&a, &b));
	b = a;
	b.port = 81;
	assert_false(ipvs_dest_equal(&a, &b));

	a.fwd = IPVS_FWD_TUNNEL;
	a.tun_type = IPVS_TUN_IPIP;
	b = a;
	b.tun_port = 1;   /* ipip has no port nor flags */
	b.tun_flags = 1;
	assert_true(ipvs_dest_equal(&a, &b));
	b.tun_type = IPVS_TUN_GRE;
	assert_false(ipvs_dest_equal(&a, &b));
	a.tun_type = IPVS_TUN_GRE;
	a.tun_flags = 0;
	b = a;
	b.tun_port = 5;   /* gre has flags but no port */
	assert_true(ipvs_dest_equal(&a, &b));
	b.tun_flags = IPVS_TUN_F_CSUM;
	assert_false(ipvs_dest_equal(&a, &b));
	a.tun_type = IPVS_TUN_GUE;
	a.tun_port = 6080;
	b = a;
	assert_true(ipvs_dest_equal(&a, &b));
	b.tun_port = 6081;
	assert_false(ipvs_dest_equal(&a, &b));
	b = a;
	b.tun_flags = IPVS_TUN_F_REMCSUM;
	assert_false(ipvs_dest_equal(&a, &b));
}

static void test_to_string(void **state)
{
	char buf[IPVS_SERVICE_STRLEN];
	struct ipvs_service_key k;

	k = key4(IPPROTO_TCP, "10.0.0.1", 80);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "TCP 10.0.0.1:80");
	k = key4(IPPROTO_UDP, "192.168.1.1", 53);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "UDP 192.168.1.1:53");
	k = key4(IPPROTO_SCTP, "10.0.0.1", 5000);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "SCTP 10.0.0.1:5000");
	k = key6(IPPROTO_UDP, "2001:db8::1", 53);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "UDP [2001:db8::1]:53");
	k = key6(IPPROTO_TCP, "2001:db8::1", 443);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "TCP [2001:db8::1]:443");
	k = key6(IPPROTO_SCTP, "::", 1);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "SCTP [::]:1");
	k = (struct ipvs_service_key){ .af = AF_INET6, .fwmark = 7 };
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "FWM 7 IPv6");
	k = (struct ipvs_service_key){ .af = AF_INET, .fwmark = 4294967295u };
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "FWM 4294967295");
	k = key4(47, "10.0.0.1", 0);
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "proto47 10.0.0.1:0");
	k = (struct ipvs_service_key){ .af = 99, .protocol = IPPROTO_TCP, .port = 1 };
	assert_string_equal(ipvs_service_to_string(&k, buf, sizeof(buf)), "TCP af99:1");

	/* a short buffer truncates, NUL-terminated */
	k = key6(IPPROTO_TCP, "2001:db8::1", 443);
	char small[8];
	assert_string_equal(ipvs_service_to_string(&k, small, sizeof(small)), "TCP [20");

	char d[IPVS_DEST_STRLEN];
	struct ipvs_dest x = dest(AF_INET, "10.0.0.2", 80);
	assert_string_equal(ipvs_dest_to_string(&x, d, sizeof(d)), "10.0.0.2:80");
	x = dest(AF_INET6, "2001:db8::2", 8080);
	assert_string_equal(ipvs_dest_to_string(&x, d, sizeof(d)), "[2001:db8::2]:8080");
	x = dest(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
	assert_string_equal(ipvs_dest_to_string(&x, d, sizeof(d)),
			    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void test_batch(void **state)
{
	struct ipvs_batch b = { 0 };

	for (int i = 0; i < 1000; i++) {
		struct ipvs_op *op = ipvs_batch_add(&b, IPVS_OP_ADD_DEST);
		assert_int_equal(op->type, IPVS_OP_ADD_DEST);
		assert_int_equal(op->error, 0);
		op->dest.port = (uint16_t)i;
	}
	assert_int_equal(b.n_ops, 1000);
	assert_int_equal(b.ops[999].dest.port, 999);
	ipvs_batch_clear(&b);
	assert_int_equal(b.n_ops, 0);
	assert_null(b.ops);
	ipvs_batch_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_find),
		cmocka_unit_test(test_key_cmp_every_field),
		cmocka_unit_test(test_service_equal),
		cmocka_unit_test(test_dest_equal),
		cmocka_unit_test(test_to_string),
		cmocka_unit_test(test_batch),
	};
	return cmocka_run_group_tests_name("ipvs-table", tests, NULL, NULL);
}
