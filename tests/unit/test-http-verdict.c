/* test-http-verdict: judging HTTP responses against url blocks (pure). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checker/http_verdict.h"
#include "daemon/config_types.h"

#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define MD5_HELLO "6f5902ac237024bdd0c176cb93063dc4" /* "hello world\n" */

static struct config_status_range default_status[] = { { 200, 299 } };

static struct config_url make_url(const char *digest, const char *regex, bool no_match)
{
	return (struct config_url){
		.path = (char *)"/", .digest = (char *)digest, .regex = (char *)regex,
		.regex_no_match = no_match, .status = default_status, .n_status = 1,
	};
}

/* Judge one response given as status + body pieces; returns the result. */
static struct probe_result judge(const struct config_url *u, const struct http_verdict_limits *lim,
				 int status, const char *const *pieces, size_t n_pieces,
				 size_t piece_len_override, enum http_verdict_step *ret_last)
{
	struct http_url_check *c = NULL;
	struct http_verdict *v;
	struct probe_result res;
	char err[128];
	enum http_verdict_step step;

	assert_int_equal(http_url_check_new(u, lim, &c, err, sizeof(err)), 0);
	v = http_verdict_new(c);
	step = http_verdict_status(v, status);
	for (size_t i = 0; i < n_pieces && step == HTTP_VERDICT_MORE; i++)
		step = http_verdict_body(v, pieces[i],
					 piece_len_override ? piece_len_override : strlen(pieces[i]));
	if (ret_last)
		*ret_last = step;
	http_verdict_end(v);
	assert_true(http_verdict_done(v));
	res = *http_verdict_result(v);
	http_verdict_free(v);
	http_url_check_free(c);
	return res;
}

static void test_status_default_range(void **state)
{
	struct config_url u = make_url(NULL, NULL, false);
	enum http_verdict_step last;
	struct probe_result r;

	r = judge(&u, NULL, 200, NULL, 0, 0, &last);
	assert_int_equal(r.reason, PROBE_OK);
	assert_int_equal(r.code, 200);
	/* nothing but the status to check: decided at the headers */
	assert_int_equal(last, HTTP_VERDICT_DONE);

	r = judge(&u, NULL, 299, NULL, 0, 0, NULL);
	assert_int_equal(r.reason, PROBE_OK);
	r = judge(&u, NULL, 503, NULL, 0, 0, &last);
	assert_int_equal(r.reason, PROBE_HTTP_STATUS);
	assert_int_equal(r.code, 503);
	assert_string_equal(r.detail, "status 503 not in 200-299");
	assert_int_equal(last, HTTP_VERDICT_DONE);
}

static void test_status_list_and_ranges(void **state)
{
	struct config_status_range ranges[] = { { 200, 200 }, { 301, 302 }, { 404, 404 } };
	struct config_url u = make_url(NULL, NULL, false);
	char buf[64];

	u.status = ranges;
	u.n_status = 3;
	assert_string_equal(http_verdict_status_list(&u, buf, sizeof(buf)), "200 301-302 404");
	assert_true(http_verdict_status_ok(&u, 200));
	assert_false(http_verdict_status_ok(&u, 201));
	assert_false(http_verdict_status_ok(&u, 300));
	assert_true(http_verdict_status_ok(&u, 301));
	assert_true(http_verdict_status_ok(&u, 302));
	assert_false(http_verdict_status_ok(&u, 303));
	assert_true(http_verdict_status_ok(&u, 404));
	assert_int_equal(judge(&u, NULL, 302, NULL, 0, 0, NULL).reason, PROBE_OK);
	assert_int_equal(judge(&u, NULL, 500, NULL, 0, 0, NULL).reason, PROBE_HTTP_STATUS);
	/* a bad status decides before any digest is looked at */
	u.digest = (char *)MD5_HELLO;
	assert_int_equal(judge(&u, NULL, 500, NULL, 0, 0, NULL).reason, PROBE_HTTP_STATUS);
}

