/* checker/ipvs_diff and checker/ipvs_owned: the smallest batch from wanted
 * and kernel tables (every op kind, ordering, ownership, take-over, no-op
 * when equal, dest family change = delete + add), the owned set after a
 * batch, and the owned file's format, parsing and load/save. */
#include <config.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "checker/ipvs_desired.h"
#include "checker/ipvs_diff.h"
#include "checker/ipvs_owned.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "diag.h"
#include "ipvs.h"

/* ---- building tables ------------------------------------------------------- */

static struct ipvs_service_key key_tcp(const char *addr, uint16_t port)
{
	struct ipvs_service_key k = { .protocol = IPPROTO_TCP, .port = port };

	if (inet_pton(AF_INET, addr, &k.addr.in) == 1)
		k.af = AF_INET;
	else if (inet_pton(AF_INET6, addr, &k.addr.in6) == 1)
		k.af = AF_INET6;
	else
		fail_msg("bad address %s", addr);
	return k;
}

static struct ipvs_service_key key_fwm(uint32_t mark, uint16_t af)
{
	return (struct ipvs_service_key){ .af = af, .fwmark = mark };
}

static struct ipvs_service_entry *add_svc(struct ipvs_table *t, struct ipvs_service_key k,
					  const char *sched)
{
	struct ipvs_service s = { .key = k, .netmask = k.af == AF_INET6 ? 128 : 0xffffffffu };

	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	return ipvs_table_add_service(t, &s);
}

static struct ipvs_dest mk_dest(const char *addr, uint16_t port, enum ipvs_fwd fwd, uint32_t weight)
{
	struct ipvs_dest d = { .port = port, .fwd = fwd, .weight = weight };

	if (inet_pton(AF_INET, addr, &d.addr.in) == 1)
		d.af = AF_INET;
	else if (inet_pton(AF_INET6, addr, &d.addr.in6) == 1)
		d.af = AF_INET6;
	else
		fail_msg("bad address %s", addr);
	return d;
}

static void add_dest(struct ipvs_service_entry *e, const char *addr, uint16_t port,
		     enum ipvs_fwd fwd, uint32_t weight)
{
	struct ipvs_dest d = mk_dest(addr, port, fwd, weight);

	ipvs_entry_add_dest(e, &d);
}

/* A deep copy, as a dump of an up-to-date kernel would be. */
static void copy_table(struct ipvs_table *dst, const struct ipvs_table *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n_services; i++) {
		struct ipvs_service_entry *e = ipvs_table_add_service(dst, &src->services[i].svc);
		for (size_t j = 0; j < src->services[i].n_dests; j++)
			ipvs_entry_add_dest(e, &src->services[i].dests[j]);
	}
}

/* The ops as text, one per line, for exact comparisons. */
static char *ops_text(const struct ipvs_batch *b)
{
	size_t size = b->n_ops * IPVS_OP_STRLEN + 1, len = 0;
	char *out = calloc(1, size), buf[IPVS_OP_STRLEN];

	for (size_t i = 0; i < b->n_ops; i++)
		len += (size_t)snprintf(out + len, size - len, "%s\n",
					ipvs_op_to_string(&b->ops[i], buf, sizeof(buf)));
	return out;
}

static void assert_types(const struct ipvs_batch *b, const enum ipvs_op_type *want, size_t n)
{
	if (b->n_ops != n) {
		char *t = ops_text(b);
		fprintf(stderr, "ops:\n%s", t);
		free(t);
	}
	assert_int_equal(b->n_ops, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->ops[i].type, want[i]);
}

struct tables {
	struct ipvs_table wanted, kernel;
	struct ipvs_owned owned;
	struct ipvs_batch batch;
	struct ipvs_diff_result res;
};

static void run_diff(struct tables *t)
{
	ipvs_table_sort(&t->wanted);
	ipvs_table_sort(&t->kernel);
	ipvs_batch_clear(&t->batch);
	ipvs_diff(&t->wanted, &t->kernel, &t->owned, &t->batch, &t->res);
	assert_int_equal(t->res.changes, t->batch.n_ops);
}

static void done(struct tables *t)
{
	ipvs_table_clear(&t->wanted);
	ipvs_table_clear(&t->kernel);
	ipvs_owned_clear(&t->owned);
	ipvs_batch_clear(&t->batch);
	ipvs_diff_result_clear(&t->res);
}

