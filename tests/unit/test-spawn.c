/* test-spawn: lib/spawn runs programs cleanly, times them out, leaves nothing
 * behind, and spawn_check_security refuses what a non-root user could change.
 * Real processes on a real sd-event loop; every loop run is bounded. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>
#include <cmocka.h>

#include "atomic_file.h"
#include "spawn.h"
#include "xalloc.h"

#ifndef SPAWN_TEST_DATA
#define SPAWN_TEST_DATA "tests/unit/data/spawn"
#endif

struct run {
	bool done;
	struct spawn_result res;
};

struct fixture {
	char *dir;
	sd_event *e;
};

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

static void on_done(struct spawn *s, const struct spawn_result *res, void *userdata)
{
	struct run *run = userdata;

	(void)s;
	run->done = true;
	run->res = *res;
}

/* Run the loop until the run is done or max_usec has passed. */
static void wait_done(sd_event *e, struct run *run, uint64_t max_usec)
{
	uint64_t deadline = mono_usec() + max_usec;

	while (!run->done && mono_usec() < deadline)
		assert_true(sd_event_run(e, 100000) >= 0);
}

static int setup(void **state)
{
	struct fixture *f = xnew(struct fixture);

	f->dir = xstrdup("/tmp/lbha-test-spawn-XXXXXX");
	if (!mkdtemp(f->dir) || chmod(f->dir, 0755) < 0 || sd_event_new(&f->e) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	int r = system(cmd);

	free(cmd);
	sd_event_unref(f->e);
	free(f->dir);
	free(f);
	return r == 0 ? 0 : -1;
}

/* Run p to completion (at most 5 s) and return the result. */
static struct spawn_result run_program(struct fixture *f, const struct spawn_params *p)
{
	struct run run = { 0 };
	struct spawn *s = NULL;

	assert_int_equal(spawn_run(f->e, p, on_done, &run, &s), 0);
	assert_non_null(s);
	assert_true(spawn_pid(s) > 0);
	wait_done(f->e, &run, 5000000);
	assert_true(run.done);
	assert_false(spawn_running(s));
	assert_null(spawn_free(s));
	return run.res;
}

static char *read_file(const char *path)
{
	char *data = xzalloc(65536);
	FILE *fp = fopen(path, "re");

	assert_non_null(fp);
	(void)fread(data, 1, 65535, fp);
	fclose(fp);
	return data;
}

static void test_true_false(void **state)
{
	struct fixture *f = *state;
	struct spawn_result r;

	r = run_program(f, &(struct spawn_params){ .path = "/bin/true" });
	assert_true(spawn_result_ok(&r));
	assert_int_equal(r.exit_status, 0);
	assert_int_equal(r.signal, 0);
	assert_false(r.timed_out);

	/* no slash: found through SPAWN_PATH */
	r = run_program(f, &(struct spawn_params){ .path = "false" });
	assert_false(spawn_result_ok(&r));
	assert_int_equal(r.exit_status, 1);
	assert_int_equal(r.signal, 0);

	char *argv[] = { "sh", "-c", "exit 7", NULL };
	r = run_program(f, &(struct spawn_params){ .path = "/bin/sh", .argv = argv });
	assert_int_equal(r.exit_status, 7);
}

static void test_clean_env(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/env.out", f->dir);
	char *env[] = { "LBHA_STATE=MASTER", NULL };
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct spawn_result r;
	char *text;

	assert_true(fd > 0);
	setenv("LBHA_TEST_LEAK", "1", 1);
	r = run_program(f, &(struct spawn_params){ .path = SPAWN_TEST_DATA "/env.sh",
						  .env = env, .output_fd = fd });
	close(fd);
	unsetenv("LBHA_TEST_LEAK");
	assert_true(spawn_result_ok(&r));
	text = read_file(out);
	/* exactly our two entries: sh adds PWD only if it is exported, and
	 * we export nothing else */
	assert_non_null(strstr(text, "PATH=" SPAWN_PATH "\n"));
	assert_non_null(strstr(text, "LBHA_STATE=MASTER\n"));
	assert_null(strstr(text, "LBHA_TEST_LEAK"));
	assert_null(strstr(text, "HOME="));
	for (const char *l = text; *l; l = strchr(l, '\n') + 1)
		assert_true(!strncmp(l, "PATH=", 5) || !strncmp(l, "LBHA_STATE=", 11) ||
			    !strncmp(l, "PWD=", 4));
	free(text);
	free(out);
}

/* stdin /dev/null, only fds 0-2 open, its own session, and nothing blocked
 * or ignored although we block SIGUSR1 and ignore SIGPIPE. */
static void test_clean_process(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/proc.out", f->dir);
	char *sh_argv[] = { "sh", "-c",
			    "readlink /proc/$$/fd/0; ls /proc/$$/fd; "
			    "echo sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$", NULL };
	/* grep reads its own status: the mask spawn left, nothing a shell did */
	char *grep_argv[] = { "grep", "-E", "^(SigBlk|SigIgn)", "/proc/self/status", NULL };
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int leak = open("/dev/null", O_RDONLY); /* not close-on-exec on purpose */
	sigset_t usr1, old;
	struct spawn_result r;
	char *text, *sid, *pid;

	assert_true(fd > 0 && leak > 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	signal(SIGPIPE, SIG_IGN);
	r = run_program(f, &(struct spawn_params){ .path = "/bin/sh", .argv = sh_argv,
						  .output_fd = fd });
	assert_true(spawn_result_ok(&r));
	r = run_program(f, &(struct spawn_params){ .path = "grep", .argv = grep_argv,
						  .output_fd = fd });
	assert_true(spawn_result_ok(&r));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, SIG_DFL);
	close(leak);
	close(fd);
	text = read_file(out);
	for (char *l = text, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		print_message("# %.*s\n", (int)(nl - l), l);
	}
	assert_non_null(strstr(text, "/dev/null\n0\n1\n2\nsid="));
	assert_non_null(strstr(text, "SigBlk:\t0000000000000000\n"));
	assert_non_null(strstr(text, "SigIgn:\t0000000000000000\n"));
	/* its own session: sid == pid */
	sid = strstr(text, "sid=");
	pid = strstr(text, " pid=");
	assert_non_null(sid);
	assert_non_null(pid);
	assert_int_equal(atoi(sid + 4), atoi(pid + 5));
	free(text);
	free(out);
}

/* The soft "Max open files" the kernel has for us (/proc/self/limits), -1
 * when unknown. */
static long long kernel_nofile(void)
{
	char *text = read_file("/proc/self/limits");
	char *line = text ? strstr(text, "Max open files") : NULL;
	long long v = line ? strtoll(line + strlen("Max open files"), NULL, 10) : -1;

	free(text);
	return v;
}

/* A raised descriptor limit (the daemon takes the hard one) is not what a
 * script gets: it may use select(). */
static void test_fd_limit_reset(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/nofile.out", f->dir);
	char *sh_argv[] = { "sh", "-c", "ulimit -n", NULL };
	struct rlimit old, rl;
	struct spawn_result r;
	char *text;
	int fd;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	if (old.rlim_max <= FD_SETSIZE) {
		print_message("# the hard limit %llu is not above %d\n",
			      (unsigned long long)old.rlim_max, FD_SETSIZE);
		free(out);
		skip();
	}
	rl = (struct rlimit){ .rlim_cur = old.rlim_max, .rlim_max = old.rlim_max };
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	if (kernel_nofile() != (long long)rl.rlim_cur) {
		/* valgrind keeps descriptors for itself and fakes the limit */
		print_message("# the kernel did not take the raised limit (under valgrind?)\n");
		setrlimit(RLIMIT_NOFILE, &old);
		free(out);
		skip();
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd > 0);
	r = run_program(f, &(struct spawn_params){ .path = "/bin/sh", .argv = sh_argv,
						  .output_fd = fd });
	close(fd);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true(spawn_result_ok(&r));
	text = read_file(out);
	assert_int_equal(atoi(text), FD_SETSIZE);
	free(text);
	free(out);
}

static void test_timeout_term(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { "sleep", "30", NULL };
	struct spawn_result r;

	r = run_program(f, &(struct spawn_params){ .path = "sleep", .argv = argv,
						  .timeout_usec = 200000 });
	assert_true(r.timed_out);
	assert_false(spawn_result_ok(&r));
	assert_int_equal(r.signal, SIGTERM);
	assert_true(r.runtime_usec >= 190000);
	assert_true(r.runtime_usec < 2000000);
}

/* SIGTERM ignored (and inherited as ignored by its child): SIGKILL follows
 * kill_delay later and takes the whole group. */
static void test_timeout_kill(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { "sh", "-c", "trap '' TERM; sleep 30; sleep 30", NULL };
	struct spawn_result r;

	r = run_program(f, &(struct spawn_params){ .path = "/bin/sh", .argv = argv,
						  .timeout_usec = 200000,
						  .kill_delay_usec = 200000 });
	assert_true(r.timed_out);
	assert_int_equal(r.signal, SIGKILL);
	assert_true(r.runtime_usec >= 390000);
	assert_true(r.runtime_usec < 2000000);
}

/* A script that forks a background sleep and exits leaves nothing behind. */
static void test_no_grandchildren(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/bg.pid", f->dir);
	char *argv[] = { "fork-bg.sh", out, NULL };
	struct run run = { 0 };
	struct spawn *s = NULL;
	pid_t pgid, bg;
	char *text;

	/* Orphans come to us, not to pid 1, so the killed sleep is reaped here
	 * and "gone" can be checked without waiting for someone else. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){
				.path = SPAWN_TEST_DATA "/fork-bg.sh", .argv = argv,
				.timeout_usec = 5000000 }, on_done, &run, &s), 0);
	pgid = spawn_pid(s);
	wait_done(f->e, &run, 5000000);
	assert_true(run.done);
	assert_true(spawn_result_ok(&run.res));
	assert_true(run.res.runtime_usec < 2000000);
	spawn_free(s);

	text = read_file(out);
	bg = (pid_t)atoi(text);
	free(text);
	assert_true(bg > 0);
	/* it was killed, not merely orphaned: reap it and look at how it died */
	int status;
	assert_int_equal(waitpid(bg, &status, 0), bg);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	errno = 0;
	assert_int_equal(kill(-pgid, 0), -1);
	assert_int_equal(errno, ESRCH);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	free(out);
}

static void test_run_as_nobody(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/id.out", f->dir);
	char *argv[] = { "sh", "-c", "id -u; id -g; id -G", NULL };
	struct passwd *pw = getpwnam("nobody");
	struct spawn_result r;
	char *text, *expect;
	int fd;

	if (geteuid() != 0 || !pw) {
		print_message("# not root or no user nobody: cannot change user\n");
		skip();
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd > 0);
	r = run_program(f, &(struct spawn_params){ .path = "/bin/sh", .argv = argv,
						  .user = "nobody", .output_fd = fd });
	close(fd);
	assert_true(spawn_result_ok(&r));
	text = read_file(out);
	/* uid, primary gid, and no supplementary group of ours (root's) left */
	expect = xasprintf("%u\n%u\n%u\n", (unsigned)pw->pw_uid, (unsigned)pw->pw_gid,
			   (unsigned)pw->pw_gid);
	assert_string_equal(text, expect);
	free(expect);
	free(text);
	free(out);
}

static void test_bad_user_and_permission(void **state)
{
	struct fixture *f = *state;
	struct spawn *s = NULL;
	struct run run = { 0 };
	pid_t pid;
	int status;

	assert_int_equal(spawn_run(f->e, &(struct spawn_params){
				.path = "/bin/true", .user = "lbha-no-such-user" },
				on_done, &run, &s), -ESRCH);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){
				.path = "/bin/true", .group = "lbha-no-such-group" },
				on_done, &run, &s), -ESRCH);
	assert_null(s);
	if (geteuid() != 0) {
		assert_int_equal(spawn_run(f->e, &(struct spawn_params){
					.path = "/bin/true", .user = "root" },
					on_done, &run, &s), -EPERM);
		return;
	}
	/* As root: check -EPERM from a process that dropped to nobody. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct passwd *pw = getpwnam("nobody");
		sd_event *e = NULL;
		int r;

		if (!pw || setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
		    setuid(pw->pw_uid) < 0 || sd_event_new(&e) < 0)
			_exit(2);
		r = spawn_run(e, &(struct spawn_params){ .path = "/bin/true", .user = "root" },
			      on_done, &run, &s);
		_exit(r == -EPERM ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_missing_program(void **state)
{
	struct fixture *f = *state;
	struct run run = { 0 };
	struct spawn *s = NULL;
	char *noexec = xasprintf("%s/noexec.sh", f->dir);
	char *badelf = xasprintf("%s/badelf", f->dir);

	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = "/nonexistent/prog" },
				   on_done, &run, &s), -ENOENT);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = "lbha-no-such-prog" },
				   on_done, &run, &s), -ENOENT);
	assert_int_equal(atomic_file_write(noexec, "#!/bin/sh\n", 10, 0644), 0);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = noexec },
				   on_done, &run, &s), -EACCES);
	/* no #! and not ELF: execve's ENOEXEC comes back through the pipe */
	assert_int_equal(atomic_file_write(badelf, "\x7f" "ELFgarbage", 10, 0755), 0);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = badelf },
				   on_done, &run, &s), -ENOEXEC);
	assert_null(s);
	assert_false(run.done);
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = NULL },
				   on_done, &run, &s), -EINVAL);
	free(noexec);
	free(badelf);
}

