#include <config.h>

/* probe_http1: see probe_http1.h. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "monotonic.h"
#include "timer_set.h"
#include "checker/http1_judge.h"
#include "checker/http1_parse.h"
#include "checker/probe_http1.h"
#include "checker/probe_socket.h"
#include "daemon/config_types.h"
#include "xalloc.h"

/* Ready sockets handled per dispatch; more stay ready in the set, which
 * stays ready in the loop. */
#define IO_BATCH 256
/* How late a deadline may fire so that neighbours fire together. */
#define DEADLINE_ACCURACY_USEC 10000ULL
/* Receive buffer, on the stack: a health page's head and usually all of it. */
#define RECV_CHUNK 4096
/* Response bytes read past the verdict to keep a connection; a longer body
 * costs less as a new connection than read through. */
#define DRAIN_MAX (64u * 1024u)

struct probe_http1 {
	sd_event *event;
	int epfd;
	sd_event_source *io;
	struct timer_set *deadlines;
	char *user_agent;
	struct probe_http1_run *runs;       /* in flight, doubly linked */
	struct probe_http1_run *done;       /* finished during a batch, to call back */
	struct probe_http1_conn *idle;      /* kept between runs, doubly linked */
	size_t n_runs, n_idle;
	bool in_batch;
};

/* A socket.  The epoll set points at this, not at the run: a kept
 * connection outlives its run, and an event for an idle one must find it. */
struct probe_http1_conn {
	struct probe_http1 *h;
	int fd;
	uint64_t born_usec;                 /* connect() was called */
	struct probe_http1_run *run;        /* using it, or NULL: idle */
	struct probe_http1_conn **slot;     /* idle: the caller's slot that holds it */
	struct probe_http1_conn *prev, *next;  /* idle: h->idle */
};

struct probe_http1_run {
	struct timer_entry deadline;        /* first: on_deadline() casts back */
	struct probe_http1 *h;
	struct probe_http1_run *prev, *next;
	bool in_done;                       /* on h->done, not h->runs */
	struct probe_http1_conn *conn;      /* NULL once closed or kept */
	struct probe_http1_conn **keep;     /* keepalive_time: the caller's slot, else NULL */
	const struct config_checker *ck;
	struct http_url_check *u;          /* its request is kept there */
	struct http_verdict *verdict;
	struct http1_parser parser;
	probe_http1_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	bool connected;                     /* the request (or part of it) went out */
	bool reused;                        /* on a kept connection */
	bool draining;                      /* verdict known; reading the response's rest */
	enum http1_drain drain;             /* how the rest ended */
	size_t drained;                     /* bytes read after the verdict */
	char *unsent;                       /* the request's rest after a short send */
	size_t unsent_len;
};

/* ---- lists ----------------------------------------------------------------------- */

static struct probe_http1_run **list_of(struct probe_http1_run *r)
{
	return r->in_done ? &r->h->done : &r->h->runs;
}

