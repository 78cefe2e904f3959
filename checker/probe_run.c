#include <config.h>

/* probe_run: see probe_run.h.  One small struct per run, holding whichever
 * probe handle is in flight. */

#include <errno.h>
#include <stdlib.h>

#include "checker/probe_http.h"
#include "checker/probe_http1.h"
#include "checker/probe_run.h"
#include "checker/probe_tcp.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct probe_run {
	const struct config_checker *ck;
	struct http_url_check *const *urls;
	size_t n_urls, url_next;
	struct probe_http *http;
	struct probe_http_run *http_run;
	struct probe_http1 *http1;         /* set: HTTP_GET goes through it */
	struct probe_http1_run *http1_run;
	struct probe_http1_conn **keep;
	struct probe_tcp *tcp;
	struct probe_misc *misc;
	probe_run_done_fn cb;
	void *userdata;
};

static void finish(struct probe_run *r, const struct probe_result *res)
{
	struct probe_result copy = *res;
	probe_run_done_fn cb = r->cb;
	void *userdata = r->userdata;

	/* the inner handle is freed by its engine when we return to it */
	free(r);
	cb(&copy, userdata);
}

static int http_next(struct probe_run *r);

static void on_http_done(const struct probe_result *res, void *userdata)
{
	struct probe_run *r = userdata;
	struct probe_result fail;
	int err;

	r->http_run = NULL;
	r->http1_run = NULL;
	if (res->reason != PROBE_OK || r->url_next >= r->n_urls) {
		finish(r, res);
		return;
	}
	err = http_next(r);
	if (err < 0) {
		fail = (struct probe_result){ .err = -err };
		probe_result_set(&fail, PROBE_INTERNAL_ERROR, 0, "cannot start url %zu", r->url_next);
		finish(r, &fail);
	}
}

static int http_next(struct probe_run *r)
{
	if (r->http1)
		return probe_http1_start(r->http1, r->ck, r->urls[r->url_next++], r->keep,
					 on_http_done, r, &r->http1_run);
	return probe_http_start(r->http, r->ck, r->urls[r->url_next++], on_http_done, r,
				&r->http_run);
}

static void on_simple_done(const struct probe_result *res, void *userdata)
{
	struct probe_run *r = userdata;

	r->tcp = NULL;
	r->misc = NULL;
	finish(r, res);
}

int probe_run_start(const struct probe_run_env *env, const struct config_checker *ck,
		    struct http_url_check *const *urls, size_t n_urls,
		    struct probe_http1_conn **keep, probe_run_done_fn cb, void *userdata,
		    struct probe_run **ret)
{
	struct probe_run *r;
	int err;

	if (!env || !ck || !cb || !ret)
		return -EINVAL;
	r = xnew(struct probe_run);
	*r = (struct probe_run){ .ck = ck, .urls = urls, .n_urls = n_urls, .http = env->http,
				 .keep = keep, .cb = cb, .userdata = userdata };
	switch (ck->type) {
	case CONFIG_CHECK_HTTP_GET:
		r->http1 = env->http1;
		err = (!env->http1 || n_urls == 0) ? -EINVAL : http_next(r);
		break;
	case CONFIG_CHECK_SSL_GET:
		err = (!env->http || n_urls == 0) ? -EINVAL : http_next(r);
		break;
	case CONFIG_CHECK_TCP:
		err = probe_tcp_start(env->event, ck, on_simple_done, r, &r->tcp);
		break;
	case CONFIG_CHECK_MISC:
		err = probe_misc_start(env->event, ck, &env->misc, on_simple_done, r, &r->misc);
		break;
	default:
		err = -EINVAL;
	}
	if (err < 0) {
		free(r);
		return err;
	}
	*ret = r;
	return 0;
}

struct probe_run *probe_run_cancel(struct probe_run *r)
{
	if (!r)
		return NULL;
	probe_http_cancel(r->http_run);
	probe_http1_cancel(r->http1_run);
	probe_tcp_cancel(r->tcp);
	probe_misc_cancel(r->misc);
	free(r);
	return NULL;
}

/* ---- probe result -> health result ----------------------------------------- */

enum code_from {
	CODE_NONE,
	CODE_CODE,   /* probe_result.code: status, exit code, signal */
	CODE_ERRNO,  /* probe_result.err */
	CODE_FIXED,  /* the table's value */
};

struct reason_map {
	enum health_reason reason;
	enum code_from from;
	int fixed;
	bool misc_exit;  /* through health_misc_exit() */
};

static const struct reason_map reason_map[_PROBE_REASON_MAX] = {
	[PROBE_OK] = { HEALTH_OK, CODE_NONE, 0, false },
	[PROBE_TIMEOUT] = { HEALTH_TIMEOUT, CODE_NONE, 0, false },
	[PROBE_REFUSED] = { HEALTH_REFUSED, CODE_NONE, 0, false },
	[PROBE_UNREACHABLE] = { HEALTH_UNREACHABLE, CODE_ERRNO, 0, false },
	[PROBE_CONNECT_ERROR] = { HEALTH_CONNECT_ERROR, CODE_ERRNO, 0, false },
	[PROBE_TLS_ERROR] = { HEALTH_TLS_ERROR, CODE_NONE, 0, false },
	[PROBE_HTTP_ERROR] = { HEALTH_BAD_RESPONSE, CODE_NONE, 0, false },
	[PROBE_HTTP_STATUS] = { HEALTH_STATUS_CODE, CODE_CODE, 0, false },
	[PROBE_DIGEST_MISMATCH] = { HEALTH_DIGEST_MISMATCH, CODE_NONE, 0, false },
	[PROBE_REGEX_NO_MATCH] = { HEALTH_REGEX, CODE_NONE, 0, false },
	[PROBE_REGEX_MATCH] = { HEALTH_REGEX, CODE_NONE, 0, false },
	[PROBE_BODY_TOO_LARGE] = { HEALTH_BAD_RESPONSE, CODE_NONE, 0, false },
	[PROBE_SCRIPT_EXIT] = { HEALTH_SCRIPT_EXIT, CODE_CODE, 0, true },
	[PROBE_SCRIPT_SIGNAL] = { HEALTH_SCRIPT_SIGNAL, CODE_CODE, 0, false },
	[PROBE_SCRIPT_TIMEOUT] = { HEALTH_SCRIPT_TIMEOUT, CODE_NONE, 0, false },
	[PROBE_SCRIPT_ERROR] = { HEALTH_SCRIPT_EXIT, CODE_FIXED, 127, false },
	[PROBE_INTERNAL_ERROR] = { HEALTH_LOCAL_ERROR, CODE_ERRNO, 0, false },
};

struct health_result probe_run_health(const struct probe_result *r, bool misc_dynamic)
{
	const struct reason_map *m;
	int code = 0;

	if (!r || r->reason < 0 || r->reason >= _PROBE_REASON_MAX)
		return HEALTH_RESULT(HEALTH_LOCAL_ERROR, EINVAL);
	m = &reason_map[r->reason];
	/* a MISC_CHECK that exited 0 also goes through the misc rule, which
	 * decides the weight; other probes' OK have no exit code */
	if (m->misc_exit || (r->reason == PROBE_OK && misc_dynamic))
		return health_misc_exit(r->code, misc_dynamic);
	if (m->from == CODE_CODE)
		code = r->code;
	else if (m->from == CODE_ERRNO)
		code = r->err;
	else if (m->from == CODE_FIXED)
		code = m->fixed;
	return HEALTH_RESULT(m->reason, code);
}
