/* vrrp_notify: notify scripts and notify fifos for VRRP transitions.
 *
 * A transition writes its fifo lines at once and appends up to two jobs (the
 * state's own script, then the generic one) to the queue of its owner (an
 * instance or a sync group, by kind and name).  Each owner runs one job at a
 * time through lib/spawn; the end of a run (exit, or the kill at its timeout)
 * starts the next.  An owner with nothing queued or running is freed, so the
 * list holds only owners with work and stays small whatever the config does.
 *
 * Everything a job needs (argv, user, group, timeout) is copied when it is
 * queued: a reload may free the config_script it came from. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/config_types.h"
#include "log.h"
#include "spawn.h"
#include "vrrp/vrrp_notify.h"
#include "xalloc.h"

static const char *const kind_names[_VRRP_NOTIFY_KIND_MAX] = {
	[VRRP_NOTIFY_INSTANCE] = "INSTANCE",
	[VRRP_NOTIFY_GROUP] = "GROUP",
};

static const char *const state_names[_VRRP_NOTIFY_STATE_MAX] = {
	[VRRP_NOTIFY_MASTER] = "MASTER",
	[VRRP_NOTIFY_BACKUP] = "BACKUP",
	[VRRP_NOTIFY_FAULT] = "FAULT",
	[VRRP_NOTIFY_STOP] = "STOP",
};

/* The config keyword of each state's own script, for log lines. */
static const char *const state_keywords[_VRRP_NOTIFY_STATE_MAX] = {
	[VRRP_NOTIFY_MASTER] = "notify_master",
	[VRRP_NOTIFY_BACKUP] = "notify_backup",
	[VRRP_NOTIFY_FAULT] = "notify_fault",
	[VRRP_NOTIFY_STOP] = "notify_stop",
};

const char *vrrp_notify_kind_to_string(enum vrrp_notify_kind k)
{
	return k >= 0 && k < _VRRP_NOTIFY_KIND_MAX ? kind_names[k] : NULL;
}

const char *vrrp_notify_state_to_string(enum vrrp_notify_state s)
{
	return s >= 0 && s < _VRRP_NOTIFY_STATE_MAX ? state_names[s] : NULL;
}

enum vrrp_notify_state vrrp_notify_state_from_string(const char *s)
{
	for (int i = 0; s && i < _VRRP_NOTIFY_STATE_MAX; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (enum vrrp_notify_state)i;
	return _VRRP_NOTIFY_STATE_INVALID;
}

/* The settings, owned. */
struct notify_conf {
	char *script_user, *script_group;
	bool security;
	uint64_t timeout_usec, kill_delay_usec;
	char *fifo[2];           /* notify_fifo, vrrp_notify_fifo (NULL: none) */
	bool fifo_create;
};

struct notify_job {
	struct notify_job *next;
	const char *keyword;     /* "notify_master", ..., "notify" (static) */
	char **argv;             /* owned, NULL-terminated */
	char *user, *group;      /* owned; NULL: as we run / the user's group */
	uint64_t timeout_usec, kill_delay_usec;
	bool security;
};

struct notify_owner {
	struct notify_owner *next;
	struct vrrp_notify *n;
	enum vrrp_notify_kind kind;
	char *name;
	struct notify_job *head, *tail;  /* waiting */
	size_t queued;
	struct notify_job *current;      /* running */
	struct spawn *spawn;
};

struct vrrp_notify {
	sd_event *event;
	struct notify_conf conf;
	struct notify_owner *owners;
	struct vrrp_notify_counters counters;
	vrrp_notify_idle_fn idle_fn;
	void *idle_userdata;
};

/* ---- settings ------------------------------------------------------------ */

static char *strdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static const char *fifo_path(const struct config_script *s)
{
	return s && s->cmd && *s->cmd ? s->cmd : NULL;
}

static void conf_clear(struct notify_conf *c)
{
	free(c->script_user);
	free(c->script_group);
	free(c->fifo[0]);
	free(c->fifo[1]);
	*c = (struct notify_conf){ 0 };
}

static void conf_set(struct notify_conf *c, const struct vrrp_notify_settings *s)
{
	const char *f0 = fifo_path(s->notify_fifo), *f1 = fifo_path(s->vrrp_notify_fifo);

	conf_clear(c);
	c->script_user = strdup_or_null(s->script_user);
	c->script_group = strdup_or_null(s->script_group);
	c->security = s->script_security;
	c->timeout_usec = s->timeout_usec ? s->timeout_usec : VRRP_NOTIFY_TIMEOUT_DEFAULT_USEC;
	c->kill_delay_usec = s->kill_delay_usec;
	c->fifo[0] = strdup_or_null(f0);
	/* the same fifo named twice gets each line once */
	c->fifo[1] = f1 && !(f0 && strcmp(f0, f1) == 0) ? xstrdup(f1) : NULL;
	c->fifo_create = s->fifo_create;
}

struct vrrp_notify *vrrp_notify_new(sd_event *e, const struct vrrp_notify_settings *s)
{
	struct vrrp_notify *n = xnew(struct vrrp_notify);
	static const struct vrrp_notify_settings none;

