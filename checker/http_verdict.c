#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/http_verdict.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct http_url_check {
	const struct config_url *url;
	size_t max_body, regex_window;
	bool digest;          /* compute the body's MD5 */
	bool has_regex;
	regex_t regex;
	char *request;        /* an engine's request for this url (set_request) */
	size_t request_len;
	unsigned request_variant;
};

struct http_verdict {
	const struct http_url_check *c;
	struct probe_result res;
	bool done, have_status;
	EVP_MD_CTX *md5;      /* NULL when no digest is computed */
	char *window;         /* the body's first bytes, for the regex; NUL-terminated */
	size_t window_len, window_size;
	bool window_full;
};

/* ---- url blocks ---------------------------------------------------------------- */

int http_url_check_new(const struct config_url *u, const struct http_verdict_limits *lim,
		       struct http_url_check **ret, char *errbuf, size_t errlen)
{
	struct http_url_check *c = xnew(struct http_url_check);

	c->url = u;
	c->max_body = lim && lim->max_body ? lim->max_body : HTTP_VERDICT_MAX_BODY_DEFAULT;
	c->regex_window = lim && lim->regex_window ? lim->regex_window
						   : HTTP_VERDICT_REGEX_WINDOW_DEFAULT;
	c->digest = u->digest || (lim && lim->always_digest);
	if (u->regex) {
		int r = regcomp(&c->regex, u->regex, REG_EXTENDED | REG_NOSUB);
		if (r != 0) {
			char msg[128];
			regerror(r, &c->regex, msg, sizeof(msg));
			snprintf(errbuf, errlen, "regex '%s': %s", u->regex, msg);
			free(c);
			return -EINVAL;
		}
		c->has_regex = true;
	}
	*ret = c;
	return 0;
}

struct http_url_check *http_url_check_free(struct http_url_check *c)
{
	if (!c)
		return NULL;
	if (c->has_regex)
		regfree(&c->regex);
	free(c->request);
	free(c);
	return NULL;
}

const char *http_url_check_request(const struct http_url_check *c, unsigned variant,
				   size_t *len)
{
	if (!c || !c->request || c->request_variant != variant)
		return NULL;
	*len = c->request_len;
	return c->request;
}

void http_url_check_set_request(struct http_url_check *c, unsigned variant, char *request,
				size_t len)
{
	free(c->request);
	c->request = request;
	c->request_len = len;
	c->request_variant = variant;
}

const struct config_url *http_url_check_url(const struct http_url_check *c)
{
	return c->url;
}

bool http_verdict_status_ok(const struct config_url *u, int status)
{
	for (size_t i = 0; i < u->n_status; i++)
		if (status >= u->status[i].lo && status <= u->status[i].hi)
			return true;
	return false;
}

const char *http_verdict_status_list(const struct config_url *u, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < u->n_status && off < size; i++) {
		const struct config_status_range *r = &u->status[i];
		int n = r->lo == r->hi
			? snprintf(buf + off, size - off, "%s%u", i ? " " : "", r->lo)
			: snprintf(buf + off, size - off, "%s%u-%u", i ? " " : "", r->lo, r->hi);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

/* ---- one response ----------------------------------------------------------------- */

struct http_verdict *http_verdict_new(const struct http_url_check *c)
{
	struct http_verdict *v = xnew(struct http_verdict);

	v->c = c;
	if (c->digest) {
		v->md5 = EVP_MD_CTX_new();
		if (!v->md5 || EVP_DigestInit_ex(v->md5, EVP_md5(), NULL) != 1) {
			/* OpenSSL out of memory, or MD5 disabled (FIPS) */
			v->done = true;
			probe_result_set(&v->res, PROBE_INTERNAL_ERROR, 0, "MD5 unavailable");
		}
	}
	return v;
}

struct http_verdict *http_verdict_free(struct http_verdict *v)
{
	if (!v)
		return NULL;
	EVP_MD_CTX_free(v->md5);
	free(v->window);
	free(v);
	return NULL;
}

/* A bounded copy, truncated as snprintf would. */
static void copy_detail(char *buf, size_t size, const char *s)
{
	size_t n = s ? strnlen(s, size - 1) : 0;

	if (n)
		memcpy(buf, s, n);
	buf[n] = '\0';
}

static enum http_verdict_step decide(struct http_verdict *v, enum probe_reason reason,
				     int code, const char *detail)
{
	v->done = true;
	v->res.reason = reason;
	v->res.code = code;
	/* no printf: every passing probe comes here */
	copy_detail(v->res.detail, sizeof(v->res.detail), detail);
	return HTTP_VERDICT_DONE;
}

/* Run the regex over the window; true when it matched. */
static bool regex_matches(const struct http_verdict *v)
{
	regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)v->window_len } };
	static const char empty[] = "";
	const char *s = v->window ? v->window : empty;

