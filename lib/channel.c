#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "channel.h"
#include "ipc.h"
#include "xalloc.h"

struct channel {
	int fd;
	bool ended;
	sd_event_source *io;
	struct ipc_reader rd;
	struct ipc_writer wr;
	const struct channel_ops *ops;
	void *userdata;
};

/* Stop reading and tell the owner, once.  The owner may free ch inside on_close,
 * so nothing touches ch afterwards. */
static void channel_end(struct channel *ch, int error)
{
	if (ch->ended)
		return;
	ch->ended = true;
	sd_event_source_set_enabled(ch->io, SD_EVENT_OFF);
	ch->ops->on_close(ch, error, ch->userdata);
}

static int want_events(struct channel *ch)
{
	uint32_t ev = EPOLLIN | (ipc_writer_pending(&ch->wr) ? EPOLLOUT : 0);

	return sd_event_source_set_io_events(ch->io, ev);
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct channel *ch = userdata;
	int r;

	if (revents & EPOLLOUT) {
		r = ipc_writer_flush(&ch->wr, fd);
		if (r < 0) {
			channel_end(ch, r);
			return 0;
		}
		want_events(ch);
	}
	if (!(revents & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return 0;

	/* One read per wake-up: sd-event is level-triggered, so a busy peer
	 * cannot starve the rest of the loop. */
	ssize_t n = ipc_reader_fill(&ch->rd, fd);
	if (n == -EAGAIN || n == -EINTR)
		return 0;
	if (n < 0) {
		channel_end(ch, (int)n);
		return 0;
	}

	struct ipc_msg m;
	while ((r = ipc_reader_next(&ch->rd, &m)) > 0) {
		r = ch->ops->on_message(ch, &m, ch->userdata);
		if (r < 0) {
			channel_end(ch, r);
			return 0;
		}
	}
	if (r < 0)
		channel_end(ch, r);
	else if (n == 0)
		channel_end(ch, ipc_reader_pending(&ch->rd) ? -EPROTO : 0);
	return 0;
}

int channel_new(sd_event *e, int fd, size_t max_payload, const struct channel_ops *ops,
		void *userdata, const char *description, struct channel **ret)
{
	struct channel *ch = xnew(struct channel);
	int r;

	ch->fd = fd;
	ch->ops = ops;
	ch->userdata = userdata;
	ipc_reader_init(&ch->rd, max_payload);
	ipc_writer_init(&ch->wr, max_payload);

	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		r = -errno;
		goto fail;
	}
	r = sd_event_add_io(e, &ch->io, fd, EPOLLIN, on_io, ch);
	if (r < 0)
		goto fail;
	if (description)
		sd_event_source_set_description(ch->io, description);
	*ret = ch;
	return 0;
fail:
	channel_free(ch);
	return r;
}

int channel_sendv(struct channel *ch, uint32_t type, const struct iovec *iov, size_t n)
{
	if (ch->ended)
		return -ENOTCONN;
	int r = ipc_writer_queue(&ch->wr, type, iov, n);
	if (r < 0)
		return r;
	r = ipc_writer_flush(&ch->wr, ch->fd);
	if (r < 0)
		return r;  /* the read side sees the peer's end and ends the channel */
	return want_events(ch);
}

int channel_send(struct channel *ch, uint32_t type, const void *payload, size_t len)
{
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = len };

	return channel_sendv(ch, type, &iov, 1);
}

struct channel *channel_free(struct channel *ch)
{
	if (!ch)
		return NULL;
	sd_event_source_disable_unref(ch->io);
	if (ch->fd >= 0)
		close(ch->fd);
	ipc_reader_done(&ch->rd);
	ipc_writer_done(&ch->wr);
	free(ch);
	return NULL;
}
