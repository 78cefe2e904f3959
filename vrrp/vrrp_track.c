#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_priority.h"
#include "xalloc.h"

const char *vrrp_script_user(const struct config_global *g)
{
	/* keepalived's default: the user keepalived_script when it exists,
	 * else root (as we run). */
	if (g->script_user)
		return g->script_user;
	return getpwnam("keepalived_script") ? "keepalived_script" : NULL;
}

/* ---- vrrp_script ---- */

static void retrack_all(struct vrrp_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_instances; i++)
		vrrp_instance_retrack(ctx->instances[i]);
}

static void script_schedule(struct vrrp_script_tracker *t, uint64_t delay);

static void script_result(struct vrrp_script_tracker *t, bool good)
{
	int old = t->result;

	if (good) {
		t->good_in_row++;
		t->bad_in_row = 0;
		if (t->good_in_row >= t->cfg->rise)
			t->result = VRRP_TRACK_GOOD;
	} else {
		t->bad_in_row++;
		t->good_in_row = 0;
		t->failures++;
		if (t->bad_in_row >= t->cfg->fall)
			t->result = VRRP_TRACK_BAD;
	}
	if (t->result != old) {
		log_notice("vrrp_script %s: %s", t->name,
			   t->result == VRRP_TRACK_GOOD ? "succeeded" : "failed");
		retrack_all(t->ctx);
	}
}

static void on_script_done(struct spawn *s, const struct spawn_result *res, void *userdata)
{
	struct vrrp_script_tracker *t = userdata;

	t->run = spawn_free(t->run);
	t->timeouts += res->timed_out;
	if (res->timed_out)
		log_warning("vrrp_script %s: timed out after %.1f s", t->name,
			    (double)t->cfg->timeout_us / 1e6);
	script_result(t, spawn_result_ok(res));
	script_schedule(t, t->cfg->interval_us);
}

static void script_start(struct vrrp_script_tracker *t)
{
	const struct config_script *sc = t->cfg->script;
	const struct config_global *g = &t->ctx->cfg->global;
	struct spawn_params p = {
		.path = sc->argv[0],
		.argv = sc->argv,
		.user = sc->user ? sc->user : vrrp_script_user(g),
		.group = sc->user ? sc->group : g->script_group,
		.timeout_usec = t->cfg->timeout_us,
	};

	if (g->enable_script_security) {
		uid_t uid;
		char *why = NULL;
		int r = spawn_user_uid(p.user, &uid);
		if (r == 0)
			r = spawn_check_security(p.path, uid, &why);
		if (r < 0) {
			log_warning("vrrp_script %s: not run: %s", t->name,
				    why ? why : strerror(-r));
			free(why);
			script_result(t, false);
			script_schedule(t, t->cfg->interval_us);
			return;
		}
	}
	t->runs++;
	int r = spawn_run(t->ctx->event, &p, on_script_done, t, &t->run);
	if (r < 0) {
		log_errno(LOG_WARNING, r, "vrrp_script %s: cannot run %s", t->name, sc->cmd);
		script_result(t, false);
		script_schedule(t, t->cfg->interval_us);
	}
}

static int on_script_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct vrrp_script_tracker *t = userdata;

	if (!t->run)
		script_start(t);
	return 0;
}

static void script_schedule(struct vrrp_script_tracker *t, uint64_t delay)
{
	uint64_t at = vrrp_now(t->ctx) + delay;

	if (!t->timer) {
		if (sd_event_add_time(t->ctx->event, &t->timer, CLOCK_MONOTONIC, at, 1000,
				      on_script_timer, t) < 0)
			return;
		sd_event_source_set_description(t->timer, "vrrp-script");
	} else {
		sd_event_source_set_time(t->timer, at);
	}
	sd_event_source_set_enabled(t->timer, SD_EVENT_ONESHOT);
}

static struct vrrp_script_tracker *script_tracker_free(struct vrrp_script_tracker *t)
{
	if (!t)
		return NULL;
	sd_event_source_disable_unref(t->timer);
	spawn_free(t->run);
	free(t->name);
	free(t);
	return NULL;
}

