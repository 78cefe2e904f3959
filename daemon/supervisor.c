#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backoff.h"
#include "channel.h"
#include "daemon/child.h"
#include "daemon/metrics_parent.h"
#include "daemon/msg.h"
#include "daemon/options.h"
#include "daemon/status.h"
#include "daemon/supervisor.h"
#include "daemon/watchdog.h"
#include "ipc.h"
#include "log.h"
#include "xalloc.h"

#define USEC_PER_MSEC 1000ULL
#define USEC_PER_SEC 1000000ULL

#define RESTART_MIN_USEC (100 * USEC_PER_MSEC)
#define RESTART_MAX_USEC (30 * USEC_PER_SEC)
#define RESTART_RESET_USEC (60 * USEC_PER_SEC)
/* The descriptor a child finds its parent's socket on. */
#define CHILD_IPC_FD 3

struct child_slot {
	struct supervisor *sup;
	const struct child_role *role;
	pid_t pid;                      /* 0 while not running */
	struct channel *ch;
	sd_event_source *exit_watch;
	sd_event_source *restart_timer;
	struct backoff backoff;
	uint64_t started_usec;
	uint64_t last_ping_usec;
	uint64_t answered_gen;          /* the config generation it last answered (MSG_APPLIED) */
	uint64_t restarts;              /* restarts after it died */
	char *metrics;                  /* its latest MSG_METRICS text, or NULL */
	size_t metrics_len;
	bool ready;
	bool status_write_failed;       /* the last status file write failed (log once per streak) */
};

struct supervisor {
	sd_event *event;
	const struct lbha_options *opts;
	struct child_slot *slots;
	size_t n_slots;
	const struct supervisor_ops *ops;
	void *userdata;
	uint64_t generation;            /* 0: no config yet */
	char *config_text;
	size_t config_len;
	bool stopping;
	sd_event_source *kill_timer;
};

static uint64_t now_usec(const struct supervisor *s)
{
	uint64_t t = 0;

	sd_event_now(s->event, CLOCK_MONOTONIC, &t);
	return t;
}

static void send_config(struct child_slot *slot)
{
	struct supervisor *s = slot->sup;
	struct msg_config hdr = { .generation = s->generation };
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = s->config_text, .iov_len = s->config_len },
	};

	if (!slot->ch || s->generation == 0)
		return;
	int r = channel_sendv(slot->ch, MSG_CONFIG, iov, 2);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot send config generation %llu to the %s child",
			  (unsigned long long)s->generation, slot->role->name);
	else
		log_debug("sent config generation %llu (%zu bytes) to the %s child",
			  (unsigned long long)s->generation, s->config_len, slot->role->name);
}

/* ---- messages from a child ---- */

/* Every child runs its loop and has answered the current config. */
static void check_all_ready(struct supervisor *s)
{
	for (size_t i = 0; i < s->n_slots; i++)
		if (!s->slots[i].ready || s->slots[i].answered_gen != s->generation)
			return;
	if (!s->stopping && s->generation && s->ops->on_all_ready)
		s->ops->on_all_ready(s->userdata);
}

static int on_ready(const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;
	struct supervisor *s = slot->sup;

	slot->ready = true;
	slot->last_ping_usec = now_usec(s);
	log_info("%s child (pid %d) is ready", slot->role->name, (int)slot->pid);
	check_all_ready(s);
	return 0;
}

static int on_applied(const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;
	struct msg_applied a;

	memcpy(&a, m->payload, sizeof(a));
	/* A child that kept its old generation answered too: it logged why,
	 * and waiting longer would not change its mind. */
	slot->answered_gen = a.answered;
	if (a.running != a.answered)
		log_warning("the %s child runs config generation %llu, not %llu",
			    slot->role->name, (unsigned long long)a.running,
			    (unsigned long long)a.answered);
	check_all_ready(slot->sup);
	return 0;
}

static int on_metrics(const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;

	free(slot->metrics);
	slot->metrics = xmalloc(m->len + 1);
	memcpy(slot->metrics, m->payload, m->len);
	slot->metrics[m->len] = '\0';
	slot->metrics_len = m->len;
	return 0;
}

static int on_watchdog(const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;

	slot->last_ping_usec = now_usec(slot->sup);
	return 0;
}

