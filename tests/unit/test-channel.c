#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "channel.h"
#include "ipc.h"

struct fixture {
	sd_event *e;
	struct channel *ch;
	int peer;               /* the other end, used raw */
	int n_messages;
	uint32_t last_type;
	char last_payload[64];
	int closed;             /* on_close calls */
	int close_error;
	int reply;              /* what on_message returns */
};

static int on_message(struct channel *ch, const struct ipc_msg *m, void *userdata)
{
	struct fixture *f = userdata;

	f->n_messages++;
	f->last_type = m->type;
	memset(f->last_payload, 0, sizeof(f->last_payload));
	memcpy(f->last_payload, m->payload, m->len < 63 ? m->len : 63);
	return f->reply;
}

static void on_close(struct channel *ch, int error, void *userdata)
{
	struct fixture *f = userdata;

	f->closed++;
	f->close_error = error;
}

static const struct channel_ops ops = { on_message, on_close };

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_int_equal(sd_event_new(&f->e), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(channel_new(f->e, sv[0], 64, &ops, f, "test", &f->ch), 0);
	f->peer = sv[1];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	channel_free(f->ch);
	if (f->peer >= 0)
		close(f->peer);
	sd_event_unref(f->e);
	free(f);
	return 0;
}

/* Run the loop until cond holds (or give up after a few hundred rounds). */
#define RUN_UNTIL(f, cond)                                              \
	do {                                                            \
		for (int i_ = 0; i_ < 200 && !(cond); i_++)             \
			assert_true(sd_event_run((f)->e, 10000) >= 0);  \
	} while (0)

static void write_frame(int fd, uint32_t type, const char *payload, uint32_t len, size_t cut)
{
	char buf[128];
	uint32_t hdr[2] = { type, len };

	memcpy(buf, hdr, 8);
	memcpy(buf + 8, payload, len);
	size_t total = cut ? cut : 8 + len;
	assert_int_equal(write(fd, buf, total), (ssize_t)total);
}

static void test_frame_in_two_writes(void **state)
{
	struct fixture *f = *state;
	char buf[32];
	uint32_t hdr[2] = { 9, 5 };

	memcpy(buf, hdr, 8);
	memcpy(buf + 8, "hello", 5);
	assert_int_equal(write(f->peer, buf, 6), 6);
	for (int i = 0; i < 3; i++)  /* a few rounds with half a header */
		sd_event_run(f->e, 1000);
	assert_int_equal(f->n_messages, 0);
	assert_int_equal(write(f->peer, buf + 6, 7), 7);
	RUN_UNTIL(f, f->n_messages == 1);
	assert_int_equal(f->n_messages, 1);
	assert_int_equal(f->last_type, 9);
	assert_string_equal(f->last_payload, "hello");
	assert_int_equal(f->closed, 0);
}

static void test_send_reaches_peer(void **state)
{
	struct fixture *f = *state;
	struct ipc_reader r;
	struct ipc_msg m;
	char big[65] = { 0 };

	assert_int_equal(channel_send(f->ch, 4, "ping", 4), 0);
	assert_int_equal(channel_send(f->ch, 4, big, sizeof(big)), -EMSGSIZE);
	ipc_reader_init(&r, 0);
	assert_true(ipc_reader_fill(&r, f->peer) > 0);
	assert_int_equal(ipc_reader_next(&r, &m), 1);
	assert_int_equal(m.type, 4);
	assert_memory_equal(m.payload, "ping", 4);
	ipc_reader_done(&r);
}

static void test_oversized_ends_channel(void **state)
{
	struct fixture *f = *state;
	uint32_t hdr[2] = { 1, 65 };

	assert_int_equal(write(f->peer, hdr, 8), 8);
	RUN_UNTIL(f, f->closed);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->close_error, -EMSGSIZE);
	assert_int_equal(f->n_messages, 0);
	assert_int_equal(channel_send(f->ch, 1, NULL, 0), -ENOTCONN);
}

static void test_orderly_close(void **state)
{
	struct fixture *f = *state;

	write_frame(f->peer, 2, "bye", 3, 0);
	close(f->peer);
	f->peer = -1;
	RUN_UNTIL(f, f->closed);
	/* The last frame is delivered before the end is reported. */
	assert_int_equal(f->n_messages, 1);
	assert_string_equal(f->last_payload, "bye");
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->close_error, 0);
}

static void test_close_mid_frame_is_protocol_error(void **state)
{
	struct fixture *f = *state;

	write_frame(f->peer, 2, "truncated", 9, 12);
	close(f->peer);
	f->peer = -1;
	RUN_UNTIL(f, f->closed);
	assert_int_equal(f->n_messages, 0);
	assert_int_equal(f->close_error, -EPROTO);
}

static void test_handler_error_ends_channel(void **state)
{
	struct fixture *f = *state;

	f->reply = -EBADMSG;
	write_frame(f->peer, 2, "a", 1, 0);
	write_frame(f->peer, 2, "b", 1, 0);
	RUN_UNTIL(f, f->closed);
	assert_int_equal(f->n_messages, 1);  /* nothing after the failing frame */
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->close_error, -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_frame_in_two_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_reaches_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_ends_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orderly_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_mid_frame_is_protocol_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_error_ends_channel, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