static void test_digest_known_bodies(void **state)
{
	struct config_url u = make_url(MD5_EMPTY, NULL, false);
	const char *hello[] = { "hello world\n" };
	const char *pieces[] = { "hel", "lo", " ", "world", "\n" };
	struct probe_result r;

	r = judge(&u, NULL, 200, NULL, 0, 0, NULL);
	assert_int_equal(r.reason, PROBE_OK);
	assert_string_equal(r.digest, MD5_EMPTY);
	assert_int_equal(r.body_bytes, 0);

	u.digest = (char *)MD5_HELLO;
	r = judge(&u, NULL, 200, hello, 1, 0, NULL);
	assert_int_equal(r.reason, PROBE_OK);
	assert_string_equal(r.digest, MD5_HELLO);
	assert_int_equal(r.body_bytes, 12);

	/* the same body in pieces (as a chunked transfer arrives) */
	r = judge(&u, NULL, 200, pieces, 5, 0, NULL);
	assert_int_equal(r.reason, PROBE_OK);
	assert_string_equal(r.digest, MD5_HELLO);
}

static void test_digest_byte_by_byte(void **state)
{
	struct config_url u = make_url(MD5_HELLO, NULL, false);
	const char *body = "hello world\n";
	const char *pieces[12];

	for (size_t i = 0; i < 12; i++)
		pieces[i] = body + i;
	struct probe_result r = judge(&u, NULL, 200, pieces, 12, 1, NULL);
	assert_int_equal(r.reason, PROBE_OK);
	assert_string_equal(r.digest, MD5_HELLO);
}

static void test_digest_mismatch(void **state)
{
	struct config_url u = make_url(MD5_EMPTY, NULL, false);
	const char *hello[] = { "hello world\n" };
	struct probe_result r = judge(&u, NULL, 200, hello, 1, 0, NULL);

	assert_int_equal(r.reason, PROBE_DIGEST_MISMATCH);
	assert_string_equal(r.detail, "got " MD5_HELLO);
	assert_int_equal(r.code, 200);
}

static void test_always_digest(void **state)
{
	struct config_url u = make_url(NULL, NULL, false);
	struct http_verdict_limits lim = { .always_digest = true };
	const char *hello[] = { "hello world\n" };
	struct probe_result r = judge(&u, &lim, 200, hello, 1, 0, NULL);

	assert_int_equal(r.reason, PROBE_OK);
	assert_string_equal(r.digest, MD5_HELLO);
}

static void test_regex(void **state)
{
	struct config_url u = make_url(NULL, "status: (ok|fine)$", false);
	const char *good[] = { "app ", "status: ", "fine" };
	const char *bad[] = { "app status: broken" };

	assert_int_equal(judge(&u, NULL, 200, good, 3, 0, NULL).reason, PROBE_OK);
	struct probe_result r = judge(&u, NULL, 200, bad, 1, 0, NULL);
	assert_int_equal(r.reason, PROBE_REGEX_NO_MATCH);

	u.regex_no_match = true;
	assert_int_equal(judge(&u, NULL, 200, bad, 1, 0, NULL).reason, PROBE_OK);
	assert_int_equal(judge(&u, NULL, 200, good, 3, 0, NULL).reason, PROBE_REGEX_MATCH);
}

static void test_regex_sees_past_nul(void **state)
{
	struct config_url u = make_url(NULL, "needle", false);
	const char body[] = "abc\0needle";
	const char *pieces[] = { body };

	assert_int_equal(judge(&u, NULL, 200, pieces, 1, sizeof(body) - 1, NULL).reason, PROBE_OK);
}

