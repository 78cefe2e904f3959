/* spawn: fork + execve with a clean slate, watched by an sd-event child source.
 *
 * Parent side: resolve the program and the credentials, build argv/envp, fork,
 * wait only for the close-on-exec status pipe (EOF: execve worked; an int:
 * the child's errno), then add the child source and arm the timeout.
 * Child side: system calls only (no malloc, no NSS, no stdio) between fork and
 * execve, since the parent may hold locks the child would inherit taken.
 *
 * See spawn.h for why a child source and what it needs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "spawn.h"
#include "xalloc.h"

/* Slack on the timeout timers: they end a hung script, not a race. */
#define SPAWN_TIMER_ACCURACY_USEC 1000

/* Bounds the credential buffers when sysconf() has no opinion or a name
 * service keeps answering ERANGE. */
#define SPAWN_NSS_BUF_MAX (1024 * 1024)

struct spawn {
	sd_event_source *child;   /* the child has exited */
	sd_event_source *timer;   /* timeout, then the SIGTERM -> SIGKILL delay */
	spawn_done_fn cb;         /* NULL once detached by spawn_free() */
	void *userdata;
	pid_t pid;
	uint64_t start_usec;
	uint64_t kill_delay_usec;
	bool running;
	bool timed_out;
	bool term_sent;
};

/* Who the child becomes; resolved before fork. */
struct spawn_creds {
	bool change;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
};

bool spawn_result_ok(const struct spawn_result *r)
{
	return r && !r->timed_out && r->signal == 0 && r->exit_status == 0;
}

/* ---- program and credentials ------------------------------------------- */

int spawn_find_program(const char *name, char **ret)
{
	int r = -ENOENT;

	if (!name || !*name || !ret)
		return -EINVAL;
	if (strchr(name, '/')) {
		*ret = xstrdup(name);
		return 0;
	}
	for (const char *p = SPAWN_PATH; *p;) {
		size_t len = strcspn(p, ":");
		char *cand = xasprintf("%.*s/%s", (int)len, p, name);
		struct stat st;

		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				*ret = cand;
				return 0;
			}
			r = -EACCES;
		}
		free(cand);
		p += len;
		if (*p == ':')
			p++;
	}
	return r;
}

static size_t nss_buf_size(int which)
{
	long n = sysconf(which);

	return n > 0 ? (size_t)n : 16384;
}

static bool parse_id(const char *s, unsigned long *ret)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	return errno == 0 && !*end && *ret < (unsigned long)UINT32_MAX;
}

/* One NSS lookup into a buffer that grows while NSS says ERANGE.  `try`
 * copies what it needs out of buf and returns 0 when found, ESRCH when not,
 * or the errno NSS gave.  Not found comes back as 0 with no result, or as one
 * of several errnos depending on the NSS module: all of them are -ESRCH. */
typedef int (*nss_try_fn)(char *buf, size_t size, void *userdata);

static int nss_lookup(int size_name, nss_try_fn try, void *userdata)
{
	for (size_t size = nss_buf_size(size_name);; size *= 2) {
		char *buf = xmalloc(size);
		int e = try(buf, size, userdata);

		free(buf);
		if (e == ERANGE && size < SPAWN_NSS_BUF_MAX)
			continue;
		if (e == 0)
			return 0;
		return e == ENOENT || e == ESRCH || e == EBADF || e == EPERM ? -ESRCH : -e;
	}
}

struct user_query {
	const char *user;
	uid_t uid;
	gid_t gid;
	char *name;
};

/* By name, then by number. */
static int try_user(char *buf, size_t size, void *userdata)
{
	struct user_query *q = userdata;
	struct passwd pw, *res = NULL;
	unsigned long id;
	int e = getpwnam_r(q->user, &pw, buf, size, &res);

	if (e == 0 && !res && parse_id(q->user, &id))
		e = getpwuid_r((uid_t)id, &pw, buf, size, &res);
	if (e != 0)
		return e;
	if (!res)
		return ESRCH;
	q->uid = pw.pw_uid;
	q->gid = pw.pw_gid;
	q->name = xstrdup(pw.pw_name);
	return 0;
}

struct group_query {
	const char *group;
	gid_t gid;
};

static int try_group(char *buf, size_t size, void *userdata)
{
	struct group_query *q = userdata;
	struct group gr, *res = NULL;
	unsigned long id;
	int e = getgrnam_r(q->group, &gr, buf, size, &res);

	if (e == 0 && !res && parse_id(q->group, &id))
		e = getgrgid_r((gid_t)id, &gr, buf, size, &res);
	if (e != 0)
		return e;
	if (!res)
		return ESRCH;
	q->gid = gr.gr_gid;
	return 0;
}

