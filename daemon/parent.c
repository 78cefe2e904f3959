#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "daemon/child.h"
#include "daemon/config_addr.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "daemon/metrics_http.h"
#include "daemon/metrics_parent.h"
#include "daemon/options.h"
#include "daemon/parent.h"
#include "daemon/preflight.h"
#include "daemon/supervisor.h"
#include "atomic_file.h"
#include "daemonize.h"
#include "diag.h"
#include "event_signals.h"
#include "log.h"
#include "pidfile.h"
#include "xalloc.h"

struct parent {
	const struct lbha_options *opts;
	sd_event *event;
	struct supervisor *sup;
	struct lbha_config *config;   /* the running config */
	uint64_t generation;          /* its generation, 1 at start */
	bool ready_sent;              /* READY=1 went to systemd */
	bool stopping;
	uint64_t watchdog_usec;       /* systemd's WatchdogSec; 0 when off */
	sd_event_source *watchdog_timer;
	bool watchdog_held;           /* we are withholding WATCHDOG=1 (logged once) */
	bool reload_pending;          /* RELOADING=1 said; READY=1 once the children answer */
	uint64_t reload_usec;         /* when the pending reload's SIGHUP came (monotonic) */
	sd_event_source *reload_timer;
	struct metrics_parent_stats stats;
	uint64_t last_load_usec;      /* how long the last load_config() took */
	struct metrics_http *http;    /* the metrics listener, or NULL */
	struct config_addr http_addr; /* where it listens */
	uint16_t http_port;
	/* What a reload compares with, to leave the children alone when the
	 * config did not change: the text they were sent, and the bytes of
	 * the file it came from (NULL unless the file alone makes the config:
	 * no include, no @ID line). */
	char *written;
	char *source;
	size_t source_len;
};

/* A child that has not answered a reload by then gets READY=1 sent anyway:
 * systemd would otherwise show the unit as reloading for good. */
#define RELOAD_ANSWER_TIMEOUT_USEC 10000000ULL
#define MAX_CHILDREN 4
/* The config file is read whole before parsing (the parser's own limit). */
#define CONFIG_MAX_BYTES (64u * 1024 * 1024)

