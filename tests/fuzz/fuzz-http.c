#include <config.h>

/* fuzz-http: the HTTP/1.x response parser (checker/http1_parse.c) feeding
 * the HTTP verdict (checker/http_verdict.c), as the plain HTTP probe does.
 *
 * Input: a control byte, a count byte k (mod 16), k piece lengths, then the
 * response.  The response is fed once whole and once cut into pieces of the
 * given lengths (cyclically; a length 0 is 1), each piece in a buffer of
 * exactly its size, then the end of stream.  Control byte:
 *   bits 0-1  the url block: 0 digest + regex, 1 digest, 2 regex_no_match,
 *             3 status list only (200, 301-302)
 *   0x04      small limits (max_body 64, regex_window 16)
 * Properties beyond "no crash": the parser's events (final status, body
 * bytes, end or error) and the verdict do not depend on where the input was
 * cut; body bytes lie inside the piece given; nothing is consumed after the
 * end. */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "checker/http1_judge.h"
#include "checker/http1_parse.h"
#include "checker/http_verdict.h"
#include "daemon/config_types.h"
#include "tests/fuzz/fuzz.h"

#define MD5_HELLO "6f5902ac237024bdd0c176cb93063dc4" /* "hello world\n" */

static struct config_status_range ok_2xx[] = { { 200, 299 } };
static struct config_status_range ok_listed[] = { { 200, 200 }, { 301, 302 } };

static const struct config_url urls[4] = {
	{ .path = (char *)"/", .digest = (char *)MD5_HELLO, .regex = (char *)"hello|o(k|K)$",
	  .status = ok_2xx, .n_status = 1 },
	{ .path = (char *)"/", .digest = (char *)MD5_HELLO, .status = ok_2xx, .n_status = 1 },
	{ .path = (char *)"/", .regex = (char *)"^(error|fail)", .regex_no_match = true,
	  .status = ok_2xx, .n_status = 1 },
	{ .path = (char *)"/", .status = ok_listed, .n_status = 2 },
};

/* What the parser said about one response. */
struct events {
	int n_status, status;
	char *body;                /* concatenated HTTP1_BODY bytes */
	size_t body_len;
	enum http1_event last;     /* END or ERROR (after the end of stream) */
	const char *error;
};

struct pieces {
	const uint8_t *lens;
	size_t n_lens;
};

/* The length of piece i (cyclic), at most `left`. */
static size_t piece_len(const struct pieces *p, size_t i, size_t left)
{
	size_t n = p->n_lens ? p->lens[i % p->n_lens] : left;

	if (n == 0)
		n = 1;
	return n < left ? n : left;
}

/* Parse one piece to the end (or until the parser stops consuming). */
static void parse_piece(struct http1_parser *ps, const char *buf, size_t n, struct events *ev)
{
	size_t off = 0;
	struct http1_out o;

	for (;;) {
		enum http1_state before = ps->state;
		size_t used = http1_parse(ps, buf + off, n - off, &o);
		FUZZ_CHECK(used <= n - off);
		if (before == HTTP1_S_DONE || before == HTTP1_S_ERROR)
			FUZZ_CHECK(used == 0);
		if (o.event == HTTP1_STATUS) {
			FUZZ_CHECK(o.status >= 200 && o.status <= 999);
			ev->n_status++;
			ev->status = o.status;
		} else if (o.event == HTTP1_BODY) {
			FUZZ_CHECK(o.len > 0 && o.len <= used);
			FUZZ_CHECK(o.data >= buf + off && o.data + o.len <= buf + off + used);
			memcpy(ev->body + ev->body_len, o.data, o.len);
			ev->body_len += o.len;
		} else if (o.event == HTTP1_END || o.event == HTTP1_ERROR) {
			ev->last = o.event;
			ev->error = o.error;
			FUZZ_CHECK(o.event == HTTP1_END || o.error != NULL);
			return;
		} else {
			FUZZ_CHECK(o.event == HTTP1_NEED_MORE);
		}
		off += used;
		if (o.event == HTTP1_NEED_MORE) {
			FUZZ_CHECK(off == n);
			return;
		}
	}
}

static void parse_all(const uint8_t *resp, size_t size, const struct pieces *p,
		      struct events *ev)
{
	struct http1_parser ps;
	struct http1_out o;

