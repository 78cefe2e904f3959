#include <config.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "daemon/child.h"
#include "daemon/config_addr.h"
#include "daemon/config_types.h"
#include "daemon/lbha_config.h"
#include "daemon/msg.h"
#include "daemon/options.h"
#include "daemon/status.h"
#include "diag.h"
#include "ipc.h"
#include "event_signals.h"
#include "log.h"

/* Allocations this large get their own mapping, returned when freed. */
#define CHILD_MMAP_THRESHOLD (256 * 1024)

struct child_ctx {
	const struct child_role *role;
	const struct lbha_options *opts;
	sd_event *event;
	struct channel *parent;
	sd_event_source *ping_timer;   /* WATCHDOG to the parent, parent-alive check */
	sd_event_source *ready_defer;  /* READY once the loop runs */
	pid_t parent_pid;
	void *state;                   /* the role's */
	struct lbha_config *config;    /* what the role runs with, or NULL */
	struct status_info status;
	bool exiting;                  /* the role's shutdown hook has run */
	bool status_send_failed;       /* the last MSG_STATUS failed (log once per streak) */
	bool metrics_send_failed;      /* the same for MSG_METRICS */
	int exit_code;                 /* what the loop ends with once it may */
	sd_event_source *shutdown_timer;
};

static void status_extra(FILE *f, void *userdata)
{
	struct child_ctx *c = userdata;

	if (c->role->status_extra && c->state)
		c->role->status_extra(c->state, f);
}

/* Metrics ride with the status, so they follow its rate limits (the roles
 * publish at once for a state change, at most once a second for counters),
 * and cost nothing while metrics_address is not set. */
static void publish_metrics(struct child_ctx *c)
{
	char *text = NULL;
	size_t len = 0;

	if (!c->role->metrics || !c->state || !c->config || !c->parent ||
	    !config_addr_is_set(&c->config->global.metrics_address))
		return;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return;
	c->role->metrics(c->state, f);
	int r = fclose(f) == 0 ? channel_send(c->parent, MSG_METRICS, text, len) : -ENOMEM;
	free(text);
	if (r < 0 && !c->metrics_send_failed)
		log_errno(LOG_WARNING, r, "cannot send the metrics to the parent, ignoring");
	c->metrics_send_failed = r < 0;
}

static void publish_status(struct child_ctx *c)
{
	c->status.updated = (uint64_t)time(NULL);
	char *text = status_format_extra(&c->status, status_extra, c);
	int r = c->parent ? channel_send(c->parent, MSG_STATUS, text, strlen(text)) : -ENOTCONN;

	free(text);
	if (r < 0 && !c->status_send_failed)
		log_errno(LOG_WARNING, r, "cannot send the status to the parent, ignoring");
	c->status_send_failed = r < 0;
	publish_metrics(c);
}

/* Tell the parent we dealt with generation `answered` (see MSG_APPLIED). */
static void send_applied(struct child_ctx *c, uint64_t answered)
{
	struct msg_applied m = { .answered = answered, .running = c->status.config_generation };
	int r = channel_send(c->parent, MSG_APPLIED, &m, sizeof(m));

	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot tell the parent which config generation runs");
}

void child_publish_status(struct child_ctx *frame)
{
	publish_status(frame);
}

const struct lbha_options *child_options(const struct child_ctx *frame)
{
	return frame->opts;
}

void child_shutdown_done(struct child_ctx *frame)
{
	sd_event_exit(frame->event, frame->exit_code);
}

static int on_shutdown_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct child_ctx *c = userdata;

	log_warning("shutdown work did not finish in %llu ms, exiting anyway",
		    (unsigned long long)(CHILD_SHUTDOWN_MAX_USEC / 1000));
	return sd_event_exit(c->event, c->exit_code);
}

/* End the loop; the role resigns first (once), while the loop still runs,
 * and may ask for a little time to finish what resigning started. */
