/* probe_http: HTTP_GET and SSL_GET probes over libcurl's multi interface.
 *
 * The checker sends SSL_GET here and HTTP_GET to its own client
 * (probe_http1.h, several times cheaper per probe); `lbha digest` and the
 * tests use this engine for both.
 *
 * One engine (struct probe_http) per checker process: one CURLM whose
 * sockets and timer are sd-event sources of the caller's loop
 * (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION driving
 * curl_multi_socket_action), so any number of probes are in flight at once
 * with no thread and no blocking call.  Addresses are numeric, so libcurl
 * never resolves a name: the URL holds the real server's address, and a
 * virtualhost goes into the Host header (and, with enable_sni, into the URL
 * with CURLOPT_CONNECT_TO pinning the connection to the address).
 *
 * One run (struct probe_http_run) fetches one url of one checker on a fresh
 * connection (no reuse: the probe must test connecting) and judges the
 * response with http_verdict, stopping the transfer as soon as the verdict
 * is known.  keepalived walks the urls of a checker one after the other; the
 * caller does the same by starting one run per url.
 *
 * keepalive_time (lbha; the semantics of probe_http1.h): a checker with it
 * lets curl reuse a connection from one cache shared by the engine (curl
 * matches address, port, TLS settings, bindings), none older than
 * keepalive_time: the request is HTTP/1.1 without "Connection: close", a
 * passed check reads the rest of its response (at most 64 KB, else the
 * connection is closed) so the connection stays usable, and the result's
 * `reused` says the request made no new connection.  curl checks a cached
 * connection before reusing it and sends the request again on a new one
 * when a reused connection died before any answer, so a server closing
 * idle connections costs no failed check.  A failed check (timeout
 * included) ends its connection, so the next check starts on a new one.
 * Differences from probe_http1: checkers of the same server and settings
 * share connections (no per-checker slot); curl bounds ages in whole
 * seconds, so a connection lives below keepalive_time rounded down (2 s
 * at least); an idle connection the server closed is found at the next
 * check (or when curl prunes its cache, at most once a second, as it makes
 * a connection), not at once.
 *
 * What a checker block sets: connect_ip/connect_port (the target),
 * bindto/bind_port (source address/port), bind_if (SO_BINDTODEVICE), fwmark
 * (SO_MARK), connect_timeout (for the connection and TLS handshake; the
 * whole request may take twice as long), http_protocol (1.0, 1.0C and 1.1
 * send "Connection: close" as keepalived does for 1.0C and 1.1),
 * virtualhost (url's first, then the checker's), enable_sni.  SSL_GET does
 * not verify the server's certificate unless the engine was made with
 * verify on (keepalived never verifies).  tls_compliant needs nothing: curl
 * always shuts TLS down properly.
 *
 * Library code: never logs. */
#ifndef LBHA_PROBE_HTTP_H
#define LBHA_PROBE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#include "checker/http_verdict.h"
#include "checker/probe_result.h"

struct config_checker;
struct probe_http;
struct probe_http_run;

/* Engine-wide settings: keepalived's global `SSL { ca certificate key
 * password }` block, plus what keepalived does not have. */
struct probe_http_options {
	const char *ca_file;       /* CA bundle for verify; NULL: the system's */
	const char *cert_file;     /* client certificate (PEM), NULL: none */
	const char *key_file;      /* its key (PEM); NULL: in cert_file */
	const char *key_password;  /* NULL: none */
	bool verify;               /* verify the server's certificate and name;
				    * the name is the virtualhost with
				    * enable_sni, else the address */
	const char *user_agent;    /* NULL: "KeepAliveClient", keepalived's, so
				    * servers' log filters keep working */
};

/* Called once per run, from the loop (never from inside probe_http_start()).
 * The run is freed when the callback returns: forget the handle. */
typedef void (*probe_http_done_fn)(const struct probe_result *res, void *userdata);

/* Make the engine on `e`.  o may be NULL (defaults).  Strings in o are
 * copied.  Returns 0, -ENOMEM, or -EIO when libcurl cannot be set up. */
int probe_http_new(sd_event *e, const struct probe_http_options *o, struct probe_http **ret);

/* Cancel every run (no callbacks) and free the engine.  Not from inside a
 * probe callback.  NULL-safe; returns NULL. */
struct probe_http *probe_http_free(struct probe_http *h);

/* Start fetching url `u` of checker `ck` (HTTP_GET or SSL_GET; both must
 * outlive the run).  Every outcome, connect errors included, arrives through
 * cb(userdata).  Returns 0 and the run in *ret (ret may be NULL), or
 * -EINVAL (not an HTTP checker, no connect_ip) or -ENOMEM. */
int probe_http_start(struct probe_http *h, const struct config_checker *ck,
		     const struct http_url_check *u, probe_http_done_fn cb, void *userdata,
		     struct probe_http_run **ret);

/* Stop a run without calling its callback.  NULL-safe; returns NULL. */
struct probe_http_run *probe_http_cancel(struct probe_http_run *r);

/* Runs in flight. */
size_t probe_http_running(const struct probe_http *h);

#endif
