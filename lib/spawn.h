/* spawn: run a program from an sd-event loop, the DESIGN way.
 *
 * execve'd, never through a shell; a clean environment (PATH plus what the
 * caller adds); stdin /dev/null, stdout and stderr /dev/null or a given fd; its
 * own session and process group (setsid), so a timeout or the end of the run
 * can kill everything it forked; optionally as another user/group; every fd
 * above 2 closed; signal mask and dispositions reset to defaults.
 *
 * The exit is watched by an sd-event child source (sd_event_add_child).  It
 * uses a pidfd where the kernel has them (no pid reuse race) and SIGCHLD
 * through a signalfd where not, e.g. under valgrind, which does not know
 * pidfd_open (an earlier version used pidfd_open directly and failed there).
 * Either way sd-event requires SIGCHLD blocked in every thread: the loops of
 * lbha block SIGTERM, SIGINT and SIGHUP (lib/event_signals.c) and only the
 * parent adds SIGCHLD, so spawn_run() blocks SIGCHLD itself, process-wide.
 * Fine in lbha's single-threaded processes; a threaded caller must block it
 * before starting threads.  SIGCHLD must not be SIG_IGN (the kernel would reap
 * the child itself), and nothing else in the process may reap with
 * waitpid(-1).  Needs systemd >= 247 (sd_event_source_set_time_relative).
 *
 * Timeout: SIGTERM to the process group at the timeout, SIGKILL to the group
 * kill_delay later.  When the main process has exited (whether or not it timed
 * out), the rest of its group gets SIGKILL before it is reaped: while the
 * zombie holds the pid, the group id cannot be reused, so the kill cannot hit
 * an unrelated process.  A grandchild that left the group (setsid of its own)
 * is out of reach; that is the one way to outlive a run.
 *
 * Library code: never logs; errors are negative errno. */
#ifndef LBHA_SPAWN_H
#define LBHA_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

/* The only PATH a spawned program sees, and where a program name without a
 * slash is looked up. */
#define SPAWN_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* Time between SIGTERM and SIGKILL when kill_delay_usec is 0. */
#define SPAWN_KILL_DELAY_DEFAULT_USEC 1000000ULL

struct spawn;

struct spawn_params {
	const char *path;          /* program; without a slash it is searched in SPAWN_PATH */
	char *const *argv;         /* NULL-terminated; NULL: { path, NULL } */
	char *const *env;          /* extra "NAME=VALUE" entries, NULL-terminated, or NULL */
	const char *user;          /* run as this user (name, or a number); NULL: as we are */
	const char *group;         /* NULL: the user's primary group (or ours without user) */
	int output_fd;             /* > 0: stdout and stderr go there; 0 or < 0: /dev/null */
	uint64_t timeout_usec;     /* 0: no timeout */
	uint64_t kill_delay_usec;  /* SIGTERM -> SIGKILL; 0: SPAWN_KILL_DELAY_DEFAULT_USEC */
};

struct spawn_result {
	pid_t pid;
	int exit_status;           /* exit code when signal == 0 */
	int signal;                /* signal that ended it, 0 when it exited */
	bool timed_out;            /* the timeout fired (it then usually dies of SIGTERM) */
	uint64_t runtime_usec;     /* from fork to exit, CLOCK_MONOTONIC */
};

/* True when the run exited 0, was not signalled and did not time out. */
bool spawn_result_ok(const struct spawn_result *r);

/* Called once, from the loop, when the program has ended (never for a run freed
 * before it ended).  `s` is the handle spawn_run() returned; the callback may
 * call spawn_free(s). */
typedef void (*spawn_done_fn)(struct spawn *s, const struct spawn_result *res, void *userdata);

/* Start p->path with the parameters above; cb(userdata) runs when it ends.
 *
 * User and group names are resolved (getpwnam_r/getgrnam_r, getgrouplist)
 * before forking, so the child calls nothing but system calls until execve.
 * A failing execve in the child (missing program, not executable, bad ELF) is
 * reported back through a close-on-exec pipe, so it is returned here, not
 * through the callback; the short wait for that pipe is the only time the
 * caller waits (fork to execve, no I/O of the child in between).
 *
 * Returns 0 and a handle in *ret the caller releases with spawn_free(), in
 * the callback or later, and before the loop is freed (the handle's event
 * sources hold references on the loop).  Errors: -EINVAL (a NULL argument),
 * -ENOENT (program not found), -EACCES, -EPERM (another user or group asked
 * for and we are not root), -ESRCH (unknown user or group), or what
 * fork/pipe/sd_event_add_child/execve/setuid returned. */
int spawn_run(sd_event *e, const struct spawn_params *p, spawn_done_fn cb, void *userdata,
	      struct spawn **ret);

/* Release a handle.  A run still going is killed (SIGKILL to its process
 * group) and reaped from the loop later without calling the callback (if the
 * loop is freed first, the zombie stays until this process exits).
 * NULL-safe; returns NULL. */
struct spawn *spawn_free(struct spawn *s);

/* Same as spawn_free(): named for call sites that mean "stop it". */
struct spawn *spawn_cancel(struct spawn *s);

/* The pid (also the process group and session id) of the run. */
pid_t spawn_pid(const struct spawn *s);

/* True until the run has ended. */
bool spawn_running(const struct spawn *s);

/* Resolve a program name: a name with a slash is returned as is (copied); a
 * name without one is searched in SPAWN_PATH for an executable regular file.
 * Returns 0 and a string the caller frees in *ret, or -ENOENT/-EACCES. */
int spawn_find_program(const char *name, char **ret);

/* The uid `user` (a name, or a number) would run as, as spawn_run() resolves
 * it; NULL: our effective uid.  Returns 0, -ESRCH (no such user) or another
 * negative errno.  For spawn_check_security()'s run_as. */
int spawn_user_uid(const char *user, uid_t *ret_uid);

/* keepalived's enable_script_security: may `path` be run as `run_as`?
 *
 * Only a run as root (run_as == 0) is checked; any other user gets 0.  Refused
 * with -EPERM when a non-root user could change what gets executed: the file
 * is not owned by root or is group/other-writable, or a directory looked up on
 * the way (symlinks followed, each hop checked) is not owned by root or is
 * group/other-writable, unless it is sticky and the entry in it is owned by
 * root.  Group write with group root (gid 0) is trusted, as keepalived does.
 * `path` without a slash is resolved through SPAWN_PATH first.
 * Returns 0, -EPERM, or another negative errno (-ENOENT, -ELOOP, ...); on any
 * error *ret_why (if ret_why is non-NULL) gets a message naming the path
 * component, which the caller frees. */
int spawn_check_security(const char *path, uid_t run_as, char **ret_why);

#endif
