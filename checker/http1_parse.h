/* http1_parse: an incremental HTTP/1.x response parser for the checker.
 *
 * Pure: bytes in, events out, no I/O and no allocation.  It knows what a
 * health check needs and nothing more: the final status (1xx responses are
 * skipped), where the body is (Content-Length, chunked transfer coding,
 * or until the connection closes; none after 204 and 304) and the body
 * bytes with any chunk framing removed, so a digest is over the content,
 * as libcurl delivers it.  Header values other than Content-Length and
 * Transfer-Encoding are skipped without being stored, so a huge cookie costs
 * nothing; the head as a whole is bounded (HTTP1_MAX_HEAD).
 *
 * Use: call http1_parse() with what was received until it has consumed it
 * all, acting on each event; at end of stream call http1_parse_eof(). */
#ifndef LBHA_HTTP1_PARSE_H
#define LBHA_HTTP1_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Head bytes (status line and headers, 1xx heads included) accepted. */
#define HTTP1_MAX_HEAD (64u * 1024u)
/* The part of a line kept for parsing; longer lines are skipped past it. */
#define HTTP1_LINE_KEEP 128u

enum http1_event {
	HTTP1_NEED_MORE,  /* all input consumed; feed more */
	HTTP1_STATUS,     /* the final head is in: .status */
	HTTP1_BODY,       /* body bytes: .data, .len (point into the input) */
	HTTP1_END,        /* the response is complete */
	HTTP1_ERROR,      /* not a valid response: .error says why */
};

struct http1_out {
	enum http1_event event;
	int status;
	const char *data;
	size_t len;
	const char *error;
};

enum http1_state {
	HTTP1_S_STATUS_LINE,
	HTTP1_S_HEADER_LINE,
	HTTP1_S_BODY_LENGTH,
	HTTP1_S_BODY_CLOSE,
	HTTP1_S_CHUNK_SIZE,
	HTTP1_S_CHUNK_DATA,
	HTTP1_S_CHUNK_DATA_END,
	HTTP1_S_TRAILER,
	HTTP1_S_DONE,
	HTTP1_S_ERROR,
};

struct http1_parser {
	enum http1_state state;
	int status;             /* of the head being read */
	bool chunked, have_length;
	uint64_t length;        /* Content-Length, then the body bytes left */
	uint64_t chunk_left;
	size_t head_bytes;
	char line[HTTP1_LINE_KEEP + 1];
	size_t line_len;        /* bytes of the current line seen (may exceed KEEP) */
	bool got_any;           /* a byte was received */
	bool persistent;        /* the final head lets the connection stay open: HTTP/1.1
				 * without "Connection: close", or 1.0 with keep-alive */
	bool until_close;       /* the body runs until the connection closes */
	const char *error;
};

void http1_parser_init(struct http1_parser *p);

/* Parse from data[0..n): returns the bytes consumed and one event in *out.
 * NEED_MORE means all n were consumed.  After END or ERROR, nothing more is
 * consumed (returns 0 with the same event). */
size_t http1_parse(struct http1_parser *p, const char *data, size_t n, struct http1_out *out);

/* True when the response is complete and the connection may carry the next
 * request (RFC 9112 9.3): persistent, and its end was not the close. */
bool http1_parser_reusable(const struct http1_parser *p);

enum http1_drain {
	HTTP1_DRAIN_MORE,   /* all taken, the response goes on: feed more */
	HTTP1_DRAIN_DONE,   /* the response ended exactly at the end of the data */
	HTTP1_DRAIN_STOP,   /* an error, the stream's end, or bytes past the response */
};

/* After a verdict known early (the head is enough), to keep the connection
 * for the next request: read the rest of the response from data[0..n)
 * without looking at it. */
enum http1_drain http1_drain(struct http1_parser *p, const char *data, size_t n, bool eof);

/* The connection closed: END when the response is complete (or its body
 * runs until close), ERROR otherwise. */
void http1_parse_eof(struct http1_parser *p, struct http1_out *out);

#endif