/* Freeing a running handle kills it; the loop reaps it without a callback. */
static void test_free_running(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { "sleep", "30", NULL };
	struct run run = { 0 };
	struct spawn *s = NULL;
	uint64_t deadline;
	pid_t pid;

	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = "sleep", .argv = argv,
								 .timeout_usec = 10000000 },
				   on_done, &run, &s), 0);
	pid = spawn_pid(s);
	assert_true(spawn_running(s));
	assert_null(spawn_cancel(s));
	deadline = mono_usec() + 2000000;
	/* kill(pid, 0) succeeds on a zombie: gone means reaped by the loop */
	while (kill(pid, 0) == 0 && mono_usec() < deadline)
		assert_true(sd_event_run(f->e, 50000) >= 0);
	assert_int_equal(kill(pid, 0), -1);
	assert_false(run.done);
	assert_null(spawn_free(NULL));

	/* and a loop freed first takes the detached run with it (leak checkers) */
	assert_int_equal(spawn_run(f->e, &(struct spawn_params){ .path = "sleep", .argv = argv },
				   on_done, &run, &s), 0);
	pid = spawn_pid(s);
	spawn_free(s);
	f->e = sd_event_unref(f->e);
	assert_int_equal(sd_event_new(&f->e), 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* ---- spawn_check_security ---------------------------------------------- */

static char *make_script(const char *dir, const char *name, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(atomic_file_write(path, "#!/bin/sh\nexit 0\n", 17, 0755), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static char *make_dir(const char *parent, const char *name, mode_t mode)
{
	char *path = xasprintf("%s/%s", parent, name);

	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void expect_refused(const char *path, const char *component)
{
	char *why = NULL;

	assert_int_equal(spawn_check_security(path, 0, &why), -EPERM);
	assert_non_null(why);
	print_message("# refused: %s\n", why);
	/* the message starts with the component at fault */
	assert_int_equal(strncmp(why, component, strlen(component)), 0);
	assert_int_equal(why[strlen(component)], ':');
	free(why);
}

static void expect_ok(const char *path)
{
	char *why = NULL;
	int r = spawn_check_security(path, 0, &why);

	if (r < 0)
		print_message("# unexpected: %s\n", why);
	assert_int_equal(r, 0);
	assert_null(why);
}

static void test_security(void **state)
{
	struct fixture *f = *state;
	struct passwd *pw = getpwnam("nobody");
	char *good, *open_script, *wdir, *wscript, *sdir, *sgood, *sbad, *link;

	if (geteuid() != 0 || !pw) {
		print_message("# not root: the fixtures must be owned by root\n");
		skip();
	}
	good = make_script(f->dir, "good.sh", 0755);
	expect_ok(good);
	expect_ok("true"); /* through SPAWN_PATH */

	open_script = make_script(f->dir, "open.sh", 0777);
	expect_refused(open_script, open_script);
	/* as someone else than root, nothing is checked */
	assert_int_equal(spawn_check_security(open_script, pw->pw_uid, NULL), 0);

	/* group-writable: refused for a non-root group, trusted for group root */
	assert_int_equal(chmod(open_script, 0775), 0);
	assert_int_equal(chown(open_script, 0, pw->pw_gid), 0);
	expect_refused(open_script, open_script);
	assert_int_equal(chown(open_script, 0, 0), 0);
	expect_ok(open_script);
	/* owned by another user */
	assert_int_equal(chmod(open_script, 0755), 0);
	assert_int_equal(chown(open_script, pw->pw_uid, 0), 0);
	expect_refused(open_script, open_script);

	/* world-writable directory, not sticky: the entry can be replaced */
	wdir = make_dir(f->dir, "world", 0777);
	wscript = make_script(wdir, "s.sh", 0755);
	expect_refused(wscript, wdir);
	/* the same, seen through "..": still that directory */
	char *dotdot = xasprintf("%s/../world/s.sh", wdir);
	expect_refused(dotdot, wdir);
	free(dotdot);

	/* sticky and world-writable (like /tmp): fine for a root-owned entry,
	 * not for one owned by someone else */
	sdir = make_dir(f->dir, "sticky", 01777);
	sgood = make_script(sdir, "root.sh", 0755);
	expect_ok(sgood);
	sbad = make_script(sdir, "nobody.sh", 0755);
	assert_int_equal(chown(sbad, pw->pw_uid, pw->pw_gid), 0);
	expect_refused(sbad, sbad);

	/* a symlink to a good script, kept in the writable directory: refused
	 * for the directory holding the link */
	link = xasprintf("%s/link.sh", wdir);
	assert_int_equal(symlink(good, link), 0);
	expect_refused(link, wdir);
	free(link);
	/* a safe link to a script in the writable directory: refused there */
	link = xasprintf("%s/link2.sh", f->dir);
	assert_int_equal(symlink("world/s.sh", link), 0);
	expect_refused(link, wdir);
	free(link);
	/* a safe link to a safe script */
	link = xasprintf("%s/link3.sh", f->dir);
	assert_int_equal(symlink("good.sh", link), 0);
	expect_ok(link);
	free(link);

	char *why = NULL;
	assert_int_equal(spawn_check_security("/nonexistent/x.sh", 0, &why), -ENOENT);
	assert_non_null(why);
	free(why);
	assert_int_equal(spawn_check_security("lbha-no-such-prog", 0, NULL), -ENOENT);

	free(good);
	free(open_script);
	free(wdir);
	free(wscript);
	free(sdir);
	free(sgood);
	free(sbad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_true_false, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_limit_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_term, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_grandchildren, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_as_nobody, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_user_and_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security, setup, teardown),
	};

	return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