#ifdef REG_STARTEND
	/* glibc: match the whole window, NUL bytes in the body included */
	return regexec(&v->c->regex, s, 1, m, REG_STARTEND) == 0;
#else
	return regexec(&v->c->regex, s, 1, m, 0) == 0;
#endif
}

static enum http_verdict_step regex_verdict(struct http_verdict *v)
{
	bool matched = regex_matches(v);
	bool want = !v->c->url->regex_no_match;

	if (matched == want)
		return decide(v, PROBE_OK, v->res.code, NULL);
	return decide(v, matched ? PROBE_REGEX_MATCH : PROBE_REGEX_NO_MATCH, v->res.code,
		      matched ? "regex matched the body" : "regex did not match the body");
}

enum http_verdict_step http_verdict_status(struct http_verdict *v, int status)
{
	char list[64], msg[96];

	if (v->done)
		return HTTP_VERDICT_DONE;
	v->have_status = true;
	v->res.code = status;
	if (!http_verdict_status_ok(v->c->url, status)) {
		http_verdict_status_list(v->c->url, list, sizeof(list));
		snprintf(msg, sizeof(msg), "status %d not in %s", status, list);
		return decide(v, PROBE_HTTP_STATUS, status, msg);
	}
	if (!v->c->digest && !v->c->has_regex)
		return decide(v, PROBE_OK, status, NULL);
	return HTTP_VERDICT_MORE;
}

/* Keep the body's first bytes for the regex, growing the buffer by doubling
 * so a small page costs a small buffer. */
static void window_append(struct http_verdict *v, const char *data, size_t n)
{
	size_t room = v->c->regex_window - v->window_len;

	if (n >= room) {
		n = room;
		v->window_full = true;
	}
	if (v->window_len + n + 1 > v->window_size) {
		size_t size = v->window_size ? v->window_size : 4096;
		while (size < v->window_len + n + 1)
			size *= 2;
		if (size > v->c->regex_window + 1)
			size = v->c->regex_window + 1;
		v->window = xreallocarray(v->window, size, 1);
		v->window_size = size;
	}
	memcpy(v->window + v->window_len, data, n);
	v->window_len += n;
	v->window[v->window_len] = '\0';
}

enum http_verdict_step http_verdict_body(struct http_verdict *v, const void *data, size_t n)
{
	char msg[96];

	if (v->done)
		return HTTP_VERDICT_DONE;
	v->res.body_bytes += n;
	if (v->c->digest) {
		if (v->res.body_bytes > v->c->max_body) {
			snprintf(msg, sizeof(msg), "body larger than %zu bytes", v->c->max_body);
			return decide(v, PROBE_BODY_TOO_LARGE, v->res.code, msg);
		}
		EVP_DigestUpdate(v->md5, data, n);
	}
	if (v->c->has_regex && !v->window_full) {
		window_append(v, data, n);
		/* The window is all the regex will see: without a digest to finish,
		 * the verdict is known now. */
		if (v->window_full && !v->c->digest)
			return regex_verdict(v);
	}
	return HTTP_VERDICT_MORE;
}