/* ---- track_file ---- */

static void file_read(struct vrrp_file_tracker *t)
{
	char buf[64] = "";
	int fd = open(t->cfg->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	bool was = t->readable;
	int64_t old = t->value;

	t->readable = false;
	t->value = 0;
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n >= 0) {
			buf[n] = '\0';
			/* keepalived: an empty or unreadable number counts as 0. */
			t->value = strtoll(buf, NULL, 10);
			t->readable = true;
		}
	}
	if (t->readable != was || t->value != old) {
		log_notice("track_file %s: %s%" PRId64, t->name,
			   t->readable ? "value " : "unreadable, counts as ", t->value);
		retrack_all(t->ctx);
	}
}

static int on_file_event(sd_event_source *s, const struct inotify_event *ev, void *userdata)
{
	struct vrrp_file_tracker *t = userdata;
	char *copy = xstrdup(t->cfg->path);
	const char *base = basename(copy);

	if (ev->len == 0 || strcmp(ev->name, base) == 0)
		file_read(t);
	free(copy);
	return 0;
}

static void file_init(const struct config_track_file *f)
{
	if (!f->init_file || (!f->init_overwrite && access(f->path, F_OK) == 0))
		return;
	FILE *out = fopen(f->path, "we");
	if (!out) {
		log_errno(LOG_WARNING, errno, "track_file %s: cannot create %s", f->name, f->path);
		return;
	}
	fprintf(out, "%d\n", (int)f->init_value);
	fclose(out);
}

static struct vrrp_file_tracker *file_tracker_new(struct vrrp_ctx *ctx,
						  const struct config_track_file *f)
{
	struct vrrp_file_tracker *t = xnew(struct vrrp_file_tracker);
	char *copy = xstrdup(f->path);

	t->ctx = ctx;
	t->cfg = f;
	t->name = xstrdup(f->name);
	file_init(f);
	/* Watch the directory: an editor or `mv` replaces the file, which a
	 * watch on the file itself would not survive. */
	int r = sd_event_add_inotify(ctx->event, &t->watch, dirname(copy),
				     IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
					     IN_MOVED_FROM,
				     on_file_event, t);
	if (r < 0)
		log_errno(LOG_WARNING, r, "track_file %s: cannot watch %s", f->name, f->path);
	free(copy);
	t->readable = true; /* so the first read logs only a problem */
	file_read(t);
	return t;
}

static struct vrrp_file_tracker *file_tracker_free(struct vrrp_file_tracker *t)
{
	if (!t)
		return NULL;
	sd_event_source_disable_unref(t->watch);
	free(t->name);
	free(t);
	return NULL;
}

/* ---- setup: keep trackers whose definition did not change ---- */

void vrrp_track_setup(struct vrrp_ctx *ctx)
{
	struct vrrp_script_tracker **old = ctx->scripts;
	size_t n_old = ctx->n_scripts;

	ctx->scripts = xcalloc(ctx->cfg->vrrp_scripts.n + 1, sizeof(*ctx->scripts));
	ctx->n_scripts = 0;
	config_list_foreach(struct config_vrrp_script, sc, &ctx->cfg->vrrp_scripts) {
		struct vrrp_script_tracker *t =
			vrrp_take_named(old, n_old, offsetof(struct vrrp_script_tracker, name), sc->name);
		bool same = t && strcmp(t->cfg->script->cmd, sc->script->cmd) == 0;
		if (t && !same)
			t = script_tracker_free(t);
		if (!t) {
			t = xnew(struct vrrp_script_tracker);
			t->ctx = ctx;
			t->name = xstrdup(sc->name);
			t->result = sc->init_fail ? VRRP_TRACK_BAD : VRRP_TRACK_UNKNOWN;
			t->cfg = sc;
			script_schedule(t, 0);
		}
		t->cfg = sc;
		ctx->scripts[ctx->n_scripts++] = t;
	}
	for (size_t i = 0; i < n_old; i++)
		script_tracker_free(old[i]);
	free(old);

	for (size_t i = 0; i < ctx->n_files; i++)
		file_tracker_free(ctx->files[i]);
	free(ctx->files);
	ctx->files = xcalloc(ctx->cfg->track_files.n + 1, sizeof(*ctx->files));
	ctx->n_files = 0;
	config_list_foreach(struct config_track_file, f, &ctx->cfg->track_files)
		ctx->files[ctx->n_files++] = file_tracker_new(ctx, f);
}

