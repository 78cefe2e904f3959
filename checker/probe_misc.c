#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monotonic.h"
#include "checker/probe_misc.h"
#include "daemon/config_types.h"
#include "spawn.h"
#include "xalloc.h"

struct probe_misc {
	struct spawn *spawn;
	sd_event_source *defer;   /* delivers a result known at start */
	probe_misc_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	struct probe_result res;
};

struct probe_misc *probe_misc_cancel(struct probe_misc *m)
{
	if (!m)
		return NULL;
	spawn_free(m->spawn);
	sd_event_source_disable_unref(m->defer);
	free(m);
	return NULL;
}

static void finish(struct probe_misc *m)
{
	struct probe_result res = m->res;
	probe_misc_done_fn cb = m->cb;
	void *userdata = m->userdata;

	if (!res.duration_usec)
		res.duration_usec = monotonic_usec() - m->start_usec;
	probe_misc_cancel(m);
	cb(&res, userdata);
}

static void on_done(struct spawn *s, const struct spawn_result *sr, void *userdata)
{
	struct probe_misc *m = userdata;

	m->res.duration_usec = sr->runtime_usec;
	/* a run killed at its timeout dies of our SIGTERM: report the timeout */
	if (sr->timed_out)
		probe_result_set(&m->res, PROBE_SCRIPT_TIMEOUT, 0, "killed after the timeout");
	else if (sr->signal)
		probe_result_set(&m->res, PROBE_SCRIPT_SIGNAL, sr->signal, "%s",
				 strsignal(sr->signal));
	else if (sr->exit_status)
		probe_result_set(&m->res, PROBE_SCRIPT_EXIT, sr->exit_status, NULL);
	else
		probe_result_set(&m->res, PROBE_OK, 0, NULL);
	finish(m);
}

static int on_defer(sd_event_source *s, void *userdata)
{
	finish(userdata);
	return 0;
}

/* Run it, or say in m->res why not (returns 1 then). */
static int run(struct probe_misc *m, sd_event *e, const struct config_checker *ck,
	       const struct probe_misc_options *o)
{
	const struct config_script *sc = ck->misc_path;
	struct spawn_params p = {
		.path = sc->argv[0],
		.argv = sc->argv,
		/* the checker's `user` also picks its group; else the globals */
		.user = sc->user ? sc->user : o ? o->script_user : NULL,
		.group = sc->user ? sc->group : o ? o->script_group : NULL,
		.timeout_usec = ck->misc_timeout_us,
	};
	int r;

	if (o && o->script_security) {
		uid_t uid;
		char *why = NULL;
		r = spawn_user_uid(p.user, &uid);
		if (r == 0)
			r = spawn_check_security(p.path, uid, &why);
		if (r < 0) {
			probe_result_set(&m->res, PROBE_SCRIPT_ERROR, 0, "not run: %s",
					 why ? why : strerror(-r));
			m->res.err = -r;
			free(why);
			return 1;
		}
	}
	r = spawn_run(e, &p, on_done, m, &m->spawn);
	if (r < 0) {
		m->spawn = NULL;
		probe_result_set(&m->res, PROBE_SCRIPT_ERROR, 0, "cannot run %s: %s", p.path,
				 strerror(-r));
		m->res.err = -r;
		return 1;
	}
	return 0;
}

int probe_misc_start(sd_event *e, const struct config_checker *ck,
		     const struct probe_misc_options *o, probe_misc_done_fn cb, void *userdata,
		     struct probe_misc **ret)
{
	struct probe_misc *m;
	int r;

	if (!e || !ck || !cb || ck->type != CONFIG_CHECK_MISC || !ck->misc_path ||
	    !ck->misc_path->argv || !ck->misc_path->argv[0])
		return -EINVAL;
	m = xnew(struct probe_misc);
	m->cb = cb;
	m->userdata = userdata;
	m->start_usec = monotonic_usec();
	r = run(m, e, ck, o);
	if (r > 0) {
		r = sd_event_add_defer(e, &m->defer, on_defer, m);
		if (r >= 0)
			r = sd_event_source_set_enabled(m->defer, SD_EVENT_ONESHOT);
	}
	if (r < 0) {
		probe_misc_cancel(m);
		return r;
	}
	if (ret)
		*ret = m;
	return 0;
}
