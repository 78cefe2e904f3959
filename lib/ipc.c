#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc.h"
#include "xalloc.h"

/* Bytes asked of read(2) at once. */
#define IPC_READ_CHUNK 65536u

/* An empty buffer larger than this is given back: one big frame (a status
 * of megabytes) must not keep its memory for the life of the process. */
#define IPC_KEEP_BYTES (4 * IPC_READ_CHUNK)

static void buf_release_if_big(uint8_t **buf, size_t *start, size_t *end, size_t *cap)
{
	if (*start != *end || *cap <= IPC_KEEP_BYTES)
		return;
	free(*buf);
	*buf = NULL;
	*start = *end = *cap = 0;
}

/* Make room for `need` more bytes after buf[end], moving the unread part to
 * the front first so the buffer does not grow without bound. */
static void buf_reserve(uint8_t **buf, size_t *start, size_t *end, size_t *cap, size_t need)
{
	if (*start > 0) {
		memmove(*buf, *buf + *start, *end - *start);
		*end -= *start;
		*start = 0;
	}
	if (*cap - *end >= need)
		return;
	size_t ncap = *cap ? *cap : 4096;
	while (ncap - *end < need)
		ncap *= 2;
	*buf = xreallocarray(*buf, ncap, 1);
	*cap = ncap;
}

void ipc_reader_init(struct ipc_reader *r, size_t max_payload)
{
	*r = (struct ipc_reader){ .max_payload = max_payload ? max_payload : IPC_MAX_PAYLOAD_DEFAULT };
}

void ipc_reader_done(struct ipc_reader *r)
{
	free(r->buf);
	*r = (struct ipc_reader){ 0 };
}

void ipc_reader_feed(struct ipc_reader *r, const void *data, size_t len)
{
	buf_reserve(&r->buf, &r->start, &r->end, &r->cap, len);
	memcpy(r->buf + r->end, data, len);
	r->end += len;
}

ssize_t ipc_reader_fill(struct ipc_reader *r, int fd)
{
	buf_release_if_big(&r->buf, &r->start, &r->end, &r->cap);
	buf_reserve(&r->buf, &r->start, &r->end, &r->cap, IPC_READ_CHUNK);
	ssize_t n = read(fd, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return -errno;
	r->end += (size_t)n;
	return n;
}

int ipc_reader_next(struct ipc_reader *r, struct ipc_msg *ret)
{
	size_t avail = r->end - r->start;
	uint32_t hdr[2];

	if (avail < IPC_HEADER_SIZE)
		return 0;
	memcpy(hdr, r->buf + r->start, IPC_HEADER_SIZE);
	if (hdr[1] > r->max_payload)
		return -EMSGSIZE;
	if (avail - IPC_HEADER_SIZE < hdr[1])
		return 0;

	*ret = (struct ipc_msg){
		.type = hdr[0],
		.len = hdr[1],
		.payload = r->buf + r->start + IPC_HEADER_SIZE,
	};
	r->start += IPC_HEADER_SIZE + hdr[1];
	return 1;
}

size_t ipc_reader_pending(const struct ipc_reader *r)
{
	return r->end - r->start;
}

void ipc_writer_init(struct ipc_writer *w, size_t max_payload)
{
	size_t max = max_payload ? max_payload : IPC_MAX_PAYLOAD_DEFAULT;

	*w = (struct ipc_writer){ .max_payload = max, .max_queued = 4 * (max + IPC_HEADER_SIZE) };
}

void ipc_writer_done(struct ipc_writer *w)
{
	free(w->buf);
	*w = (struct ipc_writer){ 0 };
}

int ipc_writer_queue(struct ipc_writer *w, uint32_t type, const struct iovec *iov, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (iov[i].iov_len > w->max_payload - len)
			return -EMSGSIZE;
		len += iov[i].iov_len;
	}
	if (w->end - w->start + IPC_HEADER_SIZE + len > w->max_queued)
		return -ENOBUFS;

	uint32_t hdr[2] = { type, (uint32_t)len };
	buf_reserve(&w->buf, &w->start, &w->end, &w->cap, IPC_HEADER_SIZE + len);
	memcpy(w->buf + w->end, hdr, IPC_HEADER_SIZE);
	w->end += IPC_HEADER_SIZE;
	for (size_t i = 0; i < n; i++) {
		if (iov[i].iov_len == 0)
			continue;
		memcpy(w->buf + w->end, iov[i].iov_base, iov[i].iov_len);
		w->end += iov[i].iov_len;
	}
	return 0;
}

int ipc_writer_flush(struct ipc_writer *w, int fd)
{
	while (w->start < w->end) {
		ssize_t n = send(fd, w->buf + w->start, w->end - w->start, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return -errno;
		}
		w->start += (size_t)n;
	}
	w->start = w->end = 0;
	buf_release_if_big(&w->buf, &w->start, &w->end, &w->cap);
	return 0;
}

bool ipc_writer_pending(const struct ipc_writer *w)
{
	return w->start < w->end;
}

int ipc_dispatch(const struct ipc_handler *table, size_t n, const struct ipc_msg *m,
		 void *userdata)
{
	for (size_t i = 0; i < n; i++) {
		if (table[i].type != m->type)
			continue;
		if (m->len < table[i].min_len)
			return -EBADMSG;
		return table[i].fn(m, userdata);
	}
	return -ENOMSG;
}

const char *ipc_type_name(const struct ipc_handler *table, size_t n, uint32_t type)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].type == type)
			return table[i].name;
	return NULL;
}