static void unlink_run(struct probe_http1_run *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		*list_of(r) = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

static void push_run(struct probe_http1_run **head, struct probe_http1_run *r)
{
	r->prev = NULL;
	r->next = *head;
	if (*head)
		(*head)->prev = r;
	*head = r;
}

/* ---- connections ----------------------------------------------------------------- */

static struct probe_http1_conn *conn_new(struct probe_http1 *h, int fd)
{
	struct probe_http1_conn *c = xnew(struct probe_http1_conn);

	*c = (struct probe_http1_conn){ .h = h, .fd = fd, .born_usec = monotonic_usec() };
	return c;
}

static void idle_unlink(struct probe_http1_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		c->h->idle = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	c->h->n_idle--;
	if (*c->slot == c)
		*c->slot = NULL;
	c->slot = NULL;
}

/* Close (which drops it from the epoll set too) and forget, wherever it is. */
static void conn_free(struct probe_http1_conn *c)
{
	if (!c)
		return;
	if (c->slot)
		idle_unlink(c);
	close(c->fd);
	free(c);
}

/* Keep c in *slot for the next run. */
static void conn_park(struct probe_http1_conn *c, struct probe_http1_conn **slot)
{
	struct probe_http1 *h = c->h;

	if (*slot && *slot != c)
		conn_free(*slot);
	c->run = NULL;
	c->slot = slot;
	*slot = c;
	c->prev = NULL;
	c->next = h->idle;
	if (h->idle)
		h->idle->prev = c;
	h->idle = c;
	h->n_idle++;
}

void probe_http1_conn_close(struct probe_http1_conn **keep)
{
	if (keep && *keep)
		conn_free(*keep);
}

/* An idle connection stirred: the server closed it, reset it or sent what
 * nobody asked for.  It is no use for the next run. */
static void on_idle(struct probe_http1_conn *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		conn_free(c);
}

static void close_socket(struct probe_http1_run *r)
{
	conn_free(r->conn);
	r->conn = NULL;
}

static void free_run(struct probe_http1_run *r)
{
	timer_set_disarm(r->h->deadlines, &r->deadline);
	close_socket(r);
	http_verdict_free(r->verdict);
	free(r->unsent);
	free(r);
}

struct probe_http1_run *probe_http1_cancel(struct probe_http1_run *r)
{
	if (!r)
		return NULL;
	unlink_run(r);
	r->h->n_runs--;
	free_run(r);
	return NULL;
}

/* ---- the end of a run ------------------------------------------------------------ */

static void deliver(struct probe_http1_run *r)
{
	struct probe_result res = *http_verdict_result(r->verdict);
	probe_http1_done_fn cb = r->cb;
	void *userdata = r->userdata;

	res.duration_usec = monotonic_usec() - r->start_usec;
	res.reused = r->reused;
	unlink_run(r);
	r->h->n_runs--;
	free_run(r);
	cb(&res, userdata);
}

/* The connection may carry the next run: the caller asked for that, the
 * check passed (after a failure the next check starts afresh), the whole
 * response was read and allows it, and the connection is young enough.
 * Not after a 204 or 304: their end is their head, and a server that sends
 * a body with them anyway (some frameworks do) would have it read as the
 * next check's response. */
static bool keepable(const struct probe_http1_run *r)
{
	return r->keep && r->conn && r->draining && r->drain == HTTP1_DRAIN_DONE &&
	       http_verdict_result(r->verdict)->reason == PROBE_OK &&
	       r->parser.status != 204 && r->parser.status != 304 &&
	       http1_parser_reusable(&r->parser) &&
	       monotonic_usec() - r->conn->born_usec < r->ck->keepalive_time_us;
}

/* The verdict is known: keep the connection or drop it at once, and tell the caller
 * now, or after the batch of socket events when inside one (a callback may
 * start runs, which must not reuse a closed socket's number while the
 * batch still refers to it). */
static void finish(struct probe_http1_run *r)
{
	struct probe_http1 *h = r->h;

	if (keepable(r)) {
		conn_park(r->conn, r->keep);
		r->conn = NULL;
	}
	close_socket(r);
	timer_set_disarm(h->deadlines, &r->deadline);
	if (!h->in_batch) {
		deliver(r);
		return;
	}
	unlink_run(r);
	r->in_done = true;
	push_run(&h->done, r);
}

static void fail_errno(struct probe_http1_run *r, enum probe_reason reason, int err,
		       const char *what)
{
	char msg[PROBE_DETAIL_MAX];

	snprintf(msg, sizeof(msg), "%s%s%s", what ? what : "", what ? ": " : "", strerror(err));
	http_verdict_fail(r->verdict, reason, err, msg);
	finish(r);
}

/* ---- the request ----------------------------------------------------------------- */

/* The HTTP version and Connection header: keepalived's per http_protocol,
 * or HTTP/1.1 without "Connection: close" for a connection meant to stay. */
static void request_version(const struct probe_http1_run *r, const char **version,
			    const char **connection)
{
	enum config_http_protocol proto = r->ck->http_protocol;

	*version = r->keep || proto == CONFIG_HTTP_1_1 ? "1.1" : "1.0";
	*connection = r->keep || proto == CONFIG_HTTP_1_0 ? "" : "Connection: close\r\n";
}

struct piece {
	const char *s;
	size_t n;
};

#define PIECE(str) ((struct piece){ (str), strlen(str) })

/* The pieces one after the other, NUL-terminated, into a new string;
 * *len is its length. */
static char *join(const struct piece *p, size_t n, size_t *len)
{
	char *out;

	*len = 0;
	for (size_t i = 0; i < n; i++)
		*len += p[i].n;
	out = xmalloc(*len + 1);
	for (size_t i = 0, off = 0; i < n; off += p[i].n, i++)
		memcpy(out + off, p[i].s, p[i].n);
	out[*len] = '\0';
	return out;
}

/* "10.0.0.1", "[fd00::1]:8080": the address, and the port when not 80. */
static void default_host(const struct config_checker *ck, char *host, size_t size)
{
	char addr[CONFIG_ADDR_STRLEN], port[8] = "";
	bool v6 = ck->connect_ip.family == AF_INET6;

	config_addr_to_string(&ck->connect_ip, addr, sizeof(addr));
	if (ck->connect_port != 80)
		snprintf(port, sizeof(port), ":%u", ck->connect_port);
	snprintf(host, size, "%s%s%s%s", v6 ? "[" : "", addr, v6 ? "]" : "", port);
}

/* The request (see the header), malloc'd; *len is its length. */
static char *build_request(const struct probe_http1_run *r, const struct config_url *u,
			   size_t *len)
{
	const struct config_checker *ck = r->ck;
	const char *vhost = u->virtualhost ? u->virtualhost : ck->virtualhost;
	const char *path = u->path && u->path[0] ? u->path : "/";
	const char *version, *connection;
	char host[CONFIG_ADDR_STRLEN + 10];

	if (!vhost) {
		default_host(ck, host, sizeof(host));
		vhost = host;
	}
	request_version(r, &version, &connection);
	struct piece p[] = {
		PIECE("GET "), { "/", path[0] != '/' }, PIECE(path), PIECE(" HTTP/"),
		PIECE(version), PIECE("\r\nUser-Agent: "), PIECE(r->h->user_agent),
		PIECE("\r\nHost: "), PIECE(vhost), PIECE("\r\n"), PIECE(connection),
		PIECE("\r\n"),
	};
	return join(p, sizeof(p) / sizeof(p[0]), len);
}

/* The run's request: built once per url and kind (kept connection or not),
 * then kept with the url. */
static const char *request_of(const struct probe_http1_run *r, size_t *len)
{
	unsigned variant = r->keep ? 2 : 1;
	const char *q = http_url_check_request(r->u, variant, len);
	char *built;

	if (q)
		return q;
	built = build_request(r, http_url_check_url(r->u), len);
	http_url_check_set_request(r->u, variant, built, *len);
	return built;
}

/* Send what is unsent (the whole request the first time).  Returns 0 (sent,
 * or to go on at the next edge) or the send's negative errno. */
static int send_request(struct probe_http1_run *r)
{
	const char *data;
	size_t len;
	ssize_t n;

	if (r->connected && !r->unsent)
		return 0;
	if (r->unsent) {
		data = r->unsent;
		len = r->unsent_len;
	} else {
		data = request_of(r, &len);
	}
	n = send(r->conn->fd, data, len, MSG_NOSIGNAL);
	if (n < 0) {
		int err = errno;
		/* still connecting, or full: the next edge */
		return err == EAGAIN || err == EINTR ? 0 : -err;
	}
	if (!r->connected) {
		r->connected = true;
		timer_set_arm(r->h->deadlines, &r->deadline,
			      r->start_usec + 2 * (r->ck->connect_timeout_us ? r->ck->connect_timeout_us : 1));
	}
	if ((size_t)n < len) {
		char *rest = xmalloc(len - (size_t)n);
		memcpy(rest, data + n, len - (size_t)n);
		free(r->unsent);
		r->unsent = rest;
		r->unsent_len = len - (size_t)n;
	} else {
		free(r->unsent);
		r->unsent = NULL;
	}
	return 0;
}

/* ---- the response ---------------------------------------------------------------- */

static bool open_socket(struct probe_http1_run *r);

/* A kept connection the server had closed or reset before any of the
 * response: it timed out or reached its request limit between checks, which
 * says nothing about the server.  The request goes again, once, on a new
 * connection with a fresh deadline (RFC 9112 9.3.1: GET may be retried). */
static bool stale(const struct probe_http1_run *r, ssize_t n, int err)
{
	return r->reused && !r->parser.got_any &&
	       (n == 0 || err == ECONNRESET || err == EPIPE || err == ENOTCONN);
}

static void retry_fresh(struct probe_http1_run *r)
{
	close_socket(r);
	r->reused = r->connected = false;
	free(r->unsent);
	r->unsent = NULL;
	http1_parser_init(&r->parser);
	r->start_usec = monotonic_usec();
	timer_set_arm(r->h->deadlines, &r->deadline,
		      open_socket(r) ? r->start_usec + (r->ck->connect_timeout_us ? r->ck->connect_timeout_us : 1)
			      : 0);
}

/* The verdict is known: with a slot to keep the connection in, read the
 * response to its end first (when it can have one: not a body that runs
 * until close, not a failure). */
static bool start_draining(struct probe_http1_run *r, const char *rest, size_t n, bool eof)
{
	if (!r->keep || http_verdict_result(r->verdict)->reason != PROBE_OK ||
	    !r->parser.persistent || r->parser.until_close)
		return false;
	r->draining = true;
	r->drain = http1_drain(&r->parser, rest, n, eof);
	return r->drain == HTTP1_DRAIN_MORE;
}

/* Bytes after the verdict: true while the response goes on. */
static bool drain_more(struct probe_http1_run *r, const char *data, size_t n)
{
	r->drained += n;
	r->drain = r->drained > DRAIN_MAX ? HTTP1_DRAIN_STOP : http1_drain(&r->parser, data, n, n == 0);
	return r->drain == HTTP1_DRAIN_MORE;
}

/* Read until the socket is drained or the run is over.  Edge-triggered: a
 * short read means the queue was empty, unless the peer closed (then the
 * end of stream must still be read). */
static void receive(struct probe_http1_run *r, uint32_t events)
{
	char buf[RECV_CHUNK];
	bool closing = events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);

	for (;;) {
		ssize_t n = recv(r->conn->fd, buf, sizeof(buf), 0);
		size_t used;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		int err = n < 0 ? errno : 0;
		if (stale(r, n, err)) {
			retry_fresh(r);
			return;
		}
		if (n < 0) {
			fail_errno(r, PROBE_HTTP_ERROR, err, "receive failed");
			return;
		}
		bool more = true;
		if (r->draining)
			more = drain_more(r, buf, (size_t)n);
		else if (http1_judge(&r->parser, r->verdict, buf, (size_t)n, n == 0, &used))
			more = start_draining(r, buf + used, (size_t)n - used, n == 0);
		if (!more) {
			/* ended with a full buffer: more bytes may wait past the response */
			if (r->drain == HTTP1_DRAIN_DONE && (size_t)n == sizeof(buf))
				r->drain = HTTP1_DRAIN_STOP;
			finish(r);
			return;
		}
		if ((size_t)n < sizeof(buf) && !closing)
			return;
	}
}

