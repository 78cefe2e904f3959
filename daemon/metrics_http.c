#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/config_addr.h"
#include "daemon/metrics_http.h"
#include "daemon/metrics_text.h"
#include "xalloc.h"

/* Accepts per wake-up of the listener: the rest on the next one. */
#define ACCEPT_BUDGET 16
#define LISTEN_BACKLOG 16

struct conn {
	struct metrics_http *h;
	int fd;
	sd_event_source *io, *timer;
	char req[METRICS_HTTP_MAX_REQUEST];
	size_t req_len;
	char *resp;          /* NULL while reading the request */
	size_t resp_len, resp_off;
};

struct metrics_http {
	sd_event *event;
	int fd;
	sd_event_source *listen_src;
	metrics_http_body_fn body;
	void *userdata;
	struct conn *conns[METRICS_HTTP_MAX_CONNS];
};

/* ---- pure: judging a request, making a response ---- */

static const struct {
	int code;
	const char *reason;
} status_rows[_METRICS_HTTP_VERDICT_MAX] = {
	[METRICS_HTTP_METRICS] = { 200, "OK" },
	[METRICS_HTTP_NOT_FOUND] = { 404, "Not Found" },
	[METRICS_HTTP_BAD_METHOD] = { 405, "Method Not Allowed" },
	[METRICS_HTTP_BAD_REQUEST] = { 400, "Bad Request" },
	[METRICS_HTTP_TOO_LARGE] = { 431, "Request Header Fields Too Large" },
};

/* Where the headers end (after the blank line), or 0. */
static size_t headers_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(w, s, n) == 0;
}

enum metrics_http_verdict metrics_http_parse(const char *buf, size_t len, bool *ret_head)
{
	const char *end, *sp1, *sp2;

	if (ret_head)
		*ret_head = false;
	if (len > METRICS_HTTP_MAX_REQUEST)
		return METRICS_HTTP_TOO_LARGE;
	if (!headers_end(buf, len))
		return len == METRICS_HTTP_MAX_REQUEST ? METRICS_HTTP_TOO_LARGE
						       : METRICS_HTTP_INCOMPLETE;
	/* request line: METHOD SP TARGET SP HTTP/1.x CRLF */
	end = memchr(buf, '\n', len);
	size_t line = (size_t)(end - buf);
	if (line && buf[line - 1] == '\r')
		line--;
	sp1 = memchr(buf, ' ', line);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', line - (size_t)(sp1 + 1 - buf)) : NULL;
	if (!sp1 || !sp2 || sp1 == buf || sp2 == sp1 + 1)
		return METRICS_HTTP_BAD_REQUEST;
	const char *ver = sp2 + 1;
	size_t ver_len = line - (size_t)(ver - buf);
	if (!word_is(ver, ver_len, "HTTP/1.1") && !word_is(ver, ver_len, "HTTP/1.0"))
		return METRICS_HTTP_BAD_REQUEST;
	for (const char *p = buf; p < sp2; p++)
		if ((unsigned char)*p < 0x21 && p != sp1)
			return METRICS_HTTP_BAD_REQUEST;

	size_t mlen = (size_t)(sp1 - buf);
	bool head = word_is(buf, mlen, "HEAD");
	if (!head && !word_is(buf, mlen, "GET"))
		return METRICS_HTTP_BAD_METHOD;
	if (ret_head)
		*ret_head = head;
	const char *path = sp1 + 1;
	size_t plen = (size_t)(sp2 - path);
	const char *q = memchr(path, '?', plen);
	if (q)
		plen = (size_t)(q - path);
	return word_is(path, plen, "/metrics") ? METRICS_HTTP_METRICS : METRICS_HTTP_NOT_FOUND;
}

char *metrics_http_response(enum metrics_http_verdict v, bool head, const char *body,
			    size_t body_len, size_t *ret_len)
{
	char *out;
	const char *type = METRICS_CONTENT_TYPE;

	if ((unsigned)v >= _METRICS_HTTP_VERDICT_MAX || v == METRICS_HTTP_INCOMPLETE)
		v = METRICS_HTTP_BAD_REQUEST;
	if (v != METRICS_HTTP_METRICS) {
		/* a one-line reason as the body */
		body = status_rows[v].reason;
		body_len = strlen(body);
		type = "text/plain; charset=utf-8";
	}
	char *hdr = xasprintf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			      "Connection: close\r\n%s\r\n",
			      status_rows[v].code, status_rows[v].reason, type,
			      body_len + (v == METRICS_HTTP_METRICS ? 0 : 1),
			      v == METRICS_HTTP_BAD_METHOD ? "Allow: GET, HEAD\r\n" : "");
	size_t hlen = strlen(hdr);
	size_t blen = head ? 0 : body_len + (v == METRICS_HTTP_METRICS ? 0 : 1);

	out = xmalloc(hlen + blen + 1);
	memcpy(out, hdr, hlen);
	if (blen) {
		memcpy(out + hlen, body, body_len);
		if (v != METRICS_HTTP_METRICS)
			out[hlen + body_len] = '\n';
	}
	out[hlen + blen] = '\0';
	free(hdr);
	*ret_len = hlen + blen;
	return out;
}

