#include <config.h>

/* servers: see servers.h.  Real servers and probes live in arrays sorted by
 * identity key, so a reload is a merge of two sorted lists (no hash table,
 * O(n log n) for 10,000 servers); a second array of the real servers sorted
 * by config pointer answers ipvs_desired's callbacks by binary search. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "checker/check_notify.h"
#include "checker/health.h"
#include "checker/http_verdict.h"
#include "checker/probe_http.h"
#include "checker/probe_http1.h"
#include "checker/probe_run.h"
#include "checker/servers.h"
#include "checker/servers_int.h"
#include "checker/slow_start.h"
#include "daemon/config_addr.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "log.h"
#include "xalloc.h"

/* Timer slack: a probe may fire this much late, so sd-event can wake once
 * for several; small next to the jitter the health logic adds. */
#define PROBE_TIMER_ACCURACY_USEC 20000ULL

static void probe_step(struct srv_probe *p, const struct health_event *ev);
static void apply_seed(struct servers *s);

static uint64_t now_usec(const struct servers *s)
{
	uint64_t now = 0;

	sd_event_now(s->event, CLOCK_MONOTONIC, &now);
	return now ? now : 1;
}

/* ---- identity keys --------------------------------------------------------- */

/* Append to a key being built (keys are short: quadratic is fine). */
static void kadd(char **k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kadd(char **k, const char *fmt, ...)
{
	va_list ap;
	char *piece, *joined;

	va_start(ap, fmt);
	piece = xvasprintf(fmt, ap);
	va_end(ap);
	joined = xasprintf("%s%s", *k ? *k : "", piece);
	free(piece);
	free(*k);
	*k = joined;
}

static void put_addr(char **k, const struct config_addr *a)
{
	char buf[CONFIG_ADDR_STRLEN];

	kadd(k, "%s|", config_addr_is_set(a) ? config_addr_to_string(a, buf, sizeof(buf)) : "-");
}

static void put_str(char **k, const char *s)
{
	/* length-prefixed: no separator inside a value can fake a match */
	if (s)
		kadd(k, "%zu:%s|", strlen(s), s);
	else
		kadd(k, "-|");
}

static char *vs_key(const struct config_virtual_server *vs)
{
	char name[CONFIG_SERVICE_STRLEN];

	return xasprintf("%s/%d", config_vs_to_string(vs, name, sizeof(name)), vs->family);
}

static char *rs_key(const char *vskey, const struct config_real_server *rs)
{
	char a[CONFIG_ADDR_STRLEN];

	return xasprintf("%s|%s|%u", vskey, config_addr_to_string(&rs->addr, a, sizeof(a)),
			 rs->port);
}

/* Everything that changes what a probe does or when. */
static char *probe_key(const struct config_checker *ck)
{
	char *k = NULL;

	kadd(&k, "%d|", ck->type);
	put_addr(&k, &ck->connect_ip);
	kadd(&k, "%u|", ck->connect_port);
	put_addr(&k, &ck->bindto);
	put_str(&k, ck->bind_if);
	kadd(&k, "%u|%" PRIu32 "|%" PRIu64 "|%" PRIu32 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64
		 "|%d|%" PRIu32 "|%" PRIu32 "|%d|%d|%d|",
	     ck->bind_port, ck->fwmark, ck->connect_timeout_us, ck->retry,
	     ck->delay_before_retry_us, ck->delay_loop_us, ck->warmup_us, ck->alpha, ck->rise,
	     ck->fall, ck->http_protocol, ck->enable_sni, ck->fast_recovery);
	put_str(&k, ck->virtualhost);
	config_list_foreach(const struct config_url, u, &ck->urls) {
		put_str(&k, u->path);
		put_str(&k, u->digest);
		put_str(&k, u->virtualhost);
		put_str(&k, u->regex);
		kadd(&k, "%d|%zu|", u->regex_no_match, u->n_status);
		for (size_t i = 0; i < u->n_status; i++)
			kadd(&k, "%u-%u,", u->status[i].lo, u->status[i].hi);
	}
	if (ck->type == CONFIG_CHECK_MISC) {
		put_str(&k, ck->misc_path ? ck->misc_path->cmd : NULL);
		put_str(&k, ck->misc_user);
		put_str(&k, ck->misc_group);
		kadd(&k, "%" PRIu64 "|%d", ck->misc_timeout_us, ck->misc_dynamic);
	}
	return k;
}

/* ---- probes ---------------------------------------------------------------- */

static void probe_free_urls(struct srv_probe *p)
{
	for (size_t i = 0; i < p->n_urls; i++)
		http_url_check_free(p->urls[i]);
	free(p->urls);
	p->urls = NULL;
	p->n_urls = 0;
}

static void probe_compile_urls(struct srv_probe *p)
{
	const struct config_checker *ck = p->ck;
	char err[256];

	probe_free_urls(p);
	if (ck->type != CONFIG_CHECK_HTTP_GET && ck->type != CONFIG_CHECK_SSL_GET)
		return;
	p->urls = xcalloc(ck->urls.n ? ck->urls.n : 1, sizeof(*p->urls));
	config_list_foreach(const struct config_url, u, &ck->urls) {
		int r = http_url_check_new(u, NULL, &p->urls[p->n_urls], err, sizeof(err));
		if (r < 0) {
			log_warning("%s:%u: url %s: %s; this url is not checked", u->obj.file,
				    u->obj.line, u->path, err);
			continue;
		}
		p->n_urls++;
	}
}

static struct srv_probe *probe_free(struct srv_probe *p)
{
	if (!p)
		return NULL;
	probe_run_cancel(p->run);
	probe_http1_conn_close(&p->kept);
	timer_set_disarm(p->s->timers, &p->timer);
	probe_free_urls(p);
	free(p->users);
	free(p->key);
	free(p);
	return NULL;
}

static void on_probe_timer(struct timer_entry *t, uint64_t now)
{
	probe_step((struct srv_probe *)t, &(struct health_event){ .type = HEALTH_EV_TIMER });
}

static void probe_arm(struct srv_probe *p, uint64_t deadline)
{
	int r;

	if (!deadline)
		return;
	r = timer_set_arm(p->s->timers, &p->timer, deadline);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot arm a probe timer: checks of %s stop", p->key);
}

static void on_probe_done(const struct probe_result *res, void *userdata)
{
	struct srv_probe *p = userdata;
	bool dynamic = p->ck->type == CONFIG_CHECK_MISC && p->ck->misc_dynamic;
	struct health_event ev = { .type = HEALTH_EV_RESULT };

	p->run = NULL;
	p->last = *res;
	p->reused += res->reused;
	checker_metrics_record(&p->s->probe_stats, p->ck->type, res);
	ev.result = probe_run_health(res, dynamic);
	p->s->checks++;
	if (ev.result.reason != HEALTH_OK && ev.result.reason != HEALTH_LOCAL_ERROR)
		p->s->failures++;
	probe_step(p, &ev);
	p->s->dirty = true;
}

/* The HTTPS engine, made on first use. */
static void need_https(struct servers *s)
{
	int r;

	if (s->env.http || s->http_failed)
		return;
	r = probe_http_new(s->event, &s->http_opts, &s->env.http);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot set up the HTTPS probe engine: SSL_GET checks fail");
		s->env.http = NULL;
		s->http_failed = true;
		return;
	}
	log_debug("the HTTPS probe engine (libcurl) is set up: the first SSL_GET check");
}

