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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "pidfile.h"

struct fixture {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test-pidfile.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/lbha.pid", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_acquire_write_release(void **state)
{
	struct fixture *f = *state;
	struct pidfile *pf = NULL;
	pid_t pid = 0;

	assert_int_equal(pidfile_probe(f->path, &pid), 0);  /* absent */
	assert_int_equal(pidfile_acquire(f->path, &pf, NULL), 0);
	assert_int_equal(pidfile_write(pf, 12345), 0);
	assert_int_equal(pidfile_probe(f->path, &pid), 1);
	assert_int_equal(pid, 12345);

	FILE *in = fopen(f->path, "r");
	char buf[32] = "";
	assert_non_null(fgets(buf, sizeof(buf), in));
	fclose(in);
	assert_string_equal(buf, "12345\n");

	assert_null(pidfile_release(pf));
	assert_int_equal(access(f->path, F_OK), -1);
	assert_int_equal(pidfile_probe(f->path, NULL), 0);
	assert_null(pidfile_release(NULL));
}

/* 0644 whatever the umask the daemon was started with. */
static void test_mode_whatever_umask(void **state)
{
	struct fixture *f = *state;
	struct pidfile *pf = NULL;
	mode_t old = umask(077);
	struct stat st;

	assert_int_equal(pidfile_acquire(f->path, &pf, NULL), 0);
	umask(old);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	pidfile_release(pf);
}

static void test_second_acquire_is_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile *a = NULL, *b = NULL;
	pid_t holder = 0;

	assert_int_equal(pidfile_acquire(f->path, &a, NULL), 0);
	assert_int_equal(pidfile_write(a, 4242), 0);
	/* flock belongs to the open file: a second open conflicts even here. */
	assert_int_equal(pidfile_acquire(f->path, &b, &holder), -EBUSY);
	assert_null(b);
	assert_int_equal(holder, 4242);
	pidfile_release(a);
	assert_int_equal(pidfile_acquire(f->path, &b, NULL), 0);
	pidfile_release(b);
}

static void test_stale_file_is_taken_over(void **state)
{
	struct fixture *f = *state;
	struct pidfile *pf = NULL;

	/* A crash leaves the file with a pid, but nobody holds its lock. */
	FILE *out = fopen(f->path, "w");
	fputs("99999\n", out);
	fclose(out);
	assert_int_equal(pidfile_probe(f->path, NULL), 0);
	assert_int_equal(pidfile_acquire(f->path, &pf, NULL), 0);
	assert_int_equal(pidfile_write(pf, 7), 0);
	pid_t pid = 0;
	assert_int_equal(pidfile_probe(f->path, &pid), 1);
	assert_int_equal(pid, 7);  /* the old, longer content is gone */
	pidfile_release(pf);
}

static void test_lock_held_by_another_process(void **state)
{
	struct fixture *f = *state;
	struct pidfile *pf = NULL;
	int go[2], done[2];
	char c;

	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct pidfile *mine = NULL;
		if (pidfile_acquire(f->path, &mine, NULL) < 0 || pidfile_write(mine, getpid()) < 0)
			_exit(1);
		if (write(go[1], "x", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(1);
		_exit(0);  /* exit without release: the lock goes with the process */
	}
	assert_int_equal(read(go[0], &c, 1), 1);
	pid_t holder = 0;
	assert_int_equal(pidfile_acquire(f->path, &pf, &holder), -EBUSY);
	assert_int_equal(holder, child);
	assert_int_equal(write(done[1], "x", 1), 1);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(pidfile_acquire(f->path, &pf, NULL), 0);
	pidfile_release(pf);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

static void test_directory_lock(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pidfile_probe_dir(f->dir), 0);
	int fd = pidfile_lock_dir(f->dir);
	assert_true(fd >= 0);
	assert_int_equal(pidfile_probe_dir(f->dir), 1);
	assert_int_equal(pidfile_lock_dir(f->dir), -EBUSY);
	close(fd);
	assert_int_equal(pidfile_probe_dir(f->dir), 0);
	assert_int_equal(pidfile_probe_dir("/nonexistent/lbha-test"), 0);
	assert_int_equal(pidfile_lock_dir("/nonexistent/lbha-test"), -ENOENT);
}

static void test_unwritable_place(void **state)
{
	struct pidfile *pf = NULL;

	assert_int_equal(pidfile_acquire("/nonexistent/dir/lbha.pid", &pf, NULL), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acquire_write_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_whatever_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_acquire_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_file_is_taken_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_held_by_another_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_place, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
