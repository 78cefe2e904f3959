/* test-vrrp-notify: keepalived's notify arguments, runs in transition order,
 * exact fifo lines, fifos that never block.  Real scripts on a real sd-event
 * loop; every loop run is bounded. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "atomic_file.h"
#include "daemon/config_schema.h"
#include "daemon/config_types.h"
#include "vrrp/vrrp_notify.h"
#include "xalloc.h"

#ifndef SPAWN_TEST_DATA
#define SPAWN_TEST_DATA "tests/unit/data/spawn"
#endif

struct fixture {
	char *dir;
	sd_event *e;
	bool idle;
};

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

static void on_idle(struct vrrp_notify *n, void *userdata)
{
	struct fixture *f = userdata;

	(void)n;
	f->idle = true;
}

/* Run the loop until every queued run has ended, at most max_usec. */
static void wait_idle(struct fixture *f, struct vrrp_notify *n, uint64_t max_usec)
{
	uint64_t deadline = mono_usec() + max_usec;

	f->idle = false;
	vrrp_notify_set_idle_callback(n, on_idle, f);
	while (vrrp_notify_pending(n) > 0 && mono_usec() < deadline)
		assert_true(sd_event_run(f->e, 100000) >= 0);
	assert_int_equal(vrrp_notify_pending(n), 0);
	assert_true(f->idle);
}

static int setup(void **state)
{
	struct fixture *f = xnew(struct fixture);

	f->dir = xstrdup("/tmp/lbha-test-notify-XXXXXX");
	if (!mkdtemp(f->dir) || sd_event_new(&f->e) < 0)
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

static char *slurp(const char *path)
{
	char *data;
	size_t len;

	assert_int_equal(atomic_file_read(path, 65536, &data, &len), 0);
	return data;
}

/* "<prog> <file><rest>" as a config_script, as the config would split it. */
static struct config_script *script(const char *prog, const char *file, const char *rest)
{
	char *cmd = xasprintf("%s %s%s", prog, file, rest);
	struct config_script *s = config_script_new(cmd, NULL, NULL);

	free(cmd);
	return s;
}

static void test_strings(void **state)
{
	(void)state;
	assert_string_equal(vrrp_notify_kind_to_string(VRRP_NOTIFY_GROUP), "GROUP");
	assert_string_equal(vrrp_notify_state_to_string(VRRP_NOTIFY_FAULT), "FAULT");
	assert_null(vrrp_notify_state_to_string(_VRRP_NOTIFY_STATE_MAX));
	assert_int_equal(vrrp_notify_state_from_string("STOP"), VRRP_NOTIFY_STOP);
	assert_int_equal(vrrp_notify_state_from_string("stop"), _VRRP_NOTIFY_STATE_INVALID);
}

/* The generic script gets exactly TYPE NAME STATE PRIORITY after its own
 * arguments; a name with a space stays one argument (no shell). */
static void test_generic_args(void **state)
{
	struct fixture *f = *state;
	char *fi = xasprintf("%s/instance.args", f->dir);
	char *fg = xasprintf("%s/group.args", f->dir);
	struct config_script *gi = script(SPAWN_TEST_DATA "/args.sh", fi, "");
	struct config_script *gg = script(SPAWN_TEST_DATA "/args.sh", fg, "");
	struct vrrp_notify *n = vrrp_notify_new(f->e, NULL);
	char *text;

	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI 1", .state = VRRP_NOTIFY_MASTER,
		.priority = 100,
		.scripts = &(struct config_notify){ .generic = gi } });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_GROUP, .name = "G1", .state = VRRP_NOTIFY_BACKUP,
		.priority = 77,
		.scripts = &(struct config_notify){ .generic = gg } });
	/* two owners: both run at once */
	assert_int_equal(vrrp_notify_pending(n), 2);
	wait_idle(f, n, 30000000);

	text = slurp(fi);
	assert_string_equal(text, "4\nINSTANCE\nVI 1\nMASTER\n100\n");
	free(text);
	text = slurp(fg);
	assert_string_equal(text, "4\nGROUP\nG1\nBACKUP\n0\n");
	free(text);
	assert_int_equal(vrrp_notify_counters(n)->started, 2);
	assert_int_equal(vrrp_notify_counters(n)->failed, 0);

	vrrp_notify_free(n);
	config_script_free(gi);
	config_script_free(gg);
	free(fi);
	free(fg);
}

/* Three quick transitions: the runs happen in that order, each state's own
 * script before the generic one, although each run takes 0.1 s and the
 * config they came from is freed before any has run. */