/* Fills uid, gid, and the name in *ret_name (for getgrouplist). */
static int lookup_user(const char *user, uid_t *ret_uid, gid_t *ret_gid, char **ret_name)
{
	struct user_query q = { .user = user };
	int r = nss_lookup(_SC_GETPW_R_SIZE_MAX, try_user, &q);

	if (r < 0)
		return r;
	*ret_uid = q.uid;
	*ret_gid = q.gid;
	*ret_name = q.name;
	return 0;
}

static int lookup_group(const char *group, gid_t *ret_gid)
{
	struct group_query q = { .group = group };
	int r = nss_lookup(_SC_GETGR_R_SIZE_MAX, try_group, &q);

	if (r == 0)
		*ret_gid = q.gid;
	return r;
}

int spawn_user_uid(const char *user, uid_t *ret_uid)
{
	gid_t gid;
	char *name;
	int r;

	if (!ret_uid)
		return -EINVAL;
	if (!user) {
		*ret_uid = geteuid();
		return 0;
	}
	r = lookup_user(user, ret_uid, &gid, &name);
	if (r < 0)
		return r;
	free(name);
	return 0;
}

static int resolve_creds(const char *user, const char *group, struct spawn_creds *c)
{
	char *name = NULL;
	int r;

	*c = (struct spawn_creds){ .uid = geteuid(), .gid = getegid() };
	if (!user && !group)
		return 0;
	if (user) {
		r = lookup_user(user, &c->uid, &c->gid, &name);
		if (r < 0)
			return r;
	}
	if (group) {
		r = lookup_group(group, &c->gid);
		if (r < 0) {
			free(name);
			return r;
		}
	}
	if (geteuid() != 0) {
		free(name);
		/* Asking for what we already are is fine; anything else needs root. */
		return c->uid == geteuid() && c->gid == getegid() ? 0 : -EPERM;
	}
	c->change = true;
	if (name) {
		int n = 16;

		for (;;) {
			gid_t *g = xcalloc((size_t)n, sizeof(gid_t));
			int got = n;

			if (getgrouplist(name, c->gid, g, &got) >= 0) {
				c->groups = g;
				c->ngroups = (size_t)got;
				break;
			}
			free(g);
			if (got <= n || got > 65536) {
				/* cannot list them: run with the primary group only */
				c->groups = xcalloc(1, sizeof(gid_t));
				c->groups[0] = c->gid;
				c->ngroups = 1;
				break;
			}
			n = got;
		}
		free(name);
	} else {
		c->groups = xcalloc(1, sizeof(gid_t));
		c->groups[0] = c->gid;
		c->ngroups = 1;
	}
	return 0;
}

static char **build_env(char *const *extra)
{
	size_t n = 0;
	char **env;

	while (extra && extra[n])
		n++;
	env = xcalloc(n + 2, sizeof(char *));
	env[0] = (char *)"PATH=" SPAWN_PATH;
	for (size_t i = 0; i < n; i++)
		env[i + 1] = extra[i];
	return env;
}

/* ---- the child ----------------------------------------------------------- */

static void close_fds_from(unsigned from, unsigned to, long max)
{
	if (from > to)
		return;
	if (syscall(SYS_close_range, from, to, 0) == 0)
		return;
	for (long fd = from; fd <= (long)to && fd < max; fd++)
		close((int)fd);
}

/* Never returns.  Only async-signal-safe calls: the parent's other locks
 * (malloc, NSS, stdio) may be held by nobody in this process any more. */
