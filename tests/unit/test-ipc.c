#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "ipc.h"

/* The bytes a writer would send for one frame, appended to r. */
static void feed_frame(struct ipc_reader *r, uint32_t type, const void *payload, size_t len)
{
	struct ipc_writer w;
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = len };

	ipc_writer_init(&w, 0);
	assert_int_equal(ipc_writer_queue(&w, type, &iov, 1), 0);
	ipc_reader_feed(r, w.buf + w.start, w.end - w.start);
	ipc_writer_done(&w);
}

static void test_roundtrip_two_frames(void **state)
{
	struct ipc_reader r;
	struct ipc_writer w;
	struct ipc_msg m;
	struct iovec iov[2] = { { "hello ", 6 }, { "world", 5 } };

	ipc_reader_init(&r, 0);
	ipc_writer_init(&w, 0);
	assert_int_equal(ipc_writer_queue(&w, 7, iov, 2), 0);
	assert_int_equal(ipc_writer_queue(&w, 8, NULL, 0), 0);
	ipc_reader_feed(&r, w.buf + w.start, w.end - w.start);

	assert_int_equal(ipc_reader_next(&r, &m), 1);
	assert_int_equal(m.type, 7);
	assert_int_equal(m.len, 11);
	assert_memory_equal(m.payload, "hello world", 11);
	assert_int_equal(ipc_reader_next(&r, &m), 1);
	assert_int_equal(m.type, 8);
	assert_int_equal(m.len, 0);
	assert_int_equal(ipc_reader_next(&r, &m), 0);
	assert_int_equal(ipc_reader_pending(&r), 0);
	ipc_writer_done(&w);
	ipc_reader_done(&r);
}

static void test_partial_reads_byte_by_byte(void **state)
{
	struct ipc_reader all, r;
	struct ipc_msg m;

	ipc_reader_init(&all, 0);
	feed_frame(&all, 3, "abcdef", 6);
	feed_frame(&all, 4, "xy", 2);
	size_t total = all.end - all.start;

	ipc_reader_init(&r, 0);
	int got = 0;
	for (size_t i = 0; i < total; i++) {
		ipc_reader_feed(&r, all.buf + all.start + i, 1);
		int n = ipc_reader_next(&r, &m);
		assert_true(n >= 0);
		if (n == 0)
			continue;
		got++;
		if (got == 1) {
			assert_int_equal(i, 8 + 6 - 1);  /* complete exactly at its last byte */
			assert_int_equal(m.type, 3);
			assert_memory_equal(m.payload, "abcdef", 6);
		} else {
			assert_int_equal(i, total - 1);
			assert_int_equal(m.type, 4);
			assert_memory_equal(m.payload, "xy", 2);
		}
	}
	assert_int_equal(got, 2);
	ipc_reader_done(&r);
	ipc_reader_done(&all);
}

static void test_oversized_frame_is_refused(void **state)
{
	struct ipc_reader r;
	struct ipc_msg m;
	uint32_t hdr[2] = { 1, 17 };

	ipc_reader_init(&r, 16);
	/* The header alone is enough to refuse: no need to wait for 17 bytes. */
	ipc_reader_feed(&r, hdr, sizeof(hdr));
	assert_int_equal(ipc_reader_next(&r, &m), -EMSGSIZE);
	ipc_reader_done(&r);

	/* Exactly at the limit is fine. */
	char payload[16] = "0123456789abcde";
	ipc_reader_init(&r, 16);
	feed_frame(&r, 2, payload, 16);
	assert_int_equal(ipc_reader_next(&r, &m), 1);
	assert_int_equal(m.len, 16);
	ipc_reader_done(&r);
}

static void test_huge_length_does_not_allocate(void **state)
{
	struct ipc_reader r;
	struct ipc_msg m;
	uint32_t hdr[2] = { 1, UINT32_MAX };

	ipc_reader_init(&r, 0);
	ipc_reader_feed(&r, hdr, sizeof(hdr));
	assert_int_equal(ipc_reader_next(&r, &m), -EMSGSIZE);
	assert_true(r.cap < 1u << 20);
	ipc_reader_done(&r);
}

