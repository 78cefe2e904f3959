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

struct probe_http1 {
	sd_event *event;
	int epfd;
	sd_event_source *io;
	struct timer_set *deadlines;
	char *user_agent;
	struct probe_http1_run *runs;       /* in flight, doubly linked */
	struct probe_http1_run *done;       /* finished during a batch, to call back */
	size_t n_runs;
	bool in_batch;
};

struct probe_http1_run {
	struct timer_entry deadline;        /* first: on_deadline() casts back */
	struct probe_http1 *h;
	struct probe_http1_run *prev, *next;
	bool in_done;                       /* on h->done, not h->runs */
	int fd;
	const struct config_checker *ck;
	const struct http_url_check *u;
	struct http_verdict *verdict;
	struct http1_parser parser;
	probe_http1_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	bool connected;                     /* the request (or part of it) went out */
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

static void close_socket(struct probe_http1_run *r)
{
	/* closing drops it from the epoll set too */
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
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
	unlink_run(r);
	r->h->n_runs--;
	free_run(r);
	cb(&res, userdata);
}

/* The verdict is known: drop the connection at once, and tell the caller
 * now, or after the batch of socket events when inside one (a callback may
 * start runs, which must not reuse a closed socket's number while the
 * batch still refers to it). */
static void finish(struct probe_http1_run *r)
{
	struct probe_http1 *h = r->h;

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

/* keepalived's request (see the header).  Returns its length; it is in buf
 * when it fits, else in *heap (the caller frees). */
static size_t build_request(const struct probe_http1_run *r, const struct config_url *u,
			    char *buf, size_t size, char **heap)
{
	const struct config_checker *ck = r->ck;
	const char *vhost = u->virtualhost ? u->virtualhost : ck->virtualhost;
	const char *path = u->path && u->path[0] ? u->path : "/";
	char host[CONFIG_ADDR_STRLEN + 10], addr[CONFIG_ADDR_STRLEN];
	int n;

	if (!vhost) {
		config_addr_to_string(&ck->connect_ip, addr, sizeof(addr));
		snprintf(host, sizeof(host), ck->connect_ip.family == AF_INET6 ? "[%s]" : "%s",
			 addr);
		if (ck->connect_port != 80) {
			size_t len = strlen(host);
			snprintf(host + len, sizeof(host) - len, ":%u", ck->connect_port);
		}
		vhost = host;
	}
#define REQUEST_FORMAT "GET %s%s HTTP/%s\r\nUser-Agent: %s\r\nHost: %s\r\n%s\r\n"
#define REQUEST_ARGS path[0] == '/' ? "" : "/", path, \
	ck->http_protocol == CONFIG_HTTP_1_1 ? "1.1" : "1.0", r->h->user_agent, vhost, \
	ck->http_protocol == CONFIG_HTTP_1_0 ? "" : "Connection: close\r\n"
	n = snprintf(buf, size, REQUEST_FORMAT, REQUEST_ARGS);
	if (n < 0)
		return 0;
	if ((size_t)n >= size) {
		*heap = xasprintf(REQUEST_FORMAT, REQUEST_ARGS);
		return (size_t)n;
	}
#undef REQUEST_FORMAT
#undef REQUEST_ARGS
	*heap = NULL;
	return (size_t)n;
}

/* Send what is unsent (the whole request the first time).  False when the
 * run finished (failed). */
static bool send_request(struct probe_http1_run *r)
{
	char buf[1024], *heap = NULL;
	const char *data;
	size_t len;
	ssize_t n;

	if (r->connected && !r->unsent)
		return true;
	if (r->unsent) {
		data = r->unsent;
		len = r->unsent_len;
	} else {
		len = build_request(r, http_url_check_url(r->u), buf,
				    sizeof(buf), &heap);
		data = heap ? heap : buf;
	}
	n = send(r->fd, data, len, MSG_NOSIGNAL);
	if (n < 0) {
		int err = errno;
		free(heap);
		if (err == EAGAIN || err == EINTR)
			return true; /* still connecting, or full: the next edge */
		/* before the first byte went out, this is the connect's error */
		if (!r->connected)
			fail_errno(r, probe_reason_from_errno(err), err, NULL);
		else
			fail_errno(r, PROBE_HTTP_ERROR, err, "send failed");
		return false;
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
	free(heap);
	return true;
}

/* ---- the response ---------------------------------------------------------------- */

/* Read until the socket is drained or the verdict is known.  Edge-triggered:
 * a short read means the queue was empty, unless the peer closed (then the
 * end of stream must still be read). */
static void receive(struct probe_http1_run *r, uint32_t events)
{
	char buf[RECV_CHUNK];
	bool closing = events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);

	for (;;) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			fail_errno(r, PROBE_HTTP_ERROR, errno, "receive failed");
			return;
		}
		if (http1_judge(&r->parser, r->verdict, buf, (size_t)n, n == 0)) {
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
		if (!send_request(r))
			return;
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
	for (int i = 0; i < n; i++)
		on_socket(ev[i].data.ptr, ev[i].events);
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

/* Open and register the socket; false when the run is decided already
 * (its deadline is then "now", so the outcome comes from the loop). */
static bool open_socket(struct probe_http1_run *r)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
				  .data.ptr = r };
	int err = 0;

	r->fd = probe_socket_connect(r->ck, &err);
	if (r->fd < 0) {
		err = -r->fd;
		r->fd = -1;
		http_verdict_fail(r->verdict, PROBE_INTERNAL_ERROR, err, "socket setup failed");
		return false;
	}
	if (err != 0 && err != EINPROGRESS) {
		/* no route: refused at once */
		char msg[PROBE_DETAIL_MAX];
		snprintf(msg, sizeof(msg), "%s", strerror(err));
		http_verdict_fail(r->verdict, probe_reason_from_errno(err), err, msg);
		close_socket(r);
		return false;
	}
	if (epoll_ctl(r->h->epfd, EPOLL_CTL_ADD, r->fd, &ev) < 0) {
		err = errno;
		http_verdict_fail(r->verdict, PROBE_INTERNAL_ERROR, err, "epoll_ctl failed");
		close_socket(r);
		return false;
	}
	return true;
}

int probe_http1_start(struct probe_http1 *h, const struct config_checker *ck,
		      const struct http_url_check *u, probe_http1_done_fn cb, void *userdata,
		      struct probe_http1_run **ret)
{
	struct probe_http1_run *r;
	uint64_t deadline;

	if (!h || !ck || !u || !cb || ck->type != CONFIG_CHECK_HTTP_GET ||
	    !config_addr_is_set(&ck->connect_ip) || !ck->connect_port)
		return -EINVAL;
	r = xnew(struct probe_http1_run);
	timer_entry_init(&r->deadline, on_deadline);
	r->h = h;
	r->ck = ck;
	r->u = u;
	r->cb = cb;
	r->userdata = userdata;
	r->fd = -1;
	r->start_usec = monotonic_usec();
	r->verdict = http_verdict_new(u);
	http1_parser_init(&r->parser);
	push_run(&h->runs, r);
	h->n_runs++;
	deadline = r->start_usec + (ck->connect_timeout_us ? ck->connect_timeout_us : 1);
	/* a verdict known already (MD5 unavailable) also comes from the loop */
	if (http_verdict_done(r->verdict) || !open_socket(r))
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
	timer_set_free(h->deadlines);
	sd_event_source_disable_unref(h->io);
	if (h->epfd >= 0)
		close(h->epfd);
	sd_event_unref(h->event);
	free(h->user_agent);
	free(h);
	return NULL;
}