	http1_parser_init(&ps);
	*ev = (struct events){ .body = malloc(size + 1), .last = HTTP1_NEED_MORE };
	if (!ev->body)
		abort();
	for (size_t off = 0, i = 0; off < size && ev->last == HTTP1_NEED_MORE; i++) {
		size_t n = piece_len(p, i, size - off);
		char *buf = malloc(n);
		if (!buf)
			abort();
		memcpy(buf, resp + off, n);
		parse_piece(&ps, buf, n, ev);
		free(buf);
		off += n;
	}
	if (ev->last == HTTP1_NEED_MORE) {
		http1_parse_eof(&ps, &o);
		FUZZ_CHECK(o.event == HTTP1_END || o.event == HTTP1_ERROR);
		ev->last = o.event;
		ev->error = o.error;
	}
	FUZZ_CHECK(ev->n_status <= 1 && ev->body_len <= size);
	if (ev->body_len > 0)
		FUZZ_CHECK(ev->n_status == 1);
}


static struct probe_result judge(const struct http_url_check *c, const uint8_t *resp,
				 size_t size, const struct pieces *p)
{
	struct http1_parser ps;
	struct http_verdict *v = http_verdict_new(c);
	bool done = false;

	enum http1_drain drain = HTTP1_DRAIN_MORE;
	bool draining = false;

	http1_parser_init(&ps);
	/* after the verdict, the rest goes through http1_drain, as when the
	 * client keeps the connection (keepalive_time) */
	for (size_t off = 0, i = 0; off < size && drain == HTTP1_DRAIN_MORE; i++) {
		size_t n = piece_len(p, i, size - off), used = 0;
		char *buf = malloc(n);
		if (!buf)
			abort();
		memcpy(buf, resp + off, n);
		if (draining) {
			drain = http1_drain(&ps, buf, n, false);
		} else if (http1_judge(&ps, v, buf, n, false, &used)) {
			FUZZ_CHECK(used <= n);
			done = draining = true;
			drain = http1_drain(&ps, buf + used, n - used, false);
		}
		free(buf);
		off += n;
	}
	FUZZ_CHECK(drain == HTTP1_DRAIN_MORE || drain == HTTP1_DRAIN_DONE ||
		   drain == HTTP1_DRAIN_STOP);
	/* reusable only for a response read exactly to its end */
	if (http1_parser_reusable(&ps))
		FUZZ_CHECK(ps.state == HTTP1_S_DONE && !ps.until_close);
	/* the end of stream: recv() returned 0 into its (non-NULL) buffer */
	static const char eof_buf[1];
	if (!done)
		FUZZ_CHECK(http1_judge(&ps, v, eof_buf, 0, true, NULL));
	FUZZ_CHECK(http_verdict_done(v));
	struct probe_result r = *http_verdict_result(v);
	http_verdict_free(v);
	FUZZ_CHECK(probe_reason_to_string(r.reason) != NULL);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t ctl = data[0];
	struct pieces cut = { .lens = data + 2, .n_lens = data[1] % 16 };
	if (size < 2 + cut.n_lens)
		return 0;
	const uint8_t *resp = data + 2 + cut.n_lens;
	size_t resp_len = size - 2 - cut.n_lens;
	const struct pieces whole = { 0 };

	struct events a, b;
	parse_all(resp, resp_len, &whole, &a);
	parse_all(resp, resp_len, &cut, &b);
	FUZZ_CHECK(a.n_status == b.n_status && a.status == b.status);
	FUZZ_CHECK(a.body_len == b.body_len && memcmp(a.body, b.body, a.body_len) == 0);
	FUZZ_CHECK(a.last == b.last);
	FUZZ_CHECK((a.error == NULL) == (b.error == NULL));
	if (a.error)
		FUZZ_CHECK(strcmp(a.error, b.error) == 0);
	free(a.body);
	free(b.body);

	struct http_verdict_limits lim = { 0 };
	if (ctl & 0x04)
		lim = (struct http_verdict_limits){ .max_body = 64, .regex_window = 16 };
	struct http_url_check *c = NULL;
	char err[160];
	FUZZ_CHECK(http_url_check_new(&urls[ctl & 0x03], &lim, &c, err, sizeof(err)) == 0);
	struct probe_result ra = judge(c, resp, resp_len, &whole);
	struct probe_result rb = judge(c, resp, resp_len, &cut);
	FUZZ_CHECK(ra.reason == rb.reason && ra.code == rb.code);
	FUZZ_CHECK(strcmp(ra.digest, rb.digest) == 0 && strcmp(ra.detail, rb.detail) == 0);
	http_url_check_free(c);
	return 0;
}
