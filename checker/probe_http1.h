/* probe_http1: HTTP_GET over a hand-written non-blocking HTTP/1.x client.
 *
 * keepalived's checker fetches a page with a socket, a fixed request and a
 * small parser; a libcurl transfer (easy handle, URL parser, connection
 * cache, header callbacks, 16 KB buffers) costs several times that per
 * probe, and the checker probes thousands of servers a second.  So plain
 * HTTP_GET goes through this client, SSL_GET stays on libcurl
 * (probe_http), and both judge the response with the same http_verdict.
 *
 * One engine per checker process: a private epoll set that is one sd-event
 * source (one epoll_wait hands over a batch of ready sockets, see
 * probe_http.c for why not one source per socket) and one timer_set for
 * every run's deadline.  A run is a socket (probe_socket: fwmark, bind_if,
 * bindto, bind_port), registered once, edge-triggered, for both directions;
 * the request goes out when the connection is up, the response is parsed
 * by http1_parse as it arrives and fed to the verdict, and the socket is
 * closed as soon as the verdict is known.  No allocation beyond the run and
 * its verdict in the common case: the request is built once per url and
 * kept with it, and the response is parsed in place.
 *
 * The request is keepalived's: "GET path HTTP/1.0" (1.1 with http_protocol
 * 1.1), User-Agent, Host (the virtualhost, else the address, with the port
 * when it is not 80), and "Connection: close" for 1.0C and 1.1.
 * Timeouts as with libcurl: connect_timeout to connect, twice that for the
 * whole response.
 *
 * keepalive_time (lbha, after NGINX Plus's health_check parameter): a new
 * TCP connection per check costs the director far more than the request
 * (socket, handshake, teardown: ~80% of a probe's CPU), so a checker with
 * keepalive_time keeps its connection for the next check, up to that age.
 * The request is then HTTP/1.1 without "Connection: close"; after the
 * verdict the response is read to its end (at most DRAIN_MAX bytes) and the
 * connection kept only when the check passed and the response allows it.
 * An idle connection the server closes is dropped at once (its epoll
 * event); one found closed when reused (nothing of a response came) gets
 * the request again on a new connection.  A failed check, a timeout
 * included, always ends its connection, so the next check starts afresh.
 * What reuse does not test is that the server still accepts connections:
 * keepalive_time bounds how long that goes unchecked.
 *
 * Library code: never logs. */
#ifndef LBHA_PROBE_HTTP1_H
#define LBHA_PROBE_HTTP1_H

#include <stddef.h>
#include <systemd/sd-event.h>

#include "checker/http_verdict.h"
#include "checker/probe_result.h"

struct config_checker;
struct probe_http1;
struct probe_http1_conn;
struct probe_http1_run;

/* Called once per run, from the loop (never from inside
 * probe_http1_start()); the run is freed when it returns. */
typedef void (*probe_http1_done_fn)(const struct probe_result *res, void *userdata);

/* The engine on `e`; user_agent NULL: "KeepAliveClient" (keepalived's).
 * Returns 0 or a negative errno. */
int probe_http1_new(sd_event *e, const char *user_agent, struct probe_http1 **ret);

/* Cancel every run (no callbacks), close the kept connections (their slots
 * become NULL) and free.  Not from inside a callback.  NULL-safe; returns
 * NULL. */
struct probe_http1 *probe_http1_free(struct probe_http1 *h);

/* Fetch url `u` of HTTP_GET checker `ck` (both must outlive the run; the
 * request is built once and kept with u, so u must belong to ck).
 * `keep`: NULL, or the caller's slot for a kept connection (start it NULL;
 * it must outlive the run): with ck->keepalive_time the run uses the
 * connection found there and leaves its own there when it may carry the
 * next run; without, it closes any connection found there.
 * Every outcome, a socket that cannot be made included, arrives through
 * cb.  Returns 0 and the run in *ret (ret may be NULL), or -EINVAL (not
 * HTTP_GET, no address or port). */
int probe_http1_start(struct probe_http1 *h, const struct config_checker *ck,
		      struct http_url_check *u, struct probe_http1_conn **keep,
		      probe_http1_done_fn cb, void *userdata, struct probe_http1_run **ret);

/* Close the connection kept in *keep, if any (*keep becomes NULL).  For the
 * slot's owner when it goes away; the engine must still exist.  NULL-safe. */
void probe_http1_conn_close(struct probe_http1_conn **keep);

/* Stop a run without its callback.  NULL-safe; returns NULL. */
struct probe_http1_run *probe_http1_cancel(struct probe_http1_run *r);

/* Runs in flight. */
size_t probe_http1_running(const struct probe_http1 *h);

/* Connections kept idle between runs. */
size_t probe_http1_kept(const struct probe_http1 *h);

#endif
