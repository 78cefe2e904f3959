#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "checker/probe_http.h"
#include "daemon/config_types.h"
#include "xalloc.h"

/* Transfers per multi handle.  libcurl 7.88 keeps per-multi lists and
 * hashes (connections by host, messages) that some calls walk, so one
 * multi with thousands of transfers in flight costs O(in flight) per
 * transfer; many small multis keep that constant whatever the concurrency. */
#define SHARD_RUNS 32

/* keepalive_time needs CURLOPT_MAXLIFETIME_CONN (7.80; Debian 12 has
 * 7.88): without a bound on a connection's age, reuse would stop testing
 * that the server still accepts connections.  Built against an older
 * libcurl (or run on one that refuses the option), SSL_GET ignores
 * keepalive_time: a new connection per check, as without it.  (The options
 * are enum constants, not macros, hence the version test.) */
#if LIBCURL_VERSION_NUM >= 0x075000
#define HAVE_MAXLIFETIME_CONN 1
#else
#define HAVE_MAXLIFETIME_CONN 0
#endif

/* With keepalive_time, the rest of a passed check's response is read and
 * dropped (up to this much) so its connection can carry the next check;
 * longer, the transfer is stopped and curl closes the connection.  As
 * probe_http1's DRAIN_MAX. */
#define DRAIN_MAX (64u * 1024u)

/* Bounds of the idle connections kept (CURLMOPT_MAXCONNECTS), see
 * kept_max(). */
#define KEPT_MIN 64L
#define KEPT_MAX (1L << 20)

struct shard {
	struct probe_http *h;
	CURLM *multi;
	sd_event_source *timer;      /* curl's one timeout (CURLMOPT_TIMERFUNCTION) */
	size_t n_runs;
};

struct probe_http {
	sd_event *event;
	struct shard **shards;
	size_t n_shards, fill;       /* fill: the shard tried first */
	struct shard **fd_shard;     /* by socket: its shard, or NULL */
	size_t n_fd_shard;
	int epfd;                    /* every shard's sockets, see on_curl_socket() */
	sd_event_source *io;         /* epfd in the loop */
	struct probe_http_run *runs; /* in flight, doubly linked */
	size_t n_runs;
	CURLSH *share;               /* keepalive_time runs' connection cache */
	long max_kept;               /* its size, CURLMOPT_MAXCONNECTS */
	char *ca_file, *cert_file, *key_file, *key_password, *user_agent;
	bool verify;
};

struct probe_http_run {
	struct probe_http *h;
	struct shard *sh;
	struct probe_http_run *prev, *next;
	CURL *easy;
	struct curl_slist *headers, *connect_to;
	char *url;
	struct http_verdict *verdict;
	probe_http_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	int status;                  /* of the last status line seen */
	bool connected;              /* the request went out (TCP and TLS up) */
	bool keep;                   /* keepalive_time: the connection may be reused */
	size_t drained;              /* keep: body bytes read after a passed verdict */
	int sockopt_err;             /* errno of a failed SO_MARK/SO_BINDTODEVICE */
	uint32_t fwmark;
	const char *bind_if;
	char errbuf[CURL_ERROR_SIZE];
};

/* ---- curl -> sd-event ------------------------------------------------------------ */

static void dispatch_done(struct shard *sh);

/* Ready curl sockets handled per dispatch of the loop; more stay ready in
 * epfd, which stays ready in the loop, so a burst is served in turns. */
#define IO_BATCH 256

/* curl's sockets live in a private epoll set, itself one io source of the
 * loop.  One source per socket would cost O(ready sockets) in the kernel per
 * dispatched event (sd-event dispatches one source per epoll_wait, and a
 * level-triggered wait re-polls every ready socket), quadratic once
 * thousands of probes are in flight; here one epoll_wait hands curl a whole
 * batch. */