__attribute__((noreturn))
static void child_exec(const char *path, char *const *argv, char *const *envp, int out_fd,
		       const struct spawn_creds *c, int errfd, long max_fd)
{
	/* All zero is SIG_DFL, no flags, empty mask in every architecture's
	 * layout of the kernel's struct sigaction (and bigger than any). */
	static const unsigned long kernel_sa_dfl[16];
	sigset_t none;
	int nullfd, e;

	if (setsid() < 0)
		goto fail;
	/* Dispositions first, then the mask: a signal pending in the parent's
	 * blocked set must meet the default action, not our handler.  The raw
	 * system call, because glibc's sigaction() refuses the two real-time
	 * signals it reserves (32, 33), which a parent such as make may have
	 * left ignored; ignored dispositions survive execve.  SIGKILL and
	 * SIGSTOP fail harmlessly. */
	for (int sig = 1; sig < NSIG; sig++)
		(void)syscall(SYS_rt_sigaction, sig, kernel_sa_dfl, NULL, (size_t)(NSIG - 1) / 8);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;

	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nullfd < 0)
		goto fail;
	if (out_fd <= 0)
		out_fd = nullfd;
	if (dup2(nullfd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		goto fail;
	/* dup2 onto itself keeps FD_CLOEXEC: clear it on 0-2 explicitly. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0)
			goto fail;
	close_fds_from(3, (unsigned)errfd - 1, max_fd);
	close_fds_from((unsigned)errfd + 1, ~0U, max_fd);
	/* the daemon raised its soft limit (daemon/main.c); a script may still
	 * use select(), which cannot take a descriptor above FD_SETSIZE */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > FD_SETSIZE) {
		rl.rlim_cur = FD_SETSIZE;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}

	if (c->change) {
		if (setgroups(c->ngroups, c->groups) < 0 || setgid(c->gid) < 0 ||
		    setuid(c->uid) < 0)
			goto fail;
	}
	execve(path, argv, envp);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0) {
		/* nothing left to tell it with */
	}
	_exit(127);
}

/* ---- the parent ---------------------------------------------------------- */

static void spawn_release_sources(struct spawn *s)
{
	s->timer = sd_event_source_disable_unref(s->timer);
	s->child = sd_event_source_disable_unref(s->child);
}

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct spawn *s = userdata;

	(void)usec;
	if (!s->running)
		return 0;
	if (!s->term_sent) {
		s->timed_out = true;
		s->term_sent = true;
		(void)kill(-s->pid, SIGTERM);
		if (sd_event_source_set_time_relative(src, s->kill_delay_usec) >= 0)
			(void)sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
		else
			(void)kill(-s->pid, SIGKILL);
		return 0;
	}
	(void)kill(-s->pid, SIGKILL);
	return 0;
}

/* Detached runs: the child source is floating and frees the struct with it. */
static void on_child_destroy(void *userdata)
{
	free(userdata);
}

static int on_child_exit(sd_event_source *src, const siginfo_t *si, void *userdata)
{
	struct spawn *s = userdata;
	struct spawn_result res = { .pid = s->pid };
	siginfo_t reaped;

	/* sd-event calls us before it reaps (it peeks with WNOWAIT), so the
	 * zombie still holds the pid and the group id cannot have been reused:
	 * whatever the run forked that is still in its group dies with it.
	 * Then reap it ourselves: sd-event's own waitid() afterwards finds
	 * nothing, and a source freed in here cannot leave a zombie behind. */
	(void)kill(-s->pid, SIGKILL);
	(void)waitid(P_PID, (id_t)s->pid, &reaped, WEXITED | WNOHANG);

	s->running = false;
	res.timed_out = s->timed_out;
	res.runtime_usec = monotonic_usec() - s->start_usec;
	if (si->si_code == CLD_EXITED)
		res.exit_status = si->si_status;
	else
		res.signal = si->si_status;
	s->timer = sd_event_source_disable_unref(s->timer);

	if (!s->cb) {
		/* detached: take the loop's reference back and drop it; the
		 * destroy callback frees s (after this dispatch returns) */
		(void)sd_event_source_set_enabled(src, SD_EVENT_OFF);
		sd_event_source_ref(src);
		(void)sd_event_source_set_floating(src, false);
		sd_event_source_unref(src);
		return 0;
	}
	(void)sd_event_source_set_enabled(src, SD_EVENT_OFF);
	/* last use of s: the callback may free it */
	s->cb(s, &res, s->userdata);
	return 0;
}

/* Read the child's execve verdict: 0 on EOF, or the negative errno it sent. */
static int read_exec_status(int fd)
{
	int e = 0;
	ssize_t n;

	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e))
		return e > 0 ? -e : -EIO;
	return n == 0 ? 0 : -EIO;
}