	n->event = sd_event_ref(e);
	conf_set(&n->conf, s ? s : &none);
	return n;
}

void vrrp_notify_set_settings(struct vrrp_notify *n, const struct vrrp_notify_settings *s)
{
	static const struct vrrp_notify_settings none;

	conf_set(&n->conf, s ? s : &none);
}

void vrrp_notify_set_idle_callback(struct vrrp_notify *n, vrrp_notify_idle_fn fn, void *userdata)
{
	n->idle_fn = fn;
	n->idle_userdata = userdata;
}

const struct vrrp_notify_counters *vrrp_notify_counters(const struct vrrp_notify *n)
{
	return &n->counters;
}

size_t vrrp_notify_pending(const struct vrrp_notify *n)
{
	size_t total = 0;

	for (const struct notify_owner *o = n ? n->owners : NULL; o; o = o->next)
		total += o->queued + (o->spawn ? 1 : 0);
	return total;
}

/* ---- fifo ----------------------------------------------------------------- */

/* One write that cannot block and cannot kill us: a reader that closes
 * between our open and write raises SIGPIPE, which the vrrp child ignores
 * anyway, but this module must not depend on it: block it for the write and
 * swallow the one the write raised, if any. */
static ssize_t write_nosigpipe(int fd, const char *buf, size_t len)
{
	sigset_t pipe_set, old, pending;
	struct timespec zero = { 0 };
	bool was_pending;
	ssize_t w;
	int e;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	w = write(fd, buf, len);
	e = errno;
	if (w < 0 && e == EPIPE && !was_pending)
		(void)sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}

/* Returns 0 when the line went in whole, a negative errno otherwise. */
static int fifo_write(const char *path, bool create, const char *line, size_t len)
{
	struct stat st;
	ssize_t w;
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkfifo(path, 0600) < 0 && errno != EEXIST)
			return -errno;
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	}
	if (fd < 0)
		return -errno; /* ENXIO: no reader */
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		/* a regular file would grow without bound; not what was asked */
		close(fd);
		return -ENOTSUP;
	}
	/* lines under PIPE_BUF are written whole or not at all */
	w = write_nosigpipe(fd, line, len);
	if (w < 0)
		r = -errno;
	else if ((size_t)w != len)
		r = -EAGAIN;
	close(fd);
	return r;
}

static void write_fifos(struct vrrp_notify *n, const struct vrrp_notify_event *ev)
{
	char *line;
	size_t len;

	if (!n->conf.fifo[0] && !n->conf.fifo[1])
		return;
	/* keepalived's format, priority 0 for a group */
	line = xasprintf("%s \"%s\" %s %d\n", kind_names[ev->kind], ev->name,
			 state_names[ev->state], ev->kind == VRRP_NOTIFY_GROUP ? 0 : ev->priority);
	len = strlen(line);
	for (size_t i = 0; i < 2; i++) {
		int r;

		if (!n->conf.fifo[i])
			continue;
		r = fifo_write(n->conf.fifo[i], n->conf.fifo_create, line, len);
		if (r == 0) {
			n->counters.fifo_written++;
			continue;
		}
		n->counters.fifo_dropped++;
		/* nobody reading is normal (the reader may start later); the rest
		 * is worth a line */
		if (r != -ENXIO && r != -EAGAIN)
			log_errno(LOG_WARNING, r, "notify fifo %s: line for %s %s dropped",
				  n->conf.fifo[i], kind_names[ev->kind], ev->name);
	}
	free(line);
}

/* ---- jobs and owners -------------------------------------------------------- */

static struct notify_job *job_free(struct notify_job *j)
{
	if (!j)
		return NULL;
	for (char **a = j->argv; a && *a; a++)
		free(*a);
	free(j->argv);
	free(j->user);
	free(j->group);
	free(j);
	return NULL;
}