static void test_order(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/order", f->dir);
	struct config_script *m = script(SPAWN_TEST_DATA "/notify-append.sh", out, " MASTER");
	struct config_script *b = script(SPAWN_TEST_DATA "/notify-append.sh", out, " BACKUP");
	struct config_script *ft = script(SPAWN_TEST_DATA "/notify-append.sh", out, " FAULT");
	struct config_script *g = script(SPAWN_TEST_DATA "/notify-append.sh", out, "");
	struct vrrp_notify *n = vrrp_notify_new(f->e, NULL);
	static const enum vrrp_notify_state seq[] = {
		VRRP_NOTIFY_MASTER, VRRP_NOTIFY_BACKUP, VRRP_NOTIFY_FAULT,
	};
	char *text;

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		vrrp_notify_transition(n, &(struct vrrp_notify_event){
			.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = seq[i],
			.priority = 100 + (int)i,
		.scripts = &(struct config_notify){ .master = m, .backup = b, .fault = ft, .generic = g } });
	assert_int_equal(vrrp_notify_pending(n), 6);
	/* a reload replaces the config while the runs wait */
	config_script_free(m);
	config_script_free(b);
	config_script_free(ft);
	config_script_free(g);
	wait_idle(f, n, 30000000);

	text = slurp(out);
	assert_string_equal(text, "MASTER\nINSTANCE VI_1 MASTER 100\n"
				  "BACKUP\nINSTANCE VI_1 BACKUP 101\n"
				  "FAULT\nINSTANCE VI_1 FAULT 102\n");
	free(text);
	assert_int_equal(vrrp_notify_counters(n)->started, 6);
	assert_int_equal(vrrp_notify_counters(n)->failed, 0);
	vrrp_notify_free(n);
	free(out);
}

/* A hung script is killed at the timeout and the queue moves on; a failing
 * or missing one is counted and the queue moves on too. */
static void test_timeout_and_failures(void **state)
{
	struct fixture *f = *state;
	char *out = xasprintf("%s/after", f->dir);
	struct config_script *hang = config_script_new("/bin/sleep 30", NULL, NULL);
	struct config_script *fail = config_script_new("/bin/false", NULL, NULL);
	struct config_script *missing = config_script_new("/nonexistent/notify.sh", NULL, NULL);
	struct config_script *g = script(SPAWN_TEST_DATA "/notify-append.sh", out, "");
	/* the timeout is for every script: long enough that the ones that
	 * must run (a shell each) finish on a loaded machine under ASan */
	struct vrrp_notify *n = vrrp_notify_new(f->e, &(struct vrrp_notify_settings){
		.timeout_usec = 1000000, .kill_delay_usec = 200000 });
	char *text;

	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.priority = 100,
		.scripts = &(struct config_notify){ .master = hang, .generic = g } });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_BACKUP,
		.priority = 100,
		.scripts = &(struct config_notify){ .backup = fail, .generic = g } });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_FAULT,
		.priority = 100,
		.scripts = &(struct config_notify){ .fault = missing, .generic = g } });
	wait_idle(f, n, 30000000);

	text = slurp(out);
	assert_string_equal(text, "INSTANCE VI_1 MASTER 100\nINSTANCE VI_1 BACKUP 100\n"
				  "INSTANCE VI_1 FAULT 100\n");
	free(text);
	assert_int_equal(vrrp_notify_counters(n)->started, 5);
	assert_int_equal(vrrp_notify_counters(n)->timed_out, 1);
	assert_int_equal(vrrp_notify_counters(n)->failed, 3); /* timeout, false, missing */
	vrrp_notify_free(n);
	config_script_free(hang);
	config_script_free(fail);
	config_script_free(missing);
	config_script_free(g);
	free(out);
}

/* enable_script_security: a world-writable script is not run as root. */
static void test_security_refused(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/open.sh", f->dir);
	char *mark = xasprintf("%s/ran", f->dir);
	char *body = xasprintf("#!/bin/sh\ntouch %s\n", mark);
	struct config_script *s = config_script_new(path, NULL, NULL);
	struct vrrp_notify *n;

	if (geteuid() != 0) {
		print_message("# not root: scripts would not run as root anyway\n");
		skip();
	}
	assert_int_equal(atomic_file_write(path, body, strlen(body), 0755), 0);
	assert_int_equal(chmod(path, 0777), 0);
	n = vrrp_notify_new(f->e, &(struct vrrp_notify_settings){ .script_security = true });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.scripts = &(struct config_notify){ .master = s } });
	assert_int_equal(vrrp_notify_pending(n), 0);
	assert_int_equal(vrrp_notify_counters(n)->refused, 1);
	assert_int_equal(vrrp_notify_counters(n)->started, 0);

	/* made safe, it runs */
	assert_int_equal(chmod(path, 0755), 0);
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.scripts = &(struct config_notify){ .master = s } });
	wait_idle(f, n, 30000000);
	assert_int_equal(vrrp_notify_counters(n)->started, 1);
	assert_int_equal(access(mark, F_OK), 0);
	vrrp_notify_free(n);
	config_script_free(s);
	free(path);
	free(mark);
	free(body);
}

static char *read_fifo(int fd)
{
	char buf[1024];
	ssize_t r = read(fd, buf, sizeof(buf) - 1);

	assert_true(r >= 0);
	buf[r] = '\0';
	return xstrdup(buf);
}

