#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "checker/probe_socket.h"
#include "checker/probe_tcp.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct probe_tcp {
	int fd;
	sd_event_source *io, *timer, *defer;
	probe_tcp_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	struct probe_result res;   /* set early when the socket could not be made */
};

struct probe_tcp *probe_tcp_cancel(struct probe_tcp *p)
{
	if (!p)
		return NULL;
	sd_event_source_disable_unref(p->io);
	sd_event_source_disable_unref(p->timer);
	sd_event_source_disable_unref(p->defer);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
	return NULL;
}

/* Hand the result over and free the probe; the callback may start others. */
static void finish(struct probe_tcp *p)
{
	struct probe_result res = p->res;
	probe_tcp_done_fn cb = p->cb;
	void *userdata = p->userdata;

	res.duration_usec = monotonic_usec() - p->start_usec;
	probe_tcp_cancel(p);
	cb(&res, userdata);
}

static void set_errno_result(struct probe_tcp *p, int err)
{
	enum probe_reason reason = probe_reason_from_errno(err);

	probe_result_set(&p->res, reason, 0, "%s", err ? strerror(err) : "");
	if (reason != PROBE_OK)
		p->res.err = err;
}

static int on_writable(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct probe_tcp *p = userdata;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	set_errno_result(p, err);
	finish(p);
	return 0;
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct probe_tcp *p = userdata;

	probe_result_set(&p->res, PROBE_TIMEOUT, 0, "connect timed out");
	finish(p);
	return 0;
}

static int on_defer(sd_event_source *s, void *userdata)
{
	finish(userdata);
	return 0;
}

static int start_connect(struct probe_tcp *p, sd_event *e, const struct config_checker *ck)
{
	int err = 0, fd = probe_socket_connect(ck, &err), r;

	if (fd < 0) {
		probe_result_set(&p->res, PROBE_INTERNAL_ERROR, 0, "socket setup: %s",
				 strerror(-fd));
		p->res.err = -fd;
		return 1;
	}
	p->fd = fd;
	if (err != EINPROGRESS) {
		/* loopback may connect at once; no route fails at once */
		set_errno_result(p, err);
		return 1;
	}
	r = sd_event_add_io(e, &p->io, fd, EPOLLOUT, on_writable, p);
	if (r < 0)
		return r;
	r = sd_event_add_time_relative(e, &p->timer, CLOCK_MONOTONIC,
				       ck->connect_timeout_us ? ck->connect_timeout_us : 1, 0,
				       on_timeout, p);
	if (r < 0)
		return r;
	(void)sd_event_source_set_description(p->io, "probe-tcp-io");
	(void)sd_event_source_set_description(p->timer, "probe-tcp-timeout");
	return 0;
}

int probe_tcp_start(sd_event *e, const struct config_checker *ck, probe_tcp_done_fn cb,
		    void *userdata, struct probe_tcp **ret)
{
	struct probe_tcp *p;
	int r;

	if (!e || !ck || !cb || !config_addr_is_set(&ck->connect_ip) || !ck->connect_port)
		return -EINVAL;
	p = xnew(struct probe_tcp);
	p->fd = -1;
	p->cb = cb;
	p->userdata = userdata;
	p->start_usec = monotonic_usec();
	r = start_connect(p, e, ck);
	if (r > 0) {
		/* decided already: deliver from the loop like every other outcome */
		r = sd_event_add_defer(e, &p->defer, on_defer, p);
		if (r >= 0)
			r = sd_event_source_set_enabled(p->defer, SD_EVENT_ONESHOT);
	}
	if (r < 0) {
		probe_tcp_cancel(p);
		return r;
	}
	if (ret)
		*ret = p;
	return 0;
}