static int child_exit(struct child_ctx *c, int code)
{
	if (c->exiting)
		return 0;
	c->exiting = true;
	c->exit_code = code;
	if (c->role->shutdown && c->state && c->role->shutdown(c->state) > 0 &&
	    sd_event_add_time_relative(c->event, &c->shutdown_timer, CLOCK_MONOTONIC,
				       CHILD_SHUTDOWN_MAX_USEC, 1000, on_shutdown_timeout, c) >= 0)
		return 0;
	return sd_event_exit(c->event, code);
}

static int on_config(const struct ipc_msg *m, void *userdata)
{
	struct child_ctx *c = userdata;
	struct msg_config hdr;
	struct config_load_options opt = { 0 };
	struct lbha_config *cfg = NULL;
	struct diag d;
	char name[64];

	memcpy(&hdr, m->payload, sizeof(hdr));
	const char *text = (const char *)m->payload + sizeof(hdr);
	size_t len = m->len - sizeof(hdr);
	unsigned long long gen = (unsigned long long)hdr.generation;
	unsigned long long old = (unsigned long long)c->status.config_generation;

	snprintf(name, sizeof(name), "<config generation %llu>", gen);
	diag_init(&d);
	int r = config_load_string(name, text, len, &opt, &d, &cfg);
	if (r < 0) {
		/* The parent validated this text: failing here is our bug. */
		log_diag(&d);
		diag_done(&d);
		log_error("bug: config generation %llu from the parent does not load, keeping generation %llu",
			  gen, old);
		send_applied(c, hdr.generation);
		return 0;
	}
	diag_done(&d);

	r = c->role->apply ? c->role->apply(c->state, cfg, hdr.generation) : 0;
	if (r < 0) {
		log_errno(LOG_ERR, r, "config generation %llu not applied, keeping generation %llu",
			  gen, old);
		config_free(cfg);
		send_applied(c, hdr.generation);
		return 0;
	}
	config_free(c->config);
	c->config = cfg;
	/* the parse tree and the old config were freed between long-lived
	 * allocations: give those pages back (once per reload) */
	malloc_trim(0);

	struct config_summary s;
	config_summarize(cfg, &s);
	log_notice("config generation %llu applied: %zu vrrp instances, %zu virtual servers", gen,
		   s.vrrp_instances, s.virtual_servers);
	c->status.config_generation = hdr.generation;
	status_set_summary(&c->status, &s);
	publish_status(c);
	send_applied(c, hdr.generation);
	return 0;
}

static const struct ipc_handler child_handlers[] = {
	{ MSG_CONFIG, "CONFIG", sizeof(struct msg_config), on_config },
};
#define N_HANDLERS (sizeof(child_handlers) / sizeof(child_handlers[0]))

static int on_message(struct channel *ch, const struct ipc_msg *m, void *userdata)
{
	int r = ipc_dispatch(child_handlers, N_HANDLERS, m, userdata);

	if (r == -ENOMSG)
		log_error("bug: the parent sent unknown message type %u (%u bytes), ignoring",
			  m->type, m->len);
	else if (r == -EBADMSG)
		log_error("bug: the parent sent a %s message of only %u bytes, ignoring",
			  ipc_type_name(child_handlers, N_HANDLERS, m->type), m->len);
	else if (r < 0)
		return r;
	return 0;
}

static void on_close(struct channel *ch, int error, void *userdata)
{
	struct child_ctx *c = userdata;

	if (error == 0)
		log_notice("the parent closed its connection, exiting");
	else
		log_errno(LOG_ERR, error, "connection to the parent failed, exiting");
	child_exit(c, error == 0 ? 0 : 1);
}

static const struct channel_ops parent_ops = {
	.on_message = on_message,
	.on_close = on_close,
};