static int on_status(const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;
	const char *dir = slot->sup->opts->runtime_dir;
	int r = status_write_text(dir, slot->role->name, m->payload, m->len);

	if (r < 0 && !slot->status_write_failed)
		log_errno(LOG_WARNING, r, "cannot write the %s child's status file in %s, ignoring",
			  slot->role->name, dir);
	slot->status_write_failed = r < 0;
	return 0;
}

static const struct ipc_handler parent_handlers[] = {
	{ MSG_READY, "READY", 0, on_ready },
	{ MSG_WATCHDOG, "WATCHDOG", 0, on_watchdog },
	{ MSG_STATUS, "STATUS", 0, on_status },
	{ MSG_METRICS, "METRICS", 0, on_metrics },
	{ MSG_APPLIED, "APPLIED", sizeof(struct msg_applied), on_applied },
};
#define N_HANDLERS (sizeof(parent_handlers) / sizeof(parent_handlers[0]))

static int on_message(struct channel *ch, const struct ipc_msg *m, void *userdata)
{
	struct child_slot *slot = userdata;
	int r = ipc_dispatch(parent_handlers, N_HANDLERS, m, slot);

	if (r == -ENOMSG)
		log_error("bug: the %s child sent unknown message type %u (%u bytes), ignoring",
			  slot->role->name, m->type, m->len);
	else if (r < 0)
		return r;
	return 0;
}

static void on_close(struct channel *ch, int error, void *userdata)
{
	struct child_slot *slot = userdata;

	/* The child went away: its exit watch reports how.  That is an orderly
	 * close (0), a reset (it died with our data unread) or a partial frame
	 * at close (it died half way through writing one, say a big status
	 * while stopping).  Anything else (an oversized frame, a message the
	 * dispatch refused) is a child that is alive and broken: kill it, it
	 * gets restarted. */
	bool child_gone = error == 0 || error == -ECONNRESET || error == -EPIPE || error == -EPROTO;
	if (!child_gone && slot->pid > 0) {
		log_errno(LOG_ERR, error, "bug: protocol error from the %s child (pid %d), killing it",
			  slot->role->name, (int)slot->pid);
		kill(slot->pid, SIGKILL);
	}
	slot->ch = channel_free(ch);
}

static const struct channel_ops child_channel_ops = {
	.on_message = on_message,
	.on_close = on_close,
};

/* ---- starting ---- */

/* In the forked child: only async-signal-safe calls from here to execv. */
static void __attribute__((noreturn)) exec_child(int fd, char *const argv[], pid_t parent)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Die with the parent, and catch a parent that died before we asked. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(1);
	if (fd == CHILD_IPC_FD) {
		if (fcntl(fd, F_SETFD, 0) < 0)
			_exit(127);
	} else if (dup2(fd, CHILD_IPC_FD) < 0) {
		_exit(127);
	}
	/* Anything else the parent inherited without O_CLOEXEC stays behind. */
	close_range(CHILD_IPC_FD + 1, ~0U, 0);
	execv("/proc/self/exe", argv);
	_exit(127);
}

static char **child_argv(const struct supervisor *s, const struct child_role *role)
{
	char **argv = xcalloc(10, sizeof(char *));
	size_t n = 0;

	argv[n++] = xstrdup(role->title);
	argv[n++] = xasprintf("--child=%s", role->name);
	argv[n++] = xasprintf("--ipc-fd=%d", CHILD_IPC_FD);
	argv[n++] = xasprintf("--runtime-dir=%s", s->opts->runtime_dir);
	if (s->opts->log_console)
		argv[n++] = xstrdup("--log-console");
	if (s->opts->log_detail)
		argv[n++] = xstrdup("--log-detail");
	if (s->opts->dont_release_ipvs)
		argv[n++] = xstrdup("--dont-release-ipvs");
	return argv;
}

