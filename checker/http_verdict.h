/* http_verdict: judge one HTTP response against a url { } block.
 *
 * Pure: no sockets, no clock.  probe_http feeds it what libcurl delivers
 * (the status line, body bytes as they stream in, or the transport error)
 * and stops the transfer as soon as the verdict is known, so a url without
 * digest or regex costs the headers only, and a server sending gigabytes
 * costs at most `max_body` bytes read and `regex_window` bytes of memory.
 *
 * The checks, in keepalived's order (check_http.c http_handle_response):
 *   1. status_code: the status must be in one of the url's ranges;
 *   2. digest: MD5 over the body only (headers excluded), compared as
 *      lower-case hex, computed incrementally (OpenSSL EVP) as bytes arrive;
 *      nothing is buffered for it.  keepalived digests whatever follows the
 *      headers; we digest the body after libcurl removed a chunked transfer
 *      encoding.  The two agree except for a chunked HTTP/1.1 response,
 *      where keepalived's digest includes the chunk framing (and changes
 *      whenever the server chunks differently).  keepalived reads any length;
 *      we read at most max_body bytes: past it the verdict is body-too-large;
 *   3. regex (regex_no_match inverts it): POSIX extended syntax (regcomp
 *      REG_EXTENDED), compiled once per url, matched against the first
 *      regex_window bytes of the body.  keepalived uses PCRE2 and matches
 *      the whole stream with partial matching; common patterns (words,
 *      classes, alternation, anchors) read the same in both, PCRE-only
 *      syntax (\d, lazy quantifiers, lookaround) is refused at compile time
 *      or means something else.  Without REG_NEWLINE '.' matches a newline
 *      and ^/$ anchor at the window's ends. */
#ifndef LBHA_HTTP_VERDICT_H
#define LBHA_HTTP_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "checker/probe_result.h"

struct config_url;

/* Body bytes read at most when a digest needs the whole body. */
#define HTTP_VERDICT_MAX_BODY_DEFAULT (1024u * 1024u)
/* Body bytes a regex is matched against (kept in memory, grown as needed). */
#define HTTP_VERDICT_REGEX_WINDOW_DEFAULT (64u * 1024u)

struct http_verdict_limits {
	size_t max_body;      /* 0: HTTP_VERDICT_MAX_BODY_DEFAULT */
	size_t regex_window;  /* 0: HTTP_VERDICT_REGEX_WINDOW_DEFAULT */
	bool always_digest;   /* compute the digest without a url digest (lbha digest) */
};

/* A url block made ready to judge responses: status list, digest, compiled
 * regex.  Made once per url and shared by every probe of it. */
struct http_url_check;

/* Compile `u` (which must outlive the result).  lim may be NULL (defaults).
 * Returns 0, or -EINVAL with the regcomp error in errbuf (a bad regex). */
int http_url_check_new(const struct config_url *u, const struct http_verdict_limits *lim,
		       struct http_url_check **ret, char *errbuf, size_t errlen);

/* NULL-safe; returns NULL. */
struct http_url_check *http_url_check_free(struct http_url_check *c);

/* The url block it was made from. */
const struct config_url *http_url_check_url(const struct http_url_check *c);

/* The request bytes an engine built for this url, kept with it so they are
 * built once, not per probe (a url lives as long as its checker's config).
 * `variant` tells the engine's kinds of request apart (any value but 0).
 * Get: the bytes and *len, or NULL when none of that variant is kept.
 * Set: keeps `request` (malloc'd, taken over), dropping any kept before. */
const char *http_url_check_request(const struct http_url_check *c, unsigned variant,
				   size_t *len);
void http_url_check_set_request(struct http_url_check *c, unsigned variant, char *request,
				size_t len);

/* The state of judging one response. */
struct http_verdict;

enum http_verdict_step {
	HTTP_VERDICT_MORE,    /* keep the transfer going */
	HTTP_VERDICT_DONE,    /* the verdict is known: stop reading */
};

/* Start judging a response for `c` (which must outlive it). */
struct http_verdict *http_verdict_new(const struct http_url_check *c);

/* NULL-safe; returns NULL. */
struct http_verdict *http_verdict_free(struct http_verdict *v);

/* The final status code of the response (after any 1xx), once the headers
 * are in.  DONE when the status alone decides (not in the list, or nothing
 * else to check). */
enum http_verdict_step http_verdict_status(struct http_verdict *v, int status);

/* The next `n` body bytes.  DONE once the verdict is known (a regex decided
 * it, or the body passed max_body).  Calls after DONE are ignored. */
enum http_verdict_step http_verdict_body(struct http_verdict *v, const void *data, size_t n);

/* The response is complete: decide from what was seen.  Without a status it
 * is an http-error.  No-op after DONE. */
void http_verdict_end(struct http_verdict *v);

/* The transfer failed before a verdict: map libcurl's result code (a
 * CURLcode), the OS errno behind it (CURLINFO_OS_ERRNO, 0 if none) and
 * whether the TCP connection was up, to a reason; curl_msg (curl's error
 * buffer, may be NULL or "") goes to the detail.  No-op after DONE. */
void http_verdict_transport_error(struct http_verdict *v, int curl_code, int os_errno,
				  bool connected, const char *curl_msg);

/* The transfer failed before a verdict, said directly (the plain HTTP
 * client's errors): `reason` with `detail`; os_errno (positive, 0 if none)
 * goes to .err for connect and internal errors.  No-op after DONE. */
void http_verdict_fail(struct http_verdict *v, enum probe_reason reason, int os_errno,
		       const char *detail);

/* True once a verdict is known (DONE was returned, or end/transport_error
 * was called). */
bool http_verdict_done(const struct http_verdict *v);

/* The verdict (reason, status in .code, digest when computed, body bytes).
 * Meaningful once http_verdict_done(); duration_usec is left 0. */
const struct probe_result *http_verdict_result(const struct http_verdict *v);

/* True when `status` is in the url's status_code ranges. */
bool http_verdict_status_ok(const struct config_url *u, int status);

/* The url's status ranges as text ("200-299", "200 301-302"), into buf. */
const char *http_verdict_status_list(const struct config_url *u, char *buf, size_t size);

#endif
