#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checker/http1_parse.h"

/* What a whole response parsed to. */
struct parsed {
	int status;
	int n_status;        /* STATUS events: exactly one for a valid response */
	char body[4096];
	size_t body_len;
	enum http1_event last;  /* END, ERROR, or NEED_MORE when neither came */
	const char *error;
};

/* Feed `msg` in pieces of `step` bytes (0: all at once), then EOF when
 * `eof` and nothing final came yet. */
static struct parsed feed(const char *msg, size_t len, size_t step, bool eof)
{
	struct http1_parser p;
	struct parsed r = { .last = HTTP1_NEED_MORE };
	size_t off = 0;

	http1_parser_init(&p);
	while (off < len && r.last == HTTP1_NEED_MORE) {
		size_t n = step && len - off > step ? step : len - off;
		const char *d = msg + off;
		off += n;
		for (;;) {
			struct http1_out o;
			size_t used = http1_parse(&p, d, n, &o);
			assert_true(used <= n);
			d += used;
			n -= used;
			/* NEED_MORE: everything was taken */
			if (o.event == HTTP1_NEED_MORE)
				assert_int_equal(n, 0);
			if (o.event == HTTP1_STATUS) {
				r.status = o.status;
				r.n_status++;
			} else if (o.event == HTTP1_BODY) {
				assert_true(o.data >= msg && o.data + o.len <= msg + len);
				assert_true(r.body_len + o.len < sizeof(r.body));
				memcpy(r.body + r.body_len, o.data, o.len);
				r.body_len += o.len;
			} else if (o.event == HTTP1_END || o.event == HTTP1_ERROR) {
				r.last = o.event;
				r.error = o.error;
				break;
			} else if (n == 0) {
				break;
			}
		}
	}
	if (eof && r.last == HTTP1_NEED_MORE) {
		struct http1_out o;
		http1_parse_eof(&p, &o);
		r.last = o.event;
		r.error = o.error;
	}
	r.body[r.body_len] = '\0';
	return r;
}

/* Every split of the message must parse the same as the whole. */
static void check_all_steps(const char *msg, bool eof, int status, const char *body,
			    enum http1_event last)
{
	size_t len = strlen(msg);

	for (size_t step = 0; step <= len; step++) {
		struct parsed r = feed(msg, len, step, eof);
		assert_int_equal(r.last, last);
		if (last == HTTP1_END) {
			assert_int_equal(r.n_status, 1);
			assert_int_equal(r.status, status);
			assert_string_equal(r.body, body);
		}
	}
}