static void free_argv(char **argv)
{
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

static int on_child_exit(sd_event_source *src, const siginfo_t *si, void *userdata);

static int spawn(struct child_slot *slot)
{
	struct supervisor *s = slot->sup;
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return log_errno(LOG_ERR, errno, "cannot create a socketpair for the %s child",
				 slot->role->name);
	char **argv = child_argv(s, slot->role);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		exec_child(sv[1], argv, parent);
	r = -errno;
	free_argv(argv);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return log_errno(LOG_ERR, r, "cannot fork the %s child", slot->role->name);
	}

	slot->pid = pid;
	slot->ready = false;
	slot->answered_gen = 0;
	slot->started_usec = slot->last_ping_usec = now_usec(s);
	r = sd_event_add_child(s->event, &slot->exit_watch, pid, WEXITED, on_child_exit, slot);
	if (r < 0) {
		/* Without a watch we could never reap or restart it. */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		slot->pid = 0;
		close(sv[0]);
		return log_errno(LOG_ERR, r, "cannot watch the %s child", slot->role->name);
	}
	r = channel_new(s->event, sv[0], 0, &child_channel_ops, slot, slot->role->name, &slot->ch);
	if (r < 0) {
		/* The child sees EOF on its socket and exits; the watch restarts it. */
		log_errno(LOG_ERR, r, "cannot talk to the %s child (pid %d)", slot->role->name, (int)pid);
		kill(pid, SIGKILL);
		return 0;
	}
	log_info("started the %s child (pid %d)", slot->role->name, (int)pid);
	send_config(slot);
	return 0;
}

static int on_restart(sd_event_source *src, uint64_t usec, void *userdata);

static void schedule_restart(struct child_slot *slot, uint64_t delay)
{
	struct supervisor *s = slot->sup;
	int r = sd_event_add_time_relative(s->event, &slot->restart_timer, CLOCK_MONOTONIC, delay, 0,
					   on_restart, slot);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot schedule a restart of the %s child; it stays down",
			  slot->role->name);
}

static int on_restart(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct child_slot *slot = userdata;

	slot->restart_timer = sd_event_source_disable_unref(slot->restart_timer);
	if (slot->sup->stopping)
		return 0;
	if (spawn(slot) < 0)
		schedule_restart(slot, backoff_next(&slot->backoff, 0));
	return 0;
}

/* "exited with status 1", "was killed by signal 9 (Killed)". */
static void describe_exit(const siginfo_t *si, char *buf, size_t size)
{
	if (si->si_code == CLD_EXITED)
		snprintf(buf, size, "exited with status %d", si->si_status);
	else
		snprintf(buf, size, "was killed by signal %d (%s)%s", si->si_status,
			 strsignal(si->si_status), si->si_code == CLD_DUMPED ? ", core dumped" : "");
}

static void check_stopped(struct supervisor *s)
{
	for (size_t i = 0; i < s->n_slots; i++)
		if (s->slots[i].pid > 0)
			return;
	s->kill_timer = sd_event_source_disable_unref(s->kill_timer);
	if (s->ops->on_stopped)
		s->ops->on_stopped(s->userdata);
}

static int on_child_exit(sd_event_source *src, const siginfo_t *si, void *userdata)
{
	struct child_slot *slot = userdata;
	struct supervisor *s = slot->sup;
	char how[96];

	describe_exit(si, how, sizeof(how));
	pid_t pid = slot->pid;
	slot->pid = 0;
	slot->ready = false;
	slot->exit_watch = sd_event_source_disable_unref(slot->exit_watch);
	slot->ch = channel_free(slot->ch);
	/* its counters died with it: no stale page */
	free(slot->metrics);
	slot->metrics = NULL;
	slot->metrics_len = 0;
	/* A killed child leaves its status file; `lbha status` must not show it. */
	char *path = status_path(s->opts->runtime_dir, slot->role->name);
	unlink(path);
	free(path);

	if (s->stopping) {
		log_info("the %s child (pid %d) %s", slot->role->name, (int)pid, how);
		check_stopped(s);
		return 0;
	}
	uint64_t ran = now_usec(s) - slot->started_usec;
	uint64_t delay = backoff_next(&slot->backoff, ran);
	slot->restarts++;
	log_error("the %s child (pid %d) %s after %.1f s; restarting it in %.1f s", slot->role->name,
		  (int)pid, how, (double)ran / USEC_PER_SEC, (double)delay / USEC_PER_SEC);
	schedule_restart(slot, delay);
	return 0;
}

/* ---- API ---- */