static void test_regex_window(void **state)
{
	struct config_url u = make_url(NULL, "needle", false);
	struct http_verdict_limits lim = { .regex_window = 16 };
	const char *late[] = { "0123456789abcdef", "needle" };
	const char *early[] = { "0123456789needle", "more" };
	enum http_verdict_step last;
	struct probe_result r;

	/* only the first 16 bytes count; the verdict comes when they are in */
	r = judge(&u, &lim, 200, late, 2, 0, &last);
	assert_int_equal(r.reason, PROBE_REGEX_NO_MATCH);
	assert_int_equal(last, HTTP_VERDICT_DONE);
	assert_int_equal(r.body_bytes, 16);
	r = judge(&u, &lim, 200, early, 2, 0, &last);
	assert_int_equal(r.reason, PROBE_OK);
	assert_int_equal(last, HTTP_VERDICT_DONE);
}

static void test_digest_then_regex(void **state)
{
	struct config_url u = make_url(MD5_HELLO, "world", false);
	const char *hello[] = { "hello world\n" };

	assert_int_equal(judge(&u, NULL, 200, hello, 1, 0, NULL).reason, PROBE_OK);
	u.regex = (char *)"planet";
	assert_int_equal(judge(&u, NULL, 200, hello, 1, 0, NULL).reason, PROBE_REGEX_NO_MATCH);
	/* keepalived's order: the digest is judged first */
	u.digest = (char *)MD5_EMPTY;
	assert_int_equal(judge(&u, NULL, 200, hello, 1, 0, NULL).reason, PROBE_DIGEST_MISMATCH);
}

static void test_oversized_body(void **state)
{
	struct config_url u = make_url(MD5_HELLO, NULL, false);
	struct http_verdict_limits lim = { .max_body = 16 };
	const char *big[] = { "0123456789", "0123456789", "never read" };
	const char *fits[] = { "0123456789", "012345" };
	enum http_verdict_step last;
	struct probe_result r;

	r = judge(&u, &lim, 200, big, 3, 0, &last);
	assert_int_equal(r.reason, PROBE_BODY_TOO_LARGE);
	assert_int_equal(last, HTTP_VERDICT_DONE);
	assert_int_equal(r.body_bytes, 20);
	assert_string_equal(r.detail, "body larger than 16 bytes");
	/* exactly the limit is fine (and here the wrong body) */
	r = judge(&u, &lim, 200, fits, 2, 0, NULL);
	assert_int_equal(r.reason, PROBE_DIGEST_MISMATCH);
	/* without digest or regex the body is not read at all */
	u.digest = NULL;
	r = judge(&u, &lim, 200, big, 3, 0, &last);
	assert_int_equal(r.reason, PROBE_OK);
	assert_int_equal(r.body_bytes, 0);
}

static void test_bad_regex(void **state)
{
	struct config_url u = make_url(NULL, "(unclosed", false);
	struct http_url_check *c = NULL;
	char err[128] = "";

	assert_int_equal(http_url_check_new(&u, NULL, &c, err, sizeof(err)), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(err, "(unclosed"));
}