static void probe_start_run(struct srv_probe *p)
{
	int r;

	if (p->ck->type == CONFIG_CHECK_SSL_GET)
		need_https(p->s);
	r = probe_run_start(&p->s->env, p->ck, p->urls, p->n_urls, &p->kept, on_probe_done, p,
			    &p->run);

	if (r < 0) {
		struct health_event ev = { .type = HEALTH_EV_RESULT,
					   .result = HEALTH_RESULT(HEALTH_LOCAL_ERROR, -r) };
		p->run = NULL;
		p->last = (struct probe_result){ .err = -r };
		probe_result_set(&p->last, PROBE_INTERNAL_ERROR, 0, "cannot start the probe");
		/* LOCAL_ERROR only re-arms the timer: no recursion beyond this */
		probe_step(p, &ev);
	}
}

/* ---- real servers ---------------------------------------------------------- */

static struct srv_rs *rs_free(struct srv_rs *rs)
{
	if (!rs)
		return NULL;
	/* the set holds a pointer into rs: a removed server mid-ramp must
	 * leave nothing behind */
	timer_set_disarm(rs->s->timers, &rs->ss_timer);
	free(rs->probes);
	free(rs->key);
	free(rs->name);
	free(rs->vsname);
	free(rs->who);
	free(rs);
	return NULL;
}

