/* probe_result: what one probe of a real server found, for every probe type.
 *
 * HTTP_GET/SSL_GET (probe_http), TCP_CHECK (probe_tcp) and MISC_CHECK
 * (probe_misc) all end in one struct probe_result.  It says *why*, not only
 * up or down: the health logic logs the reason on a state change and puts it
 * in checker.json.  Probes report raw facts; the health logic decides what
 * they mean (e.g. a MISC_CHECK exit code 2..255 under misc_dynamic is a
 * weight, not a failure).
 *
 * Pure; no I/O. */
#ifndef LBHA_PROBE_RESULT_H
#define LBHA_PROBE_RESULT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum probe_reason {
	PROBE_OK,               /* passed: connected / status, digest, regex all fine / exit 0 */
	PROBE_TIMEOUT,          /* connect or response did not come within the timeout */
	PROBE_REFUSED,          /* connection refused (RST): nothing listens */
	PROBE_UNREACHABLE,      /* no route, host or network unreachable (ICMP or ARP failure) */
	PROBE_CONNECT_ERROR,    /* another connect error; errno in .err */
	PROBE_TLS_ERROR,        /* TLS handshake failed or the certificate was rejected */
	PROBE_HTTP_ERROR,       /* no valid HTTP response: empty reply, reset, garbage */
	PROBE_HTTP_STATUS,      /* status .code not in the url's status_code list */
	PROBE_DIGEST_MISMATCH,  /* body MD5 (.digest) differs from the url's digest */
	PROBE_REGEX_NO_MATCH,   /* regex did not match the body */
	PROBE_REGEX_MATCH,      /* regex matched, and regex_no_match says it must not */
	PROBE_BODY_TOO_LARGE,   /* the body exceeded the read limit before a verdict */
	PROBE_SCRIPT_EXIT,      /* script exited non-zero; exit code in .code */
	PROBE_SCRIPT_SIGNAL,    /* script killed by signal .code */
	PROBE_SCRIPT_TIMEOUT,   /* script ran past misc_timeout (and was killed) */
	PROBE_SCRIPT_ERROR,     /* script not run: not found, refused by script security, ... */
	PROBE_INTERNAL_ERROR,   /* our side failed (no fds, no memory, bad option); .err */
	_PROBE_REASON_MAX,
	_PROBE_REASON_INVALID = -EINVAL,
};

#define PROBE_DIGEST_HEXLEN 32
#define PROBE_DETAIL_MAX 96

struct probe_result {
	enum probe_reason reason;
	int code;               /* HTTP status (0: none received); script exit code or
				 * signal; 0 otherwise */
	int err;                /* errno (positive) of a connect/internal error, else 0 */
	uint64_t duration_usec; /* from start to result, CLOCK_MONOTONIC */
	uint64_t body_bytes;    /* HTTP body bytes read (not all of a too-large body) */
	bool reused;            /* HTTP: the request went over a kept connection
				 * (keepalive_time), not a new one */
	char digest[PROBE_DIGEST_HEXLEN + 1]; /* lower-case hex MD5 of the body when one
					       * was computed, else "" */
	char detail[PROBE_DETAIL_MAX];        /* one short human phrase, may be "" */
};

/* Stable lower-case names for logs and checker.json ("ok", "timeout",
 * "refused", "http-status", "digest-mismatch", ...); NULL when out of range. */
const char *probe_reason_to_string(enum probe_reason r);

/* The reason a connect() errno (positive) stands for: 0 ok, ECONNREFUSED
 * refused, EHOSTUNREACH/ENETUNREACH/EHOSTDOWN/ENETDOWN unreachable, ETIMEDOUT
 * timeout (the kernel gave up on SYNs), anything else PROBE_CONNECT_ERROR. */
enum probe_reason probe_reason_from_errno(int err);

/* Set reason, code and a printf-style detail; returns r.  Leaves the other
 * fields alone. */
struct probe_result *probe_result_set(struct probe_result *r, enum probe_reason reason,
				      int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One line for a log: "ok", "http-status 503 (status 503 not in 200-299)",
 * "refused (Connection refused)".  Returns buf. */
const char *probe_result_format(const struct probe_result *r, char *buf, size_t size);

#endif