struct supervisor *supervisor_new(sd_event *e, const struct lbha_options *o,
				  const struct child_role *const *roles, size_t n,
				  const struct supervisor_ops *ops, void *userdata)
{
	struct supervisor *s = xnew(struct supervisor);

	s->event = sd_event_ref(e);
	s->opts = o;
	s->ops = ops;
	s->userdata = userdata;
	s->n_slots = n;
	s->slots = xcalloc(n, sizeof(*s->slots));
	for (size_t i = 0; i < n; i++)
		s->slots[i] = (struct child_slot){
			.sup = s,
			.role = roles[i],
			.backoff = BACKOFF_INIT(RESTART_MIN_USEC, RESTART_MAX_USEC, RESTART_RESET_USEC),
		};
	return s;
}

void supervisor_set_config(struct supervisor *s, uint64_t gen, const char *text, size_t len)
{
	free(s->config_text);
	s->config_text = xmalloc(len + 1);
	memcpy(s->config_text, text, len);
	s->config_text[len] = '\0';
	s->config_len = len;
	s->generation = gen;
	for (size_t i = 0; i < s->n_slots; i++)
		send_config(&s->slots[i]);
}

int supervisor_start(struct supervisor *s)
{
	for (size_t i = 0; i < s->n_slots; i++) {
		int r = spawn(&s->slots[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

bool supervisor_healthy(const struct supervisor *s, uint64_t now, const char **ret_why)
{
	struct watchdog_child c[s->n_slots ? s->n_slots : 1];
	size_t culprit = 0;

	for (size_t i = 0; i < s->n_slots; i++)
		c[i] = (struct watchdog_child){ .running = s->slots[i].pid > 0,
						.ready = s->slots[i].ready,
						.last_ping_usec = s->slots[i].last_ping_usec };
	if (watchdog_should_pet(c, s->n_slots, now, MSG_PING_STALE_USEC, &culprit))
		return true;
	if (ret_why)
		*ret_why = s->slots[culprit].role->name;
	return false;
}

size_t supervisor_metrics_children(const struct supervisor *s, struct metrics_child *ret,
				   size_t max)
{
	size_t n = s->n_slots < max ? s->n_slots : max;

	for (size_t i = 0; i < n; i++) {
		const struct child_slot *slot = &s->slots[i];
		ret[i] = (struct metrics_child){
			.name = slot->role->name,
			.up = slot->pid > 0 && slot->ready,
			.restarts = slot->restarts,
			.text = slot->metrics,
			.text_len = slot->metrics_len,
		};
	}
	return n;
}

static int on_kill_timeout(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct supervisor *s = userdata;

	for (size_t i = 0; i < s->n_slots; i++) {
		struct child_slot *slot = &s->slots[i];
		if (slot->pid <= 0)
			continue;
		log_warning("the %s child (pid %d) did not stop in time, killing it",
			    slot->role->name, (int)slot->pid);
		kill(slot->pid, SIGKILL);
	}
	return 0;
}

void supervisor_stop(struct supervisor *s)
{
	uint64_t timeout = CHILD_STOP_TIMEOUT_USEC;

	if (s->stopping)
		return;
	s->stopping = true;
	for (size_t i = 0; i < s->n_slots; i++) {
		struct child_slot *slot = &s->slots[i];
		slot->restart_timer = sd_event_source_disable_unref(slot->restart_timer);
		if (slot->pid > 0)
			kill(slot->pid, SIGTERM);
		if (slot->pid > 0 && slot->role->stop_timeout_usec > timeout)
			timeout = slot->role->stop_timeout_usec;
	}
	/* One timer for all: the longest a running child may take. */
	int r = sd_event_add_time_relative(s->event, &s->kill_timer, CLOCK_MONOTONIC, timeout, 0,
					   on_kill_timeout, s);
	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot arm the stop timeout");
	check_stopped(s);
}

struct supervisor *supervisor_free(struct supervisor *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->n_slots; i++) {
		struct child_slot *slot = &s->slots[i];
		if (slot->pid > 0)
			kill(slot->pid, SIGKILL);
		sd_event_source_disable_unref(slot->exit_watch);
		sd_event_source_disable_unref(slot->restart_timer);
		channel_free(slot->ch);
		free(slot->metrics);
	}
	sd_event_source_disable_unref(s->kill_timer);
	sd_event_unref(s->event);
	free(s->slots);
	free(s->config_text);
	free(s);
	return NULL;
}