static void rs_changed(struct srv_rs *rs)
{
	rs->s->dirty_state = true;
	if (rs->s->changed)
		rs->s->changed(rs->s->userdata);
}

/* The ramp's next step on the shared timer set, or nothing when no ramp
 * runs (ended, stopped, or its target fell to 0 or 1). */
static void rs_arm_slow_start(struct srv_rs *rs)
{
	uint64_t next = slow_start_deadline(&rs->ss);
	int r;

	if (!next) {
		timer_set_disarm(rs->s->timers, &rs->ss_timer);
		return;
	}
	r = timer_set_arm(rs->s->timers, &rs->ss_timer, next);
	if (r < 0)
		log_errno(LOG_ERR, r, "%s: cannot arm the slow start timer", rs->who);
}

static void on_ss_timer(struct timer_entry *t, uint64_t now)
{
	struct srv_rs *rs = (struct srv_rs *)((char *)t - offsetof(struct srv_rs, ss_timer));
	uint32_t before = rs->ss.weight;

	slow_start_update(&rs->ss, now, NULL);
	if (rs->ss.weight != before)
		rs_changed(rs);
	rs_arm_slow_start(rs);
}

/* One of rs's checkers (p) changed rs's state; `out` says why. */
static void rs_state_changed(struct srv_rs *rs, const struct srv_probe *p,
			     const struct health_output *out, uint64_t now)
{
	bool up = rs->tally.up;

	rs->last_change_wall = (uint64_t)time(NULL);
	if (up) {
		rs->ups++;
		/* a recovery ramps up; a first verdict is not a recovery */
		if (!out->first_verdict)
			slow_start_begin(&rs->ss, now);
	} else {
		rs->downs++;
		slow_start_stop(&rs->ss);
	}
	rs_arm_slow_start(rs);
	log_notice("%s %s: %s (%s)", rs->who, up ? "up" : "down", out->reason,
		   config_checker_type_to_string(p->ck->type));
	check_notify_run(rs->s->notify, up ? rs->cfg->notify_up : rs->cfg->notify_down, rs->who,
			 up ? "notify_up" : "notify_down");
	rs_changed(rs);
}

/* ---- the state machine step -------------------------------------------------- */

static void probe_step(struct srv_probe *p, const struct health_event *ev)
{
	struct servers *s = p->s;
	uint64_t now = now_usec(s);
	struct health_output out;
	int r = health_checker_step(&p->hc, ev, now, &s->rng, &out);

	if (r < 0) {
		log_debug("probe %s: %s ignored: %s", p->key, health_event_to_string(ev->type),
			  strerror(-r));
		probe_arm(p, out.deadline_usec);
		return;
	}
	if (out.weight_changed)
		for (size_t i = 0; i < p->n_users; i++) {
			struct srv_rs *rs = p->users[i];
			if (health_rs_set_dynamic_weight(&rs->tally, out.weight)) {
				slow_start_set_target(&rs->ss, health_rs_weight(&rs->tally), now);
				rs_arm_slow_start(rs);
				rs_changed(rs);
			}
		}
	if (out.state_changed)
		for (size_t i = 0; i < p->n_users; i++) {
			struct srv_rs *rs = p->users[i];
			if (health_rs_checker_changed(&rs->tally, out.new_state, now))
				rs_state_changed(rs, p, &out, now);
		}
	if (out.first_verdict)
		s->dirty_state = true;
	if (out.start_probe)
		probe_start_run(p);
	else
		probe_arm(p, out.deadline_usec);
}

