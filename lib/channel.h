/* channel: an ipc stream socket attached to an sd-event loop.
 *
 * Reads frames as they arrive and hands each to on_message; queues outgoing
 * frames and writes them when the socket takes them (EPOLLOUT only while
 * something waits), so the loop never blocks on a slow peer.
 *
 * The channel ends once: peer closed (error 0), a read or protocol error
 * (-EMSGSIZE for an oversized frame, -EPROTO for a partial frame at close), or
 * on_message returning a negative value.  on_close is then called exactly once
 * and the channel stops reading; the owner frees it (on_close may do so). */
#ifndef LBHA_CHANNEL_H
#define LBHA_CHANNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <systemd/sd-event.h>

struct channel;
struct ipc_msg;

struct channel_ops {
	/* One complete frame.  Return 0 to go on, negative to end the channel.
	 * Must not free the channel. */
	int (*on_message)(struct channel *ch, const struct ipc_msg *m, void *userdata);
	/* The channel ended; `error` is 0 for an orderly close by the peer. */
	void (*on_close)(struct channel *ch, int error, void *userdata);
};

/* Attach `fd` (a connected stream socket; made non-blocking here; owned by the
 * channel from now on, closed by channel_free even on failure).  `ops` must
 * outlive the channel.  max_payload 0 means IPC_MAX_PAYLOAD_DEFAULT.
 * `description` names the io source for sd-event debugging.
 * Returns 0 or a negative errno. */
int channel_new(sd_event *e, int fd, size_t max_payload, const struct channel_ops *ops,
		void *userdata, const char *description, struct channel **ret);

/* Queue one frame and start writing it.  Returns 0, -EMSGSIZE/-ENOBUFS (see
 * ipc_writer_queue), -ENOTCONN after the channel ended, or the write error. */
int channel_send(struct channel *ch, uint32_t type, const void *payload, size_t len);

/* Same with the payload in pieces (header struct + text, ...). */
int channel_sendv(struct channel *ch, uint32_t type, const struct iovec *iov, size_t n);

/* Close the socket and free everything; NULL-safe; returns NULL. */
struct channel *channel_free(struct channel *ch);

#endif