static uint64_t clock_usec(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t monotonic_usec(void)
{
	return clock_usec(CLOCK_MONOTONIC);
}

/* ---- config ---- */

/* Load and validate the -f file, logging every diagnostic, including a warning
 * for each interface that does not exist (yet): it may come later (a VLAN made
 * after boot), so the daemon logs it and carries on.  Returns 0, -EINVAL when
 * invalid, another negative errno when unreadable. */
static int load_config(const struct lbha_options *o, const char *text, size_t len,
		       struct lbha_config **ret)
{
	struct config_load_options opt = { .config_id = o->config_id, .strict = o->strict,
					   .preflight = true };
	struct diag d;

	diag_init(&d);
	int r = text ? config_load_string(o->config_file, text, len, &opt, &d, ret)
		     : config_load_file(o->config_file, &opt, &d, ret);
	/* what the host lacks for this config (ip_forward for NAT, ...), as
	 * `lbha -t` says it: warnings in the log, never a refusal here */
	if (r == 0)
		preflight_check_host(*ret, &d);
	log_diag(&d);
	if (r == -EINVAL)
		log_error("%s is invalid: %zu errors", o->config_file, d.n_errors);
	else if (r < 0)
		log_errno(LOG_ERR, r, "cannot read %s", o->config_file);
	diag_done(&d);
	return r;
}

static char *summary_text(const struct parent *p)
{
	struct config_summary s;

	config_summarize(p->config, &s);
	return xasprintf("config generation %llu: %zu vrrp instances, %zu virtual servers",
			 (unsigned long long)p->generation, s.vrrp_instances, s.virtual_servers);
}

/* ---- metrics ---- */

static char *metrics_body(void *userdata, size_t *ret_len)
{
	struct parent *p = userdata;
	struct metrics_child children[MAX_CHILDREN];
	size_t n = supervisor_metrics_children(p->sup, children, MAX_CHILDREN);
	char *text = NULL;
	FILE *f = open_memstream(&text, ret_len);

	if (!f)
		return NULL;
	metrics_parent_write(&p->stats, children, n, f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Listen where the running config says, or not at all.  A listener that
 * cannot be made is logged and the daemon runs on: metrics are never a
 * reason to stop failing over. */
static void metrics_follow_config(struct parent *p)
{
	const struct config_global *g = &p->config->global;
	char a[CONFIG_ADDR_STRLEN];

	if (p->http && config_addr_equal(&p->http_addr, &g->metrics_address) &&
	    p->http_port == g->metrics_port)
		return;
	if (p->http)
		log_info("metrics: no longer listening on port %u", p->http_port);
	p->http = metrics_http_free(p->http);
	p->http_addr = (struct config_addr){ 0 };
	if (!config_addr_is_set(&g->metrics_address))
		return;
	config_addr_to_string(&g->metrics_address, a, sizeof(a));
	int r = metrics_http_new(p->event, &g->metrics_address, g->metrics_port, metrics_body, p,
				 &p->http);
	if (r < 0) {
		log_errno(LOG_ERR, r, "metrics: cannot listen on %s port %u, serving no metrics", a,
			  g->metrics_port);
		return;
	}
	p->http_addr = g->metrics_address;
	p->http_port = g->metrics_port;
	bool v6 = g->metrics_address.family == AF_INET6;
	log_notice("metrics: serving http://%s%s%s:%u/metrics", v6 ? "[" : "", a, v6 ? "]" : "",
		   g->metrics_port);
}

static void notify_running(struct parent *p)
{
	char *sum = summary_text(p);

	sd_notifyf(0, "READY=1\nSTATUS=Running, %s", sum);
	free(sum);
}

/* Take cfg as the running config, generation + 1, and hand it to the
 * children as `written` (its config_dump_written_string(); taken). */
static void commit_config(struct parent *p, struct lbha_config *cfg, char *written)
{
	config_free(p->config);
	p->config = cfg;
	p->generation++;
	p->stats.generation = p->generation;
	p->stats.loaded_wall_usec = clock_usec(CLOCK_REALTIME);
	p->stats.load_usec = p->last_load_usec;
	metrics_follow_config(p);

	free(p->written);
	p->written = written;
	supervisor_set_config(p->sup, p->generation, written, strlen(written));

	char *sum = summary_text(p);
	log_notice("loaded %s, %s", p->opts->config_file, sum);
	free(sum);
}

/* Whether the text alone makes the config: an include reads other files
 * (which may change, or a glob match more), an @ID line depends on the
 * host name.  Either word anywhere (a comment too) answers no: a reload
 * then parses, which is never wrong, only slower. */
static bool self_contained(const char *text, size_t len)
{
	if (memmem(text, len, "include", 7))
		return false;
	for (const char *s = text, *end = text + len; s < end; s++) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && *s == '@')
			return false;
		s = memchr(s, '\n', (size_t)(end - s));
		if (!s)
			break;
	}
	return true;
}

/* Read the -f file whole.  On success *ret_text holds it (parsed from
 * memory, so what is compared at the next reload is what was parsed);
 * on failure NULL, and config_load_file() reads and reports it. */
static void read_source(struct parent *p, char **ret_text, size_t *ret_len)
{
	*ret_text = NULL;
	*ret_len = 0;
	if (atomic_file_read(p->opts->config_file, CONFIG_MAX_BYTES, ret_text, ret_len) < 0)
		*ret_text = NULL;
}

/* Remember the bytes the running config came from (taken), when they
 * alone make it. */
static void keep_source(struct parent *p, char *text, size_t len)
{
	free(p->source);
	p->source = NULL;
	p->source_len = 0;
	if (text && self_contained(text, len)) {
		p->source = text;
		p->source_len = len;
	} else {
		free(text);
	}
}

static int timed_load(struct parent *p, const char *text, size_t len, struct lbha_config **ret)
{
	uint64_t t0 = monotonic_usec();
	int r = load_config(p->opts, text && self_contained(text, len) ? text : NULL, len, ret);

	p->last_load_usec = monotonic_usec() - t0;
	return r;
}

static void reload_answered(struct parent *p)
{
	p->reload_pending = false;
	p->reload_timer = sd_event_source_disable_unref(p->reload_timer);
	notify_running(p);
}

static int on_reload_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct parent *p = userdata;

	log_warning("not every child answered config generation %llu in %llu s; "
		    "telling systemd the reload is done", (unsigned long long)p->generation,
		    (unsigned long long)(RELOAD_ANSWER_TIMEOUT_USEC / 1000000));
	reload_answered(p);
	return 0;
}

/* A reload that changes nothing: the children are not bothered (no parse,
 * no apply, no status rewrite), the generation stays. */
static void reload_unchanged(struct parent *p, const char *how, uint64_t t0)
{
	p->stats.reloads_ok++;
	log_notice("reload: %s %s, config generation %llu stays (%llu us)", p->opts->config_file,
		   how, (unsigned long long)p->generation,
		   (unsigned long long)(monotonic_usec() - t0));
	if (p->ready_sent && !p->reload_pending)
		notify_running(p);
}

