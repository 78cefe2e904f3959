/* ipc: framed messages over a stream socket (relayd's imsg, made small).
 *
 * A frame is a header {uint32 type, uint32 length} in host byte order (both
 * ends are the same binary on the same host) followed by `length` payload
 * bytes.  The reader assembles frames from partial reads; the writer queues
 * frames and writes as much as the socket takes, so neither ever blocks.
 *
 * Both ends enforce a payload limit: a frame header announcing more is a
 * broken or hostile peer, and the stream cannot be re-synchronised after it, so
 * the caller must drop the connection.
 *
 * Message types mean nothing here; ipc_dispatch() maps them to handlers through
 * a table the caller owns, and reports a type nobody handles. */
#ifndef LBHA_IPC_H
#define LBHA_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define IPC_HEADER_SIZE 8u
/* Default payload limit: a canonical config of many thousand real servers. */
#define IPC_MAX_PAYLOAD_DEFAULT (16u << 20)

struct ipc_msg {
	uint32_t type;
	uint32_t len;
	const void *payload;  /* points into the reader's buffer; valid until the next read */
};

struct ipc_reader {
	uint8_t *buf;
	size_t start, end, cap;  /* unread bytes are buf[start..end) */
	size_t max_payload;
};

struct ipc_writer {
	uint8_t *buf;
	size_t start, end, cap;  /* unsent bytes are buf[start..end) */
	size_t max_payload;
	size_t max_queued;       /* refuse to queue past this many unsent bytes */
};

/* max_payload 0 means IPC_MAX_PAYLOAD_DEFAULT. */
void ipc_reader_init(struct ipc_reader *r, size_t max_payload);
void ipc_reader_done(struct ipc_reader *r);

/* Append bytes as if read from the socket (used by ipc_reader_fill, and tests). */
void ipc_reader_feed(struct ipc_reader *r, const void *data, size_t len);

/* One read(2) from fd into the buffer.  Returns the number of bytes read, 0 at
 * end of file, or a negative errno (-EAGAIN when nothing is there). */
ssize_t ipc_reader_fill(struct ipc_reader *r, int fd);

/* Take the next complete frame.  Returns 1 and fills *ret, 0 when more bytes
 * are needed, -EMSGSIZE when the next frame is over the limit (the stream is
 * unusable from then on). */
int ipc_reader_next(struct ipc_reader *r, struct ipc_msg *ret);

/* Bytes received but not yet returned as frames (a peer closing with a
 * partial frame left is a protocol error). */
size_t ipc_reader_pending(const struct ipc_reader *r);

/* max_payload 0 means IPC_MAX_PAYLOAD_DEFAULT; at most 4 frames of that size
 * may wait unsent. */
void ipc_writer_init(struct ipc_writer *w, size_t max_payload);
void ipc_writer_done(struct ipc_writer *w);

/* Queue one frame whose payload is the concatenation of iov[0..n).  Returns 0,
 * -EMSGSIZE over the payload limit, -ENOBUFS when too much is already queued. */
int ipc_writer_queue(struct ipc_writer *w, uint32_t type, const struct iovec *iov, size_t n);

/* Write queued bytes to fd without blocking (send with MSG_NOSIGNAL, so a
 * dead peer is -EPIPE, not SIGPIPE).  Returns 0 when the queue is empty, 1 when
 * bytes remain (socket full), or a negative errno. */
int ipc_writer_flush(struct ipc_writer *w, int fd);

bool ipc_writer_pending(const struct ipc_writer *w);

/* One row of a dispatch table. */
struct ipc_handler {
	uint32_t type;
	const char *name;  /* for logs */
	size_t min_len;    /* shorter payloads are refused before fn sees them */
	int (*fn)(const struct ipc_msg *m, void *userdata);
};

/* Call the handler for m->type.  Returns its result, -ENOMSG when no row has
 * that type (a bug in the peer: log it), -EBADMSG when the payload is shorter
 * than the row's min_len. */
int ipc_dispatch(const struct ipc_handler *table, size_t n, const struct ipc_msg *m,
		 void *userdata);

/* The row's name for a type, or NULL. */
const char *ipc_type_name(const struct ipc_handler *table, size_t n, uint32_t type);

#endif