static void digest_hex(EVP_MD_CTX *md5, char out[PROBE_DIGEST_HEXLEN + 1])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_DigestFinal_ex(md5, d, &len);
	for (unsigned i = 0; i < len && i < PROBE_DIGEST_HEXLEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

void http_verdict_end(struct http_verdict *v)
{
	const struct config_url *u = v->c->url;
	char msg[96];

	if (v->done)
		return;
	if (!v->have_status) {
		decide(v, PROBE_HTTP_ERROR, 0, "response ended before its status");
		return;
	}
	if (v->c->digest) {
		digest_hex(v->md5, v->res.digest);
		if (u->digest && strcmp(u->digest, v->res.digest) != 0) {
			snprintf(msg, sizeof(msg), "got %s", v->res.digest);
			decide(v, PROBE_DIGEST_MISMATCH, v->res.code, msg);
			return;
		}
	}
	if (v->c->has_regex) {
		regex_verdict(v);
		return;
	}
	decide(v, PROBE_OK, v->res.code, NULL);
}

/* libcurl's failures by what they mean for a real server.  Codes not listed
 * are a connect error before the connection was up, an HTTP error after. */
static const struct {
	int curl_code;
	enum probe_reason reason;
} curl_reasons[] = {
	{ CURLE_OPERATION_TIMEDOUT, PROBE_TIMEOUT },
	{ CURLE_SSL_CONNECT_ERROR, PROBE_TLS_ERROR },
	{ CURLE_PEER_FAILED_VERIFICATION, PROBE_TLS_ERROR },
	{ CURLE_SSL_CERTPROBLEM, PROBE_TLS_ERROR },
	{ CURLE_SSL_CIPHER, PROBE_TLS_ERROR },
	{ CURLE_SSL_CACERT_BADFILE, PROBE_TLS_ERROR },
	{ CURLE_SSL_ISSUER_ERROR, PROBE_TLS_ERROR },
	{ CURLE_SSL_PINNEDPUBKEYNOTMATCH, PROBE_TLS_ERROR },
	{ CURLE_SSL_INVALIDCERTSTATUS, PROBE_TLS_ERROR },
	{ CURLE_SSL_CRL_BADFILE, PROBE_TLS_ERROR },
	{ CURLE_SSL_ENGINE_NOTFOUND, PROBE_TLS_ERROR },
	{ CURLE_SSL_ENGINE_SETFAILED, PROBE_TLS_ERROR },
	{ CURLE_SSL_ENGINE_INITFAILED, PROBE_TLS_ERROR },
	{ CURLE_SSL_CLIENTCERT, PROBE_TLS_ERROR },
	{ CURLE_USE_SSL_FAILED, PROBE_TLS_ERROR },
	{ CURLE_GOT_NOTHING, PROBE_HTTP_ERROR },
	{ CURLE_WEIRD_SERVER_REPLY, PROBE_HTTP_ERROR },
	{ CURLE_RECV_ERROR, PROBE_HTTP_ERROR },
	{ CURLE_SEND_ERROR, PROBE_HTTP_ERROR },
	{ CURLE_PARTIAL_FILE, PROBE_HTTP_ERROR },
	{ CURLE_OUT_OF_MEMORY, PROBE_INTERNAL_ERROR },
	{ CURLE_URL_MALFORMAT, PROBE_INTERNAL_ERROR },
	{ CURLE_INTERFACE_FAILED, PROBE_INTERNAL_ERROR },
	/* our URLs are http(s): this is a reply that is not HTTP ("HTTP/0.9") */
	{ CURLE_UNSUPPORTED_PROTOCOL, PROBE_HTTP_ERROR },
	{ CURLE_FAILED_INIT, PROBE_INTERNAL_ERROR },
	{ CURLE_BAD_FUNCTION_ARGUMENT, PROBE_INTERNAL_ERROR },
};

void http_verdict_transport_error(struct http_verdict *v, int curl_code, int os_errno,
				  bool connected, const char *curl_msg)
{
	enum probe_reason reason = connected ? PROBE_HTTP_ERROR : PROBE_CONNECT_ERROR;
	const char *msg = curl_msg && curl_msg[0] ? curl_msg
						  : curl_easy_strerror((CURLcode)curl_code);

	if (v->done)
		return;
	for (size_t i = 0; i < sizeof(curl_reasons) / sizeof(curl_reasons[0]); i++)
		if (curl_reasons[i].curl_code == curl_code)
			reason = curl_reasons[i].reason;
	if (curl_code == CURLE_COULDNT_CONNECT && os_errno)
		reason = probe_reason_from_errno(os_errno);
	/* TLS 1.3 sends a rejected client certificate's alert after the
	 * handshake, so curl reports it as a read error; OpenSSL's error text
	 * is the only place that tells the two apart */
	if (reason == PROBE_HTTP_ERROR && curl_msg && strstr(curl_msg, ":SSL routines:"))
		reason = PROBE_TLS_ERROR;
	if (reason == PROBE_TIMEOUT)
		msg = connected ? "no complete response in time" : "connect timed out";
	http_verdict_fail(v, reason, os_errno, msg);
}

void http_verdict_fail(struct http_verdict *v, enum probe_reason reason, int os_errno,
		       const char *detail)
{
	if (v->done)
		return;
	decide(v, reason, v->res.code, detail);
	if (reason == PROBE_CONNECT_ERROR || reason == PROBE_INTERNAL_ERROR ||
	    reason == PROBE_UNREACHABLE || reason == PROBE_REFUSED)
		v->res.err = os_errno;
}

bool http_verdict_done(const struct http_verdict *v)
{
	return v->done;
}

const struct probe_result *http_verdict_result(const struct http_verdict *v)
{
	return &v->res;
}