/* ---- diff ------------------------------------------------------------------------ */

static void test_equal_is_no_op(void **state)
{
	struct tables t = { 0 };

	for (int i = 0; i < 50; i++) {
		char a[32];
		snprintf(a, sizeof(a), "10.0.%d.%d", i / 10, i % 10 + 1);
		struct ipvs_service_entry *e = add_svc(&t.wanted, key_tcp(a, 80), "wlc");
		add_dest(e, "10.1.0.1", 80, IPVS_FWD_DROUTE, 1);
		add_dest(e, "10.1.0.2", 80, IPVS_FWD_DROUTE, 2);
		ipvs_owned_add(&t.owned, &e->svc.key);
	}
	copy_table(&t.kernel, &t.wanted);
	/* the kernel's own bookkeeping and counters do not count as a change */
	for (size_t i = 0; i < t.kernel.n_services; i++) {
		t.kernel.services[i].svc.flags |= IPVS_SVC_F_HASHED;
		t.kernel.services[i].dests[0].active_conns = 7;
		t.kernel.services[i].dests[1].inact_conns = 3;
	}
	run_diff(&t);
	assert_int_equal(t.batch.n_ops, 0);
	assert_int_equal(t.res.changes, 0);
	assert_int_equal(t.res.n_taken_over, 0);
	assert_int_equal(t.res.foreign, 0);
	done(&t);
}