static void on_socket(struct probe_http1_run *r, uint32_t events)
{
	if (!r->connected || r->unsent) {
		bool was_connected = r->connected;
		int err = send_request(r);
		if (err < 0 && stale(r, -1, -err)) {
			retry_fresh(r);
			return;
		}
		if (err < 0) {
			/* before the first byte went out, this is the connect's error */
			if (!was_connected)
				fail_errno(r, probe_reason_from_errno(-err), -err, NULL);
			else
				fail_errno(r, PROBE_HTTP_ERROR, -err, "send failed");
			return;
		}
		if (!r->connected)
			return; /* still connecting */
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		receive(r, events);
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct probe_http1 *h = userdata;
	struct epoll_event ev[IO_BATCH];
	int n;

	h->in_batch = true;
	n = epoll_wait(h->epfd, ev, IO_BATCH, 0);
	for (int i = 0; i < n; i++) {
		struct probe_http1_conn *c = ev[i].data.ptr;
		if (c->run)
			on_socket(c->run, ev[i].events);
		else
			on_idle(c, ev[i].events);
	}
	h->in_batch = false;
	while (h->done)
		deliver(h->done);
	return 0;
}

static void on_deadline(struct timer_entry *t, uint64_t now)
{
	struct probe_http1_run *r = (struct probe_http1_run *)t;

	if (!http_verdict_done(r->verdict))
		http_verdict_fail(r->verdict, PROBE_TIMEOUT, 0,
				  r->connected ? "no complete response in time"
					       : "connect timed out");
	finish(r);
}

/* ---- a new run ------------------------------------------------------------------- */

/* Open and register a new connection; false when the run is decided
 * already (the caller then arms its deadline at "now", so the outcome comes
 * from the loop). */
static bool open_socket(struct probe_http1_run *r)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
	int err = 0, fd;

	fd = probe_socket_connect(r->ck, &err);
	if (fd < 0) {
		http_verdict_fail(r->verdict, PROBE_INTERNAL_ERROR, -fd, "socket setup failed");
		return false;
	}
	r->conn = conn_new(r->h, fd);
	r->conn->run = r;
	if (err != 0 && err != EINPROGRESS) {
		/* no route: refused at once */
		char msg[PROBE_DETAIL_MAX];
		snprintf(msg, sizeof(msg), "%s", strerror(err));
		http_verdict_fail(r->verdict, probe_reason_from_errno(err), err, msg);
		close_socket(r);
		return false;
	}
	ev.data.ptr = r->conn;
	if (epoll_ctl(r->h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = errno;
		http_verdict_fail(r->verdict, PROBE_INTERNAL_ERROR, err, "epoll_ctl failed");
		close_socket(r);
		return false;
	}
	return true;
}

/* Take the connection in the caller's slot, when it is young enough, and
 * send the request on it at once (it is connected, and registered
 * edge-triggered: no edge would come to start it).  False: no connection
 * to reuse, open a new one. */
static bool reuse_kept(struct probe_http1_run *r)
{
	struct probe_http1_conn *c = *r->keep;

	if (!c)
		return false;
	idle_unlink(c);
	if (monotonic_usec() - c->born_usec >= r->ck->keepalive_time_us) {
		conn_free(c);
		return false;
	}
	r->conn = c;
	c->run = r;
	r->reused = true;
	if (send_request(r) < 0 || !r->connected) {
		/* reset or closed while idle (its event not read yet) */
		close_socket(r);
		r->reused = false;
		return false;
	}
	return true;
}

int probe_http1_start(struct probe_http1 *h, const struct config_checker *ck,
		      struct http_url_check *u, struct probe_http1_conn **keep,
		      probe_http1_done_fn cb, void *userdata, struct probe_http1_run **ret)
{
	struct probe_http1_run *r;
	uint64_t deadline;

	if (!h || !ck || !u || !cb || ck->type != CONFIG_CHECK_HTTP_GET ||
	    !config_addr_is_set(&ck->connect_ip) || !ck->connect_port)
		return -EINVAL;
	if (keep && !ck->keepalive_time_us) {
		/* keepalive_time went away with a reload */
		probe_http1_conn_close(keep);
		keep = NULL;
	}
	r = xnew(struct probe_http1_run);
	timer_entry_init(&r->deadline, on_deadline);
	r->h = h;
	r->ck = ck;
	r->u = u;
	r->keep = keep;
	r->cb = cb;
	r->userdata = userdata;
	r->start_usec = monotonic_usec();
	r->verdict = http_verdict_new(u);
	http1_parser_init(&r->parser);
	push_run(&h->runs, r);
	h->n_runs++;
	deadline = r->start_usec + (ck->connect_timeout_us ? ck->connect_timeout_us : 1);
	/* a verdict known already (MD5 unavailable) also comes from the loop */
	if (http_verdict_done(r->verdict))
		deadline = 0;
	else if (keep && reuse_kept(r))
		deadline = r->start_usec + 2 * (ck->connect_timeout_us ? ck->connect_timeout_us : 1);
	else if (!open_socket(r))
		deadline = 0;
	timer_set_arm(h->deadlines, &r->deadline, deadline);
	if (ret)
		*ret = r;
	return 0;
}

size_t probe_http1_running(const struct probe_http1 *h)
{
	return h ? h->n_runs : 0;
}

size_t probe_http1_kept(const struct probe_http1 *h)
{
	return h ? h->n_idle : 0;
}

/* ---- the engine ------------------------------------------------------------------ */

int probe_http1_new(sd_event *e, const char *user_agent, struct probe_http1 **ret)
{
	struct probe_http1 *h;
	int r;

	if (!e || !ret)
		return -EINVAL;
	h = xnew(struct probe_http1);
	h->event = sd_event_ref(e);
	h->user_agent = xstrdup(user_agent ? user_agent : "KeepAliveClient");
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0) {
		r = -errno;
		probe_http1_free(h);
		return r;
	}
	r = sd_event_add_io(e, &h->io, h->epfd, EPOLLIN, on_io, h);
	if (r >= 0)
		r = timer_set_new(e, DEADLINE_ACCURACY_USEC, "probe-http1-deadlines",
				  &h->deadlines);
	if (r < 0) {
		probe_http1_free(h);
		return r;
	}
	(void)sd_event_source_set_description(h->io, "probe-http1-io");
	*ret = h;
	return 0;
}

struct probe_http1 *probe_http1_free(struct probe_http1 *h)
{
	if (!h)
		return NULL;
	while (h->runs)
		probe_http1_cancel(h->runs);
	while (h->done)
		probe_http1_cancel(h->done);
	while (h->idle)
		conn_free(h->idle);
	timer_set_free(h->deadlines);
	sd_event_source_disable_unref(h->io);
	if (h->epfd >= 0)
		close(h->epfd);
	sd_event_unref(h->event);
	free(h->user_agent);
	free(h);
	return NULL;
}
