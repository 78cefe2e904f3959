/* metrics_http: the parent's tiny HTTP/1.1 server for GET /metrics.
 *
 * One request per connection (the response says Connection: close), on the
 * parent's sd-event loop, never blocking it: every socket is non-blocking,
 * a request may be at most METRICS_HTTP_MAX_REQUEST bytes up to the end of
 * its headers, a connection lives at most METRICS_HTTP_TIMEOUT_USEC from
 * accept to the last byte of the response, and at most
 * METRICS_HTTP_MAX_CONNS are open at once (more are closed at accept).  So a
 * slow or hostile client costs a slot for a few seconds and nothing else.
 *
 *   GET or HEAD /metrics (a query string is ignored)   200, the body
 *   GET or HEAD of another path                        404
 *   another method                                     405
 *   anything unreadable                                400
 *   headers longer than the limit                      431
 *
 * metrics_http_parse() and metrics_http_response() are pure; the rest is
 * the socket work around them. */
#ifndef LBHA_METRICS_HTTP_H
#define LBHA_METRICS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct config_addr;
struct metrics_http;

#define METRICS_HTTP_MAX_REQUEST 4096
#define METRICS_HTTP_MAX_CONNS 16
#define METRICS_HTTP_TIMEOUT_USEC 10000000ULL

enum metrics_http_verdict {
	METRICS_HTTP_INCOMPLETE,    /* no end of headers yet: read more */
	METRICS_HTTP_METRICS,       /* 200 with the body */
	METRICS_HTTP_NOT_FOUND,     /* 404 */
	METRICS_HTTP_BAD_METHOD,    /* 405 */
	METRICS_HTTP_BAD_REQUEST,   /* 400 */
	METRICS_HTTP_TOO_LARGE,     /* 431 */
	_METRICS_HTTP_VERDICT_MAX,
};

/* Judge the bytes of a request read so far (buf[0..len), any bytes).
 * *ret_head is set to true for HEAD (the response then has no body); may
 * be NULL. */
enum metrics_http_verdict metrics_http_parse(const char *buf, size_t len, bool *ret_head);

/* The whole response for verdict v (not INCOMPLETE): status line, headers
 * (Content-Type, Content-Length, Connection: close), and for METRICS the
 * body unless head.  Caller frees; *ret_len is its length. */
char *metrics_http_response(enum metrics_http_verdict v, bool head, const char *body,
			    size_t body_len, size_t *ret_len);

/* Makes the body of a 200: malloc'd text (caller frees), length in *ret_len. */
typedef char *(*metrics_http_body_fn)(void *userdata, size_t *ret_len);

/* Listen on addr:port (made non-blocking; IPv6 sockets are v6-only) and
 * serve on loop e; body() is called once per GET or HEAD /metrics.
 * Returns 0 or a negative errno (the caller logs it: -EADDRINUSE, ...). */
int metrics_http_new(sd_event *e, const struct config_addr *addr, uint16_t port,
		     metrics_http_body_fn body, void *userdata, struct metrics_http **ret);

/* The port it listens on (useful after port 0), or a negative errno. */
int metrics_http_port(const struct metrics_http *h);

/* Close the listener and every connection.  NULL-safe; returns NULL. */
struct metrics_http *metrics_http_free(struct metrics_http *h);

#endif