/* ---- lookups --------------------------------------------------------------- */

static int rs_key_cmp(const void *a, const void *b)
{
	return strcmp((*(struct srv_rs *const *)a)->key, (*(struct srv_rs *const *)b)->key);
}

static int rs_cfg_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct srv_rs *const *)a)->cfg;
	uintptr_t y = (uintptr_t)(*(struct srv_rs *const *)b)->cfg;

	return x < y ? -1 : x > y;
}

static int probe_key_cmp(const void *a, const void *b)
{
	return strcmp((*(struct srv_probe *const *)a)->key, (*(struct srv_probe *const *)b)->key);
}

/* The first of `n` sorted items whose key is `key`, not yet taken. */
static struct srv_rs *take_rs(struct srv_rs **v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(v[lo]->key, key) == 0; lo++)
		if (!v[lo]->taken) {
			v[lo]->taken = true;
			return v[lo];
		}
	return NULL;
}

static struct srv_probe *take_probe(struct srv_probe **v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(v[lo]->key, key) == 0 && !v[lo]->taken) {
		v[lo]->taken = true;
		return v[lo];
	}
	return NULL;
}

struct srv_rs *servers_find(const struct servers *s, const struct config_real_server *cfg)
{
	size_t lo = 0, hi = s->n_rs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uintptr_t k = (uintptr_t)s->by_cfg[mid]->cfg;
		if (k == (uintptr_t)cfg)
			return s->by_cfg[mid];
		if (k < (uintptr_t)cfg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool servers_up(const struct config_real_server *cfg, void *userdata)
{
	const struct srv_rs *rs = servers_find(userdata, cfg);

	return rs ? rs->tally.up : true;
}

uint32_t servers_weight(const struct config_real_server *cfg, void *userdata)
{
	const struct srv_rs *rs = servers_find(userdata, cfg);

	if (!rs)
		return cfg->weight;
	return rs->ss.active ? rs->ss.weight : health_rs_weight(&rs->tally);
}

/* ---- apply ----------------------------------------------------------------- */

struct use {
	char *key;                 /* the probe's key */
	struct srv_rs *rs;
	const struct config_checker *ck;
	size_t order;
};

static int use_cmp(const void *pa, const void *pb)
{
	const struct use *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c ? c : (a->order < b->order ? -1 : a->order > b->order);
}

static void add_user(struct srv_probe *p, struct srv_rs *rs)
{
	if (p->n_users == p->alloc_users) {
		p->alloc_users = p->alloc_users ? 2 * p->alloc_users : 2;
		p->users = xreallocarray(p->users, p->alloc_users, sizeof(*p->users));
	}
	p->users[p->n_users++] = rs;
	rs->probes[rs->n_probes++] = p;
}

/* Real servers of the new config: kept ones matched by key, others new. */
static struct srv_rs **match_real_servers(struct servers *s, const struct lbha_config *cfg,
					  size_t *ret_n, size_t *ret_uses)
{
	size_t n = 0, uses = 0, alloc = 16;
	struct srv_rs **v = xcalloc(alloc, sizeof(*v));
	char name[CONFIG_SERVICE_STRLEN];

	config_list_foreach(const struct config_virtual_server, vs, &cfg->virtual_servers) {
		char *vk = vs_key(vs);
		config_list_foreach(const struct config_real_server, c, &vs->real_servers) {
			char *key = rs_key(vk, c);
			struct srv_rs *rs = take_rs(s->rs, s->n_rs, key);

			if (rs) {
				free(key);
				free(rs->name);
				free(rs->vsname);
				free(rs->who);
			} else {
				rs = xnew(struct srv_rs);
				rs->s = s;
				timer_entry_init(&rs->ss_timer, on_ss_timer);
				rs->key = key;
				rs->fresh = true;
			}
			rs->cfg = c;
			rs->vs = vs;
			rs->vsname = xstrdup(config_vs_to_string(vs, name, sizeof(name)));
			rs->name = xstrdup(config_rs_to_string(c, name, sizeof(name)));
			rs->who = xasprintf("[VS %s] real server %s", rs->vsname, rs->name);
			free(rs->probes);
			rs->probes = xcalloc(c->checkers.n ? c->checkers.n : 1, sizeof(*rs->probes));
			rs->n_probes = 0;
			uses += c->checkers.n;
			if (n == alloc) {
				alloc *= 2;
				v = xreallocarray(v, alloc, sizeof(*v));
			}
			v[n++] = rs;
		}
		free(vk);
	}
	*ret_n = n;
	*ret_uses = uses;
	return v;
}

void servers_apply(struct servers *s, const struct lbha_config *cfg)
{
	size_t n_rs, n_uses, k = 0, n_probes = 0;
	struct srv_rs **rs_v = match_real_servers(s, cfg, &n_rs, &n_uses);
	struct use *uses = xcalloc(n_uses ? n_uses : 1, sizeof(*uses));
	struct srv_probe **pv = xcalloc(n_uses ? n_uses : 1, sizeof(*pv));
	uint64_t now = now_usec(s);

	for (size_t i = 0; i < n_rs; i++)
		config_list_foreach(const struct config_checker, ck, &rs_v[i]->cfg->checkers) {
			uses[k] = (struct use){ .key = probe_key(ck), .rs = rs_v[i], .ck = ck, .order = k };
			k++;
		}
	qsort(uses, n_uses, sizeof(*uses), use_cmp);

	/* one probe per distinct key: kept when the old config had it */
	for (size_t i = 0; i < n_uses; i++) {
		struct srv_probe *p;
		/* compare with the probe's own key: uses[i - 1].key may be freed */
		if (n_probes && strcmp(uses[i].key, pv[n_probes - 1]->key) == 0) {
			add_user(pv[n_probes - 1], uses[i].rs);
			free(uses[i].key);
			continue;
		}
		p = take_probe(s->probes, s->n_probes, uses[i].key);
		if (p) {
			free(uses[i].key);
			p->n_users = 0;
		} else {
			struct health_params hp;
			p = xnew(struct srv_probe);
			timer_entry_init(&p->timer, on_probe_timer);
			p->s = s;
			p->key = uses[i].key;
			health_params_from_config(&hp, uses[i].ck);
			if (health_checker_init(&p->hc, &hp) < 0) {
				/* the validator keeps these out; be safe */
				hp.rise = hp.rise ? hp.rise : 1;
				hp.fall = hp.fall ? hp.fall : 1;
				hp.delay_loop_usec = hp.delay_loop_usec ? hp.delay_loop_usec : 60000000;
				hp.jitter_pct = HEALTH_JITTER_PCT;
				health_checker_init(&p->hc, &hp);
			}
		}
		p->ck = uses[i].ck;
		probe_compile_urls(p);
		pv[n_probes++] = p;
		add_user(p, uses[i].rs);
		if (p->run) {
			/* the run in flight uses the old config: the same
			 * probe again on the new one */
			p->run = probe_run_cancel(p->run);
			probe_start_run(p);
		}
	}
	free(uses);

	for (size_t i = 0; i < s->n_probes; i++)
		if (!s->probes[i]->taken)
			probe_free(s->probes[i]);
	for (size_t i = 0; i < n_probes; i++)
		pv[i]->taken = false;
	free(s->probes);
	s->probes = pv;
	s->n_probes = n_probes;
	qsort(s->probes, n_probes, sizeof(*s->probes), probe_key_cmp);

	for (size_t i = 0; i < s->n_rs; i++)
		if (!s->rs[i]->taken)
			rs_free(s->rs[i]);
	free(s->rs);
	free(s->by_cfg);
	s->rs = rs_v;
	s->n_rs = n_rs;

	apply_seed(s);
	for (size_t i = 0; i < n_rs; i++) {
		struct srv_rs *rs = rs_v[i];
		const struct health_checker *hc[rs->n_probes ? rs->n_probes : 1];

		rs->taken = false;
		for (size_t j = 0; j < rs->n_probes; j++)
			hc[j] = &rs->probes[j]->hc;
		if (rs->fresh) {
			rs->fresh = false;
			health_rs_init(&rs->tally, rs->cfg->weight, hc, rs->n_probes);
			slow_start_init(&rs->ss, rs->cfg->slow_start_us, health_rs_weight(&rs->tally));
			continue;
		}
		rs->tally.config_weight = rs->cfg->weight;
		slow_start_set_duration(&rs->ss, rs->cfg->slow_start_us, now);
		slow_start_set_target(&rs->ss, health_rs_weight(&rs->tally), now);
		if (health_rs_recount(&rs->tally, hc, rs->n_probes, now)) {
			rs->last_change_wall = (uint64_t)time(NULL);
			log_notice("%s %s: its checkers changed", rs->who,
				   rs->tally.up ? "up" : "down");
			/* down mid-ramp: the ramp is over, as on a failed check */
			if (!rs->tally.up)
				slow_start_stop(&rs->ss);
			rs_changed(rs);
		}
		rs_arm_slow_start(rs);
	}
	qsort(s->rs, n_rs, sizeof(*s->rs), rs_key_cmp);
	s->by_cfg = xcalloc(n_rs ? n_rs : 1, sizeof(*s->by_cfg));
	memcpy(s->by_cfg, s->rs, n_rs * sizeof(*s->rs));
	qsort(s->by_cfg, n_rs, sizeof(*s->by_cfg), rs_cfg_cmp);
	s->env.misc = (struct probe_misc_options){
		.script_user = cfg->global.script_user,
		.script_group = cfg->global.script_group,
		.script_security = cfg->global.enable_script_security,
	};
	s->cfg = cfg;
	check_notify_set_globals(s->notify, cfg->global.script_user, cfg->global.script_group,
				 cfg->global.enable_script_security);
	s->dirty_state = true;
}

void servers_start(struct servers *s)
{
	for (size_t i = 0; i < s->n_probes; i++)
		if (s->probes[i]->hc.phase == HEALTH_PHASE_IDLE)
			probe_step(s->probes[i], &(struct health_event){ .type = HEALTH_EV_START });
}

/* ---- life ------------------------------------------------------------------ */

static char *dup_or_null(const char *str)
{
	return str ? xstrdup(str) : NULL;
}

/* Replace *o with a copy of `from` (NULL: defaults); strings owned. */
static void opts_set(struct probe_http_options *o, const struct probe_http_options *from)
{
	free((char *)o->ca_file);
	free((char *)o->cert_file);
	free((char *)o->key_file);
	if (o->key_password)
		explicit_bzero((char *)o->key_password, strlen(o->key_password));
	free((char *)o->key_password);
	free((char *)o->user_agent);
	*o = (struct probe_http_options){ 0 };
	if (!from)
		return;
	*o = (struct probe_http_options){
		.ca_file = dup_or_null(from->ca_file), .cert_file = dup_or_null(from->cert_file),
		.key_file = dup_or_null(from->key_file),
		.key_password = dup_or_null(from->key_password), .verify = from->verify,
		.user_agent = dup_or_null(from->user_agent),
	};
}

struct servers *servers_new(sd_event *e, const struct probe_http_options *http,
			    struct check_notify *notify, servers_changed_fn changed, void *userdata)
{
	struct servers *s = xnew(struct servers);
	uint64_t seed = 0;
	int r;

	s->event = e;
	s->notify = notify;
	s->changed = changed;
	s->userdata = userdata;
	s->env.event = e;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	health_rng_seed(&s->rng, seed);
	r = timer_set_new(e, PROBE_TIMER_ACCURACY_USEC, "probe-timers", &s->timers);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot set up the probe timers: no check will run");
	opts_set(&s->http_opts, http);
	r = probe_http1_new(e, http ? http->user_agent : NULL, &s->env.http1);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot set up the HTTP probe engine: HTTP_GET checks will fail");
		s->env.http1 = NULL;
	}
	return s;
}

void servers_set_http_options(struct servers *s, const struct probe_http_options *http)
{
	struct probe_http *h;
	int r;

	opts_set(&s->http_opts, http);
	s->http_failed = false;
	if (!s->env.http)
		return; /* made with these on the first SSL_GET probe */
	r = probe_http_new(s->event, http, &h);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot remake the HTTP probe engine: the SSL block's "
			  "change is not applied");
		return;
	}
	/* runs hold the engine they started on: start them again on the new one */
	bool *restart = xcalloc(s->n_probes ? s->n_probes : 1, sizeof(*restart));
	for (size_t i = 0; i < s->n_probes; i++) {
		struct srv_probe *p = s->probes[i];
		/* HTTP_GET runs on its own engine, which the SSL block does not touch */
		if (p->run && p->ck->type == CONFIG_CHECK_SSL_GET) {
			p->run = probe_run_cancel(p->run);
			restart[i] = true;
		}
	}
	probe_http_free(s->env.http);
	s->env.http = h;
	for (size_t i = 0; i < s->n_probes; i++)
		if (restart[i])
			probe_start_run(s->probes[i]);
	free(restart);
}