static int start_child(sd_event *e, const struct spawn_params *p, const char *path,
		       const struct spawn_creds *c, struct spawn *s)
{
	char *default_argv[] = { (char *)p->path, NULL };
	char *const *argv = p->argv ? p->argv : default_argv;
	char **envp = build_env(p->env);
	struct rlimit rl;
	long max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
			      ? (long)rl.rlim_cur : 65536;
	int pipefd[2], r;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		free(envp);
		return -errno;
	}
	/* Keep the status pipe off 0-2 so the child's dup2s cannot clobber it. */
	if (pipefd[1] <= 2) {
		int fd = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 3);

		if (fd < 0) {
			r = -errno;
			goto fail_pipe;
		}
		close(pipefd[1]);
		pipefd[1] = fd;
	}

	s->start_usec = monotonic_usec();
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto fail_pipe;
	}
	if (pid == 0)
		child_exec(path, argv, envp, p->output_fd, c, pipefd[1], max_fd);

	free(envp);
	envp = NULL;
	close(pipefd[1]);
	r = read_exec_status(pipefd[0]);
	close(pipefd[0]);
	if (r < 0) {
		(void)waitpid(pid, NULL, 0); /* it is in _exit(127) already */
		return r;
	}

	s->pid = pid;
	s->running = true;
	r = sd_event_add_child(e, &s->child, pid, WEXITED, on_child_exit, s);
	if (r < 0)
		goto fail_child;
	(void)sd_event_source_set_description(s->child, "spawn-exit");
	if (p->timeout_usec > 0) {
		r = sd_event_add_time_relative(e, &s->timer, CLOCK_MONOTONIC, p->timeout_usec,
					       SPAWN_TIMER_ACCURACY_USEC, on_timer, s);
		if (r < 0)
			goto fail_child;
		(void)sd_event_source_set_description(s->timer, "spawn-timeout");
	}
	return 0;

fail_child:
	spawn_release_sources(s);
	(void)kill(-pid, SIGKILL);
	(void)waitpid(pid, NULL, 0);
	s->running = false;
	return r;
fail_pipe:
	close(pipefd[0]);
	close(pipefd[1]);
	free(envp);
	return r;
}

/* sd_event_add_child() refuses to work (-EBUSY) unless SIGCHLD is blocked:
 * without a pidfd it learns of exits from a signalfd, and even with one it
 * must keep the kernel from delivering SIGCHLD the old way.  Blocking it is
 * harmless: its default action is to discard it, and the child gets an empty
 * mask back before execve. */
static int block_sigchld(void)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	return sigprocmask(SIG_BLOCK, &chld, NULL) < 0 ? -errno : 0;
}

int spawn_run(sd_event *e, const struct spawn_params *p, spawn_done_fn cb, void *userdata,
	      struct spawn **ret)
{
	struct spawn_creds c;
	struct spawn *s;
	char *path = NULL;
	int r;

	if (!e || !p || !p->path || !cb || !ret)
		return -EINVAL;
	r = block_sigchld();
	if (r < 0)
		return r;
	r = spawn_find_program(p->path, &path);
	if (r < 0)
		return r;
	r = resolve_creds(p->user, p->group, &c);
	if (r < 0) {
		free(path);
		return r;
	}

	s = xnew(struct spawn);
	s->cb = cb;
	s->userdata = userdata;
	s->kill_delay_usec = p->kill_delay_usec ? p->kill_delay_usec : SPAWN_KILL_DELAY_DEFAULT_USEC;
	r = start_child(e, p, path, &c, s);
	free(c.groups);
	free(path);
	if (r < 0) {
		free(s);
		return r;
	}
	*ret = s;
	return 0;
}

struct spawn *spawn_free(struct spawn *s)
{
	if (!s)
		return NULL;
	if (!s->running) {
		spawn_release_sources(s);
		free(s);
		return NULL;
	}
	/* Still running: kill the group now, reap it from the loop later.  The
	 * child source becomes the loop's (floating) and takes s with it, so a
	 * loop freed first frees s too (the zombie then goes with us). */
	(void)kill(-s->pid, SIGKILL);
	s->timer = sd_event_source_disable_unref(s->timer);
	s->cb = NULL;
	s->userdata = NULL;
	if (sd_event_source_set_destroy_callback(s->child, on_child_destroy) < 0 ||
	    sd_event_source_set_floating(s->child, true) < 0) {
		/* cannot hand it over: reap here; SIGKILL makes this short */
		(void)waitpid(s->pid, NULL, 0);
		(void)sd_event_source_set_destroy_callback(s->child, NULL);
		spawn_release_sources(s);
		free(s);
		return NULL;
	}
	sd_event_source_unref(s->child);
	return NULL;
}

struct spawn *spawn_cancel(struct spawn *s)
{
	return spawn_free(s);
}

pid_t spawn_pid(const struct spawn *s)
{
	return s ? s->pid : 0;
}

bool spawn_running(const struct spawn *s)
{
	return s && s->running;
}