void vrrp_track_teardown(struct vrrp_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_scripts; i++)
		script_tracker_free(ctx->scripts[i]);
	for (size_t i = 0; i < ctx->n_files; i++)
		file_tracker_free(ctx->files[i]);
	free(ctx->scripts);
	free(ctx->files);
	ctx->scripts = NULL;
	ctx->files = NULL;
	ctx->n_scripts = ctx->n_files = 0;
}

/* ---- per instance ---- */

static const struct vrrp_script_tracker *find_script(const struct vrrp_ctx *ctx, const void *cfg)
{
	for (size_t i = 0; i < ctx->n_scripts; i++)
		if (ctx->scripts[i]->cfg == cfg)
			return ctx->scripts[i];
	return NULL;
}

static const struct vrrp_file_tracker *find_file(const struct vrrp_ctx *ctx, const void *cfg)
{
	for (size_t i = 0; i < ctx->n_files; i++)
		if (ctx->files[i]->cfg == cfg)
			return ctx->files[i];
	return NULL;
}

struct track_sum {
	int64_t delta;
	bool fault;
	char *why;
	size_t why_size;
};

static void note_fault(struct track_sum *s, bool was, const char *kind, const char *name)
{
	if (!was && s->fault)
		snprintf(s->why, s->why_size, "%s %s", kind, name);
}

static void add_lists(struct vrrp_instance *in, const struct config_list *ifs,
		      const struct config_list *scripts, const struct config_list *files,
		      struct track_sum *s)
{
	config_list_foreach(struct config_track, t, ifs) {
		bool was = s->fault;
		bool up = vrrp_link_is_up(in->ctx, t->name);
		s->delta += vrrp_priority_track_delta(t->weight, t->reverse, up, &s->fault);
		note_fault(s, was, "tracked interface is down:", t->name);
	}
	config_list_foreach(struct config_track, t, scripts) {
		const struct vrrp_script_tracker *st = find_script(in->ctx, t->target);
		if (!st || st->result == VRRP_TRACK_UNKNOWN)
			continue;
		bool was = s->fault;
		s->delta += vrrp_priority_track_delta(t->weight, t->reverse,
						      st->result == VRRP_TRACK_GOOD, &s->fault);
		note_fault(s, was, "track_script failed:", t->name);
	}
	config_list_foreach(struct config_track, t, files) {
		const struct vrrp_file_tracker *ft = find_file(in->ctx, t->target);
		if (!ft)
			continue;
		bool was = s->fault;
		s->delta += vrrp_priority_file_delta(t->weight, t->reverse, ft->value, &s->fault);
		note_fault(s, was, "track_file:", t->name);
	}
}

void vrrp_track_compute(struct vrrp_instance *in)
{
	struct track_sum s = { .why = in->fault_why, .why_size = sizeof(in->fault_why) };
	const struct config_vrrp_instance *vi = in->cfg;

	in->fault_why[0] = '\0';
	add_lists(in, &vi->track_interfaces, &vi->track_scripts, &vi->track_files, &s);
	/* A sync group's own track_* lines apply to every member. */
	if (vi->sync_group) {
		const struct config_vrrp_sync_group *g = vi->sync_group;
		add_lists(in, &g->track_interfaces, &g->track_scripts, &g->track_files, &s);
	}
	in->track_delta = s.delta > 1000 ? 1000 : s.delta < -1000 ? -1000 : (int32_t)s.delta;
	in->track_fault = s.fault;
}