static void test_writer_limits(void **state)
{
	struct ipc_writer w;
	char buf[32] = { 0 };
	struct iovec big = { buf, 17 }, ok = { buf, 16 };
	struct iovec split[2] = { { buf, 10 }, { buf, 10 } };

	ipc_writer_init(&w, 16);
	assert_int_equal(ipc_writer_queue(&w, 1, &big, 1), -EMSGSIZE);
	assert_int_equal(ipc_writer_queue(&w, 1, split, 2), -EMSGSIZE);
	assert_false(ipc_writer_pending(&w));
	/* max_queued is 4 full frames: the fifth does not fit. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(ipc_writer_queue(&w, 1, &ok, 1), 0);
	assert_int_equal(ipc_writer_queue(&w, 1, &ok, 1), -ENOBUFS);
	assert_true(ipc_writer_pending(&w));
	ipc_writer_done(&w);
}

static int seen_type;
static void *seen_userdata;

static int handler(const struct ipc_msg *m, void *userdata)
{
	seen_type = (int)m->type;
	seen_userdata = userdata;
	return 42;
}

static const struct ipc_handler table[] = {
	{ 1, "ONE", 0, handler },
	{ 2, "TWO", 8, handler },
};

static void test_dispatch(void **state)
{
	int token;
	struct ipc_msg m = { .type = 1, .len = 0, .payload = "" };

	assert_int_equal(ipc_dispatch(table, 2, &m, &token), 42);
	assert_int_equal(seen_type, 1);
	assert_ptr_equal(seen_userdata, &token);

	/* A type nobody handles is reported, not ignored silently. */
	m.type = 99;
	seen_type = 0;
	assert_int_equal(ipc_dispatch(table, 2, &m, &token), -ENOMSG);
	assert_int_equal(seen_type, 0);

	/* Too short for the row: the handler never sees it. */
	m.type = 2;
	m.len = 7;
	assert_int_equal(ipc_dispatch(table, 2, &m, &token), -EBADMSG);
	assert_int_equal(seen_type, 0);
	m.len = 8;
	assert_int_equal(ipc_dispatch(table, 2, &m, &token), 42);

	assert_string_equal(ipc_type_name(table, 2, 2), "TWO");
	assert_null(ipc_type_name(table, 2, 3));
}

static void test_socket_backpressure(void **state)
{
	enum { SIZE = 4 << 20 };
	struct ipc_writer w;
	struct ipc_reader r;
	struct ipc_msg m;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	char *payload = malloc(SIZE);
	for (size_t i = 0; i < SIZE; i++)
		payload[i] = (char)(i * 7);
	struct iovec iov = { payload, SIZE };

	ipc_writer_init(&w, 0);
	ipc_reader_init(&r, 0);
	assert_int_equal(ipc_writer_queue(&w, 5, &iov, 1), 0);
	/* 4 MiB does not fit in a socket buffer: the flush stops, not blocks. */
	assert_int_equal(ipc_writer_flush(&w, sv[0]), 1);

	int got = 0, guard = 0;
	while (!got && guard++ < 100000) {
		ssize_t n = ipc_reader_fill(&r, sv[1]);
		assert_true(n > 0 || n == -EAGAIN);
		got = ipc_reader_next(&r, &m);
		assert_true(got >= 0);
		int f = ipc_writer_flush(&w, sv[0]);
		assert_true(f == 0 || f == 1);
	}
	assert_int_equal(got, 1);
	assert_int_equal(m.type, 5);
	assert_int_equal(m.len, SIZE);
	assert_memory_equal(m.payload, payload, SIZE);
	assert_false(ipc_writer_pending(&w));
	/* both sides gave the 4 MiB back once it was through: the writer at
	 * once, the reader at its next read */
	assert_null(w.buf);
	assert_int_equal(w.cap, 0);
	assert_true(r.cap >= SIZE);

	/* The peer closes: EOF for the reader, EPIPE (not SIGPIPE) for the writer. */
	close(sv[0]);
	assert_int_equal(ipc_reader_fill(&r, sv[1]), 0);
	assert_true(r.cap < SIZE);
	assert_int_equal(ipc_writer_queue(&w, 1, NULL, 0), 0);
	assert_int_equal(ipc_writer_flush(&w, sv[1]), -EPIPE);

	close(sv[1]);
	free(payload);
	ipc_writer_done(&w);
	ipc_reader_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_two_frames),
		cmocka_unit_test(test_partial_reads_byte_by_byte),
		cmocka_unit_test(test_oversized_frame_is_refused),
		cmocka_unit_test(test_huge_length_does_not_allocate),
		cmocka_unit_test(test_writer_limits),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_socket_backpressure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