static void reload(struct parent *p)
{
	struct lbha_config *cfg = NULL;
	uint64_t t0 = monotonic_usec();
	char *text, *written;
	size_t len;

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=Reloading",
		   (unsigned long long)t0);
	log_notice("SIGHUP received, reloading %s", p->opts->config_file);
	read_source(p, &text, &len);
	if (text && p->source && len == p->source_len && memcmp(text, p->source, len) == 0) {
		free(text);
		reload_unchanged(p, "is unchanged", t0);
		return;
	}
	if (timed_load(p, text, len, &cfg) < 0) {
		free(text);
		p->stats.reloads_failed++;
		log_error("reload failed, still running config generation %llu",
			  (unsigned long long)p->generation);
		/* Before the first READY=1, startup is still going on: it sends it. */
		if (p->ready_sent && !p->reload_pending)
			notify_running(p);
		return;
	}
	keep_source(p, text, len);
	written = config_dump_written_string(cfg);
	if (p->written && strcmp(written, p->written) == 0) {
		/* comments, blank lines, order of nothing that matters */
		free(written);
		config_free(cfg);
		reload_unchanged(p, "means what the running config means", t0);
		return;
	}
	p->stats.reloads_ok++;
	commit_config(p, cfg, written);
	/* READY=1 once every child has answered the new generation
	 * (on_all_ready), or after a timeout. */
	if (!p->ready_sent)
		return;
	p->reload_pending = true;
	p->reload_usec = t0;
	p->reload_timer = sd_event_source_disable_unref(p->reload_timer);
	if (sd_event_add_time_relative(p->event, &p->reload_timer, CLOCK_MONOTONIC,
				       RELOAD_ANSWER_TIMEOUT_USEC, 0, on_reload_timeout, p) < 0)
		reload_answered(p);
}

/* ---- events ---- */

static void on_all_ready(void *userdata)
{
	struct parent *p = userdata;

	if (p->ready_sent) {
		if (p->reload_pending) {
			log_notice("reload: every child runs config generation %llu, %llu us after SIGHUP",
				   (unsigned long long)p->generation,
				   (unsigned long long)(monotonic_usec() - p->reload_usec));
			reload_answered(p);
		}
		return;
	}
	p->ready_sent = true;
	notify_running(p);
	log_notice("all children are ready");
}

static void on_stopped(void *userdata)
{
	struct parent *p = userdata;

	sd_event_exit(p->event, LBHA_EXIT_OK);
}

static const struct supervisor_ops supervisor_ops = {
	.on_all_ready = on_all_ready,
	.on_stopped = on_stopped,
};

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct parent *p = userdata;

	if (p->stopping)
		return 0;  /* the stop timeout deals with stubborn children */
	if (si->ssi_signo == SIGHUP) {
		reload(p);
		return 0;
	}
	p->stopping = true;
	log_notice("SIG%s received, stopping", sigabbrev_np((int)si->ssi_signo));
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
	supervisor_stop(p->sup);
	return 0;
}

static int on_watchdog(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct parent *p = userdata;
	const char *why = NULL;
	uint64_t now = 0;

	/* The loop's now, not `usec` (when the timer was due): pings handled
	 * in this iteration are stamped with the loop's now. */
	sd_event_now(p->event, CLOCK_MONOTONIC, &now);
	if (supervisor_healthy(p->sup, now, &why)) {
		sd_notify(0, "WATCHDOG=1");
		if (p->watchdog_held)
			log_notice("every child is alive again, pinging the systemd watchdog");
		p->watchdog_held = false;
	} else if (!p->watchdog_held && !p->stopping) {
		p->watchdog_held = true;
		log_warning("the %s child is not alive and pinging, withholding systemd watchdog pings",
			    why);
	}
	sd_event_source_set_time_relative(s, p->watchdog_usec / 2);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

/* ---- start and stop ---- */

static int setup_loop(struct parent *p)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	sigset_t chld;
	int r;

	/* SIGCHLD blocked too: sd-event child sources need it. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	/* Ctrl-C reaches the children too: take the stop before their exits
	 * (important priority), so those are not mistaken for crashes and
	 * restarted. */
	r = event_new_with_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal, p,
				   SD_EVENT_PRIORITY_IMPORTANT, &p->event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create the event loop");
	if (sd_watchdog_enabled(0, &p->watchdog_usec) > 0 && p->watchdog_usec > 0) {
		r = sd_event_add_time_relative(p->event, &p->watchdog_timer, CLOCK_MONOTONIC,
					       p->watchdog_usec / 2, 0, on_watchdog, p);
		if (r < 0)
			return log_errno(LOG_ERR, r, "cannot add the watchdog timer");
	}
	return 0;
}

