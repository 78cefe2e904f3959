#include <config.h>

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
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

#include "control.h"

static int calls;

static int verb_echo(void *userdata, size_t argc, char **argv, char *reply, size_t size)
{
	calls++;
	if (strcmp(argv[1], "bad") == 0) {
		snprintf(reply, size, "no such thing %s", argv[1]);
		return -ENOENT;
	}
	snprintf(reply, size, "echo %s", argv[1]);
	return 0;
}

static const struct control_verb verbs[] = {
	{ "echo", 1, 1, verb_echo },
};

struct fixture {
	char dir[64];
	char path[96];
	sd_event *e;
	struct control_server *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/lbha-control-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/test.sock", f->dir);
	assert_int_equal(sd_event_new(&f->e), 0);
	assert_int_equal(control_server_new(f->e, f->path, verbs, 1, NULL, &f->s), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	control_server_free(f->s);
	sd_event_unref(f->e);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The client runs in a child process while this one serves from its loop,
 * so request and reply cross a real socket.  Returns the client's result. */
static int ask(struct fixture *f, const char *request, char *reply, size_t size)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[CONTROL_MSG_MAX];
		int r = control_request(f->path, request, 2000, buf, sizeof(buf));
		dprintf(fds[1], "%d|%s", r, r == 0 ? buf : "");
		_exit(0);
	}
	close(fds[1]);
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	for (int i = 0; i < 200 && poll(&p, 1, 0) == 0; i++)
		sd_event_run(f->e, 10000);
	char out[CONTROL_MSG_MAX + 16] = "";
	ssize_t n = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	assert_true(n > 0);
	out[n] = '\0';
	char *bar = strchr(out, '|');
	assert_non_null(bar);
	snprintf(reply, size, "%s", bar + 1);
	return atoi(out);
}

static void ok_reply(void **state)
{
	struct fixture *f = *state;
	char reply[256];
	struct stat st;

	calls = 0;
	assert_int_equal(ask(f, "echo hello", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "ok echo hello");
	assert_int_equal(calls, 1);
	/* only owner and group may talk to it */
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
}

static void error_replies(void **state)
{
	struct fixture *f = *state;
	char reply[256];

	calls = 0;
	assert_int_equal(ask(f, "echo bad", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "error no such thing bad");
	assert_int_equal(ask(f, "nope x", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "error unknown command 'nope'");
	assert_int_equal(ask(f, "echo", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "error echo takes 1 to 1 arguments");
	assert_int_equal(ask(f, "echo a b", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "error echo takes 1 to 1 arguments");
	assert_int_equal(calls, 1);
}

static void nobody_listens(void **state)
{
	char reply[64];

	assert_int_equal(control_request("/tmp/lbha-no-such-dir/x.sock", "echo x", 100, reply,
					 sizeof(reply)),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ok_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(error_replies, setup, teardown),
		cmocka_unit_test(nobody_listens),
	};
	return cmocka_run_group_tests_name("control", tests, NULL, NULL);
}
