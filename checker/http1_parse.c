#include <config.h>

/* http1_parse: see http1_parse.h.  One state per part of the message; lines
 * (status, headers, chunk sizes, trailers) are gathered into a small buffer
 * that keeps their first HTTP1_LINE_KEEP bytes. */

#include <string.h>
#include <strings.h>

#include "hex_digit.h"
#include "checker/http1_parse.h"

void http1_parser_init(struct http1_parser *p)
{
	*p = (struct http1_parser){ .state = HTTP1_S_STATUS_LINE };
}

static size_t fail(struct http1_parser *p, struct http1_out *out, const char *why, size_t used)
{
	p->state = HTTP1_S_ERROR;
	p->error = why;
	*out = (struct http1_out){ .event = HTTP1_ERROR, .error = why };
	return used;
}

/* Gather bytes up to the next LF.  Returns the bytes used; *complete says
 * whether the line ended (it is then in p->line without CR/LF, and
 * p->line_len is its full length). */
static size_t take_line(struct http1_parser *p, const char *data, size_t n, bool *complete)
{
	const char *lf = memchr(data, '\n', n);
	size_t len = lf ? (size_t)(lf - data) : n;

	if (p->line_len < HTTP1_LINE_KEEP) {
		size_t keep = HTTP1_LINE_KEEP - p->line_len;
		memcpy(p->line + p->line_len, data, len < keep ? len : keep);
	}
	p->line_len += len;
	*complete = lf != NULL;
	if (lf) {
		size_t kept = p->line_len < HTTP1_LINE_KEEP ? p->line_len : HTTP1_LINE_KEEP;
		if (kept > 0 && p->line_len <= HTTP1_LINE_KEEP && p->line[kept - 1] == '\r')
			kept--;
		p->line[kept] = '\0';
		return len + 1;
	}
	return len;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "HTTP/1.1 200 OK", "HTTP/1.0 404", "HTTP/2 200": the status, or -1.
 * *persistent: the version's default (1.1 and later keep the connection). */
static int parse_status_line(const char *s, bool *persistent)
{
	if (strncmp(s, "HTTP/", 5) != 0 || !is_digit(s[5]))
		return -1;
	*persistent = s[5] > '1' || (s[5] == '1' && s[6] == '.' && is_digit(s[7]) && s[7] >= '1');
	s += 6;
	if (*s == '.') {
		if (!is_digit(s[1]))
			return -1;
		s += 2;
	}
	if (*s != ' ' || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
	    (s[4] != ' ' && s[4] != '\0' && s[4] != '\r'))
		return -1;
	return (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The value of header `name` in line s, or NULL when s is another header. */
static const char *header_value(const char *s, const char *name)
{
	size_t len = strlen(name);

	if (strncasecmp(s, name, len) != 0 || s[len] != ':')
		return NULL;
	return skip_space(s + len + 1);
}

/* A Connection header's tokens: "close" ends the connection after this
 * response, "keep-alive" keeps an HTTP/1.0 one. */
static void take_connection(struct http1_parser *p, const char *v)
{
	while (*v) {
		size_t len = strcspn(v, ", \t");
		if (len == 5 && strncasecmp(v, "close", 5) == 0)
			p->persistent = false;
		else if (len == 10 && strncasecmp(v, "keep-alive", 10) == 0)
			p->persistent = true;
		v += len;
		v += strspn(v, ", \t");
	}
}

/* True when the last transfer coding of `v` is chunked. */
static bool last_coding_chunked(const char *v)
{
	const char *last = v, *comma;

	while ((comma = strchr(last, ',')))
		last = skip_space(comma + 1);
	return strncasecmp(last, "chunked", 7) == 0 &&
	       (last[7] == '\0' || last[7] == ' ' || last[7] == '\t');
}

/* A Content-Length header: false when it is not a number or contradicts an
 * earlier one (RFC 9112 6.3: such a response is invalid). */
static bool take_length(struct http1_parser *p, const char *v)
{
	uint64_t n = 0;
	const char *s = v;

	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	if (*skip_space(s) != '\0' || (p->have_length && p->length != n))
		return false;
	p->have_length = true;
	p->length = n;
	return true;
}

/* The blank line after a head: a 1xx waits for the next head, else the
 * status goes out and the body's framing is chosen. */
static size_t end_of_head(struct http1_parser *p, struct http1_out *out, size_t used)
{
	if (p->status < 200) {
		p->state = HTTP1_S_STATUS_LINE;
		p->chunked = p->have_length = false;
		p->length = 0;
		*out = (struct http1_out){ .event = HTTP1_NEED_MORE };
		return used;
	}
	*out = (struct http1_out){ .event = HTTP1_STATUS, .status = p->status };
	if (p->status == 204 || p->status == 304) {
		p->state = HTTP1_S_BODY_LENGTH;
		p->length = 0;
	} else if (p->chunked) {
		p->state = HTTP1_S_CHUNK_SIZE;
	} else if (p->have_length) {
		p->state = HTTP1_S_BODY_LENGTH;
	} else {
		p->state = HTTP1_S_BODY_CLOSE;
		p->until_close = true;
	}
	return used;
}

static size_t head_line(struct http1_parser *p, const char *data, size_t n,
			struct http1_out *out)
{
	bool complete;
	size_t used = take_line(p, data, n, &complete);
	const char *v;

	p->head_bytes += used;
	if (p->head_bytes > HTTP1_MAX_HEAD)
		return fail(p, out, "response head too large", used);
	*out = (struct http1_out){ .event = HTTP1_NEED_MORE };
	if (!complete)
		return used;
	if (p->state == HTTP1_S_STATUS_LINE) {
		p->status = parse_status_line(p->line, &p->persistent);
		if (p->status < 0)
			return fail(p, out, "not an HTTP response", used);
		p->state = HTTP1_S_HEADER_LINE;
	} else if (p->line_len == 0 || (p->line_len == 1 && p->line[0] == '\0')) {
		p->line_len = 0;
		return end_of_head(p, out, used);
	} else if (p->line_len <= HTTP1_LINE_KEEP) {
		if ((v = header_value(p->line, "content-length")) && !take_length(p, v))
			return fail(p, out, "bad Content-Length", used);
		if ((v = header_value(p->line, "transfer-encoding")))
			p->chunked = last_coding_chunked(v);
		if ((v = header_value(p->line, "connection")))
			take_connection(p, v);
	}
	p->line_len = 0;
	return used;
}

/* "1a3f", "1a3f;ext=x", "0": the chunk's size, or false. */
static bool parse_chunk_size(const char *s, uint64_t *size)
{
	uint64_t v = 0;
	int digits = 0, h;

	for (; (h = hex_digit_value(*s)) >= 0; s++) {
		if (++digits > 15)
			return false;
		v = v * 16 + (uint64_t)h;
	}
	s = skip_space(s);
	if (digits == 0 || (*s != '\0' && *s != ';'))
		return false;
	*size = v;
	return true;
}

/* Chunk size lines, the CRLF after chunk data, and trailer lines. */
static size_t chunk_line(struct http1_parser *p, const char *data, size_t n,
			 struct http1_out *out)
{
	bool complete;
	size_t used = take_line(p, data, n, &complete);
	size_t len = p->line_len;

	*out = (struct http1_out){ .event = HTTP1_NEED_MORE };
	/* trailers count against the head limit piece by piece, so a line
	 * without end cannot be read forever */
	if (p->state == HTTP1_S_TRAILER && (p->head_bytes += used) > HTTP1_MAX_HEAD)
		return fail(p, out, "response trailer too large", used);
	if (!complete)
		return used;
	p->line_len = 0;
	if (p->state == HTTP1_S_CHUNK_DATA_END) {
		if (p->line[0] != '\0')
			return fail(p, out, "bad chunk framing", used);
		p->state = HTTP1_S_CHUNK_SIZE;
	} else if (p->state == HTTP1_S_CHUNK_SIZE) {
		if (len > HTTP1_LINE_KEEP || !parse_chunk_size(p->line, &p->chunk_left))
			return fail(p, out, "bad chunk size", used);
		p->state = p->chunk_left ? HTTP1_S_CHUNK_DATA : HTTP1_S_TRAILER;
	} else if (p->line[0] == '\0' && len <= 1) {
		p->state = HTTP1_S_DONE;
		*out = (struct http1_out){ .event = HTTP1_END };
	}
	return used;
}

static size_t body_bytes(struct http1_parser *p, const char *data, size_t n,
			 uint64_t *left, struct http1_out *out)
{
	size_t take = n;

	if (left && *left < take)
		take = (size_t)*left;
	if (left)
		*left -= take;
	*out = (struct http1_out){ .event = take ? HTTP1_BODY : HTTP1_NEED_MORE,
				   .data = data, .len = take };
	return take;
}

static size_t step(struct http1_parser *p, const char *data, size_t n, struct http1_out *out)
{
	switch (p->state) {
	case HTTP1_S_STATUS_LINE:
	case HTTP1_S_HEADER_LINE:
		return n ? head_line(p, data, n, out)
			 : (*out = (struct http1_out){ .event = HTTP1_NEED_MORE }, 0);
	case HTTP1_S_BODY_LENGTH:
		if (p->length == 0) {
			p->state = HTTP1_S_DONE;
			*out = (struct http1_out){ .event = HTTP1_END };
			return 0;
		}
		return body_bytes(p, data, n, &p->length, out);
	case HTTP1_S_BODY_CLOSE:
		return body_bytes(p, data, n, NULL, out);
	case HTTP1_S_CHUNK_DATA: {
		size_t used = body_bytes(p, data, n, &p->chunk_left, out);
		if (p->chunk_left == 0)
			p->state = HTTP1_S_CHUNK_DATA_END;
		return used;
	}
	case HTTP1_S_CHUNK_SIZE:
	case HTTP1_S_CHUNK_DATA_END:
	case HTTP1_S_TRAILER:
		return n ? chunk_line(p, data, n, out)
			 : (*out = (struct http1_out){ .event = HTTP1_NEED_MORE }, 0);
	case HTTP1_S_DONE:
		*out = (struct http1_out){ .event = HTTP1_END };
		return 0;
	case HTTP1_S_ERROR:
	default:
		*out = (struct http1_out){ .event = HTTP1_ERROR, .error = p->error };
		return 0;
	}
}

size_t http1_parse(struct http1_parser *p, const char *data, size_t n, struct http1_out *out)
{
	size_t total = 0;

	if (n > 0)
		p->got_any = true;
	/* a line state consumes one line per step: go on to an event */
	for (;;) {
		/* data may be NULL when n is 0: no pointer arithmetic on it */
		size_t used = step(p, total < n ? data + total : data, n - total, out);
		total += used;
		if (out->event != HTTP1_NEED_MORE || total == n || used == 0)
			return total;
	}
}

bool http1_parser_reusable(const struct http1_parser *p)
{
	return p->state == HTTP1_S_DONE && p->persistent && !p->until_close;
}

void http1_parse_eof(struct http1_parser *p, struct http1_out *out)
{
	switch (p->state) {
	case HTTP1_S_BODY_CLOSE:
	case HTTP1_S_DONE:
		p->state = HTTP1_S_DONE;
		*out = (struct http1_out){ .event = HTTP1_END };
		return;
	case HTTP1_S_BODY_LENGTH:
		if (p->length == 0) {
			p->state = HTTP1_S_DONE;
			*out = (struct http1_out){ .event = HTTP1_END };
			return;
		}
		fail(p, out, "connection closed before the body's end", 0);
		return;
	case HTTP1_S_STATUS_LINE:
	case HTTP1_S_HEADER_LINE:
		fail(p, out, p->got_any ? "connection closed in the response head"
					: "empty reply from server", 0);
		return;
	case HTTP1_S_ERROR:
		*out = (struct http1_out){ .event = HTTP1_ERROR, .error = p->error };
		return;
	default:
		fail(p, out, "connection closed before the body's end", 0);
	}
}

enum http1_drain http1_drain(struct http1_parser *p, const char *data, size_t n, bool eof)
{
	struct http1_out o;

	for (;;) {
		size_t step = http1_parse(p, data, n, &o);
		data = step ? data + step : data;
		n -= step;
		if (o.event == HTTP1_END)
			return n == 0 && !eof ? HTTP1_DRAIN_DONE : HTTP1_DRAIN_STOP;
		if (o.event == HTTP1_ERROR)
			return HTTP1_DRAIN_STOP;
		if (o.event == HTTP1_NEED_MORE)
			return eof ? HTTP1_DRAIN_STOP : HTTP1_DRAIN_MORE;
	}
}