static void test_from_empty(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_entry *e = add_svc(&t.wanted, key_tcp("10.0.0.1", 80), "rr");

	add_dest(e, "10.1.0.1", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.1.0.2", 80, IPVS_FWD_MASQ, 1);
	e = add_svc(&t.wanted, key_fwm(5, AF_INET6), "sh");
	add_dest(e, "2001:db8::1", 0, IPVS_FWD_DROUTE, 1);
	run_diff(&t);
	static const enum ipvs_op_type want[] = {
		IPVS_OP_ADD_SERVICE, IPVS_OP_ADD_SERVICE,
		IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST,
	};
	assert_types(&t.batch, want, 5);
	assert_int_equal(t.res.ops[IPVS_OP_ADD_SERVICE], 2);
	assert_int_equal(t.res.ops[IPVS_OP_ADD_DEST], 3);
	/* every dest op names its service */
	for (size_t i = 2; i < 5; i++)
		assert_non_null(ipvs_table_find(&t.wanted, &t.batch.ops[i].svc.key));
	assert_int_equal(t.batch.ops[4].svc.key.fwmark, 5);
	assert_int_equal(t.batch.ops[4].dest.af, AF_INET6);
	done(&t);
}

static void test_every_op_and_order(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_entry *e;
	char *text;

	/* wanted: A (sched changed, dests: .1 same, .2 weight changed, .4 new;
	 * .3 gone), B new; kernel also has C (owned: deleted) */
	e = add_svc(&t.wanted, key_tcp("10.0.0.1", 80), "rr");
	add_dest(e, "10.1.0.1", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.1.0.2", 80, IPVS_FWD_MASQ, 5);
	add_dest(e, "10.1.0.4", 80, IPVS_FWD_MASQ, 1);
	e = add_svc(&t.wanted, key_tcp("10.0.0.2", 80), "wlc");
	add_dest(e, "10.1.0.9", 80, IPVS_FWD_DROUTE, 1);

	e = add_svc(&t.kernel, key_tcp("10.0.0.1", 80), "wlc");
	add_dest(e, "10.1.0.3", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.1.0.2", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.1.0.1", 80, IPVS_FWD_MASQ, 1);
	e = add_svc(&t.kernel, key_tcp("10.0.0.3", 80), "wlc");
	add_dest(e, "10.1.0.1", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.1.0.2", 80, IPVS_FWD_MASQ, 1);
	struct ipvs_service_key k = key_tcp("10.0.0.1", 80);
	ipvs_owned_add(&t.owned, &k);
	k = key_tcp("10.0.0.3", 80);
	ipvs_owned_add(&t.owned, &k);

	run_diff(&t);
	text = ops_text(&t.batch);
	assert_string_equal(text,
			    "delete dest 10.1.0.3:80 in TCP 10.0.0.1:80\n"
			    "edit service TCP 10.0.0.1:80\n"
			    "add service TCP 10.0.0.2:80\n"
			    "edit dest 10.1.0.2:80 in TCP 10.0.0.1:80\n"
			    "add dest 10.1.0.4:80 in TCP 10.0.0.1:80\n"
			    "add dest 10.1.0.9:80 in TCP 10.0.0.2:80\n"
			    "delete service TCP 10.0.0.3:80\n");
	free(text);
	static const enum ipvs_op_type want[] = {
		IPVS_OP_DEL_DEST, IPVS_OP_EDIT_SERVICE, IPVS_OP_ADD_SERVICE, IPVS_OP_EDIT_DEST,
		IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST, IPVS_OP_DEL_SERVICE,
	};
	assert_types(&t.batch, want, 7);
	/* edits carry the wanted settings */
	assert_string_equal(t.batch.ops[1].svc.sched, "rr");
	assert_int_equal(t.batch.ops[3].dest.weight, 5);
	assert_int_equal(t.res.changes, 7);
	assert_int_equal(t.res.ops[IPVS_OP_EDIT_SERVICE], 1);
	assert_int_equal(t.res.ops[IPVS_OP_DEL_SERVICE], 1);
	assert_int_equal(t.res.n_taken_over, 0);
	done(&t);
}

static void test_dest_edits(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_entry *w = add_svc(&t.wanted, key_tcp("10.0.0.1", 80), "wlc");
	struct ipvs_service_entry *k;
	struct ipvs_dest d;

	add_dest(w, "10.1.0.1", 80, IPVS_FWD_DROUTE, 1);     /* fwd changes */
	d = mk_dest("10.1.0.2", 80, IPVS_FWD_MASQ, 1);       /* thresholds change */
	d.u_threshold = 100;
	ipvs_entry_add_dest(w, &d);
	d = mk_dest("10.1.0.3", 80, IPVS_FWD_TUNNEL, 1);     /* tunnel type changes */
	d.tun_type = IPVS_TUN_GUE;
	d.tun_port = 6080;
	ipvs_entry_add_dest(w, &d);
	add_dest(w, "10.1.0.4", 80, IPVS_FWD_MASQ, 0);       /* weight to 0 (inhibit) */
	ipvs_owned_add(&t.owned, &w->svc.key);

	k = add_svc(&t.kernel, key_tcp("10.0.0.1", 80), "wlc");
	add_dest(k, "10.1.0.1", 80, IPVS_FWD_MASQ, 1);
	add_dest(k, "10.1.0.2", 80, IPVS_FWD_MASQ, 1);
	add_dest(k, "10.1.0.3", 80, IPVS_FWD_TUNNEL, 1);
	add_dest(k, "10.1.0.4", 80, IPVS_FWD_MASQ, 3);
	run_diff(&t);
	assert_int_equal(t.batch.n_ops, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(t.batch.ops[i].type, IPVS_OP_EDIT_DEST);
	assert_int_equal(t.batch.ops[2].dest.tun_port, 6080);
	assert_int_equal(t.batch.ops[3].dest.weight, 0);
	done(&t);
}

static void test_service_settings_edit(void **state)
{
	struct ipvs_service base = { .key = key_tcp("10.0.0.1", 80), .netmask = 0xffffffffu };
	struct ipvs_service variants[5];

	snprintf(base.sched, sizeof(base.sched), "wlc");
	for (size_t i = 0; i < 5; i++)
		variants[i] = base;
	snprintf(variants[0].sched, sizeof(variants[0].sched), "sh");
	variants[1].flags = IPVS_SVC_F_SCHED1;
	variants[2].flags = IPVS_SVC_F_PERSISTENT, variants[2].timeout = 300;
	variants[3].netmask = htonl(0xffffff00u);
	snprintf(variants[4].pe_name, sizeof(variants[4].pe_name), "sip");
	for (size_t i = 0; i < 5; i++) {
		struct tables t = { 0 };
		ipvs_table_add_service(&t.wanted, &variants[i]);
		ipvs_table_add_service(&t.kernel, &base);
		ipvs_owned_add(&t.owned, &base.key);
		run_diff(&t);
		assert_int_equal(t.batch.n_ops, 1);
		assert_int_equal(t.batch.ops[0].type, IPVS_OP_EDIT_SERVICE);
		assert_true(ipvs_service_equal(&t.batch.ops[0].svc, &variants[i]));
		done(&t);
	}
}

static void test_dest_family_change(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_entry *w = add_svc(&t.wanted, key_tcp("10.0.0.1", 80), "wlc");
	struct ipvs_service_entry *k = add_svc(&t.kernel, key_tcp("10.0.0.1", 80), "wlc");

	/* a tunnelled real server renumbered to IPv6: no edit can do that */
	add_dest(w, "2001:db8::5", 80, IPVS_FWD_TUNNEL, 1);
	add_dest(k, "10.1.0.5", 80, IPVS_FWD_TUNNEL, 1);
	/* a NAT port change is a different dest too */
	add_dest(w, "10.1.0.6", 8080, IPVS_FWD_MASQ, 1);
	add_dest(k, "10.1.0.6", 80, IPVS_FWD_MASQ, 1);
	ipvs_owned_add(&t.owned, &w->svc.key);
	run_diff(&t);
	static const enum ipvs_op_type want[] = {
		IPVS_OP_DEL_DEST, IPVS_OP_DEL_DEST, IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST,
	};
	assert_types(&t.batch, want, 4);
	assert_int_equal(t.batch.ops[0].dest.af, AF_INET);
	assert_int_equal(t.batch.ops[3].dest.af, AF_INET6);
	done(&t);
}

static void test_ownership(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_entry *e;

	/* kernel: F (someone else's), O (ours, gone from the config), T (someone
	 * else's but now configured: taken over) */
	e = add_svc(&t.kernel, key_tcp("192.0.2.1", 80), "rr");
	add_dest(e, "10.9.0.1", 80, IPVS_FWD_MASQ, 1);
	e = add_svc(&t.kernel, key_tcp("192.0.2.2", 80), "rr");
	add_dest(e, "10.9.0.1", 80, IPVS_FWD_MASQ, 1);
	add_dest(e, "10.9.0.2", 80, IPVS_FWD_MASQ, 1);
	e = add_svc(&t.kernel, key_fwm(3, AF_INET), "rr");
	add_dest(e, "10.9.0.1", 0, IPVS_FWD_DROUTE, 1);
	add_dest(e, "10.9.0.7", 0, IPVS_FWD_DROUTE, 1);
	struct ipvs_service_key o = key_tcp("192.0.2.2", 80);
	ipvs_owned_add(&t.owned, &o);

	e = add_svc(&t.wanted, key_fwm(3, AF_INET), "rr");
	add_dest(e, "10.9.0.1", 0, IPVS_FWD_DROUTE, 1);
	run_diff(&t);
	/* O goes in one op (its dests with it); T's stray dest goes; F stays */
	static const enum ipvs_op_type want[] = { IPVS_OP_DEL_DEST, IPVS_OP_DEL_SERVICE };
	assert_types(&t.batch, want, 2);
	assert_int_equal(t.batch.ops[0].svc.key.fwmark, 3);
	assert_int_equal(ipvs_service_key_cmp(&t.batch.ops[1].svc.key, &o), 0);
	assert_int_equal(t.res.foreign, 1);
	assert_int_equal(t.res.n_taken_over, 1);
	assert_int_equal(t.res.taken_over[0].fwmark, 3);

	/* what is ours afterwards: the wanted set, plus a delete that failed */
	struct ipvs_owned after = { 0 };
	ipvs_diff_owned_after(&t.wanted, &t.batch, &after);
	assert_int_equal(after.n, 1);
	assert_true(ipvs_owned_contains(&after, &t.wanted.services[0].svc.key));
	t.batch.ops[1].error = -EBUSY;
	ipvs_diff_owned_after(&t.wanted, &t.batch, &after);
	assert_int_equal(after.n, 2);
	assert_true(ipvs_owned_contains(&after, &o));
	t.batch.ops[1].error = -ESRCH;  /* already gone: not ours any more */
	ipvs_diff_owned_after(&t.wanted, &t.batch, &after);
	assert_int_equal(after.n, 1);

	/* the next diff against the repaired kernel has nothing to do */
	struct ipvs_table k2 = { 0 };
	copy_table(&k2, &t.wanted);
	struct ipvs_service_entry *f = ipvs_table_add_service(&k2, &t.kernel.services[0].svc);
	(void)f;
	ipvs_table_sort(&k2);
	ipvs_batch_clear(&t.batch);
	ipvs_diff(&t.wanted, &k2, &after, &t.batch, &t.res);
	assert_int_equal(t.batch.n_ops, 0);
	assert_int_equal(t.res.n_taken_over, 0);
	assert_int_equal(t.res.foreign, 1);
	ipvs_table_clear(&k2);
	ipvs_owned_clear(&after);
	done(&t);
}

static void test_owned_unwanted_absent(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_key k = key_tcp("10.0.0.1", 80);

	/* owned but neither wanted nor in the kernel: nothing to do, and no
	 * longer ours afterwards */
	ipvs_owned_add(&t.owned, &k);
	run_diff(&t);
	assert_int_equal(t.batch.n_ops, 0);
	struct ipvs_owned after = { 0 };
	ipvs_diff_owned_after(&t.wanted, &t.batch, &after);
	assert_int_equal(after.n, 0);
	ipvs_owned_clear(&after);
	done(&t);
}

static void test_remove_owned(void **state)
{
	struct tables t = { 0 };
	struct ipvs_service_key k = key_tcp("10.0.0.2", 80);

	add_svc(&t.kernel, key_tcp("10.0.0.1", 80), "rr");
	add_svc(&t.kernel, key_tcp("10.0.0.2", 80), "rr");
	add_svc(&t.kernel, key_fwm(1, AF_INET6), "rr");
	ipvs_table_sort(&t.kernel);
	ipvs_owned_add(&t.owned, &k);
	k = key_fwm(1, AF_INET6);
	ipvs_owned_add(&t.owned, &k);
	k = key_tcp("10.0.0.9", 80);  /* owned, not there */
	ipvs_owned_add(&t.owned, &k);
	assert_int_equal(ipvs_diff_remove_owned(&t.kernel, &t.owned, &t.batch), 2);
	assert_int_equal(t.batch.n_ops, 2);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(t.batch.ops[i].type, IPVS_OP_DEL_SERVICE);
	done(&t);
}

/* The benchmark's target: changing 1% of the weights costs exactly that
 * many ops, from a table built from config text. */
static void test_config_one_percent(void **state)
{
	size_t size = 100 * 400 + 1, len = 0;
	char *text = malloc(size);
	struct lbha_config *cfg = NULL;
	struct diag d;
	struct tables t = { 0 };

	for (int i = 0; i < 100; i++)
		len += (size_t)snprintf(text + len, size - len,
					"virtual_server 10.0.%d.%d 80 {\n protocol TCP\n lvs_method DR\n"
					" real_server 10.1.0.1 80 {\n }\n real_server 10.1.0.2 80 {\n }\n"
					" real_server 10.1.0.3 80 {\n }\n}\n", i / 200, i % 200 + 1);
	diag_init(&d);
	assert_int_equal(config_load_string("t.conf", text, len, NULL, &d, &cfg), 0);
	struct ipvs_desired_vs *st = calloc(cfg->virtual_servers.n, sizeof(*st));
	assert_int_equal(ipvs_desired_build(cfg, NULL, NULL, st, &t.wanted, NULL), 0);
	assert_int_equal(t.wanted.n_services, 100);
	copy_table(&t.kernel, &t.wanted);
	for (size_t i = 0; i < t.wanted.n_services; i++)
		ipvs_owned_add(&t.owned, &t.wanted.services[i].svc.key);
	run_diff(&t);
	assert_int_equal(t.batch.n_ops, 0);
	/* someone changes 3 of 300 weights by hand */
	t.kernel.services[7].dests[0].weight = 9;
	t.kernel.services[42].dests[2].weight = 0;
	t.kernel.services[99].dests[1].weight = 2;
	run_diff(&t);
	assert_int_equal(t.batch.n_ops, 3);
	assert_int_equal(t.res.ops[IPVS_OP_EDIT_DEST], 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(t.batch.ops[i].dest.weight, 1);
	done(&t);
	free(st);
	config_free(cfg);
	diag_done(&d);
	free(text);
}

/* ---- the owned set and its file ------------------------------------------------ */

static void test_owned_set(void **state)
{
	struct ipvs_owned o = { 0 }, c = { 0 };
	struct ipvs_service_key a = key_tcp("10.0.0.2", 80), b = key_tcp("10.0.0.1", 80),
		f = key_fwm(4, AF_INET);

	assert_true(ipvs_owned_add(&o, &a));
	assert_true(ipvs_owned_add(&o, &b));
	assert_false(ipvs_owned_add(&o, &a));
	assert_true(ipvs_owned_add(&o, &f));
	assert_int_equal(o.n, 3);
	for (size_t i = 1; i < o.n; i++)
		assert_true(ipvs_service_key_cmp(&o.keys[i - 1], &o.keys[i]) < 0);
	assert_true(ipvs_owned_contains(&o, &b));
	ipvs_owned_copy(&c, &o);
	assert_true(ipvs_owned_equal(&c, &o));
	assert_true(ipvs_owned_remove(&o, &b));
	assert_false(ipvs_owned_remove(&o, &b));
	assert_false(ipvs_owned_contains(&o, &b));
	assert_false(ipvs_owned_equal(&c, &o));
	ipvs_owned_clear(&o);
	ipvs_owned_clear(&c);
	ipvs_owned_clear(NULL);
}

static void test_owned_lines(void **state)
{
	static const char *const good[] = {
		"tcp 10.0.0.1 80", "udp 2001:db8::1 53", "sctp 10.0.0.2 3868", "fwmark 7 inet6",
		"fwmark 4294967295 inet", "tcp 10.0.0.1 0",
	};
	static const char *const bad[] = {
		"tcp 10.0.0.1", "tcp 10.0.0.1 65536", "icmp 10.0.0.1 1", "tcp 10.0.0 80",
		"fwmark 0 inet", "fwmark 7 ipx", "fwmark -1 inet", "tcp 10.0.0.1 80 extra", "",
		"tcp 10.0.0.1 +80",
	};
	char buf[IPVS_OWNED_LINE_MAX];
	struct ipvs_service_key k;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(ipvs_owned_key_parse(good[i], &k), 0);
		assert_string_equal(ipvs_owned_key_format(&k, buf, sizeof(buf)), good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ipvs_owned_key_parse(bad[i], &k), -EINVAL);
	assert_int_equal(ipvs_owned_key_parse("  udp 10.0.0.1 53 ", &k), 0);
	assert_int_equal(k.protocol, IPPROTO_UDP);
	assert_int_equal(k.port, 53);
}

static void test_owned_file(void **state)
{
	char dir[] = "/tmp/test-ipvs-owned.XXXXXX", path[64];
	struct ipvs_owned o = { 0 }, back = { 0 };
	struct ipvs_service_key k;
	size_t bad = 99, len;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, IPVS_OWNED_FILE);
	/* a missing file is an empty set */
	assert_int_equal(ipvs_owned_load(path, &back, &bad), 0);
	assert_int_equal(back.n, 0);
	assert_int_equal(bad, 0);

	k = key_tcp("10.0.0.1", 80);
	ipvs_owned_add(&o, &k);
	k = key_tcp("2001:db8::1", 443);
	ipvs_owned_add(&o, &k);
	k = key_fwm(9, AF_INET6);
	ipvs_owned_add(&o, &k);
	assert_int_equal(ipvs_owned_save(path, &o), 0);
	assert_int_equal(ipvs_owned_load(path, &back, &bad), 0);
	assert_int_equal(bad, 0);
	assert_true(ipvs_owned_equal(&o, &back));

	char *text = ipvs_owned_format(&o, &len);
	assert_non_null(strstr(text, "# lbha"));
	assert_non_null(strstr(text, "\ntcp 10.0.0.1 80\n"));
	assert_non_null(strstr(text, "\nfwmark 9 inet6\n"));
	assert_int_equal(strlen(text), len);
	free(text);

	/* damage costs only the damaged lines */
	assert_int_equal(ipvs_owned_parse("# c\n\ntcp 10.0.0.1 80\ngarbage\nudp 10.0.0.1 53", &back,
					  &bad), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(bad, 1);

	unlink(path);
	rmdir(dir);
	ipvs_owned_clear(&o);
	ipvs_owned_clear(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_is_no_op),
		cmocka_unit_test(test_from_empty),
		cmocka_unit_test(test_every_op_and_order),
		cmocka_unit_test(test_dest_edits),
		cmocka_unit_test(test_service_settings_edit),
		cmocka_unit_test(test_dest_family_change),
		cmocka_unit_test(test_ownership),
		cmocka_unit_test(test_owned_unwanted_absent),
		cmocka_unit_test(test_remove_owned),
		cmocka_unit_test(test_config_one_percent),
		cmocka_unit_test(test_owned_set),
		cmocka_unit_test(test_owned_lines),
		cmocka_unit_test(test_owned_file),
	};

	return cmocka_run_group_tests_name("ipvs_diff", tests, NULL, NULL);
}
