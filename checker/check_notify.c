#include <config.h>

/* check_notify: see check_notify.h.  Runs in flight are kept on a list so
 * the loop can be torn down with none left behind. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checker/check_notify.h"
#include "daemon/config_types.h"
#include "log.h"
#include "spawn.h"
#include "xalloc.h"

struct notify_run {
	struct check_notify *n;
	struct spawn *spawn;
	char *what;               /* "notify_down /path/to/script" for logs */
	struct notify_run *prev, *next;
};

struct check_notify {
	sd_event *event;
	char *script_user, *script_group;
	bool security;
	struct notify_run *runs;
	struct check_notify_counters counters;
};

struct check_notify *check_notify_new(sd_event *e)
{
	struct check_notify *n = xnew(struct check_notify);

	n->event = e;
	return n;
}

static void run_free(struct notify_run *run)
{
	struct check_notify *n = run->n;

	if (run->prev)
		run->prev->next = run->next;
	else
		n->runs = run->next;
	if (run->next)
		run->next->prev = run->prev;
	spawn_free(run->spawn);
	free(run->what);
	free(run);
}

struct check_notify *check_notify_free(struct check_notify *n)
{
	if (!n)
		return NULL;
	while (n->runs)
		run_free(n->runs);
	free(n->script_user);
	free(n->script_group);
	free(n);
	return NULL;
}

void check_notify_set_globals(struct check_notify *n, const char *script_user,
			      const char *script_group, bool security)
{
	free(n->script_user);
	free(n->script_group);
	n->script_user = script_user ? xstrdup(script_user) : NULL;
	n->script_group = script_group ? xstrdup(script_group) : NULL;
	n->security = security;
}

const struct check_notify_counters *check_notify_counters(const struct check_notify *n)
{
	return &n->counters;
}

static void on_done(struct spawn *s, const struct spawn_result *res, void *userdata)
{
	struct notify_run *run = userdata;

	if (!spawn_result_ok(res)) {
		run->n->counters.failed++;
		if (res->timed_out)
			log_warning("%s timed out and was killed", run->what);
		else if (res->signal)
			log_warning("%s killed by signal %d", run->what, res->signal);
		else
			log_warning("%s exited with status %d", run->what, res->exit_status);
	}
	run_free(run);
}

/* enable_script_security: only a run as root is checked. */
static bool allowed(struct check_notify *n, const char *path, const char *user, const char *what)
{
	char *why = NULL;
	uid_t uid;
	int r;

	if (!n->security || spawn_user_uid(user, &uid) < 0)
		return true; /* spawn_run() reports an unknown user */
	r = spawn_check_security(path, uid, &why);
	if (r == 0)
		return true;
	n->counters.refused++;
	log_warning("%s not run as root: %s", what, why ? why : strerror(-r));
	free(why);
	return false;
}

int check_notify_run(struct check_notify *n, const struct config_script *s, const char *who,
		     const char *keyword)
{
	struct notify_run *run;
	struct spawn_params p;
	const char *user, *group;
	int r;

	if (!n || !s || !s->argv || !s->argv[0])
		return 0;
	user = s->user ? s->user : n->script_user;
	group = s->user ? s->group : n->script_group;
	run = xnew(struct notify_run);
	run->n = n;
	run->what = xasprintf("%s %s %s", who, keyword, s->argv[0]);
	if (!allowed(n, s->argv[0], user, run->what)) {
		free(run->what);
		free(run);
		return -EPERM;
	}
	p = (struct spawn_params){
		.path = s->argv[0],
		.argv = s->argv,
		.user = user,
		.group = group,
		.timeout_usec = CHECK_NOTIFY_TIMEOUT_USEC,
	};
	r = spawn_run(n->event, &p, on_done, run, &run->spawn);
	if (r < 0) {
		n->counters.failed++;
		log_errno(LOG_WARNING, r, "%s could not be started", run->what);
		free(run->what);
		free(run);
		return r;
	}
	n->counters.started++;
	run->next = n->runs;
	if (n->runs)
		n->runs->prev = run;
	n->runs = run;
	log_debug("%s started (pid %ld)", run->what, (long)spawn_pid(run->spawn));
	return 0;
}
