/* probe_tcp: TCP_CHECK, a non-blocking connect() with a timeout on sd-event.
 *
 * A probe opens a socket (SO_MARK for fwmark, SO_BINDTODEVICE for bind_if,
 * bind() for bindto/bind_port), connects to connect_ip:connect_port, waits
 * for the socket to become writable or connect_timeout to pass, and closes
 * it at once: a completed three-way handshake is success, as in keepalived.
 * The outcome is ok, refused, unreachable, timeout or connect-error (errno
 * in .err); a socket/setsockopt/bind failure is internal-error.
 *
 * Library code: never logs. */
#ifndef LBHA_PROBE_TCP_H
#define LBHA_PROBE_TCP_H

#include <systemd/sd-event.h>

#include "checker/probe_result.h"

struct config_checker;
struct probe_tcp;

/* Called once per probe from the loop (never from inside probe_tcp_start());
 * the probe is freed when it returns: forget the handle. */
typedef void (*probe_tcp_done_fn)(const struct probe_result *res, void *userdata);

/* Start probing for checker `ck` (any type with connect_ip and connect_port
 * set; ck need not outlive the call).  Every outcome, including a socket
 * that cannot be made, arrives through cb(userdata).  Returns 0 and the
 * probe in *ret (ret may be NULL), or -EINVAL (no address or port), or an
 * sd-event error. */
int probe_tcp_start(sd_event *e, const struct config_checker *ck, probe_tcp_done_fn cb,
		    void *userdata, struct probe_tcp **ret);

/* Stop a probe without calling its callback.  NULL-safe; returns NULL. */
struct probe_tcp *probe_tcp_cancel(struct probe_tcp *p);

#endif