static void test_transport_errors(void **state)
{
	struct config_url u = make_url(NULL, NULL, false);
	struct http_url_check *c = NULL;
	char err[128];
	static const struct {
		int curl_code, os_errno;
		bool connected;
		enum probe_reason want;
	} cases[] = {
		{ CURLE_COULDNT_CONNECT, ECONNREFUSED, false, PROBE_REFUSED },
		{ CURLE_COULDNT_CONNECT, EHOSTUNREACH, false, PROBE_UNREACHABLE },
		{ CURLE_COULDNT_CONNECT, ENETUNREACH, false, PROBE_UNREACHABLE },
		{ CURLE_COULDNT_CONNECT, EACCES, false, PROBE_CONNECT_ERROR },
		{ CURLE_COULDNT_CONNECT, 0, false, PROBE_CONNECT_ERROR },
		{ CURLE_OPERATION_TIMEDOUT, 0, false, PROBE_TIMEOUT },
		{ CURLE_OPERATION_TIMEDOUT, 0, true, PROBE_TIMEOUT },
		{ CURLE_SSL_CONNECT_ERROR, 0, false, PROBE_TLS_ERROR },
		{ CURLE_PEER_FAILED_VERIFICATION, 0, false, PROBE_TLS_ERROR },
		{ CURLE_GOT_NOTHING, 0, true, PROBE_HTTP_ERROR },
		{ CURLE_RECV_ERROR, ECONNRESET, true, PROBE_HTTP_ERROR },
		{ CURLE_INTERFACE_FAILED, EADDRNOTAVAIL, false, PROBE_INTERNAL_ERROR },
	};

	assert_int_equal(http_url_check_new(&u, NULL, &c, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_verdict *v = http_verdict_new(c);
		http_verdict_transport_error(v, cases[i].curl_code, cases[i].os_errno,
					     cases[i].connected, NULL);
		assert_true(http_verdict_done(v));
		assert_int_equal(http_verdict_result(v)->reason, cases[i].want);
		if (cases[i].want == PROBE_TIMEOUT)
			assert_string_equal(http_verdict_result(v)->detail,
					    cases[i].connected ? "no complete response in time"
							       : "connect timed out");
		http_verdict_free(v);
	}
	/* a TLS alert after the handshake (TLS 1.3 client certificate refused) */
	struct http_verdict *t = http_verdict_new(c);
	http_verdict_transport_error(t, CURLE_RECV_ERROR, 0, true,
				     "OpenSSL SSL_read: OpenSSL/3.0.19: error:0A00045C:SSL routines::"
				     "tlsv13 alert certificate required, errno 0");
	assert_int_equal(http_verdict_result(t)->reason, PROBE_TLS_ERROR);
	http_verdict_free(t);
	/* a verdict already known stands: our own abort is not an error */
	struct http_verdict *v = http_verdict_new(c);
	assert_int_equal(http_verdict_status(v, 500), HTTP_VERDICT_DONE);
	http_verdict_transport_error(v, CURLE_WRITE_ERROR, 0, true, "aborted");
	assert_int_equal(http_verdict_result(v)->reason, PROBE_HTTP_STATUS);
	http_verdict_free(v);
	/* a response that ended before its status line */
	v = http_verdict_new(c);
	http_verdict_end(v);
	assert_int_equal(http_verdict_result(v)->reason, PROBE_HTTP_ERROR);
	http_verdict_free(v);
	http_url_check_free(c);
}

static void test_reason_names(void **state)
{
	for (int r = 0; r < _PROBE_REASON_MAX; r++)
		assert_non_null(probe_reason_to_string(r));
	assert_null(probe_reason_to_string(_PROBE_REASON_MAX));
	assert_string_equal(probe_reason_to_string(PROBE_DIGEST_MISMATCH), "digest-mismatch");

	struct probe_result r = { 0 };
	char buf[160];
	probe_result_set(&r, PROBE_HTTP_STATUS, 503, "status %d not in %s", 503, "200-299");
	assert_string_equal(probe_result_format(&r, buf, sizeof(buf)),
			    "http-status 503 (status 503 not in 200-299)");
	probe_result_set(&r, PROBE_OK, 200, NULL);
	assert_string_equal(probe_result_format(&r, buf, sizeof(buf)), "ok");
	assert_int_equal(probe_reason_from_errno(ETIMEDOUT), PROBE_TIMEOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_default_range),
		cmocka_unit_test(test_status_list_and_ranges),
		cmocka_unit_test(test_digest_known_bodies),
		cmocka_unit_test(test_digest_byte_by_byte),
		cmocka_unit_test(test_digest_mismatch),
		cmocka_unit_test(test_always_digest),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_regex_sees_past_nul),
		cmocka_unit_test(test_regex_window),
		cmocka_unit_test(test_digest_then_regex),
		cmocka_unit_test(test_oversized_body),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_transport_errors),
		cmocka_unit_test(test_reason_names),
	};
	return cmocka_run_group_tests_name("http_verdict", tests, NULL, NULL);
}