static void test_content_length(void **state)
{
	check_all_steps("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello",
			false, 200, "hello", HTTP1_END);
	/* bytes past the length are not body */
	check_all_steps("HTTP/1.0 503 Busy\r\ncontent-length:2\r\n\r\nnoEXTRA", false, 503, "no",
			HTTP1_END);
	check_all_steps("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, 200, "", HTTP1_END);
}

static void test_bare_lf_and_http2_style(void **state)
{
	check_all_steps("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", false, 200, "abc", HTTP1_END);
	check_all_steps("HTTP/2 404\r\nContent-Length: 1\r\n\r\nx", false, 404, "x", HTTP1_END);
}

static void test_until_close(void **state)
{
	check_all_steps("HTTP/1.0 200 OK\r\n\r\nsome body", true, 200, "some body", HTTP1_END);
	/* without EOF the response is not over */
	struct parsed r = feed("HTTP/1.0 200 OK\r\n\r\nsome", 23, 0, false);
	assert_int_equal(r.last, HTTP1_NEED_MORE);
	assert_int_equal(r.status, 200);
}

static void test_chunked(void **state)
{
	check_all_steps("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			"5\r\nhello\r\n1;ext=1\r\n,\r\nA\r\n0123456789\r\n0\r\n"
			"X-Trailer: t\r\n\r\n",
			false, 200, "hello,0123456789", HTTP1_END);
	/* chunked wins over Content-Length (RFC 9112 6.3) */
	check_all_steps("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
			"transfer-encoding: gzip, CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
			false, 200, "abc", HTTP1_END);
}

static void test_bad_chunks(void **state)
{
	check_all_steps("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, 0,
			NULL, HTTP1_ERROR);
	check_all_steps("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
			false, 0, NULL, HTTP1_ERROR);
	check_all_steps("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			"1234567890abcdef0\r\n", false, 0, NULL, HTTP1_ERROR);
	/* cut short inside the chunks */
	check_all_steps("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true,
			0, NULL, HTTP1_ERROR);
}

static void test_1xx_skipped_and_no_body(void **state)
{
	check_all_steps("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\n"
			"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
			false, 201, "ok", HTTP1_END);
	check_all_steps("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", false, 204, "",
			HTTP1_END);
	check_all_steps("HTTP/1.1 304 Not Modified\r\n\r\n", false, 304, "", HTTP1_END);
}

static void test_not_http(void **state)
{
	const char *bad[] = {
		"SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/x.1 200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n", "\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed r = feed(bad[i], strlen(bad[i]), 0, true);
		assert_int_equal(r.last, HTTP1_ERROR);
		assert_string_equal(r.error, "not an HTTP response");
	}
}

static void test_bad_length(void **state)
{
	const char *bad[] = {
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed r = feed(bad[i], strlen(bad[i]), 0, true);
		assert_int_equal(r.last, HTTP1_ERROR);
		assert_string_equal(r.error, "bad Content-Length");
	}
	/* the same length twice is fine */
	check_all_steps("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab",
			false, 200, "ab", HTTP1_END);
}

/* A long header line is skipped past, not stored; a huge head is refused. */
static void test_long_lines_and_huge_head(void **state)
{
	size_t cookie = 8000, len;
	char *msg = malloc(cookie + 200);

	len = (size_t)sprintf(msg, "HTTP/1.1 200 OK\r\nSet-Cookie: ");
	memset(msg + len, 'c', cookie);
	len += cookie;
	len += (size_t)sprintf(msg + len, "\r\nContent-Length: 4\r\n\r\nbody");
	struct parsed r = feed(msg, len, 7, false);
	assert_int_equal(r.last, HTTP1_END);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "body");
	free(msg);

	size_t big = HTTP1_MAX_HEAD + 100;
	msg = malloc(big + 64);
	len = (size_t)sprintf(msg, "HTTP/1.1 200 OK\r\n");
	while (len < big)
		len += (size_t)sprintf(msg + len, "X-Filler: 0123456789\r\n");
	r = feed(msg, len, 1000, true);
	assert_int_equal(r.last, HTTP1_ERROR);
	assert_string_equal(r.error, "response head too large");
	free(msg);
}

/* A trailer counts against the head limit however it is cut (the fuzzer
 * found one accepted in small pieces and refused whole). */
static void test_huge_trailer_any_split(void **state)
{
	size_t big = HTTP1_MAX_HEAD + 6000, len;
	char *msg = malloc(big + 200);

	len = (size_t)sprintf(msg, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "1\r\nx\r\n0\r\nX-T: ");
	memset(msg + len, 't', big);
	len += big;
	len += (size_t)sprintf(msg + len, "\r\n\r\n");
	for (size_t step = 0; step <= 1000; step += 255) {
		struct parsed r = feed(msg, len, step, true);
		assert_int_equal(r.last, HTTP1_ERROR);
		assert_string_equal(r.error, "response trailer too large");
	}
	/* without an end of line too */
	struct parsed r = feed(msg, len - 4, 255, false);
	assert_int_equal(r.last, HTTP1_ERROR);
	free(msg);
}

static void test_eof_cases(void **state)
{
	struct parsed r = feed("", 0, 0, true);
	assert_int_equal(r.last, HTTP1_ERROR);
	assert_string_equal(r.error, "empty reply from server");
	r = feed("HTTP/1.1 200 OK\r\nContent-Le", 27, 0, true);
	assert_int_equal(r.last, HTTP1_ERROR);
	assert_string_equal(r.error, "connection closed in the response head");
	r = feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 44, 0, true);
	assert_int_equal(r.last, HTTP1_ERROR);
	assert_string_equal(r.error, "connection closed before the body's end");
	assert_int_equal(r.status, 200);
}

/* Random bytes never crash the parser nor make it read out of bounds
 * (ASan checks the latter). */
/* Parse a whole response at once; the parser is left for the caller. */
static void parse_all(struct http1_parser *p, const char *msg)
{
	size_t n = strlen(msg);
	struct http1_out o;

	http1_parser_init(p);
	while (n > 0) {
		size_t used = http1_parse(p, msg, n, &o);
		msg += used;
		n -= used;
		if (o.event == HTTP1_END || o.event == HTTP1_ERROR)
			break;
	}
	if (p->state != HTTP1_S_DONE)
		http1_parse(p, msg, 0, &o);
}