/* ---- connections ---- */

static void conn_close(struct conn *c)
{
	struct metrics_http *h = c->h;

	for (size_t i = 0; i < METRICS_HTTP_MAX_CONNS; i++)
		if (h->conns[i] == c)
			h->conns[i] = NULL;
	sd_event_source_disable_unref(c->io);
	sd_event_source_disable_unref(c->timer);
	close(c->fd);
	free(c->resp);
	free(c);
}

/* Write what the socket takes; closes the connection when all is out or the
 * peer has gone.  Returns true when c was closed. */
static bool conn_write(struct conn *c)
{
	while (c->resp_off < c->resp_len) {
		ssize_t n = send(c->fd, c->resp + c->resp_off, c->resp_len - c->resp_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (n <= 0)
			break;
		c->resp_off += (size_t)n;
	}
	shutdown(c->fd, SHUT_WR);
	conn_close(c);
	return true;
}

static void conn_respond(struct conn *c, enum metrics_http_verdict v, bool head)
{
	char *body = NULL;
	size_t body_len = 0;

	if (v == METRICS_HTTP_METRICS)
		body = c->h->body(c->h->userdata, &body_len);
	c->resp = metrics_http_response(v, head, body ? body : "", body ? body_len : 0,
					&c->resp_len);
	free(body);
	if (!conn_write(c))
		sd_event_source_set_io_events(c->io, EPOLLOUT);
}

static int on_conn_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct conn *c = userdata;
	bool head = false;

	if (c->resp) {
		conn_write(c);
		return 0;
	}
	ssize_t n = recv(fd, c->req + c->req_len, sizeof(c->req) - c->req_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0) {
		/* closed or reset before a whole request: nothing to answer */
		conn_close(c);
		return 0;
	}
	c->req_len += (size_t)n;
	enum metrics_http_verdict v = metrics_http_parse(c->req, c->req_len, &head);
	if (v != METRICS_HTTP_INCOMPLETE)
		conn_respond(c, v, head);
	return 0;
}

static int on_conn_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	conn_close(userdata);
	return 0;
}

static void conn_new(struct metrics_http *h, int fd)
{
	size_t slot = 0;

	while (slot < METRICS_HTTP_MAX_CONNS && h->conns[slot])
		slot++;
	if (slot == METRICS_HTTP_MAX_CONNS) {
		close(fd);  /* busy: the client may come back */
		return;
	}
	struct conn *c = xnew(struct conn);
	c->h = h;
	c->fd = fd;
	if (sd_event_add_io(h->event, &c->io, fd, EPOLLIN, on_conn_io, c) < 0 ||
	    sd_event_add_time_relative(h->event, &c->timer, CLOCK_MONOTONIC,
				       METRICS_HTTP_TIMEOUT_USEC, 100000, on_conn_timeout, c) < 0) {
		h->conns[slot] = c;
		conn_close(c);
		return;
	}
	sd_event_source_set_description(c->io, "metrics-conn");
	h->conns[slot] = c;
}

static int on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct metrics_http *h = userdata;

	for (int i = 0; i < ACCEPT_BUDGET; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			break;  /* EAGAIN, or a connection that died in the queue */
		conn_new(h, cfd);
	}
	return 0;
}

/* ---- the listener ---- */

int metrics_http_new(sd_event *e, const struct config_addr *addr, uint16_t port,
		     metrics_http_body_fn body, void *userdata, struct metrics_http **ret)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int one = 1, r;

	if (addr->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = addr->u.v4;
		sl = sizeof(*sin);
	} else if (addr->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = addr->u.v6;
		sl = sizeof(*sin6);
	} else {
		return -EAFNOSUPPORT;
	}
	int fd = socket(addr->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	struct metrics_http *h = xnew(struct metrics_http);
	h->event = sd_event_ref(e);
	h->fd = fd;
	h->body = body;
	h->userdata = userdata;
	r = sd_event_add_io(e, &h->listen_src, fd, EPOLLIN, on_accept, h);
	if (r < 0) {
		metrics_http_free(h);
		return r;
	}
	sd_event_source_set_description(h->listen_src, "metrics-listen");
	*ret = h;
	return 0;
}

int metrics_http_port(const struct metrics_http *h)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(h->fd, (struct sockaddr *)&ss, &sl) < 0)
		return -errno;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

struct metrics_http *metrics_http_free(struct metrics_http *h)
{
	if (!h)
		return NULL;
	for (size_t i = 0; i < METRICS_HTTP_MAX_CONNS; i++)
		if (h->conns[i])
			conn_close(h->conns[i]);
	sd_event_source_disable_unref(h->listen_src);
	close(h->fd);
	sd_event_unref(h->event);
	free(h);
	return NULL;
}