void servers_seed(struct servers *s, struct kernel_seed *seed, size_t n)
{
	free(s->seed);
	s->seed = seed;
	s->n_seed = n;
}

/* The seed of a probe never started: down if the kernel had any of its
 * users down, up if it had all of them up, else -1 (alpha decides). */
static int probe_seed(const struct servers *s, const struct srv_probe *p)
{
	int all = -1;

	for (size_t i = 0; i < p->n_users; i++) {
		int st = kernel_seed_find(s->seed, s->n_seed, p->users[i]->cfg);
		if (st == HEALTH_DOWN)
			return HEALTH_DOWN;
		if (st < 0)
			return -1;
		all = st;
	}
	return all;
}

/* Start the new probes from how the kernel had their servers (once). */
static void apply_seed(struct servers *s)
{
	size_t up = 0, down = 0;

	if (!s->seed)
		return;
	for (size_t i = 0; i < s->n_probes; i++) {
		struct srv_probe *p = s->probes[i];
		int st = p->hc.phase == HEALTH_PHASE_IDLE ? probe_seed(s, p) : -1;
		if (st >= 0 && health_checker_seed(&p->hc, (enum health_state)st) == 0) {
			up += st == HEALTH_UP;
			down += st == HEALTH_DOWN;
		}
	}
	if (up + down)
		log_notice("starting %zu checks from the kernel's IPVS table: %zu up, %zu down", up + down,
			   up, down);
	servers_seed(s, NULL, 0);
}

size_t servers_count(const struct servers *s)
{
	return s ? s->n_rs : 0;
}

struct servers *servers_free(struct servers *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->n_probes; i++)
		probe_free(s->probes[i]);
	for (size_t i = 0; i < s->n_rs; i++)
		rs_free(s->rs[i]);
	free(s->probes);
	free(s->rs);
	free(s->by_cfg);
	probe_http_free(s->env.http);
	probe_http1_free(s->env.http1);
	opts_set(&s->http_opts, NULL);
	free(s->seed);
	timer_set_free(s->timers);
	free(s);
	return NULL;
}