static int on_io(sd_event_source *s, int epfd, uint32_t revents, void *userdata)
{
	struct probe_http *h = userdata;
	struct epoll_event ev[IO_BATCH];
	int n, running;

	n = epoll_wait(h->epfd, ev, IO_BATCH, 0);
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd, mask = 0;
		struct shard *sh = (size_t)fd < h->n_fd_shard ? h->fd_shard[fd] : NULL;

		if (!sh)
			continue; /* closed by an earlier action of this batch */
		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP))
			mask |= CURL_CSELECT_IN;
		if (ev[i].events & EPOLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (ev[i].events & EPOLLERR)
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(sh->multi, fd, mask, &running);
		dispatch_done(sh);
	}
	return 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct shard *sh = userdata;
	int running;

	curl_multi_socket_action(sh->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	dispatch_done(sh);
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: watch `fd` in epfd for what curl asks; curl's
 * per-socket pointer only says whether fd is in the set already. */
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct shard *sh = userp;
	struct probe_http *h = sh->h;
	struct epoll_event ev = { .data.fd = fd };

	if (fd < 0)
		return -1;
	if (what == CURL_POLL_REMOVE) {
		/* curl closes the socket after this */
		if (socketp)
			(void)epoll_ctl(h->epfd, EPOLL_CTL_DEL, fd, NULL);
		if ((size_t)fd < h->n_fd_shard)
			h->fd_shard[fd] = NULL;
		curl_multi_assign(sh->multi, fd, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev.events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		ev.events |= EPOLLOUT;
	if (socketp)
		return epoll_ctl(h->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -1 : 0;
	if ((size_t)fd >= h->n_fd_shard) {
		size_t n = (size_t)fd + 1 > 2 * h->n_fd_shard ? (size_t)fd + 1 : 2 * h->n_fd_shard;
		h->fd_shard = xreallocarray(h->fd_shard, n, sizeof(*h->fd_shard));
		memset(h->fd_shard + h->n_fd_shard, 0, (n - h->n_fd_shard) * sizeof(*h->fd_shard));
		h->n_fd_shard = n;
	}
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	h->fd_shard[fd] = sh;
	curl_multi_assign(sh->multi, fd, sh);
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: one timer for the whole multi handle.  curl must
 * not be re-entered from here, so even "now" (0) goes through the loop. */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct shard *sh = userp;

	if (timeout_ms < 0)
		return sd_event_source_set_enabled(sh->timer, SD_EVENT_OFF) < 0 ? -1 : 0;
	if (sd_event_source_set_time_relative(sh->timer, (uint64_t)timeout_ms * 1000u) < 0 ||
	    sd_event_source_set_enabled(sh->timer, SD_EVENT_ONESHOT) < 0)
		return -1;
	return 0;
}

/* ---- one transfer --------------------------------------------------------------- */

static void run_unlink(struct probe_http_run *r)
{
	struct probe_http *h = r->h;

	if (r->prev)
		r->prev->next = r->next;
	else
		h->runs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	h->n_runs--;
	r->sh->n_runs--;
}

static void run_free(struct probe_http_run *r)
{
	if (r->easy) {
		curl_multi_remove_handle(r->sh->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->connect_to);
	http_verdict_free(r->verdict);
	free(r->url);
	free(r);
}

struct probe_http_run *probe_http_cancel(struct probe_http_run *r)
{
	if (!r)
		return NULL;
	run_unlink(r);
	run_free(r);
	return NULL;
}

/* A kept-connection check failed after curl had finished the transfer
 * (digest or regex judged at the end of the body): curl has put the
 * connection back into the cache, and there is no call to take it out.  So
 * shut its socket down: the server sees the connection end now, and curl
 * finds it dead when it checks it before a reuse (it always does) and
 * closes it, so the next check starts on a new connection.  Every other
 * failure leaves nothing to do: curl closes the connection of a transfer
 * that ended in an error, ours included (a callback stopping it, a
 * timeout).  Deciding FORBID_REUSE at start cannot know the verdict, and a
 * per-checker "fresh next time" flag would leave the old connection in the
 * cache for the check after.
 *
 * ACTIVESOCKET finds the connection by its id (a walk of the cache, on
 * these failures only) and gives nothing when curl closed it.  A socket a
 * transfer watches is in use: another check of the same server, run by
 * this same curl call, took the connection already; it is left alone. */
static void drop_kept(struct probe_http_run *r)
{
	struct probe_http *h = r->h;
	curl_socket_t fd = CURL_SOCKET_BAD;

	if (curl_easy_getinfo(r->easy, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD || fd < 0)
		return;
	if ((size_t)fd < h->n_fd_shard && h->fd_shard[fd])
		return;
	(void)shutdown(fd, SHUT_RDWR);
}

/* Turn curl's end of a transfer into the verdict, free the run, then tell
 * the caller (who may start or cancel runs from the callback). */
static void run_finish(struct probe_http_run *r, CURLcode code)
{
	struct probe_result res;
	probe_http_done_fn cb = r->cb;
	void *userdata = r->userdata;
	long conns = 1;

	if (!http_verdict_done(r->verdict)) {
		if (code == CURLE_OK) {
			http_verdict_end(r->verdict);
		} else if (r->sockopt_err) {
			http_verdict_transport_error(r->verdict, CURLE_INTERFACE_FAILED,
						     r->sockopt_err, false,
						     r->fwmark ? "cannot set SO_MARK or SO_BINDTODEVICE"
							       : "cannot set SO_BINDTODEVICE");
		} else {
			long os_errno = 0;
			curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
			http_verdict_transport_error(r->verdict, code, (int)os_errno, r->connected,
						     r->errbuf);
		}
	}
	res = *http_verdict_result(r->verdict);
	res.duration_usec = monotonic_usec() - r->start_usec;
	if (res.reason == PROBE_INTERNAL_ERROR && r->sockopt_err)
		res.err = r->sockopt_err;
	if (r->keep) {
		/* no new connection: the request went over a kept one (curl
		 * counts the new one when it retried on a stale connection) */
		if (r->connected &&
		    curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
			res.reused = conns == 0;
		if (res.reason != PROBE_OK && code == CURLE_OK)
			drop_kept(r);
	}
	run_unlink(r);
	run_free(r);
	cb(&res, userdata);
}

static void dispatch_done(struct shard *sh)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(sh->multi, &left))) {
		struct probe_http_run *r = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			run_finish(r, m->data.result);
	}
}

/* The verdict is known before the end of the response: go on reading (true)
 * or stop the transfer (false), which makes curl close the connection, a
 * half-read one never being reused.  A passed check that may keep its
 * connection reads the rest (on_body drops it, up to DRAIN_MAX) so the
 * connection ends clean: a status-only check is known at the headers'
 * end, and would otherwise never reuse one.  A failed check stops at once:
 * its connection must not carry the next check. */
static bool keep_reading(const struct probe_http_run *r)
{
	return r->keep && http_verdict_result(r->verdict)->reason == PROBE_OK;
}

/* Header lines, status lines included.  After a 1xx comes another status
 * line; the blank line ending the final response's headers hands its
 * status to the verdict, which may already be known. */
static size_t on_header(char *buf, size_t size, size_t n, void *userdata)
{
	struct probe_http_run *r = userdata;
	size_t len = size * n;
	unsigned major, minor;
	int status;

	if (len >= 12 && strncmp(buf, "HTTP/", 5) == 0 &&
	    sscanf(buf, "HTTP/%u.%u %3d", &major, &minor, &status) == 3) {
		r->status = status;
	} else if (len >= 12 && strncmp(buf, "HTTP/", 5) == 0 &&
		   sscanf(buf, "HTTP/%u %3d", &major, &status) == 2) {
		r->status = status;
	} else if ((len == 2 && buf[0] == '\r') || (len == 1 && buf[0] == '\n')) {
		if (r->status >= 200 &&
		    http_verdict_status(r->verdict, r->status) == HTTP_VERDICT_DONE)
			return keep_reading(r) ? len : 0;
	}
	return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *userdata)
{
	struct probe_http_run *r = userdata;
	size_t len = size * n;

	if (http_verdict_done(r->verdict)) {
		/* draining a passed check's response, see keep_reading() */
		r->drained += len;
		return r->drained > DRAIN_MAX ? 0 : len;
	}
	if (http_verdict_body(r->verdict, buf, len) != HTTP_VERDICT_DONE)
		return len;
	return keep_reading(r) ? len : 0;
}

/* CURLOPT_PREREQFUNCTION: the connection (and TLS) is up, the request is
 * about to go: a timeout from now on is a slow server, not a dead one. */
static int on_prereq(void *userdata, char *conn_primary_ip, char *conn_local_ip,
		     int conn_primary_port, int conn_local_port)
{
	((struct probe_http_run *)userdata)->connected = true;
	return CURL_PREREQFUNC_OK;
}

/* CURLOPT_SOCKOPTFUNCTION: the checker's fwmark and bind_if. */
static int on_sockopt(void *userdata, curl_socket_t fd, curlsocktype purpose)
{
	struct probe_http_run *r = userdata;

	if (r->fwmark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &r->fwmark, sizeof(r->fwmark)) < 0) {
		r->sockopt_err = errno;
		return CURL_SOCKOPT_ERROR;
	}
	if (r->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, r->bind_if,
				     (socklen_t)strlen(r->bind_if) + 1) < 0) {
		r->sockopt_err = errno;
		return CURL_SOCKOPT_ERROR;
	}
	return CURL_SOCKOPT_OK;
}

/* "192.0.2.1" or "[2001:db8::1]", for URLs and CURLOPT_CONNECT_TO. */
static void addr_for_url(const struct config_addr *a, char *buf, size_t size)
{
	char s[CONFIG_ADDR_STRLEN];

	config_addr_to_string(a, s, sizeof(s));
	snprintf(buf, size, a->family == AF_INET6 ? "[%s]" : "%s", s);
}

#define SETOPT(easy, opt, val) \
	do { if (curl_easy_setopt((easy), (opt), (val)) != CURLE_OK) goto fail; } while (0)

/* keepalive_time: let curl reuse a connection from the shared cache, none
 * as old as keepalive_time.  curl counts whole seconds and reuses while
 * the age in whole seconds is not above the limit, so limit s allows ages
 * below s + 1: s = keepalive_time - 1 (whole seconds), at least 1 (0
 * would mean no limit), so a keepalive_time under 2 s acts as 2 s.  False
 * when this libcurl cannot bound a connection's age: then no reuse. */
static bool keep_setup(struct probe_http_run *r, const struct config_checker *ck)
{
#if HAVE_MAXLIFETIME_CONN
	long s = (long)(ck->keepalive_time_us / 1000000u) - 1;
	CURL *e = r->easy;

	if (s < 1)
		s = 1;
	if (curl_easy_setopt(e, CURLOPT_MAXLIFETIME_CONN, s) != CURLE_OK)
		return false;
	/* idle time is below the age; curl's default (118 s) would end a
	 * connection of a check run less often than that */
	(void)curl_easy_setopt(e, CURLOPT_MAXAGE_CONN, s);
	/* one cache for every shard: the next check of this server may run
	 * on another multi handle than the last */
	return curl_easy_setopt(e, CURLOPT_SHARE, r->h->share) == CURLE_OK;
#else
	(void)r;
	(void)ck;
	return false;
#endif
}

/* Every option of the transfer; false when curl refused one. */
static bool run_setup(struct probe_http_run *r, const struct config_checker *ck,
		      const struct config_url *u)
{
	struct probe_http *h = r->h;
	bool ssl = ck->type == CONFIG_CHECK_SSL_GET;
	const char *vhost = u->virtualhost ? u->virtualhost : ck->virtualhost;
	const char *path = u->path ? u->path : "/";
	char addr[CONFIG_ADDR_STRLEN + 2];
	CURL *e = r->easy;
	long ms = (long)(ck->connect_timeout_us / 1000u);

	addr_for_url(&ck->connect_ip, addr, sizeof(addr));
	if (ssl && ck->enable_sni && vhost) {
		/* the name goes into the URL for SNI (and verification); CONNECT_TO
		 * pins the connection to the address, so nothing is resolved */
		char *pin = xasprintf("%s:%u:%s:%u", vhost, ck->connect_port, addr,
				      ck->connect_port);
		r->connect_to = curl_slist_append(NULL, pin);
		free(pin);
		if (!r->connect_to)
			return false;
		SETOPT(e, CURLOPT_CONNECT_TO, r->connect_to);
		r->url = xasprintf("https://%s:%u%s%s", vhost, ck->connect_port,
				   path[0] == '/' ? "" : "/", path);
	} else {
		r->url = xasprintf("%s://%s:%u%s%s", ssl ? "https" : "http", addr,
				   ck->connect_port, path[0] == '/' ? "" : "/", path);
	}
	if (vhost) {
		char *host = xasprintf("Host: %s", vhost);
		struct curl_slist *l = curl_slist_append(r->headers, host);
		free(host);
		if (!l)
			return false;
		r->headers = l;
	}
	r->keep = ck->keepalive_time_us > 0 && keep_setup(r, ck);
	if (!r->keep && ck->http_protocol != CONFIG_HTTP_1_0) {
		struct curl_slist *l = curl_slist_append(r->headers, "Connection: close");
		if (!l)
			return false;
		r->headers = l;
	}
	SETOPT(e, CURLOPT_URL, r->url);
	SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(e, CURLOPT_PROXY, "");           /* never $http_proxy */
	SETOPT(e, CURLOPT_NOSIGNAL, 1L);
	if (!r->keep) {
		/* keepalived's: a new connection per check, closed after it */
		SETOPT(e, CURLOPT_FORBID_REUSE, 1L);
		SETOPT(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	/* the "name" is an address (nothing resolved), but curl still caches
	 * it, and every lookup walks the whole cache to prune it: O(real
	 * servers) per probe.  Uncached, the cache holds the runs in flight. */
	SETOPT(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	/* a verdict needs a few KB; curl's default 16 KB receive buffer per
	 * transfer is most of a probe's memory when thousands are in flight */
	SETOPT(e, CURLOPT_BUFFERSIZE, 4096L);
	/* a kept connection needs HTTP/1.1, whatever http_protocol says */
	SETOPT(e, CURLOPT_HTTP_VERSION, r->keep || ck->http_protocol == CONFIG_HTTP_1_1
					? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_1_0);
	SETOPT(e, CURLOPT_HTTPHEADER, r->headers);
	SETOPT(e, CURLOPT_USERAGENT, h->user_agent);
	SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, ms > 0 ? ms : 1L);
	SETOPT(e, CURLOPT_TIMEOUT_MS, ms > 0 ? 2 * ms : 2L);
	SETOPT(e, CURLOPT_PRIVATE, r);
	SETOPT(e, CURLOPT_ERRORBUFFER, r->errbuf);
	SETOPT(e, CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(e, CURLOPT_HEADERDATA, r);
	SETOPT(e, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(e, CURLOPT_WRITEDATA, r);
	SETOPT(e, CURLOPT_PREREQFUNCTION, on_prereq);
	SETOPT(e, CURLOPT_PREREQDATA, r);
	if (config_addr_is_set(&ck->bindto)) {
		char s[CONFIG_ADDR_STRLEN], *iface;
		config_addr_to_string(&ck->bindto, s, sizeof(s));
		iface = xasprintf("host!%s", s);
		CURLcode c = curl_easy_setopt(e, CURLOPT_INTERFACE, iface);
		free(iface);
		if (c != CURLE_OK)
			return false;
	}
	if (ck->bind_port)
		SETOPT(e, CURLOPT_LOCALPORT, (long)ck->bind_port);
	if (ck->fwmark || ck->bind_if) {
		r->fwmark = ck->fwmark;
		r->bind_if = ck->bind_if;
		SETOPT(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
		SETOPT(e, CURLOPT_SOCKOPTDATA, r);
	}
	if (ssl) {
		SETOPT(e, CURLOPT_SSL_VERIFYPEER, h->verify ? 1L : 0L);
		SETOPT(e, CURLOPT_SSL_VERIFYHOST, h->verify ? 2L : 0L);
		if (h->ca_file)
			SETOPT(e, CURLOPT_CAINFO, h->ca_file);
		if (h->cert_file)
			SETOPT(e, CURLOPT_SSLCERT, h->cert_file);
		if (h->key_file)
			SETOPT(e, CURLOPT_SSLKEY, h->key_file);
		if (h->key_password)
			SETOPT(e, CURLOPT_KEYPASSWD, h->key_password);
	}
	return true;
fail:
	return false;
}

/* ---- shards ---------------------------------------------------------------------- */

static struct shard *shard_free(struct shard *sh)
{
	if (!sh)
		return NULL;
	if (sh->multi)
		curl_multi_cleanup(sh->multi);
	sd_event_source_disable_unref(sh->timer);
	free(sh);
	return NULL;
}

static struct shard *shard_new(struct probe_http *h)
{
	struct shard *sh = xnew(struct shard);

	sh->h = h;
	sh->multi = curl_multi_init();
	if (!sh->multi || sd_event_add_time(h->event, &sh->timer, CLOCK_MONOTONIC, 0, 0, on_timer,
					    sh) < 0)
		return shard_free(sh);
	(void)sd_event_source_set_enabled(sh->timer, SD_EVENT_OFF);
	(void)sd_event_source_set_description(sh->timer, "probe-http-timer");
	if (curl_multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket) != CURLM_OK ||
	    curl_multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh) != CURLM_OK ||
	    curl_multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer) != CURLM_OK ||
	    curl_multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh) != CURLM_OK ||
	    curl_multi_setopt(sh->multi, CURLMOPT_MAXCONNECTS, h->max_kept) != CURLM_OK)
		return shard_free(sh);
	return sh;
}

/* A shard with room: the last one used, else any, else a new one (they
 * stay: as many as the most runs ever in flight need). */
static struct shard *shard_pick(struct probe_http *h)
{
	struct shard *sh;

	if (h->fill < h->n_shards && h->shards[h->fill]->n_runs < SHARD_RUNS)
		return h->shards[h->fill];
	for (size_t i = 0; i < h->n_shards; i++)
		if (h->shards[i]->n_runs < SHARD_RUNS) {
			h->fill = i;
			return h->shards[i];
		}
	sh = shard_new(h);
	if (!sh)
		return NULL;
	h->shards = xreallocarray(h->shards, h->n_shards + 1, sizeof(*h->shards));
	h->fill = h->n_shards;
	h->shards[h->n_shards++] = sh;
	return sh;
}

int probe_http_start(struct probe_http *h, const struct config_checker *ck,
		     const struct http_url_check *u, probe_http_done_fn cb, void *userdata,
		     struct probe_http_run **ret)
{
	struct probe_http_run *r;

	if (!h || !ck || !u || !cb ||
	    (ck->type != CONFIG_CHECK_HTTP_GET && ck->type != CONFIG_CHECK_SSL_GET) ||
	    !config_addr_is_set(&ck->connect_ip))
		return -EINVAL;
	r = xnew(struct probe_http_run);
	r->h = h;
	r->sh = shard_pick(h);
	r->cb = cb;
	r->userdata = userdata;
	r->start_usec = monotonic_usec();
	r->verdict = http_verdict_new(u);
	r->easy = curl_easy_init();
	if (!r->sh || !r->easy || !run_setup(r, ck, http_url_check_url(u))) {
		if (!r->sh && r->easy) {
			curl_easy_cleanup(r->easy);
			r->easy = NULL;
		}
		run_free(r);
		return -ENOMEM;
	}
	if (curl_multi_add_handle(r->sh->multi, r->easy) != CURLM_OK) {
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		run_free(r);
		return -ENOMEM;
	}
	r->next = h->runs;
	if (h->runs)
		h->runs->prev = r;
	h->runs = r;
	h->n_runs++;
	r->sh->n_runs++;
	if (ret)
		*ret = r;
	return 0;
}

size_t probe_http_running(const struct probe_http *h)
{
	return h->n_runs;
}

/* ---- the engine ------------------------------------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* How many idle kept connections the cache may hold: half the fd limit.
 * curl's default (4 per transfer added to a multi, so ~128 per shard)
 * would close most of them with thousands of keepalive checkers.  Past the
 * limit curl closes the longest idle one: that server's next check pays a
 * new connection, but no check fails for want of a descriptor (EMFILE),
 * which an unbounded cache would cause.  The limit is read once, here.
 *
 * The cost: 10,000 SSL_GET servers with keepalive_time keep 10,000 idle
 * TLS connections: 10,000 descriptors (the checker's RLIMIT_NOFILE must
 * allow twice that, or the cache is cut as above) and 40-55 KB of heap
 * each in the checker (measured with curl 7.88 / OpenSSL 3.0, 1,000 idle
 * connections: 39-53 MB; curl makes an SSL_CTX per connection, beside the
 * SSL and curl's own connection; SSL_MODE_RELEASE_BUFFERS saves little),
 * so about 0.5 GB, plus the kernel's socket buffers on both ends and a TLS
 * connection held on every server.  keepalive_time saves the handshakes'
 * CPU, not memory. */
static long kept_max(void)
{
	struct rlimit rl;
	long n = KEPT_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < (rlim_t)KEPT_MAX)
		n = (long)(rl.rlim_cur / 2);
	return n < KEPT_MIN ? KEPT_MIN : n;
}

int probe_http_new(sd_event *e, const struct probe_http_options *o, struct probe_http **ret)
{
	struct probe_http *h;
	int r;

	if (!e || !ret)
		return -EINVAL;
	/* idempotent; libcurl counts the calls */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -EIO;
	h = xnew(struct probe_http);
	h->epfd = -1;
	h->event = sd_event_ref(e);
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0) {
		r = -errno;
		probe_http_free(h);
		return r;
	}
	r = sd_event_add_io(e, &h->io, h->epfd, EPOLLIN, on_io, h);
	if (r < 0) {
		probe_http_free(h);
		return r;
	}
	(void)sd_event_source_set_description(h->io, "probe-http-io");
	h->max_kept = kept_max();
	/* connections only: curl's DNS cache stays off (run_setup) */
	h->share = curl_share_init();
	if (!h->share ||
	    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
		probe_http_free(h);
		return -EIO;
	}
	/* one shard now, so a broken libcurl shows at start, not at a probe */
	if (!shard_pick(h)) {
		probe_http_free(h);
		return -EIO;
	}
	if (o) {
		h->ca_file = dup_or_null(o->ca_file);
		h->cert_file = dup_or_null(o->cert_file);
		h->key_file = dup_or_null(o->key_file);
		h->key_password = dup_or_null(o->key_password);
		h->verify = o->verify;
	}
	h->user_agent = xstrdup(o && o->user_agent ? o->user_agent : "KeepAliveClient");
	*ret = h;
	return 0;
}

struct probe_http *probe_http_free(struct probe_http *h)
{
	if (!h)
		return NULL;
	while (h->runs)
		probe_http_cancel(h->runs);
	for (size_t i = 0; i < h->n_shards; i++)
		shard_free(h->shards[i]);
	/* after every easy handle is gone; closes the kept connections */
	if (h->share)
		curl_share_cleanup(h->share);
	free(h->shards);
	free(h->fd_shard);
	sd_event_source_disable_unref(h->io);
	if (h->epfd >= 0)
		close(h->epfd);
	sd_event_unref(h->event);
	free(h->ca_file);
	free(h->cert_file);
	free(h->key_file);
	if (h->key_password)
		explicit_bzero(h->key_password, strlen(h->key_password));
	free(h->key_password);
	free(h->user_agent);
	free(h);
	curl_global_cleanup();
	return NULL;
}