static int on_ping(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct child_ctx *c = userdata;

	/* PR_SET_PDEATHSIG covers most of it; this covers a parent that died
	 * before the flag was set, and re-parenting to a subreaper. */
	if (getppid() != c->parent_pid) {
		log_notice("the parent (pid %d) is gone, exiting", (int)c->parent_pid);
		return child_exit(c, 0);
	}
	int r = channel_send(c->parent, MSG_WATCHDOG, NULL, 0);
	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot ping the parent");
	sd_event_source_set_time_relative(s, MSG_PING_INTERVAL_USEC);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

static int on_ready(sd_event_source *s, void *userdata)
{
	struct child_ctx *c = userdata;
	int r = channel_send(c->parent, MSG_READY, NULL, 0);

	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot tell the parent we are ready");
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct child_ctx *c = userdata;

	if (si->ssi_signo == SIGHUP) {
		/* Reloads come from the parent as CONFIG messages. */
		log_debug("SIGHUP ignored: the parent reloads");
		return 0;
	}
	log_info("SIG%s received, exiting", sigabbrev_np((int)si->ssi_signo));
	return child_exit(c, 0);
}

static int setup_loop(struct child_ctx *c)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	int r;

	signal(SIGPIPE, SIG_IGN);
	r = event_new_with_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal, c,
				   SD_EVENT_PRIORITY_NORMAL, &c->event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create the event loop");
	r = channel_new(c->event, c->opts->ipc_fd, 0, &parent_ops, c, "parent-ipc", &c->parent);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot use ipc descriptor %d", c->opts->ipc_fd);
	r = sd_event_add_time_relative(c->event, &c->ping_timer, CLOCK_MONOTONIC,
				       MSG_PING_INTERVAL_USEC, 0, on_ping, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot add the ping timer");
	sd_event_source_set_description(c->ping_timer, "ping-timer");
	r = sd_event_add_defer(c->event, &c->ready_defer, on_ready, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot add the ready event");
	return 0;
}

int child_main(const struct child_role *role, const struct lbha_options *o)
{
	struct child_ctx c = { .role = role, .opts = o };
	int r, code = LBHA_EXIT_FAILURE;

	log_open(role->title, o->log_console ? LOG_TARGET_STDERR : LOG_TARGET_SYSLOG, o->log_detail);
	log_stop_echo();
	/* Die with the parent; the spawner set this before exec too, this keeps
	 * it if a later change ever drops it there. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_SET_NAME, role->title);
	c.parent_pid = getppid();
	/* Only the parent speaks to systemd (NotifyAccess=main). */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	/* A fixed threshold: glibc raises it after each large free, so the next
	 * big status text (MBs at 10,000 real servers) would come from the heap
	 * and stay in the process after it is freed. */
	mallopt(M_MMAP_THRESHOLD, CHILD_MMAP_THRESHOLD);

	snprintf(c.status.role, sizeof(c.status.role), "%s", role->name);
	c.status.pid = (uint64_t)getpid();
	c.status.parent_pid = (uint64_t)c.parent_pid;
	c.status.start_time = (uint64_t)time(NULL);

	r = setup_loop(&c);
	if (r < 0)
		goto out;
	if (role->start) {
		r = role->start(&c, c.event, &c.state);
		if (r < 0) {
			log_errno(LOG_ERR, r, "%s child cannot start", role->name);
			goto out;
		}
	}
	publish_status(&c);
	log_info("started (parent pid %d)", (int)c.parent_pid);

	r = sd_event_loop(c.event);
	code = r < 0 ? LBHA_EXIT_FAILURE : r;
	if (role->stop)
		role->stop(c.state);
out:
	/* The status file is the parent's: it removes it when we are gone. */
	config_free(c.config);
	sd_event_source_disable_unref(c.ping_timer);
	sd_event_source_disable_unref(c.shutdown_timer);
	sd_event_source_disable_unref(c.ready_defer);
	channel_free(c.parent);
	sd_event_unref(c.event);
	log_info("exited");
	return code;
}