/* Copy `s` into a job, with `extra` (NULL-terminated, may be NULL) appended. */
static struct notify_job *job_new(const struct notify_conf *c, const char *keyword,
				  const struct config_script *s, const char *const *extra)
{
	struct notify_job *j;
	size_t n_extra = 0, k = 0;

	if (!s || s->argc == 0 || !s->argv || !s->argv[0])
		return NULL;
	while (extra && extra[n_extra])
		n_extra++;
	j = xnew(struct notify_job);
	j->keyword = keyword;
	j->argv = xcalloc(s->argc + n_extra + 1, sizeof(char *));
	for (size_t i = 0; i < s->argc; i++)
		j->argv[k++] = xstrdup(s->argv[i]);
	for (size_t i = 0; i < n_extra; i++)
		j->argv[k++] = xstrdup(extra[i]);
	/* "cmd user [group]" on the script line wins over script_user as a whole */
	if (s->user) {
		j->user = xstrdup(s->user);
		j->group = strdup_or_null(s->group);
	} else {
		j->user = strdup_or_null(c->script_user);
		j->group = strdup_or_null(s->group ? s->group : c->script_group);
	}
	j->timeout_usec = c->timeout_usec;
	j->kill_delay_usec = c->kill_delay_usec;
	j->security = c->security;
	return j;
}

static struct notify_owner *owner_get(struct vrrp_notify *n, enum vrrp_notify_kind kind,
				      const char *name)
{
	struct notify_owner *o;

	for (o = n->owners; o; o = o->next)
		if (o->kind == kind && strcmp(o->name, name) == 0)
			return o;
	o = xnew(struct notify_owner);
	o->n = n;
	o->kind = kind;
	o->name = xstrdup(name);
	o->next = n->owners;
	n->owners = o;
	return o;
}

static void owner_free(struct notify_owner *o)
{
	struct notify_job *j = o->head;

	while (j) {
		struct notify_job *next = j->next;

		job_free(j);
		j = next;
	}
	spawn_free(o->spawn);
	job_free(o->current);
	free(o->name);
	free(o);
}