/* Which responses leave the connection for the next request (RFC 9112 9.3). */
static void test_persistent(void **state)
{
	static const struct {
		const char *msg;
		bool reusable;
	} cases[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true },
		{ "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false },
		{ "HTTP/1.1 200 OK\r\nconnection: Keep-Alive, CLOSE\r\nContent-Length: 2\r\n\r\nok", false },
		{ "HTTP/1.1 200 OK\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n", true },
		{ "HTTP/1.1 204 No Content\r\n\r\n", true },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", true },
		{ "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false },
		{ "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", true },
		{ "HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n"
		  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true },
		{ "HTTP/2 200\r\nContent-Length: 2\r\n\r\nok", true },
		{ "HTTP/1.1 200 OK\r\n\r\nuntil close", false },   /* not complete, and no length */
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok", false },  /* body not all here */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http1_parser p;
		parse_all(&p, cases[i].msg);
		if (http1_parser_reusable(&p) != cases[i].reusable)
			fail_msg("case %zu: reusable %d, want %d", i, !cases[i].reusable,
				 cases[i].reusable);
	}
}

/* After the head, the rest of the response read without looking at it. */
static void test_drain(void **state)
{
	const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
	struct http1_parser p;
	struct http1_out o;

	http1_parser_init(&p);
	assert_int_equal(http1_parse(&p, head, strlen(head), &o), strlen(head));
	assert_int_equal(o.event, HTTP1_STATUS);
	assert_int_equal(http1_drain(&p, "01234", 5, false), HTTP1_DRAIN_MORE);
	assert_int_equal(http1_drain(&p, "56789", 5, false), HTTP1_DRAIN_DONE);
	assert_true(http1_parser_reusable(&p));

	/* bytes past the response: the connection is not clean */
	http1_parser_init(&p);
	http1_parse(&p, head, strlen(head), &o);
	assert_int_equal(http1_drain(&p, "0123456789HTTP", 14, false), HTTP1_DRAIN_STOP);

	/* the stream ends inside the body */
	http1_parser_init(&p);
	http1_parse(&p, head, strlen(head), &o);
	assert_int_equal(http1_drain(&p, "0123", 4, true), HTTP1_DRAIN_STOP);

	/* chunked, split anywhere */
	const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
	const char *body = "5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\nTrailer: t\r\n\r\n";
	for (size_t cut = 0; cut <= strlen(body); cut++) {
		http1_parser_init(&p);
		http1_parse(&p, chunked, strlen(chunked), &o);
		enum http1_drain d = http1_drain(&p, body, cut, false);
		if (cut < strlen(body))
			assert_int_equal(d, HTTP1_DRAIN_MORE);
		d = cut < strlen(body) ? http1_drain(&p, body + cut, strlen(body) - cut, false) : d;
		assert_int_equal(d, HTTP1_DRAIN_DONE);
		assert_true(http1_parser_reusable(&p));
	}

	/* a broken chunk size */
	http1_parser_init(&p);
	http1_parse(&p, chunked, strlen(chunked), &o);
	assert_int_equal(http1_drain(&p, "zz\r\n", 4, false), HTTP1_DRAIN_STOP);
}

static void test_random_input(void **state)
{
	char buf[512];

	srand(11);
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand() % (int)sizeof(buf));
		for (size_t i = 0; i < len; i++) {
			int k = rand() % 8;
			buf[i] = k == 0 ? '\n' : k == 1 ? '\r' : k == 2 ? "0123456789abcdef"[rand() % 16]
								     : (char)rand();
		}
		if (round % 3 == 0 && len > 40)
			memcpy(buf, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 40);
		struct parsed r = feed(buf, len, (size_t)(rand() % 7), true);
		assert_true(r.last == HTTP1_END || r.last == HTTP1_ERROR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_bare_lf_and_http2_style),
		cmocka_unit_test(test_until_close),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_bad_chunks),
		cmocka_unit_test(test_1xx_skipped_and_no_body),
		cmocka_unit_test(test_not_http),
		cmocka_unit_test(test_bad_length),
		cmocka_unit_test(test_long_lines_and_huge_head),
		cmocka_unit_test(test_huge_trailer_any_split),
		cmocka_unit_test(test_eof_cases),
		cmocka_unit_test(test_persistent),
		cmocka_unit_test(test_drain),
		cmocka_unit_test(test_random_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