static void test_fifo_lines(void **state)
{
	struct fixture *f = *state;
	char *p1 = xasprintf("%s/notify.fifo", f->dir);
	char *p2 = xasprintf("%s/vrrp.fifo", f->dir);
	struct config_script *s1 = config_script_new(p1, NULL, NULL);
	struct config_script *s2 = config_script_new(p2, NULL, NULL);
	struct vrrp_notify *n;
	int fd1, fd2;
	char *text;

	assert_int_equal(mkfifo(p1, 0600), 0);
	assert_int_equal(mkfifo(p2, 0600), 0);
	fd1 = open(p1, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	fd2 = open(p2, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd1 >= 0 && fd2 >= 0);

	n = vrrp_notify_new(f->e, &(struct vrrp_notify_settings){
		.notify_fifo = s1, .vrrp_notify_fifo = s2 });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.priority = 100 });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_GROUP, .name = "G1", .state = VRRP_NOTIFY_BACKUP,
		.priority = 100 });
	text = read_fifo(fd1);
	assert_string_equal(text, "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n");
	free(text);
	text = read_fifo(fd2);
	assert_string_equal(text, "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n");
	free(text);
	assert_int_equal(vrrp_notify_counters(n)->fifo_written, 4);
	assert_int_equal(vrrp_notify_counters(n)->fifo_dropped, 0);

	/* the same fifo as both: each line once */
	vrrp_notify_set_settings(n, &(struct vrrp_notify_settings){
		.notify_fifo = s1, .vrrp_notify_fifo = s1 });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_2", .state = VRRP_NOTIFY_STOP,
		.priority = 0 });
	text = read_fifo(fd1);
	assert_string_equal(text, "INSTANCE \"VI_2\" STOP 0\n");
	free(text);

	close(fd1);
	close(fd2);
	vrrp_notify_free(n);
	config_script_free(s1);
	config_script_free(s2);
	free(p1);
	free(p2);
}

/* Nobody reading: the transition does not block, the line is counted as
 * dropped.  A missing fifo is created when asked (and then has no reader). */
static void test_fifo_no_reader(void **state)
{
	struct fixture *f = *state;
	char *p1 = xasprintf("%s/lonely.fifo", f->dir);
	char *p2 = xasprintf("%s/created.fifo", f->dir);
	char *p3 = xasprintf("%s/missing.fifo", f->dir);
	struct config_script *s1 = config_script_new(p1, NULL, NULL);
	struct config_script *s2 = config_script_new(p2, NULL, NULL);
	struct config_script *s3 = config_script_new(p3, NULL, NULL);
	struct vrrp_notify *n;
	struct stat st;

	assert_int_equal(mkfifo(p1, 0600), 0);
	n = vrrp_notify_new(f->e, &(struct vrrp_notify_settings){
		.notify_fifo = s1, .vrrp_notify_fifo = s2, .fifo_create = true });
	/* returning at all shows it did not block on the fifo's open */
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.priority = 100 });
	assert_int_equal(vrrp_notify_counters(n)->fifo_dropped, 2);
	assert_int_equal(vrrp_notify_counters(n)->fifo_written, 0);
	assert_int_equal(stat(p2, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	/* without fifo_create a missing fifo stays missing */
	vrrp_notify_set_settings(n, &(struct vrrp_notify_settings){ .notify_fifo = s3 });
	vrrp_notify_transition(n, &(struct vrrp_notify_event){
		.kind = VRRP_NOTIFY_GROUP, .name = "G1", .state = VRRP_NOTIFY_FAULT });
	assert_int_equal(vrrp_notify_counters(n)->fifo_dropped, 3);
	assert_int_equal(access(p3, F_OK), -1);

	vrrp_notify_free(n);
	config_script_free(s1);
	config_script_free(s2);
	config_script_free(s3);
	free(p1);
	free(p2);
	free(p3);
}

/* Freed with runs going and waiting: they are killed and dropped, nothing
 * leaks (run under valgrind/ASan), the loop reaps what was killed. */
static void test_free_busy(void **state)
{
	struct fixture *f = *state;
	struct config_script *hang = config_script_new("/bin/sleep 30", NULL, NULL);
	struct vrrp_notify *n = vrrp_notify_new(f->e, NULL);
	uint64_t deadline;

	for (int i = 0; i < 3; i++)
		vrrp_notify_transition(n, &(struct vrrp_notify_event){
			.kind = VRRP_NOTIFY_INSTANCE, .name = "VI_1", .state = VRRP_NOTIFY_MASTER,
		.scripts = &(struct config_notify){ .master = hang, .generic = hang } });
	assert_int_equal(vrrp_notify_pending(n), 6);
	assert_int_equal(vrrp_notify_counters(n)->started, 1);
	assert_null(vrrp_notify_free(n));
	assert_null(vrrp_notify_free(NULL));
	config_script_free(hang);
	/* give the loop a moment to reap the killed sleep */
	deadline = mono_usec() + 300000;
	while (mono_usec() < deadline)
		assert_true(sd_event_run(f->e, 50000) >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test_setup_teardown(test_generic_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_and_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_no_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_busy, setup, teardown),
	};

	return cmocka_run_group_tests_name("vrrp_notify", tests, NULL, NULL);
}
