/* probe_socket: the socket a TCP-based probe connects with.
 *
 * TCP_CHECK and the plain HTTP_GET client open their connection the same
 * way: non-blocking, SO_MARK for fwmark, SO_BINDTODEVICE for bind_if, bind()
 * for bindto/bind_port, then connect() to connect_ip:connect_port.
 *
 * Library code: never logs. */
#ifndef LBHA_PROBE_SOCKET_H
#define LBHA_PROBE_SOCKET_H

struct config_checker;

/* Open and start connecting.  Returns the socket (>= 0) with *connect_err
 * set to 0 (connected already, as loopback may be), EINPROGRESS, or the
 * errno connect() failed with (the socket is then still returned, the caller
 * closes it); or -errno when the socket could not be set up at all (our
 * side: no fds, a refused option, an address that is not ours). */
int probe_socket_connect(const struct config_checker *ck, int *connect_err);

#endif