static void owner_remove(struct vrrp_notify *n, struct notify_owner *o)
{
	for (struct notify_owner **p = &n->owners; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	owner_free(o);
}

/* "[VI_1]" or "[group G1]": the prefix of this owner's log lines. */
static const char *owner_pfx_kind(const struct notify_owner *o)
{
	return o->kind == VRRP_NOTIFY_GROUP ? "group " : "";
}

static void owner_push(struct notify_owner *o, struct notify_job *j)
{
	if (!j)
		return;
	if (o->queued >= VRRP_NOTIFY_QUEUE_MAX) {
		/* keep the newest transitions: the oldest waiting run goes */
		struct notify_job *old = o->head;

		o->head = old->next;
		if (!o->head)
			o->tail = NULL;
		o->queued--;
		o->n->counters.dropped++;
		log_warning("[%s%s] %s %s not run: more than %d runs waiting", owner_pfx_kind(o),
			    o->name, old->keyword, old->argv[0], VRRP_NOTIFY_QUEUE_MAX);
		job_free(old);
	}
	if (o->tail)
		o->tail->next = j;
	else
		o->head = j;
	o->tail = j;
	o->queued++;
}

static void owner_start_next(struct notify_owner *o);

static void on_run_done(struct spawn *s, const struct spawn_result *res, void *userdata)
{
	struct notify_owner *o = userdata;
	struct vrrp_notify *n = o->n;
	struct notify_job *j = o->current;
	double secs = (double)res->runtime_usec / 1e6;

	if (res->timed_out) {
		n->counters.timed_out++;
		n->counters.failed++;
		log_warning("[%s%s] %s %s timed out, %s after %.3f s", owner_pfx_kind(o), o->name,
			    j->keyword, j->argv[0],
			    res->signal == SIGKILL ? "killed by SIGKILL" : "stopped by SIGTERM", secs);
	} else if (res->signal) {
		n->counters.failed++;
		log_warning("[%s%s] %s %s killed by SIG%s after %.3f s", owner_pfx_kind(o),
			    o->name, j->keyword, j->argv[0], sigabbrev_np(res->signal), secs);
	} else if (res->exit_status != 0) {
		n->counters.failed++;
		log_warning("[%s%s] %s %s exited with status %d after %.3f s", owner_pfx_kind(o),
			    o->name, j->keyword, j->argv[0], res->exit_status, secs);
	} else if (log_debug_enabled()) {
		log_debug("[%s%s] %s %s done in %.3f s", owner_pfx_kind(o), o->name, j->keyword,
			  j->argv[0], secs);
	}
	o->spawn = spawn_free(s);
	o->current = job_free(o->current);
	owner_start_next(o); /* may free o */

	if (vrrp_notify_pending(n) == 0 && n->idle_fn)
		n->idle_fn(n, n->idle_userdata); /* last: it may free n */
}

/* May this job run?  Only with script_security, and only as root, is there
 * anything to check. */
static bool job_allowed(struct notify_owner *o, const struct notify_job *j)
{
	char *why = NULL;
	uid_t uid;
	int r;

	if (!j->security)
		return true;
	r = spawn_user_uid(j->user, &uid);
	if (r < 0)
		return true; /* spawn_run() reports the unknown user */
	r = spawn_check_security(j->argv[0], uid, &why);
	if (r == 0)
		return true;
	o->n->counters.refused++;
	log_warning("[%s%s] %s %s not run as root: %s", owner_pfx_kind(o), o->name, j->keyword,
		    j->argv[0], why ? why : strerror(-r));
	free(why);
	return false;
}

/* Start waiting jobs until one runs or none is left; free the owner when it
 * has nothing left to do. */
static void owner_start_next(struct notify_owner *o)
{
	struct vrrp_notify *n = o->n;

	while (!o->spawn && o->head) {
		struct notify_job *j = o->head;
		struct spawn_params p;
		int r;

		o->head = j->next;
		if (!o->head)
			o->tail = NULL;
		o->queued--;
		j->next = NULL;
		if (!job_allowed(o, j)) {
			job_free(j);
			continue;
		}
		p = (struct spawn_params){
			.path = j->argv[0],
			.argv = j->argv,
			.user = j->user,
			.group = j->group,
			.timeout_usec = j->timeout_usec,
			.kill_delay_usec = j->kill_delay_usec,
		};
		r = spawn_run(n->event, &p, on_run_done, o, &o->spawn);
		if (r < 0) {
			n->counters.failed++;
			log_errno(LOG_WARNING, r, "[%s%s] %s %s could not be started",
				  owner_pfx_kind(o), o->name, j->keyword, j->argv[0]);
			o->spawn = NULL;
			job_free(j);
			continue;
		}
		n->counters.started++;
		o->current = j;
	}
	if (!o->spawn && !o->head)
		owner_remove(n, o);
}

void vrrp_notify_transition(struct vrrp_notify *n, const struct vrrp_notify_event *ev)
{
	const struct config_script *own[_VRRP_NOTIFY_STATE_MAX];
	struct notify_owner *o;
	char prio[16];
	const char *extra[5];

	if (!n || !ev || !ev->name || ev->kind < 0 || ev->kind >= _VRRP_NOTIFY_KIND_MAX ||
	    ev->state < 0 || ev->state >= _VRRP_NOTIFY_STATE_MAX)
		return;
	write_fifos(n, ev);

	static const struct config_notify none;
	const struct config_notify *sc = ev->scripts ? ev->scripts : &none;

	own[VRRP_NOTIFY_MASTER] = sc->master;
	own[VRRP_NOTIFY_BACKUP] = sc->backup;
	own[VRRP_NOTIFY_FAULT] = sc->fault;
	own[VRRP_NOTIFY_STOP] = sc->stop;
	if (!own[ev->state] && !sc->generic)
		return;

	/* keepalived: TYPE NAME STATE PRIORITY, priority 0 for a group */
	snprintf(prio, sizeof(prio), "%d", ev->kind == VRRP_NOTIFY_GROUP ? 0 : ev->priority);
	extra[0] = kind_names[ev->kind];
	extra[1] = ev->name;
	extra[2] = state_names[ev->state];
	extra[3] = prio;
	extra[4] = NULL;

	o = owner_get(n, ev->kind, ev->name);
	owner_push(o, job_new(&n->conf, state_keywords[ev->state], own[ev->state], NULL));
	owner_push(o, job_new(&n->conf, "notify", sc->generic, extra));
	owner_start_next(o);
}

struct vrrp_notify *vrrp_notify_free(struct vrrp_notify *n)
{
	if (!n)
		return NULL;
	while (n->owners) {
		struct notify_owner *o = n->owners;

		n->owners = o->next;
		n->counters.dropped += o->queued;
		owner_free(o);
	}
	conf_clear(&n->conf);
	sd_event_unref(n->event);
	free(n);
	return NULL;
}