/* Make the runtime dir (its parent must exist) and lock it, then the pid
 * file.  Returns the directory lock descriptor or -1 (logged). */
static int take_locks(const struct lbha_options *o, const char *pidpath, struct pidfile **ret_pf)
{
	pid_t holder = 0;
	int r;

	/* 0755 whatever our umask: `lbha status` runs as any user (an existing
	 * directory keeps the mode its maker chose). */
	mode_t old_umask = umask(022);
	r = mkdir(o->runtime_dir, 0755) < 0 ? -errno : 0;
	umask(old_umask);
	if (r < 0 && r != -EEXIST) {
		log_errno(LOG_ERR, r, "cannot create runtime directory %s", o->runtime_dir);
		return -1;
	}
	int dir_fd = pidfile_lock_dir(o->runtime_dir);
	if (dir_fd == -EBUSY) {
		if (pidfile_probe(pidpath, &holder) > 0 && holder > 0)
			log_error("another lbha (pid %d) is running with runtime directory %s, refusing to start",
				  (int)holder, o->runtime_dir);
		else
			log_error("another lbha is running with runtime directory %s, refusing to start",
				  o->runtime_dir);
		return -1;
	}
	if (dir_fd < 0) {
		log_errno(LOG_ERR, dir_fd, "cannot lock runtime directory %s", o->runtime_dir);
		return -1;
	}
	r = pidfile_acquire(pidpath, ret_pf, &holder);
	if (r == -EBUSY)
		log_error("another lbha (pid %d) holds the pid file %s, refusing to start", (int)holder,
			  pidpath);
	else if (r < 0)
		log_errno(LOG_ERR, r, "cannot create pid file %s", pidpath);
	else
		r = pidfile_write(*ret_pf, getpid());
	if (r < 0) {
		close(dir_fd);
		return -1;
	}
	return dir_fd;
}

int parent_main(const struct lbha_options *o, const struct child_role *const *roles, size_t n)
{
	struct parent p = { .opts = o };
	struct pidfile *pf = NULL;
	char *pidpath = options_pid_file(o);
	int report_fd = -1, dir_fd = -1, code = LBHA_EXIT_FAILURE, r;

	log_open("lbha", o->log_console ? LOG_TARGET_STDERR : LOG_TARGET_SYSLOG, o->log_detail);
	daemonize_fix_stdio();
	signal(SIGPIPE, SIG_IGN);

	struct lbha_config *cfg = NULL;
	char *text;
	size_t len;
	read_source(&p, &text, &len);
	r = timed_load(&p, text, len, &cfg);
	keep_source(&p, r < 0 ? NULL : text, len);
	if (r < 0) {
		free(text);
		code = r == -EINVAL ? LBHA_EXIT_FAILURE : LBHA_EXIT_UNREADABLE;
		goto out;
	}
	dir_fd = take_locks(o, pidpath, &pf);
	if (dir_fd < 0)
		goto out;
	if (!o->dont_fork) {
		r = daemonize(&report_fd);
		if (r < 0) {
			log_errno(LOG_ERR, r, "cannot detach");
			goto out;
		}
		pidfile_write(pf, getpid());
	} else if (chdir("/") < 0) {
		log_errno(LOG_WARNING, errno, "cannot chdir to /, ignoring");
	}

	if (setup_loop(&p) < 0)
		goto out;
	p.sup = supervisor_new(p.event, o, roles, n, &supervisor_ops, &p);
	/* Children first: their exec and start-up overlap with writing out the
	 * config text, which reaches them once it is ready. */
	if (supervisor_start(p.sup) < 0)
		goto out;
	commit_config(&p, cfg, config_dump_written_string(cfg));
	cfg = NULL;

	daemonize_report(report_fd, LBHA_EXIT_OK);
	report_fd = -1;
	log_stop_echo();
	sd_notifyf(0, "MAINPID=%d\nSTATUS=Starting", (int)getpid());
	log_notice("lbha " PACKAGE_VERSION " started (pid %d)", (int)getpid());

	r = sd_event_loop(p.event);
	code = r < 0 ? LBHA_EXIT_FAILURE : r;
	if (r < 0)
		log_errno(LOG_ERR, r, "event loop failed");
	log_notice("stopped");
out:
	daemonize_report(report_fd, code);
	p.http = metrics_http_free(p.http);
	p.sup = supervisor_free(p.sup);
	sd_event_source_disable_unref(p.watchdog_timer);
	sd_event_source_disable_unref(p.reload_timer);
	sd_event_unref(p.event);
	pidfile_release(pf);
	if (dir_fd >= 0)
		close(dir_fd);
	config_free(cfg);
	config_free(p.config);
	free(p.written);
	free(p.source);
	free(pidpath);
	return code;
}
